#!/usr/bin/env python3
"""NumPy baseline for the paper grid (bench/engine.bench.js spawns it; it can also run alone).

The authors' way of computing the ablation tables (docs/MATH.md §4–5): NumPy arrays over *all* the
eigenvalues (no grouping of equal values), a Python loop over the steps, one run per cell
(scheme × ε × NFE × start), W2 = sqrt(Σ (√v − √λ)²).  Paper mode: K = NFE − 1 steps for every
scheme but RK4 (K = NFE // 4 − 1), plus the continuous columns (docs/MATH.md §2) for the SDE and the ODE.

Usage: python3 bench/baseline_numpy.py DATA.npy [--eps 0,1e-5,1e-4,1e-3] [--repeats R] [--grouped] [--inplace]
--grouped: run over the distinct eigenvalues weighted by multiplicity (np.unique, timed) instead
of all of them; not the authors' way, reported only to show what grouping alone buys NumPy.
--inplace: the step loop with preallocated buffers and in-place ufuncs (run_cell_inplace): what
hand-tuning buys NumPy; information only, like --grouped.
Prints one JSON object on stdout: versions, per-repeat wall and CPU seconds of the whole (sub)grid, and the
cells of the last repeat ({scheme, eps, nfe, steps, init, w2}; w2 null where the sum is not
finite, e.g. Heun/RK4 at ε = 0 on a singular spectrum, where 1/λ_t divides by zero).
Timing a subset of ε values is exact to extrapolate: every ε has the same steps per cell.
"""
import json
import platform
import sys
import time

import numpy as np

BETA_MIN, BETA_MAX, T = 0.05, 10.0, 1.0
SCHEMES = ['em', 'ei', 'ddpm', 'euler', 'heun', 'rk4']
NFES = [50, 250, 500, 1000]
EPSS = [0.0, 1e-5, 1e-4, 1e-3]
EVALS = {'em': 1, 'ei': 1, 'ddpm': 1, 'euler': 1, 'heun': 2, 'rk4': 4}


def beta(t):
    return BETA_MIN + (BETA_MAX - BETA_MIN) * t / T


def big_b(t):
    return BETA_MIN * t + (BETA_MAX - BETA_MIN) * t * t / (2 * T)


def marginal(lam, t):
    """λ_t = e^{−2B_t} λ + 1 − e^{−2B_t} (docs/MATH.md §1); 1 − e^{−x} through expm1."""
    return np.exp(-2 * big_b(t)) * lam - np.expm1(-2 * big_b(t))


def steps_for(scheme, nfe):
    return nfe // 4 - 1 if EVALS[scheme] == 4 else nfe - 1


def w2sq(v, lam, w=None):
    d2 = (np.sqrt(v) - np.sqrt(lam)) ** 2
    return float(np.sum(d2 if w is None else w * d2))


def run_cell(lam, scheme, K, eps, v0):
    """v_K of one scheme (docs/MATH.md §4 table), K steps from T down to eps, start variance v0."""
    h = (T - eps) / K
    v = np.array(v0, dtype=np.float64) * np.ones_like(lam)
    for k in range(K):
        t = T - (T - eps) * k / K
        t1 = T - (T - eps) * (k + 1) / K
        bk = beta(t)
        lk = marginal(lam, t)
        if scheme == 'em':
            a = 1 + h * bk * (1 - 2 / lk)
            v = a * a * v + 2 * h * bk
        elif scheme == 'ei':
            g1 = np.expm1(big_b(t) - big_b(t1))
            g2 = np.expm1(2 * (big_b(t) - big_b(t1))) / 2
            a = 1 + g1 * (1 - 2 / lk)
            v = a * a * v + 2 * g2
        elif scheme == 'ddpm':
            b = 2 * h * bk
            a = (1 - b / lk) / np.sqrt(1 - b)
            v = a * a * v + b
        elif scheme == 'euler':
            a = 1 + h * bk * (1 - 1 / lk)
            v = a * a * v
        elif scheme == 'heun':
            c0 = bk * (1 - 1 / lk)
            c1 = beta(t1) * (1 - 1 / marginal(lam, t1))
            a = 1 + (h / 2) * c0 + (h / 2) * c1 * (1 + h * c0)
            v = a * a * v
        elif scheme == 'rk4':
            tm = t - h / 2
            c0 = bk * (1 - 1 / lk)
            cm = beta(tm) * (1 - 1 / marginal(lam, tm))
            c1 = beta(t1) * (1 - 1 / marginal(lam, t1))
            C2 = cm * (1 + h * c0 / 2)
            C3 = cm * (1 + h * C2 / 2)
            C4 = c1 * (1 + h * C3)
            a = 1 + (h / 6) * (c0 + 2 * C2 + 2 * C3 + C4)
            v = a * a * v
    return v


def run_cell_inplace(lam, scheme, K, eps, v0):
    """run_cell written the way a NumPy expert would: preallocated buffers, in-place ufuncs
    (out=), coefficients folded into scalars, c(t_{k+1}) kept for the next step. Same numbers
    to round-off; no temporaries, hence no page faults (see bench/RESULTS.md)."""
    h = (T - eps) / K
    n = lam.size
    v = np.empty(n)
    v[...] = v0
    a, lk, c0, c1, cm, C2, C3 = (np.empty(n) for _ in range(7))

    def drift(t, out):  # c(t) = β_t (1 − 1/λ_t) into out
        np.multiply(lam, np.exp(-2 * big_b(t)), out=out)
        out -= np.expm1(-2 * big_b(t))
        np.divide(-beta(t), out, out=out)
        out += beta(t)

    if scheme in ('heun', 'rk4'):
        drift(T, c0)
    for k in range(K):
        t = T - (T - eps) * k / K
        t1 = T - (T - eps) * (k + 1) / K
        bk = beta(t)
        if scheme in ('em', 'ei', 'ddpm', 'euler'):
            np.multiply(lam, np.exp(-2 * big_b(t)), out=lk)
            lk -= np.expm1(-2 * big_b(t))  # λ_k
            if scheme == 'em':
                P, Q, q = 1 + h * bk, -2 * h * bk, 2 * h * bk
            elif scheme == 'ei':
                g1 = np.expm1(big_b(t) - big_b(t1))
                P, Q, q = 1 + g1, -2 * g1, np.expm1(2 * (big_b(t) - big_b(t1)))
            elif scheme == 'ddpm':
                b = 2 * h * bk
                s = 1 / np.sqrt(1 - b)
                P, Q, q = s, -b * s, b
            else:
                P, Q, q = 1 + h * bk, -h * bk, 0.0
            np.divide(Q, lk, out=a)
            a += P
            a *= a
            v *= a
            if q:
                v += q
            continue
        drift(t1, c1)
        if scheme == 'heun':
            # a = 1 + (h/2)(c0 + c1 (1 + h c0))
            np.multiply(c0, h, out=a)
            a += 1
            a *= c1
            a += c0
            a *= h / 2
            a += 1
        else:
            drift(t - h / 2, cm)
            np.multiply(c0, h / 2, out=C2)
            C2 += 1
            C2 *= cm
            np.multiply(C2, h / 2, out=C3)
            C3 += 1
            C3 *= cm
            np.multiply(C3, h, out=a)
            a += 1
            a *= c1  # C4
            C2 += C3
            C2 *= 2
            a += C2
            a += c0
            a *= h / 6
            a += 1
        a *= a
        v *= a
        c0, c1 = c1, c0
    return v


def continuous_v(lam, eps, alpha, standard_start):
    """docs/MATH.md §2 at t = eps, written λ_t + e^{−2α(B_T−B_t)} (λ_t/λ_T)^{1+α} (v_T − λ_T)."""
    lt = marginal(lam, eps)
    lT = marginal(lam, T)
    gap = np.exp(-2 * big_b(T)) * (1 - lam) if standard_start else 0.0
    return lt + np.exp(-2 * alpha * (big_b(T) - big_b(eps))) * (lt / lT) ** (1 + alpha) * gap


def distance(s):
    return float(np.sqrt(s)) if np.isfinite(s) and s >= 0 else None


def grid(lam, epss, w=None, inplace=False):
    cell = run_cell_inplace if inplace else run_cell
    cells, cont = [], []
    with np.errstate(divide='ignore', invalid='ignore', over='ignore'):
        for scheme in SCHEMES:
            for eps in epss:
                for nfe in NFES:
                    K = steps_for(scheme, nfe)
                    for init in ('pT', 'N0'):
                        v0 = marginal(lam, T) if init == 'pT' else 1.0
                        v = cell(lam, scheme, K, eps, v0)
                        cells.append({'scheme': scheme, 'eps': eps, 'nfe': nfe, 'steps': K, 'init': init,
                                      'w2': distance(w2sq(v, lam, w))})
        for kind, alpha in (('sde', 1.0), ('ode', 0.0)):
            for eps in epss:
                for init in ('pT', 'N0'):
                    v = continuous_v(lam, eps, alpha, init == 'N0')
                    cont.append({'scheme': kind, 'eps': eps, 'init': init, 'w2': distance(w2sq(v, lam, w))})
    return cells, cont


def main(argv):
    path = argv[1]
    epss = EPSS
    repeats = 1
    grouped = False
    inplace = False
    i = 2
    while i < len(argv):
        if argv[i] == '--eps':
            epss = [float(x) for x in argv[i + 1].split(',')]
            i += 2
        elif argv[i] == '--inplace':
            inplace = True
            i += 1
        elif argv[i] == '--grouped':
            grouped = True
            i += 1
        elif argv[i] == '--repeats':
            repeats = int(argv[i + 1])
            i += 2
        else:
            raise SystemExit(f'unknown argument {argv[i]!r}')
    raw = np.load(path).astype(np.float64).ravel()
    # The same clamping as prepareSpectrum: −0 and round-off negatives become 0.
    if np.any(raw < -1e-12 * raw.max()):
        raise SystemExit('negative eigenvalue beyond round-off')
    lam = np.where(raw <= 0, 0.0, raw)
    seconds, cpu = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        c0 = time.process_time()
        if grouped:
            values, counts = np.unique(lam, return_counts=True)
            cells, cont = grid(values, epss, counts.astype(np.float64), inplace)
        else:
            cells, cont = grid(lam, epss, None, inplace)
        cpu.append(time.process_time() - c0)
        seconds.append(time.perf_counter() - t0)
    json.dump({
        'numpy': np.__version__, 'python': platform.python_version(),
        'n': int(lam.size), 'grouped': grouped, 'inplace': inplace, 'eps': epss, 'repeats': repeats,
        'seconds': seconds, 'cpu_seconds': cpu,
        'cells': cells, 'continuous': cont,
    }, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main(sys.argv)
