"""LmerFit's convenience methods: the inference layer's functions registered for the generics
the fit calls (generics.py). The package imports this module, so every fit has them."""

from __future__ import annotations

from . import generics
from .confint import confint
from .prediction import predict
from .results import LmerFit
from .satterthwaite import add_ddf
from .simulate import simulate
from .summary import summarize

generics.summary.register(LmerFit, summarize)
generics.add_ddf.register(LmerFit, add_ddf)
generics.confint.register(LmerFit, confint)
generics.simulate.register(LmerFit, simulate)
generics.predict.register(LmerFit, predict)
