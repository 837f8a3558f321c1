"""optimize_theta: lme4's optimizer settings, a first step for warm starts, never raising."""

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


def test_lbfgsb_ignores_initial_step():
    opt = optimize_theta(bowl, np.array([1.0, 1.0]), np.zeros(2), "optimx.L-BFGS-B",
                         initial_step=np.array([0.1, 0.1]))
    np.testing.assert_allclose(opt.theta, [0.8, 2.0], atol=1e-4)


def test_every_all_fit_optimizer_finds_a_bounded_minimum():
    """A minimum on the bound (x[1] = 0) and one inside, from lme4's kind of start."""
    def tilted(x):
        return float((x[0] - 0.8) ** 2 + (x[1] + 0.3) ** 2 + 0.5 * x[0] * x[1])

    for name in optimize.ALL_FIT:
        opt = optimize_theta(tilted, np.ones(2), np.zeros(2), name)
        assert opt.converged and opt.code == 0 and opt.warning is None, name
        np.testing.assert_allclose(opt.theta, [0.8, 0.0], atol=2e-3, err_msg=name)


def test_nloptwrap_keeps_nloptrs_relative_tolerance(monkeypatch):
    """nloptr sets xtol_rel = 1e-4 unless told otherwise, and lme4 does not tell it; lme4's
    nloptwrap adds xtol_abs = ftol_abs = 1e-8 and maxeval = 1e5."""
    settings = {}

    class Recorded(nlopt.opt):
        def __getattribute__(self, name):
            attr = super().__getattribute__(name)
            if name.startswith("set_") and name != "set_min_objective":
                return lambda value: (settings.__setitem__(name[4:], value), attr(value))
            return attr

    monkeypatch.setattr(optimize.nlopt, "opt", Recorded)
    optimize_theta(bowl, np.ones(2), np.zeros(2))
    assert settings["xtol_rel"] == 1e-4 and settings["xtol_abs"] == 1e-8
    assert settings["ftol_abs"] == 1e-8 and settings["maxeval"] == 100_000
    assert "ftol_rel" not in settings and "initial_step" not in settings


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
    assert not opt.converged and opt.code == -4
    assert opt.warning.startswith("convergence code -4 from nloptwrap: NLOPT_ROUNDOFF_LIMITED")
    assert opt.fmin == bowl(opt.theta)


def test_maximum_evaluations_give_lme4s_codes(monkeypatch):
    monkeypatch.setattr(optimize, "MAXFUN", 10)
    codes = {name: optimize_theta(bowl, np.array([3.0, 0.1]), np.zeros(2), name)
             for name in ("nloptwrap", "bobyqa", "Nelder_Mead")}
    assert {n: o.code for n, o in codes.items()} == {"nloptwrap": 5, "bobyqa": 1,
                                                     "Nelder_Mead": 4}
    assert codes["Nelder_Mead"].warning == ("convergence code 4 from Nelder_Mead: failure to "
                                            "converge in 10 evaluations")
    assert not any(o.converged for o in codes.values())


def test_restart_edge_runs_again_when_the_deviance_falls_inside_the_bound(monkeypatch):
    """lme4's optimizeLmer(restart_edge = TRUE): a run that stops on a bound is repeated from
    there if the deviance is lower 1e-5 inside; a true boundary optimum is left alone."""
    calls = []

    def stalls_first(fun, x0, lower, **kwargs):
        calls.append(np.array(x0))
        x = np.array([0.8, 0.0]) if len(calls) == 1 else np.array([0.8, 0.5])
        return optimize.Stop(x, fun(x), 10, 0, "xtol reached")

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


def test_check_boundary_moves_a_parameter_just_off_its_bound_onto_it(monkeypatch):
    """lme4's check.boundary: 5e-6 above the bound, and the bound is better: move there."""
    def stops_near(fun, x0, lower, **kwargs):
        x = np.array([0.8, 5e-6])
        return optimize.Stop(x, fun(x), 10, 0, "xtol reached")

    monkeypatch.setitem(optimize.OPTIMIZERS, "near", stops_near)
    opt = optimize_theta(lambda x: (x[0] - 0.8) ** 2 + (x[1] + 0.5) ** 2, np.ones(2),
                         np.zeros(2), "near")
    assert opt.theta.tolist() == [0.8, 0.0] and opt.fmin == 0.25
    opt = optimize_theta(lambda x: (x[0] - 0.8) ** 2 + (x[1] - 0.5) ** 2, np.ones(2),
                         np.zeros(2), "near")
    assert opt.theta.tolist() == [0.8, 5e-6]
