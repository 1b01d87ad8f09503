#!/usr/bin/python3
"""
The baseline of bench/compare.bench.js: `gaussdiff compare` written the lean NumPy way — the same
exact recursions (docs/MATH-samplers.md §1, §5.1, §5.2, §5.8, §5.9, §5.10: k-diffusion's samplers
on a Gaussian N(0, diag λ), the denoiser D(x; σ) = λ/(λ + σ²) x), NumPy arrays over the
eigenvalues, a Python loop over the steps, one run per cell (sampler × grid builder × steps).

Samplers (k-diffusion defaults): euler, heun, dpmpp_2m (state m = 1, 1, 2), dpmpp_sde (eta = 1,
r = 1/2, its two noises of a step increments of one Brownian path), dpmpp_2m_sde (eta = 1,
midpoint; m = 2). Grids: karras (ρ = 7) and exponential on [0.002, 80], then 0 (torch.linspace's
formula). Start: the conventional one, x_0 = σ_0 z. W2² = Σ (√v − √λ)², in the stable form
(v − λ)² / (√v + √λ)².

  /usr/bin/python3 bench/numpy_compare.py DATA.npy [--grouped] [--steps 10,20,50,100,200]
      [--samplers …] [--schedulers karras,exponential] [--repeats N]

--grouped runs over np.unique's values weighted by their counts (what grouping buys NumPy;
information). Prints JSON: {"cells": [{sampler, scheduler, steps, w2}], "seconds": [...],
"cpu_seconds": [...]} — the compute alone (after np.load), per repeat.
"""
import json
import math
import sys
import time

import numpy as np

SIGMA_MIN, SIGMA_MAX, RHO = 0.002, 80.0, 7.0


def torch_linspace(a, b, n):
    """torch.linspace's CPU formula: the first half from a, the second half from b."""
    if n == 1:
        return [a]
    step = (b - a) / (n - 1)
    half = n // 2
    return [a + step * i if i < half else b - step * (n - 1 - i) for i in range(n)]


def karras(n):
    lo, hi = SIGMA_MIN ** (1 / RHO), SIGMA_MAX ** (1 / RHO)
    return [(hi + r * (lo - hi)) ** RHO for r in torch_linspace(0.0, 1.0, n)] + [0.0]


def exponential(n):
    return [math.exp(x) for x in torch_linspace(math.log(SIGMA_MAX), math.log(SIGMA_MIN), n)] + [0.0]


GRIDS = {'karras': karras, 'exponential': exponential}


def ancestral(s, s1, eta=1.0):
    """k-diffusion get_ancestral_step → (σ_down, σ_up)."""
    up = min(s1, eta * math.sqrt(s1 ** 2 * (s ** 2 - s1 ** 2) / s ** 2))
    return math.sqrt(s1 ** 2 - up ** 2), up


def euler(lam, sig):
    v = np.full_like(lam, sig[0] ** 2)
    for i in range(len(sig) - 1):
        s, s1 = sig[i], sig[i + 1]
        a = 1 + (s1 - s) / s * (s * s / (lam + s * s))  # 1 + (σ' − σ)(1 − c)/σ, 1 − c = σ²/(λ + σ²)
        v = a * a * v
    return v


def heun(lam, sig):
    v = np.full_like(lam, sig[0] ** 2)
    for i in range(len(sig) - 1):
        s, s1 = sig[i], sig[i + 1]
        dt = s1 - s
        g = s / (lam + s * s)  # (1 − c)/σ
        if s1 == 0:
            a = 1 + dt * g
        else:
            a = 1 + dt / 2 * (g + s1 / (lam + s1 * s1) * (1 + dt * g))
        v = a * a * v
    return v


def dpmpp_2m(lam, sig):
    vxx = np.full_like(lam, sig[0] ** 2)
    vxo = np.zeros_like(lam)
    voo = np.zeros_like(lam)
    for i in range(len(sig) - 1):
        s, s1 = sig[i], sig[i + 1]
        c = lam / (lam + s * s)
        if s1 == 0:
            a, b = c, None  # −expm1(−∞) = 1, σ'/σ = 0
        else:
            h = -math.log(s1) + math.log(s)
            e = -math.expm1(-h)
            if i == 0:
                a, b = s1 / s + e * c, None
            else:
                r = (-math.log(s) + math.log(sig[i - 1])) / h
                a, b = s1 / s + e * (1 + 1 / (2 * r)) * c, -e / (2 * r)
        if b is None:
            nxx = a * a * vxx
            nxo = c * a * vxx
        else:
            nxx = a * a * vxx + 2 * a * b * vxo + b * b * voo
            nxo = c * (a * vxx + b * vxo)
        voo = c * c * vxx
        vxx, vxo = nxx, nxo
    return vxx


def dpmpp_sde(lam, sig, r=0.5):
    v = np.full_like(lam, sig[0] ** 2)
    fac = 1 / (2 * r)
    for i in range(len(sig) - 1):
        s, s1 = sig[i], sig[i + 1]
        c = lam / (lam + s * s)
        if s1 == 0:
            v = c * c * v  # Euler to σ = 0: x' = D(x)
            continue
        t, tn = -math.log(s), -math.log(s1)
        h = tn - t
        smid = math.exp(-(t + h * r))
        sd1, su1 = ancestral(s, smid)
        p = sd1 / s - math.expm1(t + math.log(sd1)) * c
        cs = lam / (lam + smid * smid)
        sd2, su2 = ancestral(s, s1)
        e2 = -math.expm1(t + math.log(sd2))
        A = sd2 / s + e2 * ((1 - fac) * c + fac * cs * p)
        # n2 = α n1 + β z (one Brownian path: the step's increment from its first part's)
        alpha = math.sqrt((s - smid) / (s - s1))
        beta = math.sqrt((smid - s1) / (s - s1))
        B = e2 * fac * cs * su1 + su2 * alpha
        v = A * A * v + B * B + (su2 * beta) ** 2
    return v


def dpmpp_2m_sde(lam, sig, eta=1.0):
    vxx = np.full_like(lam, sig[0] ** 2)
    vxo = np.zeros_like(lam)
    voo = np.zeros_like(lam)
    h_last = h = 0.0
    for i in range(len(sig) - 1):
        s, s1 = sig[i], sig[i + 1]
        c = lam / (lam + s * s)
        if s1 == 0:
            nxx, nxo = c * c * vxx, c * c * vxx
        else:
            h = -math.log(s1) + math.log(s)
            eh = eta * h
            e = -math.expm1(-h - eh)
            a = s1 / s * math.exp(-eh) + e * c
            q = (s1 * math.sqrt(-math.expm1(-2 * eh))) ** 2
            if i == 0:
                nxx = a * a * vxx + q
                nxo = c * a * vxx
            else:
                w = 0.5 * e / (h_last / h)
                a = a + w * c
                nxx = a * a * vxx - 2 * a * w * vxo + w * w * voo + q
                nxo = c * (a * vxx - w * vxo)
        voo = c * c * vxx
        vxx, vxo = nxx, nxo
        h_last = h
    return vxx


SAMPLERS = {'euler': euler, 'heun': heun, 'dpmpp_2m': dpmpp_2m, 'dpmpp_sde': dpmpp_sde, 'dpmpp_2m_sde': dpmpp_2m_sde}


def w2(v, lam, weights):
    den = np.sqrt(v) + np.sqrt(lam)
    d = np.divide(v - lam, den, out=np.zeros_like(v), where=den != 0)  # v = λ = 0: no error
    return math.sqrt(float(np.sum(weights * d * d)))


def main(argv):
    args = {'steps': '10,20,50,100,200', 'samplers': ','.join(SAMPLERS), 'schedulers': 'karras,exponential', 'repeats': '1'}
    files, grouped = [], False
    i = 0
    while i < len(argv):
        if argv[i] == '--grouped':
            grouped = True
        elif argv[i].startswith('--'):
            args[argv[i][2:]] = argv[i + 1]
            i += 1
        else:
            files.append(argv[i])
        i += 1
    lam = np.load(files[0]).astype(np.float64)
    lam[lam < 0] = 0.0
    weights = np.ones_like(lam)
    if grouped:
        lam, counts = np.unique(lam, return_counts=True)
        weights = counts.astype(np.float64)
    steps = [int(x) for x in args['steps'].split(',')]
    samplers = args['samplers'].split(',')
    schedulers = args['schedulers'].split(',')
    seconds, cpu = [], []
    for _ in range(int(args['repeats'])):
        t0, c0 = time.perf_counter(), time.process_time()
        cells = []
        for sampler in samplers:
            for scheduler in schedulers:
                for n in steps:
                    v = SAMPLERS[sampler](lam, GRIDS[scheduler](n))
                    cells.append({'sampler': sampler, 'scheduler': scheduler, 'steps': n, 'w2': w2(v, lam, weights)})
        seconds.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    json.dump({'cells': cells, 'seconds': seconds, 'cpu_seconds': cpu, 'numpy': np.__version__, 'grouped': grouped}, sys.stdout)


if __name__ == '__main__':
    with np.errstate(divide='ignore', invalid='ignore'):
        main(sys.argv[1:])
