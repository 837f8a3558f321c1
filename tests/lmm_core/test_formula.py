"""parse_formula: tables of formula -> expected terms, and bad formula -> message and caret.

Expected terms follow R 4.x ``terms()`` (term order, variable order, intercept) and
lme4 1.1-31 ``findbars(expandDoubleVerts(f))`` for the random terms.
"""

from __future__ import annotations

import pytest

from lmm_core.errors import FormulaError
from lmm_core.formula import parse_formula, tokenize
from lmm_core.terms import BinOp, Call, ModelTerms, Name, Neg, Num, RandomTerm


def _term(t) -> tuple[str, ...]:
    return (t,) if isinstance(t, str) else tuple(t)


def fx(*terms, intercept: bool = True) -> ModelTerms:
    """Model terms: a string is a main effect, a tuple an interaction."""
    return ModelTerms(intercept=intercept, terms=tuple(_term(t) for t in terms))


def re(group: str, *terms, intercept: bool = True) -> RandomTerm:
    """A random term; group "b:a" is the interaction of b and a."""
    return RandomTerm(effects=fx(*terms, intercept=intercept), group=tuple(group.split(":")))


def case(formula, fixed, *random, response="y"):
    return pytest.param(formula, response, fixed, random, id=formula)


CASES = [
    # fixed part: intercept
    case("y ~ x", fx("x")),
    case("y ~ 1", fx()),
    case("y ~ 0", fx(intercept=False)),
    case("y ~ 1 + x", fx("x")),
    case("y ~ 0 + x", fx("x", intercept=False)),
    case("y ~ x - 1", fx("x", intercept=False)),
    case("y ~ -1 + x", fx("x", intercept=False)),
    case("y ~ x + 0", fx("x", intercept=False)),
    case("y ~ 0 + x + 1", fx("x")),
    # fixed part: crossing, nesting, interactions, repeats, order
    case("y ~ a*b", fx("a", "b", ("a", "b"))),
    case(
        "y ~ a*b*c",
        fx("a", "b", "c", ("a", "b"), ("a", "c"), ("b", "c"), ("a", "b", "c")),
    ),
    case("y ~ (a + b):c", fx(("a", "c"), ("b", "c"))),
    case("y ~ (a + b)*c", fx("a", "b", "c", ("a", "c"), ("b", "c"))),
    case("y ~ a/b", fx("a", ("a", "b"))),
    case("y ~ (a + b)/c", fx("a", "b", ("a", "b", "c"))),
    case("y ~ a/b/c", fx("a", ("a", "b"), ("a", "b", "c"))),
    case("y ~ a + a", fx("a")),
    case("y ~ a:b + b:a", fx(("a", "b"))),
    case("y ~ b + a + a:b", fx("b", "a", ("b", "a"))),
    case("y ~ a:b + c", fx("c", ("a", "b"))),
    case("y ~ b:a + a", fx("a", ("b", "a"))),
    case("y ~ a*b - a:b", fx("a", "b")),
    case("y ~ a*b - a", fx("b", ("a", "b"))),
    case("y ~ a + b:c + d", fx("a", "d", ("b", "c"))),
    case("y ~ x:log(z)", fx(("x", "log(z)"))),
    # transforms and their R labels
    case(
        "log(y) ~ scale(x) + I(x^2) + (1|g)", fx("scale(x)", "I(x^2)"), re("g"), response="log(y)"
    ),
    case("y ~ I(x*2)", fx("I(x * 2)")),
    case("y ~ I(x/2) + I(x+1) + I(x - 1)", fx("I(x/2)", "I(x + 1)", "I(x - 1)")),
    case("y ~ I(-x) + I((x-1)^2)", fx("I(-x)", "I((x - 1)^2)")),
    case("y ~ log(x + 1) + I(0.5 * x) + I(x * 2.0)", fx("log(x + 1)", "I(0.5 * x)", "I(x * 2)")),
    case("y ~ I(log(x)^2) + I(x^-1) + I(-x^2)", fx("I(log(x)^2)", "I(x^-1)", "I(-x^2)")),
    case("y ~ sqrt(x) + abs(x) + exp(x)", fx("sqrt(x)", "abs(x)", "exp(x)")),
    case("y ~ log2(x) + log10(x) + log1p(x)", fx("log2(x)", "log10(x)", "log1p(x)")),
    case("y ~ log(x) + log( x )", fx("log(x)")),
    # names
    case("y ~ `my col` + x", fx("`my col`", "x")),  # R's label keeps the backticks
    case("y ~ `Days` + x", fx("Days", "x")),  # ... only where R needs them
    case("y ~ .x + x.1 + x_2 + X2", fx(".x", "x.1", "x_2", "X2")),
    case("y~x+(1|g)", fx("x"), re("g")),
    case("y ~ x +\n    (1 | g)\n", fx("x"), re("g")),
    # random terms
    case(
        "Reaction ~ Days + (Days | Subject)", fx("Days"), re("Subject", "Days"), response="Reaction"
    ),
    case(
        "Reaction ~ Days + (Days || Subject)",
        fx("Days"),
        re("Subject"),
        re("Subject", "Days", intercept=False),
        response="Reaction",
    ),
    case("y ~ (1 | g)", fx(), re("g")),
    case("y ~ (x | g)", fx(), re("g", "x")),
    case("y ~ (1 + x | g)", fx(), re("g", "x")),
    case("y ~ (0 + x | g)", fx(), re("g", "x", intercept=False)),
    case("y ~ (x - 1 | g)", fx(), re("g", "x", intercept=False)),
    case("y ~ (1 + x + z | g)", fx(), re("g", "x", "z")),
    case("y ~ (x*f | g)", fx(), re("g", "x", "f", ("x", "f"))),
    case("y ~ (a/b | g)", fx(), re("g", "a", ("a", "b"))),
    case("y ~ (1|g) + x", fx("x"), re("g")),
    case("y ~ (1|g) + x - 1", fx("x", intercept=False), re("g")),
    case("y ~ ((1 | g))", fx(), re("g")),
    case("y ~ ((1 | g) + x)", fx("x"), re("g")),
    case("y ~ a*b + (1|g) + (1|h)", fx("a", "b", ("a", "b")), re("g"), re("h")),
    case("y ~ x + (1 | h) + (x | g)", fx("x"), re("h"), re("g", "x")),
    case("y ~ 0 + f + (0 + f | g)", fx("f", intercept=False), re("g", "f", intercept=False)),
    case("y ~ 1 + x + (1 | a/b)", fx("x"), re("b:a"), re("a")),
    case(
        "extro ~ open + agree + social + (1 | school/class)",
        fx("open", "agree", "social"),
        re("class:school"),
        re("school"),
        response="extro",
    ),
    case("y ~ (1 | a/b/c)", fx(), re("c:b:a"), re("b:a"), re("a")),
    case("y ~ (1 | a:b)", fx(), re("a:b")),
    # lme4 1.1-31 garbles a:b/c (its groups print as c:(a:`:`)); this is what it means.
    case("y ~ (1 | a:b/c)", fx(), re("c:a:b"), re("a:b")),
    # || (lme4 1.1-31 expandDoubleVerts), also with nesting
    case("y ~ (x || g)", fx(), re("g"), re("g", "x", intercept=False)),
    case(
        "y ~ (1 + x + z || g)",
        fx(),
        re("g"),
        re("g", "x", intercept=False),
        re("g", "z", intercept=False),
    ),
    case("y ~ (0 + x || g)", fx(), re("g", "x", intercept=False)),
    case(
        "y ~ x + (x || a/b)",
        fx("x"),
        re("b:a"),
        re("a"),
        re("b:a", "x", intercept=False),
        re("a", "x", intercept=False),
    ),
    case(
        "y ~ (x*f || g)",
        fx(),
        re("g"),
        re("g", "x", intercept=False),
        re("g", "f", intercept=False),
        re("g", ("x", "f"), intercept=False),
    ),
]


@pytest.mark.parametrize(("formula", "offsets"), [
    ("y ~ x + offset(log(n)) + (1 | g)", ("offset(log(n))",)),
    ("y ~ offset(z) + offset(z) + offset(w)", ("offset(z)", "offset(w)")),
    ("y ~ x", ()),
])
def test_offsets_are_not_terms(formula, offsets):
    parsed = parse_formula(formula)
    assert parsed.offsets == offsets
    assert all(o not in t for t in parsed.fixed.terms for o in offsets)
    assert all(o in parsed.variables for o in offsets)


@pytest.mark.parametrize(("formula", "names"), [
    ("y ~ (1 | a/b/c)", ["c:(b:a)", "b:a", "a"]),  # lme4 1.1-31's names
    ("y ~ (1 | a/b/c/d)", ["d:(c:(b:a))", "c:(b:a)", "b:a", "a"]),
    ("y ~ (1 | a:b)", ["a:b"]),
    ("y ~ (1 | a:b:c)", ["a:b:c"]),
    ("y ~ (1 | `my g`/h)", ["h:`my g`", "my g"]),
    ("y ~ (x || a/b)", ["b:a", "a", "b:a", "a"]),
])
def test_group_names_as_lme4(formula, names):
    assert [t.group_name for t in parse_formula(formula).random] == names


def test_formula_keeps_its_tree_positions_and_deparses_as_r():
    parsed = parse_formula("y~I(x>1)+scale( x,scale=F)+(1|g)")
    assert parsed.tree.op == "~" and parsed.tree.pos == 1
    assert parsed.positions == {"y": 0, "I(x > 1)": 2, "scale(x, scale = FALSE)": 9}
    assert parsed.deparse() == "y ~ I(x > 1) + scale(x, scale = FALSE) + (1 | g)"
    assert parse_formula(parsed) is parsed  # a Formula is not parsed again


@pytest.mark.parametrize(("formula", "response", "fixed", "random"), CASES)
def test_parse(formula, response, fixed, random):
    parsed = parse_formula(formula)
    assert parsed.text == formula
    assert parsed.response == response
    assert parsed.fixed == fixed
    assert parsed.random == random


VARIABLES = [
    ("y ~ x", {"y": Name("y"), "x": Name("x")}),
    (
        "log(y) ~ scale(x) + I(x^2) + (1|g)",
        {
            "log(y)": Call("log", (Name("y"),)),
            "scale(x)": Call("scale", (Name("x"),)),
            "I(x^2)": Call("I", (BinOp("^", Name("x"), Num(2.0)),)),
        },
    ),
    (
        "y ~ I(-x^2) + I((x - 1) * 2) + (z | g)",
        {
            "y": Name("y"),
            "I(-x^2)": Call("I", (Neg(BinOp("^", Name("x"), Num(2.0))),)),
            "I((x - 1) * 2)": Call("I", (BinOp("*", BinOp("-", Name("x"), Num(1.0)), Num(2.0)),)),
            "z": Name("z"),
        },
    ),
    (
        "y ~ log(x + 1)",
        {"y": Name("y"), "log(x + 1)": Call("log", (BinOp("+", Name("x"), Num(1.0)),))},
    ),
    ("y ~ `my col`", {"y": Name("y"), "`my col`": Name("my col")}),
    ("`my y` ~ x", {"my y": Name("my y"), "x": Name("x")}),  # the response: its column
    (
        "y ~ I(log(x) / 2)",
        {
            "y": Name("y"),
            "I(log(x)/2)": Call("I", (BinOp("/", Call("log", (Name("x"),)), Num(2.0)),)),
        },
    ),
]


@pytest.mark.parametrize(("formula", "variables"), VARIABLES, ids=[v[0] for v in VARIABLES])
def test_variables(formula, variables):
    parsed = parse_formula(formula)
    assert parsed.variables == variables
    assert list(parsed.variables) == list(variables)  # response first, then first use


def test_variables_keep_order_of_first_use_and_skip_grouping():
    parsed = parse_formula("y ~ b + (a | g) + a:b + (1 | h/k)")
    assert list(parsed.variables) == ["y", "b", "a"]
    assert parsed.grouping_variables == ("g", "k", "h")


ERRORS = [
    # (formula, fragment of the message, caret position)
    ("", "empty", None),
    ("   ", "empty", None),
    ("y + x", "needs a ~", None),
    ("~ x", "needs a response: write it left of ~", 0),
    ("  ~ x", "needs a response", 2),
    ("y ~ x ~ z", "only one ~", 6),
    ("y ~", "Nothing after ~", 2),
    ("y ~ (x + z", "this '(' is never closed. Add a ')'", 4),
    ("y ~ x + z)", "this ')' has no matching '('", 9),
    ("y ~ log((x)", "never closed", 7),
    ("y ~ x + (1 || g", "never closed", 8),
    ("y ~ x +", "'+' needs a term after it", 6),
    ("y ~ x :", "':' needs a term after it", 6),
    ("y ~ (x + ) + z", "'+' needs a term after it", 7),
    ("y ~ x + * z", "Two operators in a row", 8),
    ("y ~ * x", "'*' needs a term before it", 4),
    ("y ~ x $ z", "can't read '$'", 6),
    ("y = x", "not '='", 2),
    ("y ~ 'x'", "no quotes", 4),
    ("y ~ x + `a b", "backtick ` is never closed", 8),
    ("y ~ x z", "next to each other", 6),
    ("y ~ x (1 | g)", "put +, * or : before '('", 6),
    ("y ~ x, z", "comma", 5),
    ("y ~ ()", "Empty parentheses", 4),
    ("(y ~ x)", "not inside parentheses", 3),
    ("y + z ~ x", "left of ~ must be one column", 2),
    ("y ~ y + x", "y is the response", 4),
    ("y ~ .", "'.' (all other columns)", 4),
    ("y ~ 2 + x", "number 2 can't be a term", 4),
    ("y ~ x:1", "number 1 can't be a term", 6),
    ("y ~ x^2", "x^2 in a formula is just x (R ignores the power of a single term): write "
                "I(x^2) for a power, or (a + b)^2 for interactions", 5),
    ("y ~ x (z)", "put +, * or : before '('", 6),
    ("y ~ foo(x)", "Unknown function foo(): a formula can use log(), log2()", 4),
    ("y ~ Log(x)", "did you mean log()?", 4),
    ("y ~ ns(x, 3)", "splines are not supported; poly(x, 3) gives a cubic", 4),
    ("y ~ log(x, 2)", "log() takes 1 argument here, but has 2", 4),
    ("y ~ I()", "I() takes 1 argument here, but has 0", 4),
    ("y ~ I(x:z)", "':' (interaction) can't be inside a function", 7),
    ("y ~ x + 1 | g", "needs its own parentheses: wrap it, as in (1 | g)", 10),
    ("y ~ x | g", "as in (x | g)", 6),
    ("y ~ x + ( | g)", "Nothing before the bar", 10),
    (
        "y ~ x + (1 | )",
        "(1 | ) needs a grouping variable after the bar, e.g. (1 | participant)",
        13,
    ),
    ("y ~ x + (1 || )", "needs a grouping variable", 14),
    ("y ~ x + (1 | (x | g))", "can't contain another one", 16),
    ("y ~ x + ((1 | g) | h)", "can't contain another one", 12),
    ("y ~ x + (1 | g | h)", "only one bar", 11),
    ("y ~ x + (0 | g)", "has no effects", 11),
    ("y ~ x + (1 | log(g))", "not log(g)", 13),
    ("y ~ x + (1 | 1)", "grouping variable (a column name)", 13),
    ("y ~ x + (1 | a + b)", "Only one grouping factor per term", 15),
    ("y ~ x:(1 | g)", "Add random-effect terms with +", 6),
    ("y ~ x - (1 | g)", "Add random-effect terms with +", 8),
    ("y ~ -x:z", "To remove an interaction", 4),
    ("y ~ log(x | g)", "can't be inside a function", 10),
    # the rest of lme4's formula language: what stays unsupported names itself
    ("y ~ ² + (1|g)", "'²' is a superscript, which R does not read as a power", 4),
    ("y ~ x² + (1|g)", "'²' is a superscript", 5),
    ("y ~ I(1e999 * x)", "The number 1e999 is too large", 6),
    ("y ~ log(1e999)", "The number 1e999 is too large", 8),
    ("y ~ scale(age, scale = )", "'=' needs a term after it", 21),
    ("y ~ scale(age, sd = FALSE)", "sd = ... is not one of its arguments in scale(): its "
                                    "arguments are x, center, scale", 20),
    ("y ~ scale(age, scale = 'no')", "scale(..., scale = ) takes TRUE, FALSE or a number", 23),
    ("y ~ scale(age, center = TRUE, center = FALSE)", "center = ... is given twice", 39),
    ("y ~ scale(scale = FALSE, age)", "Named arguments come last", 25),
    ("y ~ poly(x, 2.5)", "poly()'s degree must be a whole number", 12),
    ("y ~ poly(x, z)", "poly()'s degree must be a whole number", 12),
    ("y ~ poly(x, 2, raw = 1)", "poly(..., raw = ) takes TRUE or FALSE", 21),
    ("y ~ poly(x, 2, TRUE)", "poly() takes 2 arguments here, but has 3", 4),
    ("y ~ I(poly(x, 2)^2)", "poly() gives one column per level or power", 6),
    ('y ~ dummy(Sex, Male)', 'dummy() keeps one level given in quotes', 15),
    ('y ~ log(dummy(Sex, "Male"))', "dummy() must stand on its own", 8),
    ("y ~ x > 10", "Wrap this in I() to use it as a predictor: I(x > 10)", 6),
    ('y ~ Sex == "Male"', 'as.numeric(Sex == "Male") for a 0/1 column', 8),
    ("y ~ !x", "Wrap this in I()", 4),
    ("y ~ I(1 < x < 3)", "R can't chain comparisons", 12),
    ("y ~ I(x <-1)", "'<-' assigns in R", 8),
    ("y ~ I(x | z)", "lme4 reads every | as a random-effect bar", 8),
    ("y ~ x %o% z", "The operator %o% is not supported in a formula", 6),
    ("y ~ (a + b)^0", "must be a whole number", 12),
    ("y ~ (a + b)^x", "must be a whole number", 12),
    ("y ~ x + offset(z):a", "offset() can't be part of an interaction", 8),
    ("y ~ x + (offset(z) | g)", "offset() belongs in the fixed part", 9),
    ("y ~ I(offset(z))", "offset() must stand on its own", 6),
    ("y ~ pmin()", "pmin() takes at least 1 argument here, but has 0", 4),
    ("y ~ I(x == 'a)", "This quote ' is never closed", 11),
    ("y ~ TRUE", "TRUE or FALSE can't be a term", 4),
    ("y ~ x + (1 | factor(g))", "make the grouping column in the data first", 13),
]


@pytest.mark.parametrize(("formula", "fragment", "position"), ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(formula, fragment, position):
    with pytest.raises(FormulaError) as info:
        parse_formula(formula)
    assert fragment in str(info.value)
    assert info.value.position == position


def test_error_shows_formula_line_and_caret():
    with pytest.raises(FormulaError) as info:
        parse_formula("y ~ x + 1 | g")
    lines = str(info.value).splitlines()
    assert lines[-2] == "    y ~ x + 1 | g"
    assert lines[-1] == "    " + " " * 10 + "^"


def test_caret_stays_under_bad_character_in_multiline_formula():
    with pytest.raises(FormulaError) as info:
        parse_formula("y ~ x +\n\tz $ w")
    assert info.value.position == 11
    lines = str(info.value).splitlines()
    assert lines[-2] == "    y ~ x +  z $ w"
    assert lines[-1].index("^") == lines[-2].index("$")


def test_huge_formula_is_a_formula_error_not_a_crash():
    with pytest.raises(FormulaError, match="too long"):
        parse_formula("y ~ " + "(" * 5000 + "x" + ")" * 5000)
    with pytest.raises(FormulaError, match="too long or too deeply nested"):
        parse_formula("y ~ " + "(" * 2000 + "x" + ")" * 2000)


def test_formula_over_the_length_limit_is_refused_before_reading():
    text = "y ~ " + " + ".join(["x"] * 3000)
    with pytest.raises(FormulaError) as info:
        parse_formula(text)
    assert str(info.value) == ("The formula is too long: 12,001 characters, and lmm_core "
                               "reads formulas of up to 10,000. Shorten it.")


@pytest.mark.parametrize(("formula", "count"), [
    ("y ~ " + "*".join(f"v{i}" for i in range(22)) + " + (1 | g)", "4,194,303 terms"),
    ("y ~ x + (" + "*".join(f"v{i}" for i in range(12)) + " | g)", "4,095 terms"),
    ("y ~ (" + " + ".join(f"v{i}" for i in range(40)) + ")^3", "10,700 terms"),
    ("y ~ " + "*".join(f"v{i}" for i in range(60)), "about 10^18 terms"),
    ("y ~ " + "*".join(["v"] * 11), "up to 2,047 terms"),  # repeats: a bound, not a count
])
def test_expansion_is_bounded_before_it_happens(formula, count):
    """The count comes from the tree in linear time, before any term is made."""
    with pytest.raises(FormulaError, match="more than the 1,000 lmm_core allows") as info:
        parse_formula(formula)
    assert f"would make {count}" in str(info.value)


def test_names_are_checked_before_expanding():
    from lmm_core.errors import ColumnNotFoundError

    with pytest.raises(ColumnNotFoundError, match="Did you mean 'v1'"):
        parse_formula("y ~ V1*v2 + (1 | g)", columns=["y", "v1", "v2", "g"])
    parse_formula("y ~ cos(pi * x) + (1 | g)", columns=["y", "x", "g"])  # pi: R's constant


def test_a_formula_must_be_text():
    with pytest.raises(TypeError, match="The formula must be text such as"):
        parse_formula(5)


def test_tokenizer_reads_numbers_names_and_two_char_bar():
    tokens = tokenize("y~.5+1e-3*`a b`||x2")
    assert [(t.kind, t.text) for t in tokens] == [
        ("name", "y"),
        ("op", "~"),
        ("num", ".5"),
        ("op", "+"),
        ("num", "1e-3"),
        ("op", "*"),
        ("name", "a b"),
        ("op", "||"),
        ("name", "x2"),
        ("end", ""),
    ]


def test_names_may_hold_digits_of_any_script():
    """R reads letters and decimal digits of any script inside a name (UTF-8 locale), as the
    sandbox's make.names keeps them; a name still cannot start with a digit."""
    parsed = parse_formula("y ~ X\U00016a60 + x\u0663 + (1 | g)")
    assert parsed.fixed.terms == (("X\U00016a60",), ("x\u0663",))
