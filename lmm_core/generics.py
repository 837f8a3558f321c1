"""The generic functions behind LmerFit's convenience methods (fit.summary(), fit.confint()...).

The fit is stage 4 of lmer(); summaries, tests, intervals, simulation and predictions are a
layer above it, and part of that layer refits models. As with R's S3 generics (summary() and
summary.merMod) and Julia's StatsAPI, the fit calls a generic and the layer registers its
implementation for LmerFit (methods.py, which the package imports), so the fit needs none of
that layer at import time and no import runs in a circle.
"""

from __future__ import annotations

from functools import singledispatch

__all__ = ["summary", "add_ddf", "confint", "simulate", "predict"]


def _generic(name: str):
    def unregistered(fit, *args, **kwargs):
        raise TypeError(f"{name}() has no method for {type(fit).__name__}: import lmm_core, "
                        "which registers them (lmm_core/methods.py).")

    unregistered.__name__ = unregistered.__qualname__ = name
    return singledispatch(unregistered)


summary = _generic("summary")
add_ddf = _generic("add_ddf")
confint = _generic("confint")
simulate = _generic("simulate")
predict = _generic("predict")
