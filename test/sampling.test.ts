// Monte-Carlo tests of the samplers (bindings/sampling/sampling.ts) against the exact theory (docs/MATH.md §4, §7).
//
// Model: d = 6, Σ = U diag(λ) Uᵀ with a random orthogonal U (Gram–Schmidt of seeded normals),
// λ from 1e-4 to 12; ε = 1e-3, K = 40 steps, n = 10000 samples, fixed seeds.
// Statistic: for eigen-coordinate i, (n − 1) s_i² / v_i ~ χ²_{n−1} exactly (the samples are
// Gaussian, independent, mean 0; s² has divisor n − 1), v_i = the engine's exact v_K.
// Bound: family-wise error 1e-3 over all acceptance tests of this file's scheme runs —
// 7 schemes × 2 starts × 2 paths × 6 coordinates × 2 (the exact model and the wrong model λ̂
// checked against its own theory) + 6 (a covariance-matrix model) + 6 (noise drawn in data space)
// = 348 tests — so each uses the two-sided χ²_{9999} interval at level 1e-3/348 (quantiles from SciPy, test/fixtures/sampling/stats.json).
// The same statistic REJECTS a wrong score (λ̂ = 1.5 λ) against the true v_K: the test can fail.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomOrthogonal } from './helpers/orthogonal.js';
import { startStaticServer } from './helpers/static-server.js';
import { describeWithChromium, launchChromium } from './helpers/chromium.js';
import {
  SCHEMES, createRng, covariance, eigenMoments, init, run, sampleGaussian, sampleGaussianSync,
  sampleScheme, sampleSchemeSync,
} from '../dist/bindings/index.node.js';
import type { Init, Scheme } from '../dist/bindings/index.node.js';

const stats = JSON.parse(readFileSync(new URL('./fixtures/sampling/stats.json', import.meta.url), 'utf8'));
function chi2Interval(df: number, tests: number): { lo: number; hi: number } {
  const row = stats.chi2.find((r: { df: number; tests: number }) => r.df === df && r.tests === tests);
  if (!row) throw new Error(`stats.json has no χ² quantiles for df = ${df}, ${tests} tests: rerun make_stats_fixture.py`);
  expect(row.p).toBeCloseTo(stats.alpha / (2 * tests), 15);
  return row;
}
function zBound(tests: number): number {
  const row = stats.norm.find((r: { tests: number }) => r.tests === tests);
  if (!row) throw new Error(`stats.json has no normal quantile for ${tests} tests`);
  return row.z;
}

const D = 6;
const LAMBDA = [1e-4, 1e-3, 0.05, 0.7, 3, 12];
const EPS = 1e-3;
const K = 40;
const N = 10000;
const INITS_: Init[] = ['N0', 'pT'];
const FAMILY = SCHEMES.length * INITS_.length * 2 * D * 2 + 2 * D;
const WRONG = 1.5;


const U = randomOrthogonal(D, 2025);
const MODEL = { values: LAMBDA, vectors: U };
const WRONG_LAMBDA = LAMBDA.map((x) => WRONG * x);
const WRONG_MODEL = { values: WRONG_LAMBDA, vectors: U };

/** The exact score −Σ_t^{-1} y in data space, written here from docs/MATH.md §1 (independent of the core). */
function exactScore(lambda: number[], mean: number[] = new Array(D).fill(0)) {
  const opts = { betaMin: 0.05, betaMax: 10, T: 1 };
  return (t: number, y: Float64Array): Float64Array => {
    const B = opts.betaMin * t + ((opts.betaMax - opts.betaMin) * t * t) / (2 * opts.T);
    const signal = Math.exp(-2 * B);
    const shift = mean.map((m) => Math.exp(-B) * m); // the mean of p_t: e^{−B_t} m
    const inv = lambda.map((l) => 1 / (signal * l + 1 - signal));
    // M = U diag(1/λ_t) Uᵀ, then s = −M y for each sample
    const M = new Float64Array(D * D);
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) for (let l = 0; l < D; l++) M[i * D + j] += U[i * D + l] * inv[l] * U[j * D + l];
    const n = y.length / D;
    const out = new Float64Array(y.length);
    for (let k = 0; k < n; k++) {
      const o = k * D;
      for (let i = 0; i < D; i++) {
        let s = 0;
        for (let j = 0; j < D; j++) s -= M[i * D + j] * (y[o + j] - shift[j]);
        out[o + i] = s;
      }
    }
    return out;
  };
}

/** (n − 1) s_i² / v_i per coordinate. */
function chi2Statistics(samples: Float64Array, v: Float64Array): number[] {
  const { variances } = eigenMoments(samples, N, MODEL);
  return Array.from(variances, (s2, i) => ((N - 1) * s2) / v[i]);
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const x of a) m = Math.max(m, Math.abs(x));
  return m;
}
function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

beforeAll(async () => {
  await init();
});

describe('samplers with the exact score match the exact recursion v_K (χ², Bonferroni over 348 tests, family-wise 1e-3)', () => {
  const { lo, hi } = chi2Interval(N - 1, FAMILY);
  let seed = 100;
  for (const scheme of SCHEMES as readonly Scheme[]) {
    for (const start of INITS_) {
      it(`${scheme}, start ${start}: eigenbasis path and score path, exact and wrong (λ̂ = 1.5 λ) scores`, async () => {
        const opts = { scheme, steps: K, eps: EPS, init: start, n: N };
        const exact = (await run(LAMBDA, { ...opts, variances: true })).variances!;
        const wrongTheory = (await run(WRONG_LAMBDA, { ...opts, variances: true })).variances!;
        const s = seed++;
        // (a) exact linear score in the eigenbasis; (b) the same score as a data-space function.
        const a = sampleSchemeSync(MODEL, { ...opts, seed: s });
        const b = sampleSchemeSync(MODEL, { ...opts, seed: s, score: exactScore(LAMBDA) });
        expect(a.path).toBe('eigenbasis');
        expect(b.path).toBe('score');
        for (const r of [a, b]) {
          const stat = chi2Statistics(r.samples, exact);
          for (const x of stat) {
            expect(x).toBeGreaterThan(lo);
            expect(x).toBeLessThan(hi);
          }
        }
        // Same noise in the same basis: the two paths agree to round-off (stated: 1e-12 of the
        // largest sample coordinate; observed ≈ 1e-15).
        expect(maxDiff(a.samples, b.samples)).toBeLessThanOrEqual(1e-12 * maxAbs(a.samples));

        // A linear but wrong score (docs/MATH.md §7): the samples follow the theory with λ̂ in the
        // coefficients (accepted) and are rejected against the true v_K.
        const wa = sampleSchemeSync(WRONG_MODEL, { ...opts, seed: s + 1000 });
        const wb = sampleSchemeSync(WRONG_MODEL, { ...opts, seed: s + 2000, score: exactScore(WRONG_LAMBDA) });
        for (const r of [wa, wb]) {
          for (const x of chi2Statistics(r.samples, wrongTheory)) {
            expect(x).toBeGreaterThan(lo);
            expect(x).toBeLessThan(hi);
          }
          const rejected = chi2Statistics(r.samples, exact).filter((x) => x < lo || x > hi);
          expect(rejected.length).toBeGreaterThan(0);
        }
      });
    }
  }
});

describe('a nonzero data mean (docs/MATH.md §7, the paper\'s Appendix C), start p_T', () => {
  const mean = [1, -2, 0.5, 3, -1, 2];
  // the mean in eigen-coordinates, μ = Uᵀ m
  const mu = Array.from({ length: D }, (_, l) => mean.reduce((a, m, i) => a + U[i * D + l] * m, 0));
  /** The mean recursion per eigen-coordinate, from docs/MATH.md §4 with the affine score −(y − e^{−B_t} μ)/λ_t (EM, Euler). */
  function meanRecursion(scheme: 'em' | 'euler'): number[] {
    const B = (t: number) => 0.05 * t + (9.95 * t * t) / 2;
    const beta = (t: number) => 0.05 + 9.95 * t;
    const h = (1 - EPS) / K;
    return mu.map((m, i) => {
      let y = Math.exp(-B(1)) * m;
      for (let k = 0; k < K; k++) {
        const t = 1 - ((1 - EPS) * k) / K;
        const lt = Math.exp(-2 * B(t)) * LAMBDA[i] + 1 - Math.exp(-2 * B(t));
        const s = -(y - Math.exp(-B(t)) * m) / lt;
        y += h * beta(t) * (y + (scheme === 'em' ? 2 : 1) * s);
      }
      return y;
    });
  }

  it('the sample mean follows the mean recursion (z-bounds, 2 schemes × 6 coordinates, family-wise 1e-3) and the paths agree to round-off', async () => {
    const z = zBound(2 * D);
    for (const scheme of ['em', 'euler'] as const) {
      const opts = { scheme, steps: K, eps: EPS, init: 'pT' as const, n: N, seed: 900, mean };
      const a = sampleSchemeSync(MODEL, opts);
      const b = sampleSchemeSync(MODEL, { ...opts, score: exactScore(LAMBDA, mean) });
      expect(maxDiff(a.samples, b.samples)).toBeLessThanOrEqual(1e-12 * maxAbs(a.samples));
      const v = (await run(LAMBDA, { scheme, steps: K, eps: EPS, init: 'pT', variances: true })).variances!;
      const want = meanRecursion(scheme);
      const got = eigenMoments(a.samples, N, MODEL).mean;
      for (let i = 0; i < D; i++) {
        const sd = Math.sqrt(v[i] / N);
        if (v[i] === 0) expect(got[i]).toBeCloseTo(want[i], 12); // ODE: deterministic given the start
        else expect(Math.abs(got[i] - want[i]) / sd).toBeLessThan(z);
      }
    }
    expect(() => sampleSchemeSync(MODEL, { scheme: 'em', steps: 5, n: 2, seed: 1, mean: [1, 2] })).toThrow(/mean/);
  });
});

describe('sampleScheme: reproducibility, async score, progress, grid', () => {
  it('same seed → identical samples; another seed → different samples', () => {
    const o = { scheme: 'ei' as const, steps: 10, eps: EPS, n: 50 };
    const x = sampleSchemeSync(MODEL, { ...o, seed: 5 }).samples;
    expect(sampleSchemeSync(MODEL, { ...o, seed: 5 }).samples).toEqual(x);
    expect(sampleSchemeSync(MODEL, { ...o, seed: 6 }).samples).not.toEqual(x);
    // a generator passed as rng continues its stream: a fresh one equals the seed
    expect(sampleSchemeSync(MODEL, { ...o, rng: createRng(5) }).samples).toEqual(x);
  });

  it('an async score gives the same samples as the synchronous one', async () => {
    const o = { scheme: 'rk4' as const, steps: 8, eps: EPS, n: 100, seed: 3 };
    const score = exactScore(LAMBDA);
    const sync = sampleSchemeSync(MODEL, { ...o, score });
    const asyncResult = await sampleScheme(MODEL, { ...o, score: async (t, y) => score(t, y) });
    expect(asyncResult.samples).toEqual(sync.samples);
    expect(() => sampleSchemeSync(MODEL, { ...o, score: async (t, y) => score(t, y) })).toThrow(/synchronous/);
  });

  it('calls the score at the engine grid times (t_k, t_k − h/2, t_{k+1} for RK4) and reports progress', () => {
    const times: number[] = [];
    const progress: [number, number][] = [];
    const score = exactScore(LAMBDA);
    const r = sampleSchemeSync(MODEL, {
      scheme: 'rk4', steps: 4, eps: 0.2, n: 3, seed: 1,
      score: (t, y) => {
        times.push(t);
        return score(t, y);
      },
      onProgress: (k, total) => progress.push([k, total]),
    });
    // t_k = T − (T − ε) k / K, the last one ε exactly; h = (T − ε) / K
    expect(r.times).toEqual([0, 1, 2, 3, 4].map((k) => (k === 4 ? 0.2 : 1 - (0.8 * k) / 4)));
    expect(r.nfe).toBe(16);
    const h = 0.8 / 4;
    const want = r.times.slice(0, 4).flatMap((t, k) => [t, t - h / 2, t - h / 2, r.times[k + 1]]);
    expect(times).toEqual(want);
    expect(progress).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]]);
    const eigenProgress: number[] = [];
    sampleSchemeSync(MODEL, { scheme: 'ei', steps: 3, eps: 0.2, n: 3, seed: 1, onProgress: (k) => eigenProgress.push(k) });
    expect(eigenProgress).toEqual([1, 2, 3]);
  });

  it("noise: 'data' draws the SDE noise in data space: the same law, other numbers", async () => {
    const { lo, hi } = chi2Interval(N - 1, FAMILY); // D more members of the family
    const opts = { scheme: 'ei' as const, steps: K, eps: EPS, n: N, seed: 500, score: exactScore(LAMBDA) };
    const r = sampleSchemeSync(MODEL, { ...opts, noise: 'data' });
    const exact = (await run(LAMBDA, { scheme: 'ei', steps: K, eps: EPS, variances: true })).variances!;
    for (const x of chi2Statistics(r.samples, exact)) {
      expect(x).toBeGreaterThan(lo);
      expect(x).toBeLessThan(hi);
    }
    expect(sampleSchemeSync(MODEL, { ...opts, n: 5 }).samples).not.toEqual(sampleSchemeSync(MODEL, { ...opts, n: 5, noise: 'data' }).samples);
    expect(() => sampleSchemeSync(MODEL, { ...opts, noise: 'fourier' as 'data' })).toThrow(/noise/);
  });

  it('a dimension alone is a model for a score-only run (start N0)', () => {
    const r = sampleSchemeSync(D, { scheme: 'euler', steps: 5, eps: EPS, n: 10, seed: 1, score: exactScore(LAMBDA) });
    expect(r.samples.length).toBe(10 * D);
    expect(r.dim).toBe(D);
  });

  it('a covariance matrix is a model (its eigh basis): the same law as { values, vectors }', async () => {
    const cov = new Float64Array(D * D);
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) for (let l = 0; l < D; l++) cov[i * D + j] += U[i * D + l] * LAMBDA[l] * U[j * D + l];
    const { lo, hi } = chi2Interval(N - 1, FAMILY); // D more members of the family
    const r = await sampleScheme(cov, { scheme: 'heun', steps: K, eps: EPS, n: N, seed: 77 });
    const exact = (await run(LAMBDA, { scheme: 'heun', steps: K, eps: EPS, variances: true })).variances!;
    for (const x of chi2Statistics(r.samples, exact)) {
      expect(x).toBeGreaterThan(lo);
      expect(x).toBeLessThan(hi);
    }
  });
});

describe('sampleScheme: bad input and failures name the argument, the step and the time', () => {
  const base = { scheme: 'em' as const, steps: 5, eps: EPS, n: 4, seed: 1 };
  it('rejects bad options', () => {
    expect(() => sampleSchemeSync(MODEL, { ...base, n: 0 })).toThrow(RangeError);
    expect(() => sampleSchemeSync(MODEL, { ...base, n: undefined })).toThrow(/n must be/);
    expect(() => sampleSchemeSync(MODEL, { ...base, seed: -3 })).toThrow(/seed/);
    expect(() => sampleSchemeSync(MODEL, { ...base, seed: undefined })).toThrow(/seed/);
    expect(() => sampleSchemeSync(MODEL, { ...base, scheme: 'leapfrog' as Scheme })).toThrow(/scheme/);
    expect(() => sampleSchemeSync(MODEL, { ...base, eps: 1 })).toThrow(/eps/);
    expect(() => sampleSchemeSync(MODEL, { ...base, steps: 2.5 })).toThrow(/steps/);
    expect(() => sampleSchemeSync(MODEL, { ...base, scheme: 'ddpm', steps: 10 })).toThrow(/use at least 20 steps/);
    expect(() => sampleSchemeSync(MODEL, { ...base, score: 3 as unknown as () => Float64Array })).toThrow(/score/);
    expect(() => sampleSchemeSync(D, { ...base })).toThrow(/model/);
    expect(() => sampleSchemeSync(D, { ...base, init: 'pT', score: exactScore(LAMBDA) })).toThrow(/init/);
    expect(() => sampleSchemeSync({ values: [1, -1], vectors: [1, 0, 0, 1] }, base)).toThrow(/model.values\[1\]/);
    expect(() => sampleSchemeSync({ values: [1, 1], vectors: [2, 0, 0, 1] }, base)).toThrow(/column 0/);
  });

  it('a score of the wrong length, or returning NaN, is an Error naming the step and the time', () => {
    expect(() => sampleSchemeSync(MODEL, { ...base, score: () => new Float64Array(3) })).toThrow(
      /score\(t, y\) at step 0 of 5 \(t = 1\) returned 3 numbers, expected n·d = 4·6 = 24/,
    );
    const score = exactScore(LAMBDA);
    const nanLate = (t: number, y: Float64Array) => {
      const s = score(t, y);
      if (t < 0.5) s[7] = NaN;
      return s;
    };
    expect(() => sampleSchemeSync(MODEL, { ...base, score: nanLate })).toThrow(/step 3 of 5 \(t = 0\.400\d*\) returned NaN for sample 1, coordinate 1/);
  });

  it('λ_t = 0 divided by (ε = 0, a zero eigenvalue, Heun) is an Error naming the step', () => {
    const singular = { values: [0, 1], vectors: [1, 0, 0, 1] };
    expect(() => sampleSchemeSync(singular, { scheme: 'heun', steps: 5, eps: 0, n: 3, seed: 1 })).toThrow(/undefined at step 4 of 5.*eigenvalue 0/);
    // the SDE schemes never evaluate at t = ε: fine
    expect(() => sampleSchemeSync(singular, { scheme: 'ei', steps: 5, eps: 0, n: 3, seed: 1 })).not.toThrow();
  });
});

describe('exact samples of N(m, Σ)', () => {
  const n = 50000;
  const values = [0, 0.01, 0.5, 1, 2, 9]; // singular
  const mean = [1, -2, 0.5, 0, 3, -1];
  it('the sample covariance converges to Σ: χ² on the eigen-variances, normal bounds on the off-diagonals and the mean (27 tests, family-wise 1e-3)', async () => {
    const x = await sampleGaussian({ values, vectors: U }, n, { seed: 11, mean });
    const c = new Float64Array(n * D); // eigen-coordinates of x − m
    for (let j = 0; j < n; j++) for (let i = 0; i < D; i++) for (let l = 0; l < D; l++) c[j * D + l] += U[i * D + l] * (x[j * D + i] - mean[i]);
    const { mean: cm, cov } = covariance(c, n, D);
    const { lo, hi } = chi2Interval(n - 1, 27);
    const z = zBound(27);
    // λ = 0: the coordinate is zero up to round-off of the basis change (1e-13 · the largest √λ)
    expect(Math.abs(cm[0])).toBeLessThan(1e-13 * 3);
    expect(cov[0]).toBeLessThan(1e-26 * 9);
    for (let i = 1; i < D; i++) {
      const stat = ((n - 1) * cov[i * D + i]) / values[i];
      expect(stat).toBeGreaterThan(lo);
      expect(stat).toBeLessThan(hi);
      // mean of coordinate i ~ N(0, λ_i / n)
      expect(Math.abs(cm[i]) / Math.sqrt(values[i] / n)).toBeLessThan(z);
      for (let l = i + 1; l < D; l++) {
        // sample covariance of two independent coordinates ≈ N(0, λ_i λ_l / (n − 1)) (CLT)
        expect(Math.abs(cov[i * D + l]) / Math.sqrt((values[i] * values[l]) / (n - 1))).toBeLessThan(z);
      }
    }
  });

  it('Frobenius error of the sample covariance shrinks like 1/√n (Wishart: E‖Ĉ − Σ‖² = (‖Σ‖² + (tr Σ)²)/(n − 1))', async () => {
    const sigma = new Float64Array(D * D);
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) for (let l = 0; l < D; l++) sigma[i * D + j] += U[i * D + l] * values[l] * U[j * D + l];
    const tr = values.reduce((a, b) => a + b, 0);
    const fro2 = values.reduce((a, b) => a + b * b, 0);
    const errors: number[] = [];
    for (const count of [500, 5000, 50000]) {
      const { cov } = covariance(await sampleGaussian(sigma, count, { seed: 3 }), count, D);
      let e = 0;
      for (let k = 0; k < D * D; k++) e += (cov[k] - sigma[k]) ** 2;
      const expected = (fro2 + tr * tr) / (count - 1);
      // Markov at 1e-3 per size: P(e > 1000·E) ≤ 1e-3 (loose, distribution-free)
      expect(e).toBeLessThan(1000 * expected);
      errors.push(e);
    }
    expect(errors[2]).toBeLessThan(errors[0]);
  });

  it('reproducible, the normals drawn in eigenvalue order, and validated', () => {
    const a = sampleGaussianSync({ values: [4, 1], vectors: [1, 0, 0, 1] }, 3, { seed: 42 });
    const z = createRng(42).fillNormal(new Float64Array(6));
    expect(Array.from(a)).toEqual(Array.from(z, (v, k) => (k % 2 === 0 ? 2 * v : v)));
    expect(() => sampleGaussianSync([[1, 0], [0, 1]], 0, { seed: 1 })).toThrow(RangeError);
    expect(() => sampleGaussianSync([[1, 0], [0, 1]], 2, {})).toThrow(/seed/);
    expect(() => sampleGaussianSync([[1, 0], [0, 1]], 2, { seed: 1, mean: [0] })).toThrow(/mean/);
    expect(() => sampleGaussianSync([[1, 2], [2, 1]], 2, { seed: 1 })).toThrow(/eigenvalue/);
  });
});

describeWithChromium('the same samples in a browser', () => {
  // The package's browser entry in headless Chromium (Debian's /usr/bin/chromium), loaded by the
  // import map of test/browser/parity.html: a seed gives the same samples bit for bit as in Node.
  it('sampleScheme (eigenbasis and score paths) and sampleGaussian are bit-identical in Chromium', async () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
    const server = await startStaticServer({ root });
    const browser = await launchChromium();
    const job = { values: LAMBDA, vectors: Array.from(U), eps: EPS, steps: 24, n: 64 };
    try {
      const page = await browser.newPage();
      await page.goto(new URL('test/browser/parity.html', server.url).href, { waitUntil: 'load' });
      await page.waitForFunction(() => (globalThis as { __parity?: { status: string } }).__parity?.status !== 'loading');
      // A string, not a function: the test runner would rewrite a function's import().
      const remote = (await page.evaluate(`(async () => {
        const api = await import('gaussdiff');
        await api.init();
        const job = ${JSON.stringify(job)};
        const model = { values: job.values, vectors: job.vectors };
        const out = {};
        for (const scheme of api.SCHEMES) {
          out[scheme] = Array.from(api.sampleSchemeSync(model, { scheme, steps: job.steps, eps: job.eps, init: 'pT', n: job.n, seed: 5 }).samples);
        }
        // a score in data space through the eigenbasis, rational in t (a score's own Math.exp
        // may differ between engines; the library's must not)
        const score = (t, y) => {
          const d = job.values.length, U = job.vectors;
          const out = new Float64Array(y.length);
          for (let j = 0; j < y.length / d; j++) for (let l = 0; l < d; l++) {
            let c = 0;
            for (let i = 0; i < d; i++) c += U[i * d + l] * y[j * d + i];
            c /= -(job.values[l] * (1 - t) + t);
            for (let i = 0; i < d; i++) out[j * d + i] += U[i * d + l] * c;
          }
          return out;
        };
        out.scoreRk4 = Array.from((await api.sampleScheme(job.values.length, { scheme: 'rk4', steps: job.steps, eps: job.eps, n: job.n, seed: 6, score })).samples);
        out.scoreEm = Array.from((await api.sampleScheme(model, { scheme: 'em', steps: job.steps, eps: job.eps, n: job.n, seed: 6, score })).samples);
        out.gaussian = Array.from(await api.sampleGaussian(model, job.n, { seed: 7, mean: [1, 2, 3, 4, 5, 6] }));
        return out;
      })()`)) as Record<string, number[]>;
      const model = { values: LAMBDA, vectors: U };
      const score = (t: number, y: Float64Array): Float64Array => {
        const out = new Float64Array(y.length);
        for (let j = 0; j < y.length / D; j++) {
          for (let l = 0; l < D; l++) {
            let c = 0;
            for (let i = 0; i < D; i++) c += U[i * D + l] * y[j * D + i];
            c /= -(LAMBDA[l] * (1 - t) + t);
            for (let i = 0; i < D; i++) out[j * D + i] += U[i * D + l] * c;
          }
        }
        return out;
      };
      for (const scheme of SCHEMES) {
        const local = sampleSchemeSync(model, { scheme, steps: job.steps, eps: EPS, init: 'pT', n: job.n, seed: 5 }).samples;
        expect(remote[scheme], scheme).toEqual(Array.from(local));
      }
      expect(remote.scoreRk4).toEqual(Array.from(sampleSchemeSync(D, { scheme: 'rk4', steps: job.steps, eps: EPS, n: job.n, seed: 6, score }).samples));
      expect(remote.scoreEm).toEqual(Array.from(sampleSchemeSync(model, { scheme: 'em', steps: job.steps, eps: EPS, n: job.n, seed: 6, score }).samples));
      expect(remote.gaussian).toEqual(Array.from(await sampleGaussian(model, job.n, { seed: 7, mean: [1, 2, 3, 4, 5, 6] })));
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
