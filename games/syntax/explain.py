"""Read a formula aloud, part by part, and spell it out with nothing implied.

Both work on the parsed meaning (compare.meaning), so ``(days || subject)`` is read as the two
terms it stands for, and ``(1 | school/class)`` as a school term plus a school:class term.
"""

from __future__ import annotations

from .compare import INTERCEPT, Meaning, meaning

__all__ = ["spell_out", "read_aloud", "random_text"]


def _rank(m: Meaning):
    return lambda name: m.order.index(name) if name in m.order else len(m.order)


def _group_text(m: Meaning, group) -> str:
    return ":".join(sorted(group, key=_rank(m)))


def _slopes(m: Meaning, block) -> list[str]:
    return sorted((s for s in block if s != INTERCEPT), key=_rank(m))


def random_text(m: Meaning, group, block) -> str:
    """One random term written out: ``(1 + days | subject)``, ``(0 + days | subject)``."""
    parts = ["1" if INTERCEPT in block else "0", *_slopes(m, block)]
    return f"({' + '.join(parts)} | {_group_text(m, group)})"


def _groups_in_order(m: Meaning) -> list:
    groups = list(dict.fromkeys(g for g, _ in m.random))
    return sorted(groups, key=lambda g: (len(g), min(_rank(m)(v) for v in g)))


def spell_out(formula) -> str:
    """The formula with every implied part written: ``y ~ 1 + x + (1 + x | g)``."""
    m = formula if isinstance(formula, Meaning) else meaning(formula)
    fixed = ["1" if m.intercept else "0"]
    fixed += [":".join(sorted(t, key=_rank(m)))
              for t in sorted(m.fixed, key=lambda t: (len(t), sorted(map(_rank(m), t))))]
    blocks = m.blocks()
    random = [random_text(m, g, b) for g in _groups_in_order(m) for b in
              sorted(blocks[g], key=lambda b: (INTERCEPT not in b, len(b)))]
    return f"{m.response} ~ " + " + ".join(fixed + random)


def read_aloud(formula) -> list[str]:
    """What each part of the formula says, one markdown line per part."""
    m = formula if isinstance(formula, Meaning) else meaning(formula)
    grouping = {v for g, _ in m.random for v in g}
    lines = [f"`{m.response}`: the outcome, left of the `~`."]
    fixed = []
    if m.intercept:
        fixed.append("`1`: the average level when every predictor is 0 (the `1 +` is there "
                     "even when you do not write it)")
    else:
        fixed.append("`0`: no fixed intercept, so the average line is forced through 0")
    for term in sorted(m.fixed, key=lambda t: (len(t), sorted(map(_rank(m), t)))):
        name = ":".join(sorted(term, key=_rank(m)))
        if term & grouping:
            fixed.append(f"`{name}`: a separate fixed coefficient for every `{name}`, as lm() "
                         "would estimate")
        elif len(term) > 1:
            fixed.append(f"`{name}`: how the effect of one of these changes with the other "
                         "(their interaction)")
        else:
            fixed.append(f"`{name}`: the average effect of `{name}`")
    lines.append("Fixed part, one average line for everybody: " + "; ".join(fixed) + ".")
    blocks = m.blocks()
    for group in _groups_in_order(m):
        lines.append(_read_group(m, group, blocks[group]))
    for group in [g for g in blocks if len(g) == 2]:
        outer = [v for v in group if frozenset({v}) in blocks]
        if outer:
            inner = next(v for v in group if v != outer[0])
            lines.append(f"Together, `(1 | {outer[0]})` and `(1 | {_group_text(m, group)})` "
                         f"are what `(1 | {outer[0]}/{inner})` means: `{inner}` nested in "
                         f"`{outer[0]}`.")
    return lines


def _read_group(m: Meaning, group, blocks: list) -> str:
    who = _group_text(m, group)
    each = (f"every `{who}` combination (each `{group_inner(m, group)}` within each "
            f"`{group_outer(m, group)}`)") if len(group) > 1 else f"every `{who}`"
    if len(blocks) == 2 and {frozenset({INTERCEPT})} == {b for b in blocks if INTERCEPT in b} \
            and all(len(b) == 1 for b in blocks):
        slope = _slopes(m, next(b for b in blocks if INTERCEPT not in b))[0]
        terms = " + ".join(random_text(m, group, b) for b in
                           sorted(blocks, key=lambda b: INTERCEPT not in b))
        return (f"`{terms}` (lme4's shorthand: `({slope} || {who})`): {each} gets its own "
                f"intercept and its own `{slope}` slope, with *no* correlation estimated "
                "between them.")
    if len(blocks) > 1:
        texts = " + ".join(random_text(m, group, b) for b in blocks)
        return (f"`{texts}`: {len(blocks)} separate terms for `{who}`; a random effect that "
                "appears in more than one of them is estimated twice, and the two variances "
                "cannot be told apart.")
    block = blocks[0]
    term, slopes = random_text(m, group, block), _slopes(m, block)
    named = " and ".join(f"`{s}`" for s in slopes)
    if not slopes:
        return (f"`{term}`: {each} gets its own intercept, so its line is shifted up or down, "
                "parallel to the average line.")
    if INTERCEPT not in block:
        return (f"`{term}`: {each} gets its own slope for {named} but *no* own intercept, so "
                "all their lines start from the same point where the predictor is 0.")
    return (f"`{term}`: {each} gets its own intercept and its own slope for {named}, and the "
            "model estimates the correlation between them.")


def group_outer(m: Meaning, group) -> str:
    return sorted(group, key=_rank(m))[0]


def group_inner(m: Meaning, group) -> str:
    return sorted(group, key=_rank(m))[-1]
