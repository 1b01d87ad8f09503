/**
 * Wrong scores (docs/MATH-samplers.md §7, docs/score-errors.md), for EVERY registry sampler and
 * scheme, against an independent dense d × d reference (test/reference/dense-score.ts: the
 * plain-vector sampler in data space driven by the score of Σ̂, impulse runs), Monte Carlo in data
 * space, and identities:
 *  1. scoreSpectrum (Σ̂ = U diag(λ̂) Uᵀ): per-eigenvalue output variances = the dense law's, 1e-12
 *     relative + 1e-13 × the largest variance (the reference rounds in a rotated basis, as in
 *     test/conformance/samplers.test.ts); W2 to 1e-9 relative (√v − √λ cancels on the reference);
 *  2. scoreCov (Σ̂ not commuting with Σ), both starts: W2 = Bures(dense law, Σ) (w2Gaussian) with
 *     |ΔW2²| ≤ 1e-10 · (tr Σ + tr C) (scoreCovW2 uses the trace formula, docs/MATH-samplers.md §7b);
 *  3. λ̂ = λ gives the plain run bit for bit (w2, trajectory, variances), and runSync (the fast
 *     path's schemes) to 1e-13; a commuting Σ̂ through scoreCov = through scoreSpectrum to 1e-9;
 *  4. Monte Carlo: 4000 seeded runs of the vector sampler with the wrong score in data space; the
 *     sample variance along each eigenvector within 5 standard errors (v·√(2/N)) of scoreSpectrum's;
 *  5. errors name the option (RangeError/TypeError).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_SAMPLERS, createRng, init, resolveSamplerRun, runSamplerSync, runSync, w2Gaussian, type SamplerSpec,
} from '../dist/bindings/index.node.js';
import { randomOrthogonal } from './helpers/orthogonal.js';
import { denseLaw, fromEigen } from './reference/dense-score';
import { VECTOR_SAMPLERS, startLevels, vectorKey, type Ctx } from './conformance/vector-samplers';

const D = 4;
const LAMBDA = [2e-3, 0.3, 1.5, 9];
const LAMBDA_HAT = [5e-3, 0.2, 2.5, 7];
const U = randomOrthogonal(D, 7) as Float64Array;
const V = randomOrthogonal(D, 8) as Float64Array;
const SIGMA = fromEigen(U, LAMBDA, D);
const SIGMA_HAT_COMMUTING = fromEigen(U, LAMBDA_HAT, D);
const SIGMA_HAT = fromEigen(V, LAMBDA_HAT, D);
const GRIDS: Record<string, Record<string, unknown>> = {
  vp: { steps: 40, scheduler: 'uniform', schedulerParams: { eps: 1e-3 } },
  edm: { steps: 6, scheduler: 'karras' },
};

function rel(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

/** Start law of a run: a square-root factor R of C₀ (exact: α₀² Σ + σ₀² I; prior: the convention). */
function startFactor(process: string, r: ReturnType<typeof resolveSamplerRun>, start: 'exact' | 'prior'): Float64Array {
  const t0 = r.times[0];
  const p = r.processParams as Record<string, number>;
  const { a2, s2, prior } = startLevels(process, p, t0);
  const R = new Float64Array(D * D);
  for (let j = 0; j < D; j++) {
    const s = Math.sqrt(start === 'exact' ? a2 * LAMBDA[j] + s2 : prior);
    for (let i = 0; i < D; i++) R[i * D + j] = U[i * D + j] * s;
  }
  return R;
}

const trace = (m: Float64Array) => Array.from({ length: D }, (_, i) => m[i * D + i]).reduce((a, b) => a + b, 0);

beforeAll(async () => { await init(); });

describe.each(ALL_SAMPLERS.map((s) => [`${s.group} ${s.id}`, s] as const))('%s', (_name, spec: SamplerSpec) => {
  const process = spec.processes[0];
  const opts = { [spec.group]: spec.id, process, ...(spec.ownGrid ? {} : GRIDS[process]) };

  it('scoreSpectrum and scoreCov = the dense data-space law with the wrong score, both starts', () => {
    const r = resolveSamplerRun(opts);
    for (const start of ['exact', 'prior'] as const) {
      const R = startFactor(process, r, start);
      // §7a: the same eigenvectors.
      const a = runSamplerSync(LAMBDA, { ...opts, start, scoreSpectrum: LAMBDA_HAT, variances: true });
      const lawA = denseLaw(spec, a.params, r.processParams, r.times, SIGMA_HAT_COMMUTING, R, D, process);
      let scale = 1;
      for (let q = 0; q < D; q++) scale = Math.max(scale, Math.abs(lawA.cov[q * D + q]));
      let w2sq = 0;
      for (let i = 0; i < D; i++) {
        let v = 0;
        for (let p = 0; p < D; p++) for (let q = 0; q < D; q++) v += U[p * D + i] * lawA.cov[p * D + q] * U[q * D + i];
        expect(Math.abs(a.variances![i] - v), `variance ${i} ${start}`).toBeLessThanOrEqual(1e-12 * Math.abs(v) + 1e-13 * scale);
        w2sq += (Math.sqrt(Math.max(v, 0)) - Math.sqrt(LAMBDA[i])) ** 2;
      }
      expect(rel(a.w2!, Math.sqrt(w2sq)), `w2 ${start}`).toBeLessThanOrEqual(1e-9);
      // §7b: Σ̂ in other eigenvectors.
      const b = runSamplerSync(null, { ...opts, start, cov: SIGMA, scoreCov: SIGMA_HAT });
      const lawB = denseLaw(spec, b.params, r.processParams, r.times, SIGMA_HAT, R, D, process);
      const ref = w2Gaussian(null, lawB.cov, null, SIGMA);
      expect(Math.abs(b.w2! ** 2 - ref ** 2), `scoreCov w2 ${start}: ${b.w2} vs ${ref}`).toBeLessThanOrEqual(1e-10 * (trace(SIGMA) + trace(lawB.cov)));
      expect(b.trajectory).toEqual([]);
    }
  });

  it('λ̂ = λ gives the plain run bit for bit; a commuting Σ̂ gives the same W2 through both paths', () => {
    for (const start of ['exact', 'prior'] as const) {
      const plain = runSamplerSync(LAMBDA, { ...opts, start, variances: true });
      const same = runSamplerSync(LAMBDA, { ...opts, start, variances: true, scoreSpectrum: LAMBDA });
      expect(same.w2).toBe(plain.w2);
      expect(same.trajectory).toEqual(plain.trajectory);
      expect(Array.from(same.variances!)).toEqual(Array.from(plain.variances!));
      const viaSpectrum = runSamplerSync(LAMBDA, { ...opts, start, scoreSpectrum: LAMBDA_HAT });
      const viaCov = runSamplerSync(null, { ...opts, start, cov: SIGMA, scoreCov: SIGMA_HAT_COMMUTING });
      expect(rel(viaCov.w2!, viaSpectrum.w2!), `${start}: ${viaCov.w2} vs ${viaSpectrum.w2}`).toBeLessThanOrEqual(1e-9);
      const viaCovSame = runSamplerSync(null, { ...opts, start, cov: SIGMA, scoreCov: SIGMA });
      expect(Math.abs(viaCovSame.w2! ** 2 - plain.w2! ** 2)).toBeLessThanOrEqual(1e-10 * 2 * trace(SIGMA));
    }
  });
});

describe('paper schemes on the fast path (runSync)', () => {
  for (const scheme of ['em', 'ei', 'ddpm', 'em-alpha', 'euler', 'heun', 'rk4'] as const) {
    it(`${scheme}: scoreSpectrum = λ gives runSync's numbers to 1e-13; λ̂ ≠ λ = the general path`, () => {
      for (const init of ['pT', 'N0'] as const) {
        const o = { scheme, steps: 30, eps: 1e-3, init };
        const fast = runSync(LAMBDA, o);
        const same = runSync(LAMBDA, { ...o, scoreSpectrum: LAMBDA });
        expect(rel(same.w2!, fast.w2!)).toBeLessThanOrEqual(1e-13);
        same.trajectory.forEach((x, k) => expect(rel(x!, fast.trajectory[k]!)).toBeLessThanOrEqual(1e-13));
        const wrong = runSync(LAMBDA, { ...o, scoreSpectrum: LAMBDA_HAT });
        const general = runSamplerSync(LAMBDA, { scheme, steps: 30, schedulerParams: { eps: 1e-3 }, start: init === 'pT' ? 'exact' : 'prior', scoreSpectrum: LAMBDA_HAT });
        expect(wrong.w2).toBe(general.w2);
        expect(wrong.w2!).toBeGreaterThan(fast.w2!);
      }
    });
  }
});

describe('Monte Carlo in data space with the wrong score', () => {
  for (const id of ['euler_ancestral', 'dpmpp_2m']) {
    it(`${id}: sample variances along U within 5 SE of scoreSpectrum's (N = 4000)`, () => {
      const spec = ALL_SAMPLERS.find((s) => s.id === id && s.group === 'sampler')!;
      const opts = { sampler: id, steps: 6 };
      const r = resolveSamplerRun(opts);
      const exact = runSamplerSync(LAMBDA, { ...opts, start: 'prior', scoreSpectrum: LAMBDA_HAT, variances: true });
      const ref = VECTOR_SAMPLERS[vectorKey(spec)];
      const rng = createRng(20261127);
      const N = 4000;
      const sums = new Float64Array(D);
      const s0 = r.times[0];
      for (let n = 0; n < N; n++) {
        const ctx: Ctx = {
          problem: { d: D, sigma: SIGMA_HAT_COMMUTING, m: new Float64Array(D) }, times: r.times,
          process: r.processParams as Record<string, number>, params: exact.params as Record<string, any>, evals: { n: 0 },
          noise: () => rng.fillNormal(new Float64Array(D)),
        };
        const x0 = rng.fillNormal(new Float64Array(D)).map((z) => s0 * z);
        const y = ref.run(ctx, x0);
        for (let i = 0; i < D; i++) {
          let p = 0;
          for (let q = 0; q < D; q++) p += U[q * D + i] * y[q];
          sums[i] += p * p;
        }
      }
      for (let i = 0; i < D; i++) {
        const v = exact.variances![i];
        expect(Math.abs(sums[i] / N - v), `direction ${i}`).toBeLessThanOrEqual(5 * v * Math.sqrt(2 / N));
      }
    });
  }
});

describe('errors name the option', () => {
  const o = { sampler: 'euler' as const, steps: 4 };
  it('scoreSpectrum: length, negative, NaN, type', () => {
    expect(() => runSamplerSync(LAMBDA, { ...o, scoreSpectrum: [1, 2] })).toThrow(/^scoreSpectrum\.length/);
    expect(() => runSamplerSync(LAMBDA, { ...o, scoreSpectrum: [1, 2, -1, 3] })).toThrow(/scoreSpectrum\[2\]/);
    expect(() => runSamplerSync(LAMBDA, { ...o, scoreSpectrum: [1, 2, Number.NaN, 3] })).toThrow(/scoreSpectrum\[2\]/);
    expect(() => runSamplerSync(LAMBDA, { ...o, scoreSpectrum: 'x' as never })).toThrow(TypeError);
  });
  it('scoreCov: asymmetric, not PSD, size, without cov, with scoreSpectrum', () => {
    const asym = Float64Array.from(SIGMA_HAT);
    asym[1] += 1e-3;
    expect(() => runSamplerSync(null, { ...o, cov: SIGMA, scoreCov: asym })).toThrow(/^scoreCov is not symmetric/);
    const notPsd = fromEigen(V, [-0.5, 1, 2, 3], D);
    expect(() => runSamplerSync(null, { ...o, cov: SIGMA, scoreCov: notPsd })).toThrow(/^scoreCov is not positive semi-definite/);
    expect(() => runSamplerSync(null, { ...o, cov: SIGMA, scoreCov: [[1, 0], [0, 1]] })).toThrow(/^scoreCov must be the data covariance's size/);
    expect(() => runSamplerSync(null, { ...o, scoreCov: SIGMA_HAT })).toThrow(/^scoreCov must be given with cov/);
    expect(() => runSamplerSync(null, { ...o, cov: SIGMA })).toThrow(/^cov must be given only with scoreCov/);
    expect(() => runSamplerSync(null, { ...o, cov: SIGMA, scoreCov: SIGMA_HAT, scoreSpectrum: LAMBDA })).toThrow(/^scoreSpectrum must be absent/);
    expect(() => runSamplerSync(LAMBDA.slice(0, 3), { ...o, cov: SIGMA, scoreCov: SIGMA_HAT })).toThrow(/^spectrum\.length/);
    const notPsdData = fromEigen(U, [-0.5, 1, 2, 3], D);
    expect(() => runSamplerSync(null, { ...o, cov: notPsdData, scoreCov: SIGMA_HAT })).toThrow(/^cov is not positive semi-definite/);
  });
});

describe('scoreCovW2 (cpp gd_score_cov_w2) at n = 300: blocked products = the Procrustes Bures of the assembled Ĉ', () => {
  it('isotropic, Cholesky and singular (eigen-factor) paths: |ΔW2²| ≤ 1e-10 (tr Σ + tr Ĉ)', async () => {
    const { scoreCovW2, psdEigh } = await import('../dist/bindings/linalg/linalg.js');
    const n = 300;
    const Q = randomOrthogonal(n, 31) as Float64Array;
    const lam = Array.from({ length: n }, (_, i) => (i < 5 ? 0 : Math.exp(-i / 40)));
    const S = fromEigen(Q, lam, n);
    const H = fromEigen(randomOrthogonal(n, 32) as Float64Array, lam.map((l, i) => l * (1 + 0.3 * Math.sin(i))), n);
    const { values, vectors: Uh } = psdEigh('scoreCov', H);
    // G = Ûᵀ Σ Û
    const SU = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) { const s = S[i * n + k]; if (s !== 0) for (let j = 0; j < n; j++) SU[i * n + j] += s * Uh[k * n + j]; }
    const G = new Float64Array(n * n);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) { const u = Uh[k * n + i]; for (let j = 0; j < n; j++) G[i * n + j] += u * SU[k * n + j]; }
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) G[i * n + j] = G[j * n + i] = (G[i * n + j] + G[j * n + i]) / 2;
    const M = Float64Array.from(values, (l, i) => (i % 7 === 0 ? 0 : Math.sqrt(l / (l + 0.5))));
    for (const [a, singular] of [[0, false], [0.7, false], [0.7, true]] as const) {
      const gamma = Float64Array.from(M, (m, i) => (singular && m === 0 ? 0 : 0.2 * m * m + 0.01 * (1 + Math.cos(i))));
      const C = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) C[i * n + j] = a * M[i] * G[i * n + j] * M[j] + (i === j ? gamma[i] : 0);
      const ref = w2Gaussian(null, C, null, G);
      const r = scoreCovW2(S, Uh, M, gamma, a);
      const tr = lam.reduce((x, y) => x + y, 0) + r.trace;
      expect(Math.abs(r.w2sq - ref * ref), `a = ${a}, singular ${singular}: ${r.w2} vs ${ref}`).toBeLessThanOrEqual(1e-10 * tr);
    }
  });
});
