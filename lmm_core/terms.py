"""Kept so that ``from lmm_core.terms import Formula, Name, ...`` goes on working: the
parsed formula's types live in lmm_core/formula/terms.py."""

from .formula.terms import *  # noqa: F403
from .formula.terms import __all__  # noqa: F401
