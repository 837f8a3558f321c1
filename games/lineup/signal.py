"""How visible a lineup's problem is, measured: the real panel's statistic among null panels.

A lineup works when the real panel stands out from data simulated from the fitted model. For
each problem, statistics of what the eye sees in a panel (the dots in each condition's column,
and the participants' lines) say how strongly it shows the problem (scale-free, computed on
every panel at once):

- outliers: the largest robust z of a value within its condition's column, and of a
  participant's mean;
- mixture: how well the participants' means split into two clusters (the best two-group
  split's share of their variance, as one-dimensional k-means with k = 2);
- unequal variances: a tight core with far-flung values: the SD over the robust SD (1.4826
  MAD) of the values within their condition's column, and of the participants' means (1 for
  normal data, larger for a mix of narrow and wide spreads).

The *signal* of a round is the real panel's upper-tail p-value among ``N_NULL`` panels
simulated from the fit, like the lineup's fakes: ``(1 + #{null >= real}) / (N_NULL + 1)``.
Where a problem has two statistics (either can give it away), each panel's smaller p-value is
compared with the nulls' in the same way. A small signal means the real panel is rarely
matched by a fake; at 0.01 it beats a lineup's 8 fakes about 92% of the time, at 0.05 about
66%. The game's levels are tuned with it (``benchmarks/lineup_signal.py`` reports it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["panel_statistic", "signal", "strength", "Signal", "N_NULL", "STATISTIC_WORDS"]

N_NULL = 999
STATISTIC_WORDS = {
    "outliers": "largest robust z of a value in its condition, or of a participant's mean",
    "mixture": "share of the participants' variance explained by the best split in two",
    "unequal_variances": "SD over robust SD (tight core, far-flung values) of the values "
                         "in their condition, or of the participants' means",
}


def _codes(data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    participant = pd.factorize(data["participant"], sort=True)[0]
    treated = (data["condition"] == "treatment").to_numpy(int)
    return participant, treated


def _group_means(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Means of the rows of ``values`` (rows x panels) by integer code: codes x panels."""
    onehot = np.equal.outer(np.arange(codes.max() + 1), codes).astype(float)
    return (onehot @ values) / onehot.sum(axis=1)[:, None]


def _robust_z(x: np.ndarray) -> np.ndarray:
    """max |x - median| / (1.4826 MAD), per column."""
    centre = np.median(x, axis=0)
    mad = 1.4826 * np.median(np.abs(x - centre), axis=0)
    return np.max(np.abs(x - centre), axis=0) / np.maximum(mad, 1e-12)


def _tail_ratio(x: np.ndarray) -> np.ndarray:
    """SD / (1.4826 MAD) per column: about 1 for normal data, more for a scale mixture."""
    mad = 1.4826 * np.median(np.abs(x - np.median(x, axis=0)), axis=0)
    return np.std(x, axis=0) / np.maximum(mad, 1e-12)


def _best_split(means: np.ndarray) -> np.ndarray:
    """Per column: the largest between-group share of variance over splits of the sorted
    values into a lower and an upper group of at least two each."""
    x = np.sort(means, axis=0)
    n = x.shape[0]
    total = np.sum((x - x.mean(axis=0)) ** 2, axis=0)
    csum = np.cumsum(x, axis=0)
    k = np.arange(1, n)[:, None]
    low_mean = csum[:-1] / k
    high_mean = (csum[-1] - csum[:-1]) / (n - k)
    between = k * (n - k) / n * (high_mean - low_mean) ** 2
    return np.max(between[1:-1], axis=0) / np.maximum(total, 1e-24)


def panel_statistic(problem: str, data: pd.DataFrame, values: np.ndarray) -> np.ndarray:
    """The problem's statistics (rows) for each column of ``values`` (rows of ``data``'s
    layout)."""
    values = np.asarray(values, float).reshape(len(data), -1)
    participant, treated = _codes(data)
    means = _group_means(values, participant)
    within = np.empty_like(values)  # each value minus its condition's median
    for level in (0, 1):
        rows = treated == level
        within[rows] = values[rows] - np.median(values[rows], axis=0)
    if problem == "outliers":
        return np.vstack([_robust_z(within), _robust_z(means)])
    if problem == "mixture":
        return _best_split(means)[None, :]
    if problem == "unequal_variances":
        return np.vstack([_tail_ratio(within), _tail_ratio(means)])
    raise ValueError(f"no statistic for problem {problem!r}")


def _upper_p(stats: np.ndarray) -> np.ndarray:
    """Each column's share of columns at least as large (itself included), per row."""
    n = stats.shape[1]
    ranked = np.sort(stats, axis=1)
    below = [np.searchsorted(r, s, side="left") for r, s in zip(ranked, stats, strict=True)]
    return (n - np.array(below)) / n


@dataclass(frozen=True)
class Signal:
    """How far the real panel stands out: ``p`` (its p-value among the nulls) and ``z`` (its
    largest statistic in SDs of the nulls' above their mean: continuous where p bottoms out
    at 1 / (N_NULL + 1))."""

    p: float
    z: float


def strength(stats: np.ndarray) -> Signal:
    """The Signal of column 0 of ``stats`` (statistics x panels) against the other columns."""
    p = _upper_p(stats)
    combined = -(p.min(axis=0) + 1e-6 * p.max(axis=0))  # larger = more extreme; ties broken
    nulls = stats[:, 1:]
    z = (stats[:, 0] - nulls.mean(axis=1)) / np.maximum(nulls.std(axis=1, ddof=1), 1e-12)
    return Signal(p=float((1 + np.sum(combined[1:] >= combined[0])) / stats.shape[1]),
                  z=float(z.max()))


def signal(problem: str, data: pd.DataFrame, fit, rng) -> Signal:
    """The real panel's Signal among N_NULL panels simulated from ``fit`` (see module)."""
    nulls = np.asarray(fit.simulate(N_NULL, rng=rng), float)
    return strength(panel_statistic(problem, data, np.column_stack([data["value"], nulls])))
