#!/usr/bin/env python3
"""NumPy reference timings for bench/texture.bench.js: the same algorithms, written plainly with numpy.fft.

Usage: python3 bench/texture_numpy.py --images a.npy,b.npy --sample-image c.npy --samples 16 --steps 1000 --repeats 3
Prints one JSON object:
  {"numpy": version, "spectrum": [{"file", "height", "width", "median", "times", "values_npy"}],
   "sampling": {"median", "times", "empiricalW2"}}
Images are (H, W, 3) float64 arrays in [0, 1] (numpy has no PNG decoder here: the JS side decodes
fabric.png once and writes the arrays). Timings: one warm-up, then the median of `repeats` runs.

Spectrum (docs/MATH.md section 6): Moisan's periodic component per channel, texton t = (p - mean)/sqrt(MN),
eigenvalues sum_c |fft2(t_c)|^2 in fftshift order, then 2MN zeros.
Sampling (docs/MATH.md section 7): Euler-Maruyama with the exact score, run on the real Fourier x channel
eigen-coordinates (one coordinate per eigenvalue: y <- a_k(lambda) y + sqrt(q_k) z), start N(0, I),
then back to pixels by ifft2; the same algorithm as assembly/texture.ts.
"""
import argparse
import json
import sys
import time

import os

import numpy as np

# Moisan's periodic component: the one numpy version, in the texture fixtures' generator.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'texture'))
from make_fixtures import periodic_component  # noqa: E402

BETA_MIN, BETA_MAX, T = 0.05, 10.0, 1.0


def adsn_spectrum(img):
    M, N, _ = img.shape
    p = np.stack([periodic_component(img[:, :, c]) for c in range(3)], axis=2)
    mean = p.mean(axis=(0, 1))
    t = (p - mean) / np.sqrt(M * N)
    that = np.stack([np.fft.fft2(t[:, :, c]) for c in range(3)])  # (3, M, N)
    lam = np.sum(np.abs(that) ** 2, axis=0)
    values = np.concatenate([np.fft.fftshift(lam).ravel(), np.zeros(2 * M * N)])
    return values, lam, mean, that


def integrated_beta(t):
    return BETA_MIN * t + (BETA_MAX - BETA_MIN) * t * t / (2 * T)


def basis(that):
    """e0 = t_hat/|t_hat| and two complement vectors by Gram-Schmidt on the channel axes where e0 is smallest: (3 vectors, 3 channels, n)."""
    n = that.shape[1] * that.shape[2]
    u = that.reshape(3, n)
    norm = np.sqrt(np.sum(np.abs(u) ** 2, axis=0))
    e0 = np.where(norm > 0, u / np.where(norm > 0, norm, 1), np.array([[1], [0], [0]]))
    order = np.argsort(np.abs(e0) ** 2, axis=0, kind="stable")
    es = [e0]
    for k in (0, 1):
        v = np.zeros((3, n), dtype=complex)
        v[order[k], np.arange(n)] = 1
        for _ in range(2):
            for e in es:
                v = v - e * np.sum(np.conj(e) * v, axis=0)
            v = v / np.sqrt(np.sum(np.abs(v) ** 2, axis=0))
        es.append(v)
    return np.stack(es)


def sample_em(lam, that, mean, count, steps, rng, eps=0.0):
    M, N = lam.shape
    n = M * N
    lamv = np.concatenate([lam.ravel(), np.zeros(2 * n)])
    y = rng.standard_normal((3 * n, count))
    h = (T - eps) / steps
    for k in range(steps):
        t = T - (T - eps) * k / steps
        s = np.exp(-2 * integrated_beta(t))
        hb = h * (BETA_MIN + (BETA_MAX - BETA_MIN) * t / T)
        lamk = s * lamv + (1 - s)
        a = 1 + hb * (1 - 2 / lamk)
        y = a[:, None] * y + np.sqrt(2 * hb) * rng.standard_normal(y.shape)
    # Back to pixels.
    idx = np.arange(n)
    r, c = idx // N, idx % N
    mirror = ((-r) % M) * N + (-c) % N
    e = basis(that)  # (3, 3, n)
    e[:, :, mirror == idx] = e[:, :, mirror == idx].real
    out = []
    for j in range(count):
        yj = y[:, j].reshape(3, n)
        w = np.where(mirror > idx, (yj + 1j * yj[:, mirror]) / np.sqrt(2),
                     np.where(mirror == idx, yj + 0j, (yj[:, mirror] - 1j * yj) / np.sqrt(2)))
        X = np.einsum("kn,kcn->cn", w, e).reshape(3, M, N)
        x = np.real(np.fft.ifft2(X)) * np.sqrt(n)
        out.append(np.transpose(x, (1, 2, 0)) + mean)
    return out


def empirical_w2(samples, lam, that, mean):
    M, N = lam.shape
    n = M * N
    u = that.reshape(3, n)
    norm = np.sum(np.abs(u) ** 2, axis=0)
    sig = np.zeros(n)
    tot = np.zeros(n)
    for x in samples:
        X = np.stack([np.fft.fft2(x[:, :, c] - mean[c]) for c in range(3)]).reshape(3, n) / np.sqrt(n)
        proj = np.abs(np.sum(np.conj(u) * X, axis=0)) ** 2 / np.where(norm > 0, norm, 1)
        sig += np.where(norm > 0, proj, 0)
        tot += np.sum(np.abs(X) ** 2, axis=0)
    sig /= len(samples)
    tot /= len(samples)
    return float(np.sqrt(np.sum((np.sqrt(sig) - np.sqrt(lam.ravel())) ** 2) + np.sum(np.maximum(tot - sig, 0))))


def timed(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", default="")
    ap.add_argument("--sample-image", default="")
    ap.add_argument("--samples", type=int, default=16)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--sample-repeats", type=int, default=3)
    ap.add_argument("--out-dir", default="")
    args = ap.parse_args()
    result = {"numpy": np.__version__, "python": sys.version.split()[0], "spectrum": [], "sampling": None}
    for f in filter(None, args.images.split(",")):
        img = np.load(f)
        median, times = timed(lambda: adsn_spectrum(img), args.repeats)
        values = adsn_spectrum(img)[0]
        out = f.replace(".npy", ".values.npy")
        np.save(out, values)
        result["spectrum"].append({"file": f, "height": img.shape[0], "width": img.shape[1], "median": median, "times": times, "values_npy": out})
    if args.sample_image:
        img = np.load(args.sample_image)
        _, lam, mean, that = adsn_spectrum(img)
        rng = np.random.default_rng(0)
        holder = {}

        def run():
            holder["samples"] = sample_em(lam, that, mean, args.samples, args.steps, rng)

        # No warm-up for the long run (it is seconds, not milliseconds): median of sample-repeats.
        times = []
        for _ in range(args.sample_repeats):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
        result["sampling"] = {
            "median": float(np.median(times)), "times": times,
            "empiricalW2": empirical_w2(holder["samples"], lam, that, mean),
            "height": img.shape[0], "width": img.shape[1], "samples": args.samples, "steps": args.steps,
        }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
