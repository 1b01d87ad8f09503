// Empirical distances (bindings/exact/empirical.ts, docs/MATH.md §6): hand-computed values, the empirical W2 of
// exact samples against a stated bound, its underestimation of the fitted Gaussian's Bures
// distance (a deterministic inequality), and the Fréchet distance's metric properties.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomOrthogonal } from './helpers/orthogonal.js';
import {
  covariance, eigenMoments, empiricalW2, frechetDistance, init, sampleGaussianSync, w2Gaussian,
} from '../dist/bindings/index.node.js';

const stats = JSON.parse(readFileSync(new URL('./fixtures/sampling/stats.json', import.meta.url), 'utf8'));

const D = 6;
const VALUES = [0.02, 0.1, 0.5, 1, 3, 8];
const TRACE = VALUES.reduce((a, b) => a + b, 0);

function matrixOf(values: number[], U: Float64Array): Float64Array {
  const S = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) for (let l = 0; l < D; l++) S[i * D + j] += U[i * D + l] * values[l] * U[j * D + l];
  return S;
}

const U = randomOrthogonal(D, 31);
const MODEL = { values: VALUES, vectors: U };
const SIGMA = matrixOf(VALUES, U);

beforeAll(async () => {
  await init();
});

describe('empiricalW2', () => {
  it('hand-computed cases (d = 1 and a rotated d = 2)', () => {
    // samples ±1: mean 0, variance (divisor n − 1) 2 → W2 = 0 against N(0, 2)
    expect(empiricalW2(Float64Array.of(1, -1), 2, { values: [2], vectors: [1] })).toBe(0);
    // samples 1, 3: mean 2, variance 2: W2² = 2² + (√2 − √8)² = 4 + 2 = 6 against N(0, 8)
    expect(empiricalW2(Float64Array.of(1, 3), 2, { values: [8], vectors: [1] })).toBeCloseTo(Math.sqrt(6), 14);
    // … and against N(2, 2): 0
    expect(empiricalW2(Float64Array.of(1, 3), 2, { values: [2], vectors: [1] }, { mean: [2] })).toBe(0);
    // d = 2, basis rotated by 45°: samples ±(1, 1) lie on eigenvector 0 (coordinate ±√2, variance 4)
    const r = Math.SQRT1_2;
    const model = { values: [4, 1], vectors: [r, -r, r, r] };
    const m = eigenMoments(Float64Array.of(1, 1, -1, -1), 2, model);
    expect(m.variances[0]).toBeCloseTo(4, 14);
    expect(m.variances[1]).toBeCloseTo(0, 14);
    expect(empiricalW2(Float64Array.of(1, 1, -1, -1), 2, model)).toBeCloseTo(1, 14); // (√4 − √4)² + (0 − 1)²
  });

  it('of exact samples: small, below the stated bound, and decreasing with n', () => {
    // W2² = Σ_i (ĉ_i² + (σ̂_i − √λ_i)²) with ĉ_i² ~ λ_i χ²_1 / n and (σ̂_i − √λ_i)² ≈ λ_i χ²_1 / (2(n − 1))
    // (delta method), so W2² ≤ q · 1.5 · tr Σ / (n − 1) when each of the 2d = 12 χ²_1 terms is below
    // q = χ²_1 quantile at 1 − 1e-3/(2·36): Bonferroni over 12 terms × 3 sample sizes = 36, family-wise 1e-3.
    const row = stats.chi2.find((r: { df: number; tests: number }) => r.df === 1 && r.tests === 36);
    const q = row.hi;
    const w: number[] = [];
    for (const n of [1000, 10000, 100000]) {
      const x = sampleGaussianSync(MODEL, n, { seed: 8 });
      const d = empiricalW2(x, n, MODEL);
      expect(d * d).toBeLessThan((q * 1.5 * TRACE) / (n - 1));
      w.push(d);
    }
    expect(w[1]).toBeLessThan(w[0]);
    expect(w[2]).toBeLessThan(w[1]);
  });

  it('underestimates the Bures distance of the fitted Gaussian (it ignores off-diagonal covariance in Σ’s basis)', () => {
    // Samples of another covariance, not diagonal in Σ's basis: the inequality is deterministic
    // (Schur concavity of √: Σ_i √(λ_i Ĉ_ii) ≥ tr (Σ^{1/2} Ĉ Σ^{1/2})^{1/2}, equal traces); tolerance
    // 1e-7 · √tr for the Bures formula's cancellation.
    const other = matrixOf([1, 2, 0.3, 4, 0.5, 6], randomOrthogonal(D, 32));
    const n = 20000;
    const x = sampleGaussianSync(other, n, { seed: 9 });
    const emp = empiricalW2(x, n, MODEL);
    const fit = covariance(x, n, D);
    const bures = w2Gaussian(fit.mean, fit.cov, null, SIGMA, D);
    expect(emp).toBeLessThanOrEqual(bures + 1e-7 * Math.sqrt(TRACE));
    expect(emp).toBeLessThan(0.95 * bures); // visibly, for this non-commuting pair
    // the covariance model gives the same value as its eigen-decomposition
    expect(empiricalW2(x, n, SIGMA)).toBeCloseTo(emp, 10);
  });

  it('rejects bad input, naming the argument', () => {
    expect(() => empiricalW2(new Float64Array(6), 1, MODEL)).toThrow(/n must be at least 2/);
    expect(() => empiricalW2(new Float64Array(5), 2, MODEL)).toThrow(/samples.length/);
    expect(() => empiricalW2(Float64Array.of(1, NaN, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1), 2, MODEL)).toThrow(/sample 0, coordinate 1/);
    expect(() => empiricalW2(new Float64Array(12), 2, MODEL, { mean: [1] })).toThrow(/mean/);
    expect(() => empiricalW2(new Float64Array(12), 2, { values: VALUES, vectors: new Float64Array(36) })).toThrow(/column 0/);
  });
});

describe('frechetDistance', () => {
  const n = 5000;
  const a = sampleGaussianSync(MODEL, n, { seed: 1 });
  const b = sampleGaussianSync({ values: [1, 1, 1, 1, 1, 1], vectors: U }, n, { seed: 2 });

  it('is 0 for identical sets (to 1e-7·√tr, the formula’s cancellation) and |v| for a set shifted by v', () => {
    expect(frechetDistance(a, n, a, n, D)).toBeLessThan(1e-7 * Math.sqrt(TRACE));
    const v = [0.3, -1, 2, 0, 0.5, -0.25];
    const shifted = a.map((x, k) => x + v[k % D]);
    expect(frechetDistance(a, n, shifted, n, D)).toBeCloseTo(Math.hypot(...v), 6);
  });

  it('is symmetric (to 1e-9 relative) and obeys the triangle inequality around the population value', () => {
    const ab = frechetDistance(a, n, b, n, D);
    const ba = frechetDistance(b, n, a, n, D);
    expect(Math.abs(ab - ba)).toBeLessThanOrEqual(1e-9 * ab);
    // |d(fit A, fit B) − W2(Σ_A, Σ_B)| ≤ W2(fit A, Σ_A) + W2(fit B, Σ_B): W2 is a metric on Gaussians
    const fa = covariance(a, n, D);
    const fb = covariance(b, n, D);
    const SB = matrixOf([1, 1, 1, 1, 1, 1], U);
    const population = w2Gaussian(null, SIGMA, null, SB, D);
    const slack = w2Gaussian(fa.mean, fa.cov, null, SIGMA, D) + w2Gaussian(fb.mean, fb.cov, null, SB, D);
    expect(Math.abs(ab - population)).toBeLessThanOrEqual(slack + 1e-7);
  });

  it('rejects bad input, naming the argument', () => {
    expect(() => frechetDistance(a, 1, a, n, D)).toThrow(/nA/);
    expect(() => frechetDistance(a, n, a.subarray(1), n, D)).toThrow(/samplesB.length/);
    const bad = a.slice();
    bad[13] = Infinity;
    expect(() => frechetDistance(bad, n, a, n, D)).toThrow(/samplesA.*sample 2, coordinate 1/);
    expect(() => frechetDistance(a, n, a, n, 0)).toThrow(/dim/);
  });
});
