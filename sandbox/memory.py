"""What the learner typed, kept per dataset: the sandbox's formula memory.

Works on any mutable mapping (the page passes ``st.session_state``; tests pass a dict), under
the keys "sandbox.formula" (the text in the formula box), "sandbox.family" (the dataset family
the box belongs to), "sandbox.formulas" (family -> its last text) and "sandbox.history"
(family -> recent formulas, newest first). Nothing the learner typed is dropped: switching
data parks the text under its family, and replacing it (the walkthrough, "back to the
starting formula", an earlier formula) puts it in the history first.
"""

from __future__ import annotations

from collections.abc import MutableMapping

__all__ = ["HISTORY", "init", "remember", "set_formula", "sync_formula", "history"]

HISTORY = 8
BOX, FAMILY, FORMULAS, RECENT = ("sandbox.formula", "sandbox.family", "sandbox.formulas",
                                 "sandbox.history")


def init(state: MutableMapping) -> None:
    state.setdefault(FORMULAS, {})
    state.setdefault(RECENT, {})


def remember(state: MutableMapping, family: str, formula: str) -> None:
    """Put formula at the front of this family's history (no duplicates, a few at most)."""
    formula = str(formula or "").strip()
    if not formula:
        return
    recent = state[RECENT].setdefault(family, [])
    if formula in recent:
        recent.remove(formula)
    recent.insert(0, formula)
    del recent[HISTORY:]


def set_formula(state: MutableMapping, family: str, formula: str) -> None:
    """Put formula in the box for this family; what the box (or the family) held goes to the
    history, and another family's text is parked under that family."""
    active = state.get(FAMILY)
    if active is not None and active != family:
        state[FORMULAS][active] = state.get(BOX, "")
    remember(state, family, state.get(BOX, "") if active == family
             else state[FORMULAS].get(family, ""))
    state[FORMULAS][family] = formula
    state[BOX] = formula
    state[FAMILY] = family


def sync_formula(state: MutableMapping, family: str, suggestion: str) -> None:
    """Before the box is drawn: show this family's formula, the one last typed for it, else
    the suggestion; the text of the family shown before is parked under it."""
    active = state.get(FAMILY)
    if active != family:
        if active is not None:
            state[FORMULAS][active] = state.get(BOX, "")
        state[BOX] = state[FORMULAS].get(family, suggestion)
        state[FAMILY] = family
    state.setdefault(BOX, suggestion)
    state[FORMULAS][family] = state[BOX]


def history(state: MutableMapping, family: str, current: str) -> list[str]:
    """This family's earlier formulas, newest first, without the one in the box."""
    return [f for f in state[RECENT].get(family, []) if f != current.strip()]
