"""Judging bootstraps: which of the shown bootstraps is too narrow, or which can be trusted.

Whether a bootstrap's interval is about right depends on the level at which the effect
varies (see studies.DESIGNS):

- slope (between people): resampling rows keeps the same people, too narrow; resampling
  participants and the parametric bootstrap are about right;
- within (measured within people, who do not differ in it): all three are about right;
- crossed (between words, every participant reads every word): resampling rows and resampling
  participants both keep the same words, too narrow; only the parametric bootstrap, which
  simulates new words too, is about right.

A round shows two or three of the bootstraps and asks either "which is too narrow?" or "which
can you trust?"; :func:`combos` lists the (shown, ask) pairs that have exactly one right
answer ("none of them" included), so the answer has to be reasoned from the design.
"""

from __future__ import annotations

from ..base import Option, Question

__all__ = ["VERDICTS", "KIND_WORDS", "KINDS", "combos", "solution", "question", "verdict",
           "WHY"]

KINDS = ("case", "cluster", "parametric")
KIND_WORDS = {
    "case": "Resampling rows",
    "cluster": "Resampling participants",
    "parametric": "Parametric bootstrap",
}
VERDICTS = {
    "slope": {"case": "narrow", "cluster": "right", "parametric": "right"},
    "within": {"case": "right", "cluster": "right", "parametric": "right"},
    "crossed": {"case": "narrow", "cluster": "narrow", "parametric": "right"},
}
ASKS = ("narrow", "trust")
SHOWN = (("case", "cluster", "parametric"), ("case", "cluster"), ("case", "parametric"),
         ("cluster", "parametric"))

WHY = {
    "slope": {
        "case": "Resampling rows keeps the same people and only reshuffles their "
                "measurements, so it misses how much the average slope would change with "
                "other people: its interval is far too narrow.",
        "cluster": "Resampling participants draws whole people with all their measurements, "
                   "so every bootstrap study has other people, as a real replication would: "
                   "about right.",
        "parametric": "The parametric bootstrap simulates new people and new noise from the "
                      "fitted model, so it includes how people differ: about right.",
    },
    "within": {
        "case": "Resampling rows keeps the same participants and reshuffles their trials. "
                "Here that is harmless: the effect is measured within each person and people "
                "do not differ in it, so every trial is an independent piece of information "
                "about it: about right.",
        "cluster": "Resampling participants draws whole people: about right (with few "
                   "people it runs a little narrow).",
        "parametric": "The parametric bootstrap simulates new participants and trials from "
                      "the fitted model, which fits these data: about right.",
    },
    "crossed": {
        "case": "Resampling rows treats every reading as independent and keeps the same "
                "participants *and* the same words: far too narrow.",
        "cluster": "Resampling participants draws other people, but always the same words. "
                   "The frequency effect is a difference between words, and other words "
                   "would give another difference: too narrow.",
        "parametric": "The parametric bootstrap simulates new participants *and* new words "
                      "from the fitted model's (1 | participant) + (1 | item): about right.",
    },
}

# (ask, verdict of the chosen kind) -> code, for a chosen kind that is wrong
_CHOSE = {
    ("narrow", "right"): {"case": "row_resampling_always_overconfident",
                          "cluster": "blamed_participant_resampling",
                          "parametric": "blamed_parametric_bootstrap"},
    ("trust", "narrow"): {"case": "trusted_row_resampling",
                          "cluster": "ignored_item_sampling"},
}
# (ask, the right kind) -> code, for choosing "none" when one kind was the answer
_MISSED = {
    ("narrow", "case"): "case_bootstrap_overconfident",
    ("narrow", "cluster"): "ignored_item_sampling",
    ("trust", "cluster"): "blamed_participant_resampling",
    ("trust", "parametric"): "blamed_parametric_bootstrap",
}


def solution(design: str, shown, ask: str) -> str | None:
    """The one right answer (a kind or "none"), or None when the pair has no single answer."""
    wanted = "narrow" if ask == "narrow" else "right"
    hits = [k for k in shown if VERDICTS[design][k] == wanted]
    if len(hits) > 1:
        return None
    return hits[0] if hits else "none"


def combos(design: str, shown_sets=SHOWN, asks=ASKS) -> list[tuple[tuple[str, ...], str]]:
    """The (shown kinds, ask) pairs of a design that have exactly one right answer."""
    return [(tuple(s), a) for s in shown_sets for a in asks if solution(design, s, a)]


def question(context: dict) -> Question:
    shown, ask, n = context["shown"], context["ask"], context["n_people"]
    people, n_obs = context["people"], context["n_obs"]
    words = {
        "case": f"draw {n_obs} measurements with replacement from the {n_obs}",
        "cluster": f"draw {n} {people} with replacement, each with all their measurements",
        "parametric": f"simulate new {people}"
                      + (" and new words" if context["design"] == "crossed" else "")
                      + " and new measurements from the fitted model",
    }
    options = [Option(k, f"{KIND_WORDS[k]}: {words[k]}") for k in shown]
    none = ("None of them: all are about right" if ask == "narrow"
            else "None of them: " + ("both are" if len(shown) == 2 else "all are") + " too "
                 "narrow")
    options.append(Option("none", none))
    text = (f"Which bootstrap gives a 95% interval for the {context['effect']} that is too "
            "narrow (overconfident)?" if ask == "narrow" else
            f"Which bootstrap gives a 95% interval for the {context['effect']} that you can "
            "trust?")
    return Question("kind", text, options=tuple(options))


def verdict(context: dict, right: str, chosen: str) -> tuple[str, str | None]:
    """(feedback, misconception code) for a pick; code None when right."""
    design, ask, shown = context["design"], context["ask"], context["shown"]
    why = WHY[design]
    if chosen == right:
        if right == "none":
            return ("Right: " + " ".join(why[k] for k in shown), None)
        return ("Right. " + why[right], None)
    if chosen == "none":
        code = _MISSED[(ask, right)]
        return (f"One of them is {'too narrow' if ask == 'narrow' else 'about right'}. "
                + why[right], code)
    code = _CHOSE[(ask, VERDICTS[design][chosen])][chosen]
    tail = (" " + why[right]) if right != "none" else (
        " None of the shown intervals " + ("is too narrow here." if ask == "narrow"
                                           else "can be trusted here."))
    return (why[chosen] + tail, code)
