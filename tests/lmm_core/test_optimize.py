"""optimize_theta: lme4's BOBYQA settings, a first step for warm starts, never raising."""

from __future__ import annotations

import nlopt
import numpy as np

from lmm_core import optimize
from lmm_core.optimize import optimize_theta


def bowl(x: np.ndarray) -> float:
    return float((x[0] - 0.8) ** 2 + (x[1] - 2.0) ** 2 + 3.0)


def test_initial_step_is_bobyqas_first_move():
    """BOBYQA's first points are x0 +- the step along each coordinate (default 0.75 |x0|)."""
    start, lower = np.array([0.82, 1.95]), np.zeros(2)
    for step in (None, np.array([0.05, 0.1])):
        seen = []

        def recorded(x, seen=seen):
            seen.append(x.copy())
            return bowl(x)

        opt = optimize_theta(recorded, start, lower, initial_step=step)
        assert opt.converged and opt.fmin == 3.0
        np.testing.assert_allclose(opt.theta, [0.8, 2.0], atol=1e-6)
        moves = np.abs(np.array(seen[1:3]) - start).max(axis=0)
        np.testing.assert_allclose(moves, 0.75 * start if step is None else step)


def test_scipy_optimizers_ignore_initial_step():
    opt = optimize_theta(bowl, np.array([1.0, 1.0]), np.zeros(2), "lbfgsb",
                         initial_step=np.array([0.1, 0.1]))
    np.testing.assert_allclose(opt.theta, [0.8, 2.0], atol=1e-4)


def test_roundoff_limited_keeps_the_best_point(monkeypatch):
    """nlopt raises RoundoffLimited without its point; lme4's nloptwrap reports code -4 and
    keeps the point. optimize_theta never raises on non-convergence."""

    class Roundoff(nlopt.opt):
        def set_min_objective(self, f):
            self.f = f
            super().set_min_objective(f)

        def optimize(self, x0):
            for x in (x0, x0 + 0.5, np.array([0.75, 2.0]), x0 - 0.1):
                self.f(np.asarray(x, float), None)
            raise nlopt.RoundoffLimited("roundoff")

    monkeypatch.setattr(optimize.nlopt, "opt", Roundoff)
    opt = optimize_theta(bowl, np.array([1.0, 1.0]), np.zeros(2))
    np.testing.assert_array_equal(opt.theta, [0.75, 2.0])
    assert not opt.converged and opt.message == "roundoff limited"
    assert opt.fmin == bowl(opt.theta)


def test_restart_edge_runs_again_when_the_deviance_falls_inside_the_bound(monkeypatch):
    """lme4's optimizeLmer(restart_edge = TRUE): a run that stops on a bound is repeated from
    there if the deviance is lower 1e-5 inside; a true boundary optimum is left alone."""
    calls = []

    def stalls_first(fun, x0, lower, **kwargs):
        calls.append(np.array(x0))
        x = np.array([0.8, 0.0]) if len(calls) == 1 else np.array([0.8, 0.5])
        return x, fun(x), 10, True, "xtol_abs reached"

    monkeypatch.setitem(optimize.OPTIMIZERS, "stalls", stalls_first)
    opt = optimize_theta(lambda x: (x[0] - 0.8) ** 2 + (x[1] - 0.5) ** 2, np.ones(2),
                         np.zeros(2), "stalls")
    assert len(calls) == 2 and calls[1].tolist() == [0.8, 0.0]
    assert opt.theta.tolist() == [0.8, 0.5] and opt.feval == 20 and opt.fmin == 0.0
    calls.clear()
    opt = optimize_theta(lambda x: (x[0] - 0.8) ** 2 + (x[1] + 0.5) ** 2, np.ones(2),
                         np.zeros(2), "stalls")
    assert len(calls) == 1 and opt.theta.tolist() == [0.8, 0.0]
    calls.clear()
    optimize_theta(lambda x: (x[0] - 0.8) ** 2 + (x[1] - 0.5) ** 2, np.ones(2), np.zeros(2),
                   "stalls", restart_edge=False)
    assert len(calls) == 1
