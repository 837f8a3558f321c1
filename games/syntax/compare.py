"""Compare two lme4 formulas by meaning, never by text (re-exported by logic.py).

Both formulas go through ``lmm_core.parse_formula``, which already applies R's and lme4's
rules: ``1 +`` is implied, ``a*b`` is ``a + b + a:b``, ``(x || g)`` is ``(1 | g) + (0 + x | g)``
and ``(1 | a/b)`` is ``(1 | a) + (1 | a:b)``. What is left to compare is a :class:`Meaning`:
the response, the fixed intercept flag, the set of fixed terms (each a set of variables, so
``b:a`` is ``a:b``) and the multiset of random terms (grouping variables as a set, whether the
term has an intercept, and its set of slope terms).

:func:`differences` explains in words what differs, from the learner's side ("your formula
has no random slope for `days` by `subject`"); :func:`misconception` names the most basic of
those differences with a code. ``same_model(a, b)`` holds exactly when ``differences(a, b)``
is empty.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import lmm_core
from lmm_core.formula import tokenize
from lmm_core.terms import Formula

__all__ = ["Meaning", "Difference", "meaning", "same_model", "compare", "differences",
           "misconception", "CODES", "INTERCEPT"]

INTERCEPT = "(Intercept)"
# Misconception codes, most basic first: misconception() reports the first one found.
CODES = (
    "wrong_response",
    "random_effect_in_fixed_part",
    "nested_vs_crossed",
    "grouped_by_predictor",
    "missing_grouping_factor",
    "extra_grouping_factor",
    "slope_without_intercept",
    "forgot_random_slope",
    "unneeded_random_slope",
    "added_random_intercept",
    "duplicated_random_effect",
    "correlated_vs_uncorrelated",
    "missing_fixed_effect",
    "extra_fixed_effect",
    "fixed_intercept",
    "other_random_structure",
)
Group = frozenset  # grouping variables of a random term: {"school", "class"} for school:class
Block = frozenset  # what one random term lets vary: {"(Intercept)", "days"}


@dataclass(frozen=True)
class Meaning:
    """What a formula says, with every notational choice removed."""

    response: str
    intercept: bool
    fixed: frozenset  # of frozensets of variable labels
    random: tuple  # of (Group, Block), sorted: a multiset
    order: tuple  # variable labels in order of first appearance (for messages only)

    def blocks(self) -> dict[Group, list[Block]]:
        out: dict[Group, list[Block]] = {}
        for group, block in self.random:
            out.setdefault(group, []).append(block)
        return out

    def key(self) -> tuple:
        return (self.response, self.intercept, self.fixed, Counter(self.random))


@dataclass(frozen=True)
class Difference:
    code: str
    text: str


def _term(labels) -> str:
    return ":".join(labels)


def meaning(formula: Formula | str) -> Meaning:
    """The :class:`Meaning` of a parsed formula or of formula text (parsed here)."""
    if isinstance(formula, str):
        formula = lmm_core.parse_formula(formula)
    spoken = [t.text for t in tokenize(formula.text) if t.kind == "name"]
    order = list(dict.fromkeys([*spoken, formula.response, *formula.variables,
                                *formula.grouping_variables]))
    fixed = frozenset(frozenset(t) for t in formula.fixed.terms)
    random = []
    for term in formula.random:
        block = {_term(sorted(t, key=order.index)) for t in term.effects.terms}
        if term.effects.intercept:
            block.add(INTERCEPT)
        random.append((frozenset(term.group), frozenset(block)))
    random.sort(key=lambda r: (sorted(r[0]), sorted(r[1])))
    return Meaning(formula.response, formula.fixed.intercept, fixed, tuple(random),
                   tuple(order))


def same_model(a: Formula | str, b: Formula | str) -> bool:
    """Whether two formulas specify the same model, however each is written."""
    return meaning(a).key() == meaning(b).key()


def differences(yours: Formula | str, target: Formula | str) -> list[str]:
    """What differs between ``yours`` and ``target``, in plain words from your side; empty
    exactly when they are the same model."""
    return [d.text for d in compare(yours, target)]


def misconception(yours: Formula | str, target: Formula | str) -> str | None:
    """The code of the most basic difference (see CODES), or None for the same model."""
    found = {d.code for d in compare(yours, target)}
    return next((c for c in CODES if c in found), None)


def compare(yours: Formula | str, target: Formula | str) -> list[Difference]:
    """Every difference, ordered by CODES (most basic first)."""
    you, want = meaning(yours), meaning(target)
    names = _Names(want.order + you.order)
    found = _fixed(you, want, names)
    found += _random(you, want, names)
    if not found and you.key() != want.key():  # a safety net: never call different models equal
        found.append(Difference("other_random_structure",
                                "Your random part is arranged differently from what the "
                                "design needs."))
    return sorted(found, key=lambda d: CODES.index(d.code))


class _Names:
    """Code-formatted names, with the variables of an interaction in a stable order."""

    def __init__(self, order):
        self.order = list(dict.fromkeys(order))

    def group(self, group: Group) -> str:
        return f"`{_term(sorted(group, key=self._rank))}`"

    def _rank(self, name: str) -> int:
        return self.order.index(name) if name in self.order else len(self.order)

    def term(self, term) -> str:
        return f"`{_term(sorted(term, key=self._rank))}`"


def _fixed(you: Meaning, want: Meaning, names: _Names) -> list[Difference]:
    out = []
    if you.response != want.response:
        out.append(Difference(
            "wrong_response", f"Your outcome (left of ~) is `{you.response}`, but the outcome "
                              f"of this study is `{want.response}`."))
    grouping = {v for group, _ in want.random + you.random for v in group}
    for term in sorted(you.fixed - want.fixed, key=sorted):
        if term & grouping:
            name = names.term(term)
            out.append(Difference(
                "random_effect_in_fixed_part",
                f"You put the grouping variable {name} in the fixed part: that estimates a "
                f"separate fixed coefficient for every level of {name}, as lm() would. A "
                f"grouping variable belongs after the bar, as in `(1 | {_term(sorted(term))})`."))
        else:
            out.append(Difference(
                "extra_fixed_effect", f"Your fixed part adds {names.term(term)}, which the "
                                      "design does not ask for."))
    for term in sorted(want.fixed - you.fixed, key=sorted):
        name = names.term(term)
        out.append(Difference(
            "missing_fixed_effect",
            f"Your fixed part has no {name}: the model would assume that {name} has no effect "
            f"on average (random slopes alone only let {name}'s effect vary around zero)."))
    if you.intercept != want.intercept:
        text = ("You removed the fixed intercept (with `0 +` or `- 1`), which forces the "
                "average line through zero." if want.intercept else
                "The design has no fixed intercept here, but yours has one.")
        out.append(Difference("fixed_intercept", text))
    return out


def _random(you: Meaning, want: Meaning, names: _Names) -> list[Difference]:
    mine, theirs = you.blocks(), want.blocks()
    out, done_mine, done_theirs = _nesting(mine, theirs, names)
    predictors = {v for term in want.fixed | you.fixed for v in term}
    for group in [g for g in theirs if g not in mine and g not in done_theirs]:
        out.append(Difference(
            "missing_grouping_factor",
            f"Your formula has no random effects for {names.group(group)}, but in this "
            f"design they differ too: they need a term of their own, such as "
            f"`(1 | {names.group(group)[1:-1]})`."))
    for group in [g for g in mine if g not in theirs and g not in done_mine]:
        if group & predictors and not group & {v for g in theirs for v in g}:
            out.append(Difference(
                "grouped_by_predictor",
                f"You grouped by {names.group(group)}, a predictor. Random effects group the "
                "units that were sampled and measured repeatedly (after the bar), such as "
                + " or ".join(names.group(g) for g in theirs) + "."))
        else:
            out.append(Difference(
                "extra_grouping_factor",
                f"Your formula adds random effects for {names.group(group)}, which the design "
                "does not have."))
    for group in [g for g in theirs if g in mine]:
        out += _same_group(mine[group], theirs[group], names.group(group), names)
    return out


def _nesting(mine, theirs, names: _Names):
    """Nested written as crossed, or crossed written as nested."""
    out, done_mine, done_theirs = [], set(), set()
    for pair in [g for g in theirs if len(g) == 2 and g not in mine]:  # the design nests
        for inner in pair:
            outer = next(iter(pair - {inner}))
            if Group({outer}) in theirs and Group({inner}) in mine and Group({inner}) not in theirs:
                out.append(Difference(
                    "nested_vs_crossed",
                    f"You treated `{inner}` as crossed with `{outer}` (`(1 | {inner})` on its "
                    f"own), but {names.group(Group({inner}))} is nested in `{outer}`: the same "
                    f"label means a different `{inner}` in every `{outer}`. Write "
                    f"`(1 | {outer}/{inner})`, that is `(1 | {outer}) + (1 | {outer}:{inner})`."))
                done_mine.add(Group({inner}))
                done_theirs.add(pair)
                break
    for pair in [g for g in mine if len(g) == 2 and g not in theirs]:  # you nested
        for inner in pair:
            outer = next(iter(pair - {inner}))
            if (Group({inner}) in theirs and Group({inner}) not in mine
                    and Group({outer}) in theirs and Group({outer}) in mine):
                out.append(Difference(
                    "nested_vs_crossed",
                    f"You nested `{inner}` in `{outer}` (`(1 | {outer}/{inner})`, that is a "
                    f"term for `{outer}:{inner}`), but the design is crossed: each `{inner}` "
                    f"is the same `{inner}` in every `{outer}`, so it needs its own "
                    f"`(1 | {inner})`."))
                done_mine.add(pair)
                done_theirs.add(Group({inner}))
                break
    return out, done_mine, done_theirs


def _same_group(mine: list[Block], theirs: list[Block], group: str, names: _Names):
    out = []
    have = Counter(label for block in mine for label in block)
    need = Counter(label for block in theirs for label in block)
    slopes_have = {s for s in have if s != INTERCEPT}
    slopes_need = {s for s in need if s != INTERCEPT}
    bare = group[1:-1]
    if INTERCEPT in need and INTERCEPT not in have:
        out.append(Difference(
            "slope_without_intercept",
            f"Your formula has no random intercept for {group}: `(0 + ... | {bare})` makes "
            f"every {group} start from the same level, but they differ in their starting "
            "level too."))
    if INTERCEPT in have and INTERCEPT not in need:
        out.append(Difference(
            "added_random_intercept",
            f"You gave each {group} its own intercept, but the design says they all start "
            f"from the same level: leave the intercept out with `(0 + ... | {bare})`."))
    for slope in sorted(slopes_need - slopes_have):
        out.append(Difference(
            "forgot_random_slope",
            f"Your formula has no random slope for `{slope}` by {group}: it assumes that "
            f"`{slope}` has the same effect for every {group}, but the effect differs."))
    for slope in sorted(slopes_have - slopes_need):
        out.append(Difference(
            "unneeded_random_slope",
            f"You added a random slope for `{slope}` by {group}, but the design says `{slope}`"
            f" has the same effect for every {group}."))
    slope = min(slopes_need | slopes_have, default="x")
    twice = sorted(label for label, n in have.items() if n > max(need.get(label, 0), 1))
    if twice:
        what = " and ".join("its intercept" if label == INTERCEPT else f"its `{label}` slope"
                            for label in twice)
        out.append(Difference(
            "duplicated_random_effect",
            f"{group} gets {what} more than once (in {len(mine)} separate terms): lme4 "
            "would estimate variances that cannot be told apart. For an intercept and a "
            f"slope without a correlation, write `(1 | {bare}) + (0 + {slope} | {bare})`, or "
            f"`({slope} || {bare})`."))
    if not out and Counter(mine) != Counter(theirs):
        out.append(_correlation(mine, theirs, group, slope))
    return out


def _correlation(mine: list[Block], theirs: list[Block], group: str, slope: str) -> Difference:
    joined_you = max(len(b) for b in mine) > max(len(b) for b in theirs)
    bare = group[1:-1]
    if joined_you:
        text = (f"Your formula estimates a correlation between the random effects of {group} "
                f"(they share one term, like `({slope} | {bare})`), but the design treats them "
                f"as unrelated: write them in separate terms, like `({slope} || {bare})`.")
    else:
        text = (f"Your formula estimates no correlation between the random effects of {group} "
                f"(separate terms, or `||`), but the design asks for one: put them in one "
                f"term, like `({slope} | {bare})`.")
    return Difference("correlated_vs_uncorrelated", text)
