#!/usr/bin/env python3
"""Independent reference values for gaussdiff (writes test/reference/fixtures.json).

Written from the formulas of docs/MATH.md (Pierret & Galerne, ICML 2025, Table 3 / Appendix F and the
authors' slides for the alpha-family), NOT ported from the library's AssemblyScript core:

(a) discrete schemes (docs/MATH.md section 4): the per-eigenvalue variance recursion v <- a_k^2 v + q_k,
    vectorised over the eigenvalues with numpy in extended precision (np.longdouble: 64-bit
    mantissa, so the reference's own rounding, ~K * 1e-19, is negligible against the tests'
    1e-12), rounded to float64 only when written out; one Python loop iteration per step, the
    coefficients a_k, q_k typed in directly from the table (no precomputed step tables, no SIMD,
    no grouping of equal eigenvalues: repeated eigenvalues are simply computed again);
(b) the continuous alpha-family (docs/MATH.md section 2) WITHOUT its closed form: the variance ODE in
    reverse time tau = T - t,
        dv/dtau = 2 beta_t (1 - (1 + alpha) / lambda_t) v + 2 alpha beta_t,
    integrated numerically with scipy's implicit Radau method (rtol 1e-12; the equation is stiff
    where lambda_t is tiny), one scalar solve per eigenvalue and truncation time. The only
    exception is an eigenvalue 0 at eps = 0, where lambda_eps = 0 makes the right-hand side
    singular at the endpoint; there the ratio u = v / lambda_t, which obeys
        du/dtau = 2 alpha beta_t (1 - u) / lambda_t    (derived from the v equation and
                                                       dlambda_t/dt = 2 beta_t (1 - lambda_t)),
    is integrated up to t = 1e-12 to show it stays bounded, so v(0) = u * lambda_0 = 0.
    Every integrated value is also recomputed in the u variable (explicit DOP853 where the
    problem is not stiff, Radau otherwise) and the largest relative disagreement between the two
    integrations is recorded in the fixture file as `continuousAgreement`.

Distances (docs/MATH.md sections 3 and 5) use the commuting formula
    W2^2 = sum_i (sqrt a_i - sqrt b_i)^2, with sqrt a - sqrt b computed as (a - b)/(sqrt a + sqrt b),
and are reported as null when infinite or undefined (a division by lambda_t = 0).

Run from the repository root:  python3 test/reference/reference.py
Needs numpy and scipy (checked with numpy 2.4, scipy 1.17).
"""

import json
import math
import os
import sys

import numpy as np
from scipy.integrate import solve_ivp

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- schedule (docs/MATH.md section 1)
class Schedule:
    """Linear schedule. Every quantity is computed in the dtype of its arguments: the discrete
    recursions pass numpy extended precision (np.longdouble, 64-bit mantissa on x86-64), so the
    fixtures carry float64 values whose own rounding error is far below the test tolerances."""

    def __init__(self, betaMin, betaMax, T):
        self.bmin, self.bmax, self.T = betaMin, betaMax, T

    def beta(self, t):
        return self.bmin + (self.bmax - self.bmin) * t / self.T

    def B(self, t):
        return self.bmin * t + (self.bmax - self.bmin) * t * t / (2 * self.T)

    def dB(self, t_hi, t_lo):
        """B(t_hi) - B(t_lo) = integral of beta over [t_lo, t_hi], without cancellation."""
        return (t_hi - t_lo) * (self.bmin + (self.bmax - self.bmin) * (t_hi + t_lo) / (2 * self.T))

    def lam(self, lam0, t):
        """Eigenvalues of Sigma_t: e^{-2B_t} lambda + (1 - e^{-2B_t}), both terms >= 0."""
        x = -2 * self.B(t)
        return np.exp(x) * lam0 - np.expm1(x)

    def c(self, lam0, t):
        """Probability-flow drift coefficient c(t) = beta_t (1 - 1/lambda_t)."""
        return self.beta(t) * (1 - 1 / self.lam(lam0, t))

    def as_dict(self):
        return {"betaMin": self.bmin, "betaMax": self.bmax, "T": self.T}


# ---------------------------------------------------------------- distances (docs/MATH.md section 3)
def sqrt_diff(a, b):
    a = np.asarray(a)
    b = np.asarray(b)
    with np.errstate(all="ignore"):
        den = np.sqrt(a) + np.sqrt(b)
        d = np.where(den > 0, (a - b) / np.where(den > 0, den, 1), 0.0)
    return d


def w2(a, b):
    with np.errstate(all="ignore"):
        s = float(np.sum(sqrt_diff(a, b) ** 2))
    return math.sqrt(s) if math.isfinite(s) else None


def finite_or_none(x):
    x = float(x)
    return x if math.isfinite(x) else None


# ---------------------------------------------------------------- schemes (docs/MATH.md section 4)
def coefficients(scheme, alpha, sch, lam0, tk, tk1, h):
    """(a_k, q_k) for one step from t_k down to t_{k+1}, arrays over the eigenvalues."""
    lk = sch.lam(lam0, tk)
    bk = sch.beta(tk)
    if scheme == "em":
        return 1 + h * bk * (1 - 2 / lk), np.full_like(lam0, 2 * h * bk)
    if scheme == "em-alpha":
        return 1 + h * bk * (1 - (1 + alpha) / lk), np.full_like(lam0, 2 * alpha * h * bk)
    if scheme == "ei":
        g1 = np.expm1(sch.dB(tk, tk1))  # e^{B_{t_k} - B_{t_{k+1}}} - 1
        g2 = np.expm1(2 * sch.dB(tk, tk1)) / 2
        return 1 + g1 * (1 - 2 / lk), np.full_like(lam0, 2 * g2)
    if scheme == "ddpm":
        b = 2 * h * bk
        assert b < 1
        return (1 - b / lk) / np.sqrt(1 - b), np.full_like(lam0, b)
    zero = np.zeros_like(lam0)
    if scheme == "euler":
        return 1 + h * sch.c(lam0, tk), zero
    if scheme == "heun":
        c0 = sch.c(lam0, tk)
        c1 = sch.c(lam0, tk1)
        return 1 + (h / 2) * c0 + (h / 2) * c1 * (1 + h * c0), zero
    if scheme == "rk4":
        tm = tk - h / 2
        C1 = sch.c(lam0, tk)
        C2 = sch.c(lam0, tm) * (1 + h * C1 / 2)
        C3 = sch.c(lam0, tm) * (1 + h * C2 / 2)
        C4 = sch.c(lam0, tk1) * (1 + h * C3)
        return 1 + (h / 6) * (C1 + 2 * C2 + 2 * C3 + C4), zero
    raise ValueError(scheme)


def ddpm_valid(sch, K, eps):
    h = (sch.T - eps) / K
    return max(2 * h * sch.beta(sch.T - (sch.T - eps) * k / K) for k in range(K)) < 1


LD = np.longdouble


def run_scheme(spectrum, scheme, K, eps, sch, alpha=1.0):
    """Both starts, in extended precision; returns float64 grid times and results."""
    lam0 = np.asarray(spectrum, dtype=LD)
    T, eps_, alpha = LD(sch.T), LD(eps), LD(alpha)
    times = [T - (T - eps_) * k / K for k in range(K + 1)]
    h = (T - eps_) / K
    out = {}
    with np.errstate(all="ignore"):
        for init in ("pT", "N0"):
            v = sch.lam(lam0, T) if init == "pT" else np.ones_like(lam0)
            traj = [w2(v, sch.lam(lam0, times[0]))]
            for k in range(K):
                a, q = coefficients(scheme, alpha, sch, lam0, times[k], times[k + 1], h)
                v = a * a * v + q
                traj.append(w2(v, sch.lam(lam0, times[k + 1])))
            out[init] = {
                "w2": w2(v, lam0),
                "trajectory": traj,
                "variances": [finite_or_none(x) for x in v],
            }
    return [float(t) for t in times], out


# ---------------------------------------------------------------- continuous alpha-family (docs/MATH.md section 2)
def integrate_v(lam0, alpha, vT, eps, sch):
    """v(eps) from the variance ODE in reverse time, implicit Radau, rtol 1e-12."""

    def rhs(tau, y):
        t = sch.T - tau
        return [2 * sch.beta(t) * (1 - (1 + alpha) / sch.lam(lam0, t)) * y[0] + 2 * alpha * sch.beta(t)]

    def jac(tau, y):
        t = sch.T - tau
        return [[2 * sch.beta(t) * (1 - (1 + alpha) / sch.lam(lam0, t))]]

    sol = solve_ivp(rhs, (0.0, sch.T - eps), [vT], method="Radau", jac=jac, rtol=1e-12, atol=1e-300)
    assert sol.success, sol.message
    return float(sol.y[0, -1])


def integrate_u(lam0, alpha, vT, eps, sch, method):
    """u(eps) = v/lambda_t from du/dtau = 2 alpha beta (1 - u) / lambda_t."""

    def rhs(tau, y):
        t = sch.T - tau
        return [2 * alpha * sch.beta(t) * (1 - y[0]) / sch.lam(lam0, t)]

    kw = {"jac": lambda tau, y: [[-2 * alpha * sch.beta(sch.T - tau) / sch.lam(lam0, sch.T - tau)]]} if method == "Radau" else {}
    sol = solve_ivp(rhs, (0.0, sch.T - eps), [vT / sch.lam(lam0, sch.T)], method=method, rtol=1e-12, atol=1e-300, **kw)
    assert sol.success, sol.message
    return float(sol.y[0, -1])


agreement = [0.0]


def continuous_variances(spectrum, alpha, eps, sch):
    res = {}
    for init in ("pT", "N0"):
        vs = []
        for lam0 in spectrum:
            vT = sch.lam(lam0, sch.T) if init == "pT" else 1.0
            if sch.lam(lam0, eps) == 0:
                # lambda = 0 at eps = 0: singular endpoint (see the module docstring).
                u = integrate_u(lam0, alpha, vT, 1e-12, sch, "Radau")
                assert 0 <= u < 10, u
                vs.append(0.0)
                continue
            v = integrate_v(lam0, alpha, vT, eps, sch)
            # Cross-check in the other variable where explicit integration is affordable.
            if min(sch.lam(lam0, eps), sch.lam(lam0, sch.T)) > 1e-3 or alpha == 0:
                v2 = integrate_u(lam0, alpha, vT, eps, sch, "DOP853") * sch.lam(lam0, eps)
            else:
                v2 = integrate_u(lam0, alpha, vT, eps, sch, "Radau") * sch.lam(lam0, eps)
            agreement[0] = max(agreement[0], abs(v - v2) / abs(v2))
            vs.append(v)
        res[init] = vs
    return res


# ---------------------------------------------------------------- fixture set
SPECTRA = {
    # zeros, a repeated value, a tiny and a large eigenvalue, -0 (clamped to 0 by the library)
    "edge": [0.0, 1e-8, 0.5, 1.0, 1.0, 1.0, 2.5, 1e3, -0.0],
    "bounded": [0.3, 1.7, 4.0, 40.0],
    "tiny": [1e-8, 1e-6, 1e-4, 1e-2],
    "unit": [1.0],
}
SCHEDULES = {
    "paper": Schedule(0.05, 10.0, 1.0),
    "song": Schedule(0.1, 20.0, 1.0),
    "gentle": Schedule(0.01, 5.0, 1.0),
    "T2": Schedule(0.05, 10.0, 2.0),
    "Thalf": Schedule(0.05, 10.0, 0.5),
}
VARIANTS = [("em", None), ("ei", None), ("ddpm", None), ("em-alpha", 0.0), ("em-alpha", 0.5),
            ("em-alpha", 2.0), ("euler", None), ("heun", None), ("rk4", None)]


def trajectory_indices(K, full):
    """Every grid time for K <= 7 and for the `full` cases; otherwise (to keep the file small)
    every K/10-th grid time and the last three."""
    if K <= 7 or full:
        return list(range(K + 1))
    return sorted(set(list(range(0, K + 1, K // 10)) + list(range(K - 2, K + 1))))


def discrete_cases():
    plan = []
    for sname in SCHEDULES:
        for K in (1, 2, 7, 100):
            for eps in (0.0, 1e-3):
                plan.append(("edge", sname, K, eps))
    for spec in ("bounded", "tiny", "unit"):
        for K in (1, 7, 100):
            for eps in (0.0, 1e-3, 0.1):
                plan.append((spec, "paper", K, eps))
    for spec in ("edge", "bounded"):
        for sname in ("paper", "song", "T2"):
            for eps in (0.0, 1e-3):
                plan.append((spec, sname, 1000, eps))
    cases = []
    for spec, sname, K, eps in plan:
        sch = SCHEDULES[sname]
        for scheme, alpha in VARIANTS:
            case = {"spectrum": spec, "schedule": sname, "scheme": scheme, "steps": K, "eps": eps}
            if alpha is not None:
                case["alpha"] = alpha
            if scheme == "ddpm" and not ddpm_valid(sch, K, eps):
                case["throws"] = "RangeError"
                cases.append(case)
                continue
            times, out = run_scheme(SPECTRA[spec], scheme, K, eps, sch, 1.0 if alpha is None else alpha)
            idx = trajectory_indices(K, K == 100 and spec == "edge" and sname == "paper")
            case["times"] = [times[i] for i in idx]
            case["trajectoryIndex"] = idx
            for init in ("pT", "N0"):
                case[init] = {
                    "w2": out[init]["w2"],
                    "trajectory": [out[init]["trajectory"][i] for i in idx],
                    "variances": out[init]["variances"],
                }
            cases.append(case)
    return cases


def continuous_cases():
    cases = []
    plan = []
    for spec in ("edge", "bounded", "tiny", "unit"):
        for alpha in (0.0, 0.5, 1.0, 2.0):
            plan.append((spec, "paper", alpha, (0.0, 1e-5, 1e-3, 0.1, 0.5)))
    for sname in ("song", "gentle", "T2", "Thalf"):
        for alpha in (0.0, 1.0):
            plan.append(("edge", sname, alpha, (0.0, 1e-3)))
            plan.append(("bounded", sname, alpha, (0.0, 1e-3)))
    for spec, sname, alpha, epss in plan:
        sch = SCHEDULES[sname]
        for eps in epss:
            if eps >= sch.T:
                continue
            vs = continuous_variances(SPECTRA[spec], alpha, eps, sch)
            lam0 = np.asarray(SPECTRA[spec], dtype=np.float64)
            case = {"spectrum": spec, "schedule": sname, "alpha": alpha, "eps": eps}
            for init in ("pT", "N0"):
                case[init] = {"w2": w2(vs[init], lam0), "variances": vs[init]}
            cases.append(case)
    return cases


def main():
    fixtures = {
        "generator": "test/reference/reference.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__,
                     "scipy": __import__("scipy").__version__},
        "spectra": SPECTRA,
        "schedules": {k: s.as_dict() for k, s in SCHEDULES.items()},
        "discrete": discrete_cases(),
        "continuous": continuous_cases(),
    }
    fixtures["continuousAgreement"] = agreement[0]
    path = os.path.join(HERE, "fixtures.json")
    with open(path, "w") as f:
        json.dump(fixtures, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"wrote {path}: {len(fixtures['discrete'])} discrete, {len(fixtures['continuous'])} continuous cases;"
          f" Radau vs u-form agreement {agreement[0]:.2e}")


if __name__ == "__main__":
    main()
