#!/usr/bin/env python3
"""SciPy baseline for the grid tuner (bench/tune.bench.js spawns it; it can also run alone).

The same problem as `tuneSync` (docs/tuning.md): the grid of N steps for k-diffusion's euler, heun
or dpmpp_2m on the edm model, levels 80 = σ_0 > σ_1 > … > σ_{N−1} > σ_min = 0.002, σ_N = 0, start
80·z, minimising the exact W2² to N(0, diag λ) — the same monotone parametrisation (N logits,
softmax shares of the log-σ range, the last share the slack above σ_min), the same objective
log J, J = Σ_λ w (√v − √λ)² over the distinct eigenvalues (w: multiplicities), the same three
starts (karras, exponential, kl_optimal with the same floor on the shares); minimised by
scipy.optimize.minimize with Nelder–Mead and with Powell (default options), the best start kept.
The per-eigenvalue recursions are written here from k_diffusion/sampling.py (sample_euler,
sample_heun, sample_dpmpp_2m) with the exact denoiser D(x) = λ/(λ + σ²) x (docs/MATH-samplers.md
§5.1, §5.2, §5.9), vectorised over the eigenvalues with NumPy.

Usage: /usr/bin/python3 bench/scipy_tune.py DATA.npy [--steps 10] [--samplers euler,heun,dpmpp_2m]
       [--methods Nelder-Mead,Powell]
Prints one JSON object: versions, and per sampler and method the W2 reached, the grid, the
objective evaluations, the wall and CPU seconds (np.load excluded).
"""
import json
import platform
import sys
import time

import numpy as np
import scipy
from scipy.optimize import minimize

SIGMA_MIN, SIGMA_MAX = 0.002, 80.0
MIN_SHARE = 0.1  # bindings/tune/tune.ts MIN_SHARE: each share at least MIN_SHARE / N


def variances(sampler, sig, lam):
    """Output variance per eigenvalue for the start N(0, σ_0²)."""
    f = np.ones_like(lam)
    g = np.zeros_like(lam)
    K = len(sig) - 1
    for i in range(K):
        s, s1 = sig[i], sig[i + 1]
        c = lam / (lam + s * s)
        if sampler == 'euler':
            f = f * (1 + (s1 - s) * (1 - c) / s)
        elif sampler == 'heun':
            d = (1 - c) / s
            if s1 == 0:
                f = f * (1 + (s1 - s) * d)
            else:
                x2 = 1 + (s1 - s) * d
                c1 = lam / (lam + s1 * s1)
                d2 = (1 - c1) / s1 * x2
                f = f * (1 + (s1 - s) * (d + d2) / 2)
        elif sampler == 'dpmpp_2m':
            den = c * f
            if s1 == 0:
                fn = den  # σ'/σ = 0, −expm1(−h) = 1
            else:
                h = np.log(s) - np.log(s1)
                if i == 0:
                    fn = (s1 / s) * f - np.expm1(-h) * den
                else:
                    h_last = np.log(sig[i - 1]) - np.log(s)
                    r = h_last / h
                    dd = (1 + 1 / (2 * r)) * den - (1 / (2 * r)) * g
                    fn = (s1 / s) * f - np.expm1(-h) * dd
            g = den
            f = fn
        else:
            raise ValueError(sampler)
    return f * f * sig[0] * sig[0]


def objective_sum(sampler, sig, lam, w):
    v = variances(sampler, sig, lam)
    d = v - lam
    with np.errstate(invalid='ignore', divide='ignore'):
        q = np.where(d == 0, 0.0, d / (np.sqrt(v) + np.sqrt(lam)))
    return float(np.sum(w * q * q))


def grid_of(z, N):
    u_max, u_min = np.log(SIGMA_MAX), np.log(SIGMA_MIN)
    p = np.exp(z - np.max(z))
    p /= p.sum()
    c = np.cumsum(p)[: N - 1]
    return np.concatenate([[SIGMA_MAX], np.exp(u_max - (u_max - u_min) * c), [0.0]])


def logits_of(grid):
    N = len(grid) - 1
    u_max, u_min = np.log(SIGMA_MAX), np.log(SIGMA_MIN)
    u = np.concatenate([[u_max], np.clip(np.log(grid[1:N]), u_min, u_max), [u_min]])
    p = np.maximum((u[:-1] - u[1:]) / (u_max - u_min), MIN_SHARE / N)
    return np.log(p / p.sum())


def named(name, N):
    if name == 'karras':
        rho = 7.0
        ramp = np.linspace(0, 1, N)
        s = (SIGMA_MAX ** (1 / rho) + ramp * (SIGMA_MIN ** (1 / rho) - SIGMA_MAX ** (1 / rho))) ** rho
    elif name == 'exponential':
        s = np.exp(np.linspace(np.log(SIGMA_MAX), np.log(SIGMA_MIN), N))
    elif name == 'kl_optimal':
        r = np.arange(N) / (N - 1)
        s = np.tan(r * np.arctan(SIGMA_MIN) + (1 - r) * np.arctan(SIGMA_MAX))
    else:
        raise ValueError(name)
    return np.concatenate([s, [0.0]])


def main():
    args = sys.argv[1:]
    path = args[0]
    opts = dict(zip(args[1::2], args[2::2]))
    N = int(opts.get('--steps', '10'))
    samplers = opts.get('--samplers', 'euler,heun,dpmpp_2m').split(',')
    methods = opts.get('--methods', 'Nelder-Mead,Powell').split(',')
    raw = np.clip(np.load(path).astype(np.float64), 0, None)
    lam, w = np.unique(raw, return_counts=True)
    w = w.astype(np.float64)
    out = {'python': platform.python_version(), 'numpy': np.__version__, 'scipy': scipy.__version__,
           'steps': N, 'distinct': int(lam.size), 'results': []}
    for sampler in samplers:
        baselines = {name: float(np.sqrt(objective_sum(sampler, named(name, N), lam, w))) for name in ['karras', 'exponential', 'kl_optimal']}
        for method in methods:
            nfev = [0]

            def f(z):
                nfev[0] += 1
                J = objective_sum(sampler, grid_of(z, N), lam, w)
                return np.log(J) if J > 0 and np.isfinite(J) else np.inf

            t0 = time.perf_counter()
            c0 = time.process_time()
            best = None
            for name in ['karras', 'exponential', 'kl_optimal']:
                r = minimize(f, logits_of(named(name, N)), method=method)
                if best is None or r.fun < best[0].fun:
                    best = (r, name)
            wall = time.perf_counter() - t0
            cpu = time.process_time() - c0
            grid = grid_of(best[0].x, N)
            out['results'].append({
                'sampler': sampler, 'method': method, 'w2': float(np.sqrt(np.exp(best[0].fun))), 'from': best[1],
                'grid': grid.tolist(), 'evaluations': nfev[0], 'seconds': wall, 'cpu': cpu, 'baselines': baselines,
            })
    json.dump(out, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
