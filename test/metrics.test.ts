/**
 * Means, KL and per-eigenvalue errors (docs/metrics.md, docs/MATH-samplers.md §7a, §8):
 *  1. every registry sampler (both starts) with a data mean m and a different score mean m̂, in a
 *     random rotated basis at d = 6, against the independent dense reference
 *     (test/reference/dense-mean.ts: the plain-vector sampler in data coordinates by impulses, Bures
 *     W2 by Jacobi square roots, KL by Cholesky): output means and variances 1e-12 relative
 *     (+ 1e-13 × the largest variance), meanError 1e-10, W2² and KL 1e-9 relative + 1e-10
 *     absolute (the dense formulas cancel: tr C1 + tr C2 − 2 tr(…), tr(C2⁻¹C1) − d − ln det);
 *  2. identities: zero means give the centred numbers bit for bit (schemes and samplers, w2 and
 *     trajectory); W2² = meanError² + W2²(centred) when m̂ = m (1e-14); the scheme path equals
 *     the general kernel's run bit for bit; Σ per-direction W2² = W2² (1e-13);
 *  3. Monte Carlo in data space with a mean (seeded, 5 standard errors);
 *  4. KL: the 1-D formula, its stable small-difference form, infinities → null (never a large
 *     finite number), klGaussian (non-commuting) against the textbook formula at d = 5;
 *  5. the CLI contract `run --cov --mean --score-mean … --metric both --format json` against the
 *     dense reference, and its errors (exit 2 naming the flag).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ALL_SAMPLERS, ablation, createRng, errorBreakdown, init, klGaussian, klNormal, resolveSamplerRun, run, runSamplerSync, runSync, toNpy,
  type SamplerSpec,
} from '../dist/bindings/index.node.js';
import { randomOrthogonal } from './helpers/orthogonal.js';
import { VECTOR_SAMPLERS, vectorKey, type Ctx } from './conformance/vector-samplers';
import { denseKl, denseSamplerLaw, denseW2sq } from './reference/dense-mean';
import { close, startLaw } from './helpers/start-law';

const D = 6;
const LAMBDA = [2e-3, 0.05, 0.3, 0.7, 3, 40];
const U = randomOrthogonal(D, 1207) as Float64Array;
const M_EIG = [0.3, -1.2, 0.8, 2.0, -0.5, 1.5];
const MH_EIG = [0.25, -1.0, 0.9, 1.7, -0.5, 1.8];

const fromEig = (x: readonly number[]) => {
  const v = new Float64Array(D);
  for (let i = 0; i < D; i++) for (let r = 0; r < D; r++) v[r] += x[i] * U[r * D + i];
  return v;
};
const toEig = (x: Float64Array) => Float64Array.from({ length: D }, (_, i) => x.reduce((a, y, r) => a + y * U[r * D + i], 0));
const quad = (C: Float64Array, i: number, j: number) => {
  let s = 0;
  for (let r = 0; r < D; r++) for (let c = 0; c < D; c++) s += U[r * D + i] * C[r * D + c] * U[c * D + j];
  return s;
};
const SIGMA = (() => {
  const s = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let r = 0; r < D; r++) for (let c = 0; c < D; c++) s[r * D + c] += LAMBDA[i] * U[r * D + i] * U[c * D + i];
  return s;
})();
const MEAN = fromEig(M_EIG);
const SCORE_MEAN = fromEig(MH_EIG);

const GRIDS: Record<string, { steps: number; scheduler: string; schedulerParams?: Record<string, number> }> = {
  vp: { steps: 30, scheduler: 'uniform', schedulerParams: { eps: 1e-3 } },
  edm: { steps: 8, scheduler: 'karras' },
};
const gridOf = (spec: SamplerSpec, process: string) => (spec.ownGrid ? {} : GRIDS[process]);


beforeAll(async () => { await init(); });

describe.each(ALL_SAMPLERS.map((s) => [`${s.group} ${s.id}`, s] as const))('%s: wrong score mean vs the dense reference', (_n, spec) => {
  const process = spec.processes[0];
  it.each(['exact', 'prior'] as const)('start %s: means, variances, meanError, W2, KL', (start) => {
    const opts = { [spec.group]: spec.id, process, ...gridOf(spec, process), start };
    const r = resolveSamplerRun(opts);
    const out = runSamplerSync(LAMBDA, { ...opts, mean: M_EIG, scoreMean: MH_EIG, metric: 'both', variances: true, perEigenvalue: true });
    const { mu0, C0 } = startLaw(process, r.times[0], r.processParams, start, SIGMA, MEAN);
    const law = denseSamplerLaw(vectorKey(spec), D, SIGMA, SCORE_MEAN, r.times, r.processParams, out.params, mu0, C0, process);
    const mean = toEig(law.mean);
    let scale = 1;
    for (let q = 0; q < D; q++) scale = Math.max(scale, law.cov[q * D + q]);
    let meanSq = 0;
    for (let i = 0; i < D; i++) {
      const v = quad(law.cov, i, i);
      expect(close(out.variances![i], v, 1e-12, 1e-13 * scale), `variance ${i}: ${out.variances![i]} vs ${v}`).toBe(true);
      expect(close(out.outputMeans![i], mean[i], 1e-12, 1e-12), `mean ${i}: ${out.outputMeans![i]} vs ${mean[i]}`).toBe(true);
      meanSq += (mean[i] - M_EIG[i]) ** 2;
    }
    expect(close(out.meanError!, Math.sqrt(meanSq), 1e-10, 1e-12)).toBe(true);
    const w2sq = denseW2sq(law.mean, law.cov, MEAN, SIGMA, D);
    expect(close(out.w2! ** 2, w2sq, 1e-9, 1e-10), `W2² ${out.w2! ** 2} vs ${w2sq}`).toBe(true);
    const forward = denseKl(law.mean, law.cov, MEAN, SIGMA, D);
    const reverse = denseKl(MEAN, SIGMA, law.mean, law.cov, D);
    expect(close(out.kl!.forward!, forward, 1e-9, 1e-10), `KL forward ${out.kl!.forward} vs ${forward}`).toBe(true);
    expect(close(out.kl!.reverse!, reverse, 1e-9, 1e-10), `KL reverse ${out.kl!.reverse} vs ${reverse}`).toBe(true);
    // The per-direction parts add up to the totals.
    const pe = out.perEigenvalue!;
    const sum = (xs: (number | null)[]) => xs.reduce((a: number, x) => a + x!, 0);
    expect(close(sum(pe.w2sq), out.w2! ** 2, 1e-13, 0)).toBe(true);
    expect(close(sum(pe.klForward!), out.kl!.forward!, 1e-13, 0)).toBe(true);
    expect(close(sum(pe.w2Share), 1, 1e-14, 0)).toBe(true);
  });
});

describe('a wrong score covariance (same eigenvectors) and a wrong score mean together', () => {
  // λ̂ and m̂ both wrong: the dense reference runs the plain-vector sampler with the score of
  // N(m̂, Σ̂), Σ̂ = U diag(λ̂) Uᵀ; the engine pairs λ̂ with λ (docs/MATH-samplers.md §7a, §8).
  const LAMBDA_HAT = [5e-3, 0.04, 0.5, 0.6, 2.5, 30];
  const SIGMA_HAT = (() => {
    const s = new Float64Array(D * D);
    for (let i = 0; i < D; i++) for (let r = 0; r < D; r++) for (let c = 0; c < D; c++) s[r * D + c] += LAMBDA_HAT[i] * U[r * D + i] * U[c * D + i];
    return s;
  })();
  it.each([['sampler', 'euler'], ['sampler', 'dpmpp_2m_sde'], ['sampler', 'dpm_solver'], ['scheme', 'heun'], ['scheme', 'em']] as const)('%s %s: W2, KL and means against the dense reference', (group, id) => {
    const spec = ALL_SAMPLERS.find((x) => x.group === group && x.id === id)!;
    const process = spec.processes[0];
    const opts = { [group]: id, process, ...gridOf(spec, process), start: 'exact' as const };
    const r = resolveSamplerRun(opts);
    const out = runSamplerSync(LAMBDA, { ...opts, mean: M_EIG, scoreMean: MH_EIG, scoreSpectrum: LAMBDA_HAT, metric: 'both', variances: true });
    const { mu0, C0 } = startLaw(process, r.times[0], r.processParams, 'exact', SIGMA, MEAN);
    const law = denseSamplerLaw(vectorKey(spec), D, SIGMA_HAT, SCORE_MEAN, r.times, r.processParams, out.params, mu0, C0, process);
    const w2sq = denseW2sq(law.mean, law.cov, MEAN, SIGMA, D);
    expect(close(out.w2! ** 2, w2sq, 1e-9, 1e-10), `W2² ${out.w2! ** 2} vs ${w2sq}`).toBe(true);
    expect(close(out.kl!.forward!, denseKl(law.mean, law.cov, MEAN, SIGMA, D), 1e-9, 1e-10)).toBe(true);
    expect(close(out.kl!.reverse!, denseKl(MEAN, SIGMA, law.mean, law.cov, D), 1e-9, 1e-10)).toBe(true);
    const mean = toEig(law.mean);
    for (let i = 0; i < D; i++) expect(close(out.outputMeans![i], mean[i], 1e-12, 1e-12)).toBe(true);
    if (group === 'scheme') {
      // the paper's API routes the same options through the fast path + the general kernel
      const viaRun = runSync(LAMBDA, { scheme: id, steps: GRIDS.vp.steps, eps: 1e-3, init: 'pT', mean: M_EIG, scoreMean: MH_EIG, scoreSpectrum: LAMBDA_HAT, metric: 'both' } as never);
      expect(viaRun.w2).toBe(out.w2);
      expect(viaRun.kl).toEqual(out.kl);
    }
  });
});

describe('identities', () => {
  const lam = [0, 2e-3, 0.05, 0.7, 3, 40, 40];
  const zeros = new Array(lam.length).fill(0);
  const m = [0.3, -1.2, 0.8, 2.0, -0.5, 1.5, 0.1];

  it('zero means give the centred numbers bit for bit (samplers and schemes)', async () => {
    for (const o of [{ sampler: 'dpmpp_2m', steps: 10 }, { sampler: 'euler_ancestral', steps: 10, start: 'exact' }, { scheme: 'ei', steps: 40 }] as const) {
      const a = runSamplerSync(lam, o);
      const b = runSamplerSync(lam, { ...o, mean: zeros, scoreMean: zeros, metric: 'both', perEigenvalue: true });
      expect(b.w2).toBe(a.w2);
      expect(b.trajectory).toEqual(a.trajectory);
      expect(b.meanError).toBe(0);
    }
    for (const init of ['pT', 'N0'] as const) {
      const a = await run(lam, { scheme: 'heun', steps: 50, eps: 1e-3, init });
      const b = await run(lam, { scheme: 'heun', steps: 50, eps: 1e-3, init, mean: zeros, metric: 'both' });
      expect(b.w2).toBe(a.w2);
      expect(b.trajectory).toEqual(a.trajectory);
      expect(b.kl).toBeDefined();
    }
  });

  it('W2² = meanError² + W2²(centred) when the score mean is the data mean', () => {
    for (const o of [{ sampler: 'dpmpp_2m', steps: 10 }, { sampler: 'dpmpp_3m_sde', steps: 10 }, { scheme: 'em', steps: 100 }] as const) {
      const c = runSamplerSync(lam.slice(1), o);
      const w = runSamplerSync(lam.slice(1), { ...o, mean: m.slice(1) });
      expect(close(w.w2! ** 2, w.meanError! ** 2 + c.w2! ** 2, 1e-14, 0)).toBe(true);
    }
  });

  it('the scheme path (run) equals the general kernel run bit for bit with means', async () => {
    for (const init of ['pT', 'N0'] as const) {
      const a = await run(lam.slice(1), { scheme: 'ddpm', steps: 100, eps: 1e-3, init, mean: m.slice(1), scoreMean: m.slice(1).map((x) => 1.1 * x), metric: 'both' });
      const b = runSamplerSync(lam.slice(1), { scheme: 'ddpm', steps: 100, schedulerParams: { eps: 1e-3 }, start: init === 'pT' ? 'exact' : 'prior', mean: m.slice(1), scoreMean: m.slice(1).map((x) => 1.1 * x), metric: 'both' });
      expect(a.w2).toBe(b.w2);
      expect(a.trajectory).toEqual(b.trajectory);
      expect(a.kl).toEqual(b.kl);
      expect(a.meanError).toBe(b.meanError);
    }
  });

  it('the trajectory with a wrong score mean starts at the start law and ends at w2', () => {
    const r = runSamplerSync([0.5, 2], { sampler: 'euler', steps: 6, mean: [1, -1], scoreMean: [0.5, -1], start: 'exact' });
    expect(r.trajectory[0]).toBe(0);
    expect(r.trajectory[r.steps]).toBe(r.w2);
    const p = runSamplerSync([0.5, 2], { sampler: 'euler', steps: 6, mean: [1, -1], scoreMean: [0.5, -1] });
    const c = runSamplerSync([0.5, 2], { sampler: 'euler', steps: 6 });
    // k = 0, prior start N(0, σ₀²): mean error α₀ m = m on EDM.
    expect(close(p.trajectory[0]! ** 2, c.trajectory[0]! ** 2 + 2, 1e-14, 0)).toBe(true);
  });

  it('bad options name themselves', () => {
    expect(() => runSamplerSync([1, 2], { sampler: 'euler', steps: 2, mean: [1] })).toThrow(/mean\.length/);
    expect(() => runSamplerSync([1, 2], { sampler: 'euler', steps: 2, scoreMean: [1, Number.NaN] })).toThrow(/scoreMean\[1\]/);
    expect(() => runSamplerSync([1, 2], { sampler: 'euler', steps: 2, metric: 'tv' as never })).toThrow(/metric/);
    expect(() => runSamplerSync([1, 2], { sampler: 'euler', steps: 2, mean: [1, 2], means: [1, 2] })).toThrow(/mean/);
    expect(() => runSamplerSync([1, 2], { sampler: 'euler', steps: 2, perEigenvalue: 1 as never })).toThrow(TypeError);
  });
});

describe('Monte Carlo in data space with a mean and a wrong score mean (seeded)', () => {
  it('euler_ancestral, d = 6: sample means and variances in the eigenbasis within 5 standard errors', () => {
    const spec = ALL_SAMPLERS.find((s) => s.id === 'euler_ancestral')!;
    const opts = { sampler: 'euler_ancestral', steps: 6, start: 'prior' } as const;
    const r = resolveSamplerRun(opts);
    const out = runSamplerSync(LAMBDA, { ...opts, mean: M_EIG, scoreMean: MH_EIG, variances: true });
    const rng = createRng(20261127);
    const N = 20000;
    const sum = new Float64Array(D), sq = new Float64Array(D);
    const s0 = r.times[0];
    for (let n = 0; n < N; n++) {
      const ctx: Ctx = {
        problem: { d: D, sigma: SIGMA, m: SCORE_MEAN }, times: r.times, process: r.processParams, params: out.params, evals: { n: 0 },
        noise: () => rng.fillNormal(new Float64Array(D)),
      };
      const x = VECTOR_SAMPLERS[vectorKey(spec)].run(ctx, rng.fillNormal(new Float64Array(D)).map((z) => s0 * z));
      const e = toEig(x);
      for (let i = 0; i < D; i++) { sum[i] += e[i]; sq[i] += e[i] * e[i]; }
    }
    for (let i = 0; i < D; i++) {
      const mean = sum[i] / N;
      const v = sq[i] / N - mean * mean;
      const ev = out.variances![i];
      expect(Math.abs(mean - out.outputMeans![i]), `mean ${i}`).toBeLessThanOrEqual(5 * Math.sqrt(ev / N));
      expect(Math.abs(v - ev), `variance ${i}`).toBeLessThanOrEqual(5 * ev * Math.sqrt(2 / N));
    }
  });
});

describe('ablation --metric', () => {
  it('every cell has the KL of its run on the general kernel (1e-12), on one thread and two', async () => {
    const lam = [0.01, 0.05, 0.3, 1, 2, 5, 5];
    for (const threads of [1, 2]) {
      const t = await ablation(lam, { schemes: ['em', 'heun', 'ddpm'], nfe: [50, 100], eps: [1e-3], metric: 'both', threads });
      for (const c of t.cells) {
        const g = runSamplerSync(lam, { scheme: c.scheme, steps: c.steps, schedulerParams: { eps: c.eps }, start: c.init === 'pT' ? 'exact' : 'prior', metric: 'both' });
        expect(close(c.kl!.forward!, g.kl!.forward!, 1e-12, 0), `${c.scheme} ${c.nfe} ${c.init}`).toBe(true);
        expect(close(c.kl!.reverse!, g.kl!.reverse!, 1e-12, 0)).toBe(true);
      }
    }
    expect((await ablation(lam, { schemes: ['em'], nfe: [50], eps: [0] })).cells[0].kl).toBeUndefined();
  });
});

describe('KL', () => {
  it('CIFAR-10, Heun 10 steps: Karras ρ = 7 wins by W2, the exponential schedule by KL (issue 12)', async () => {
    const { parseNpy } = await import('../dist/bindings/index.node.js');
    const { readData } = await import('./helpers/data.js');
    const lam = parseNpy(readData('cifar10.npy')).data;
    const at = (scheduler: string) => runSamplerSync(lam, { sampler: 'heun', steps: 10, scheduler, metric: 'both' });
    const k = at('karras'), e = at('exponential');
    // Observed: W2 3.523 vs 6.183; KL(sampler‖data) 759.3 vs 148.7, KL(data‖sampler) 415.1 vs 132.2.
    expect(k.w2!).toBeLessThan(e.w2!);
    expect(k.kl!.forward!).toBeGreaterThan(e.kl!.forward!);
    expect(k.kl!.reverse!).toBeGreaterThan(e.kl!.reverse!);
  });

  it('the 1-D formula and its stable form', () => {
    expect(klNormal(0, 1, 0, 2)).toBeCloseTo(0.5 * (0.5 - 1 + Math.log(2)), 15);
    expect(klNormal(1, 2, -1, 3)).toBeCloseTo(0.5 * (2 / 3 - 1 - Math.log(2 / 3) + 4 / 3), 15);
    // v1 = v2(1 + x), x = 1e-6: ½(x − log1p x) = x²/4 − x³/6 + … (the naive form keeps ~6 digits)
    const v = 1 + 1e-6;
    const x = v - 1; // exact (Sterbenz)
    expect(close(klNormal(0, v, 0, 1)!, x * x / 4 - x ** 3 / 6 + x ** 4 / 8, 1e-14, 0)).toBe(true);
    // and at x = 0.05 (series branch) against x − log1p(x) evaluated directly (loses ~1.3 digits)
    expect(close(klNormal(0, 1.05, 0, 1)!, 0.5 * ((1.05 - 1) - Math.log1p(1.05 - 1)), 1e-13, 0)).toBe(true);
    expect(klNormal(0, 1, 0, 1)).toBe(0);
  });

  it('infinite or undefined → null, never a large finite number', () => {
    expect(klNormal(0, 1, 0, 0)).toBeNull();
    expect(klNormal(0, 0, 0, 1)).toBeNull();
    expect(klNormal(1, 0, 0, 0)).toBeNull();
    expect(klNormal(0, 0, 0, 0)).toBe(0);
    expect(klNormal(0, Number.NaN, 0, 1)).toBeNull();
    expect(klNormal(0, Infinity, 0, 1)).toBeNull();
    // λ = 0 with a positive output variance (conventional start): both directions infinite.
    // (the grid stops at σ = 0.5 > 0: the λ = 0 direction keeps a positive variance)
    const r = runSamplerSync([0, 1, 4], { sampler: 'euler', sigmas: [80, 5, 0.5], metric: 'both', perEigenvalue: true });
    expect(r.kl).toEqual({ forward: null, reverse: null });
    expect(r.perEigenvalue!.klForward![0]).toBeNull();
    expect(r.perEigenvalue!.klForward![1]).toBeGreaterThan(0);
    expect(r.w2).not.toBeNull();
  });

  it('klGaussian (non-commuting) = the textbook formula at d = 5', () => {
    const d = 5;
    const rng = createRng(99);
    const spd = () => {
      const a = rng.fillNormal(new Float64Array(d * d));
      const s = new Float64Array(d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) s[i * d + j] += a[i * d + k] * a[j * d + k];
      for (let i = 0; i < d; i++) s[i * d + i] += 0.1;
      return s;
    };
    const S1 = spd(), S2 = spd();
    const m1 = rng.fillNormal(new Float64Array(d)), m2 = rng.fillNormal(new Float64Array(d));
    expect(close(klGaussian(m1, S1, m2, S2, d)!, denseKl(m1, S1, m2, S2, d), 1e-11, 0)).toBe(true);
    expect(close(klGaussian(null, S2, null, S1, d)!, denseKl(new Float64Array(d), S2, new Float64Array(d), S1, d), 1e-11, 0)).toBe(true);
    expect(klGaussian(m1, S1, m1, S1, d)!).toBeLessThanOrEqual(1e-14);
    // Singular: null (KL infinite).
    expect(klGaussian(null, [[1, 0], [0, 0]], null, [[1, 0], [0, 1]])).toBeNull();
    expect(klGaussian(null, [[1, 0], [0, 1]], null, [[1, 1], [1, 1]])).toBeNull();
    expect(() => klGaussian(null, [[1, 0], [0, -1]], null, [[1, 0], [0, 1]])).toThrow(/S1/);
    expect(() => klGaussian([1], [[1, 0], [0, 1]], null, [[1, 0], [0, 1]])).toThrow(/m1\.length/);
    expect(() => klGaussian(null, [[1, 0], [0, 1]], null, [[1]])).toThrow(/S2/);
  });
});

describe('error breakdown (truncation, discretization, initialization, score)', () => {
  const lam = [0.01, 0.05, 0.3, 1, 2, 5];
  const m = [1, -0.5, 0.2, 0.8, -1, 0.3];
  const mh = m.map((x, i) => x + 0.05 * (i - 2));
  const sigmas = [80, 20, 5, 1, 0.2, 0.02];

  it('the stages are the direct runs; the parts add up to the total W2²', () => {
    const b = errorBreakdown(lam, { sampler: 'dpmpp_2m', sigmas, mean: m, scoreMean: mh });
    expect(b.stages.map((s) => s.stage)).toEqual(['truncation', 'discretization', 'initialization', 'score']);
    const direct = (o: object) => runSamplerSync(lam, { sampler: 'dpmpp_2m', sigmas, mean: m, ...o }).w2;
    expect(b.stages[1].w2).toBe(direct({ start: 'exact' }));
    expect(b.stages[2].w2).toBe(direct({ start: 'prior' }));
    expect(b.stages[3].w2).toBe(direct({ start: 'prior', scoreMean: mh }));
    const total = Object.values(b.parts).reduce((a: number, x) => a + x!, 0);
    expect(close(total, b.stages[3].w2! ** 2, 1e-14, 0)).toBe(true);
    // Truncation at σ = 0.02: the exact marginal N(m, λ + σ²) against N(m, λ).
    const t = lam.reduce((a, l) => a + (Math.sqrt(l + 0.02 ** 2) - Math.sqrt(l)) ** 2, 0);
    expect(close(b.stages[0].w2! ** 2, t, 1e-14, 0)).toBe(true);
  });

  it('the truncation stage is the limit of the sampler on a fine grid (exact start, exact score)', () => {
    // Heun is second order: 20000 geometric steps from 80 to σ = 0.02 (no final step to 0) leave a
    // discretization error far below the truncation (2000 steps: 5e-4 relative on W2, observed);
    // the bound is 1e-4 relative.
    const fine = Array.from({ length: 20001 }, (_, k) => 80 * (0.02 / 80) ** (k / 20000));
    const b = errorBreakdown(lam, { sampler: 'heun', sigmas: fine, mean: m });
    expect(b.stages).toHaveLength(3);
    expect(close(b.stages[1].w2!, b.stages[0].w2!, 1e-4, 0)).toBe(true);
  });
});

describe('CLI: run --cov --mean --score-mean --metric both --format json', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const bin = path.join(root, 'bin', 'gaussdiff.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-metrics-'));
  const cli = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir }, (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }));
  });
  const file = (name: string, data: Float64Array, shape: number[]) => {
    const f = path.join(dir, name);
    writeFileSync(f, toNpy({ shape, data }));
    return f;
  };

  it('the contract, against the dense reference', async () => {
    const cov = file('cov.npy', SIGMA, [D, D]);
    const mean = file('m.npy', MEAN, [D]);
    const scoreMean = file('mh.npy', SCORE_MEAN, [D]);
    const sigmas = [80, 20, 5, 1, 0.2, 0];
    const { code, stdout, stderr } = await cli('run', '--cov', cov, '--mean', mean, '--score-mean', scoreMean, '--sampler', 'dpmpp_2m', '--sigmas', sigmas.join(','), '--metric', 'both', '--format', 'json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const j = JSON.parse(stdout);
    const spec = ALL_SAMPLERS.find((s) => s.id === 'dpmpp_2m')!;
    const { mu0, C0 } = startLaw('edm', 80, {}, 'prior', SIGMA, MEAN);
    const law = denseSamplerLaw(vectorKey(spec), D, SIGMA, SCORE_MEAN, Float64Array.from(sigmas), {}, {}, mu0, C0);
    expect(close(j.w2 ** 2, denseW2sq(law.mean, law.cov, MEAN, SIGMA, D), 1e-9, 1e-10)).toBe(true);
    expect(close(j.kl.forward, denseKl(law.mean, law.cov, MEAN, SIGMA, D), 1e-9, 1e-10)).toBe(true);
    expect(close(j.kl.reverse, denseKl(MEAN, SIGMA, law.mean, law.cov, D), 1e-9, 1e-10)).toBe(true);
    // --scheme: the same keys; --metric kl drops w2.
    const s = await cli('run', '--cov', cov, '--mean', mean, '--scheme', 'heun', '--steps', '20', '--eps', '1e-3', '--metric', 'kl', '--no-trajectory');
    expect(s.code).toBe(0);
    const k = JSON.parse(s.stdout);
    expect(k.w2).toBeUndefined();
    expect(typeof k.kl.forward).toBe('number');
    expect(typeof k.meanError).toBe('number');
  });

  it('null for an infinite KL, exit 2 naming the flag', async () => {
    const lam = file('lam.npy', Float64Array.of(0, 1, 4), [3]);
    const r = await cli('run', '--spectrum', lam, '--sampler', 'euler', '--sigmas', '80,5,0.5', '--metric', 'both', '--per-eigenvalue');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.kl).toEqual({ forward: null, reverse: null });
    expect(j.perEigenvalue.klForward[0]).toBeNull();
    const bad = await cli('run', '--spectrum', lam, '--sampler', 'euler', '--steps', '3', '--metric', 'tv');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--metric/);
    const short = file('short.npy', Float64Array.of(1, 2), [2]);
    const len = await cli('run', '--spectrum', lam, '--scheme', 'em', '--steps', '10', '--mean', short);
    expect(len.code).toBe(2);
    expect(len.stderr).toMatch(/--mean/);
    const table = await cli('ablation', '--spectrum', lam, '--metric', 'kl', '--format', 'csv');
    expect(table.code).toBe(2);
    expect(table.stderr).toMatch(/--metric kl needs --format json/);
    const data = await cli('run', '--data', 'mnist', '--scheme', 'em', '--steps', '10', '--score-mean', short);
    expect(data.code).toBe(2);
    expect(data.stderr).toMatch(/--score-mean/);
  });

  it('--texture F --mean texture: the mean colour image, on one λ = 0 direction', async () => {
    const png = path.join(root, 'test', 'fixtures', 'data', 'fabric.png');
    const { decodePng, adsnSpectrum } = await import('../dist/bindings/index.node.js');
    const { readFileSync } = await import('node:fs');
    const image = await decodePng(readFileSync(png), 'fabric.png');
    const n = image.width * image.height;
    const mu = [0, 1, 2].map((c) => image.data.reduce((a, x, i) => (i % 3 === c ? a + x : a), 0) / n);
    const model = await adsnSpectrum(readFileSync(png), 'fabric.png');
    const mean = new Float64Array(model.values.length);
    mean[model.values.findIndex((x) => x === 0)] = Math.sqrt(n * (mu[0] ** 2 + mu[1] ** 2 + mu[2] ** 2));
    const r = await cli('run', '--texture', png, '--mean', 'texture', '--scheme', 'em', '--steps', '50', '--no-trajectory', '--format', 'json');
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    const api = await run(model.values, { scheme: 'em', steps: 50, mean });
    expect(close(j.meanError, api.meanError!, 1e-12, 0)).toBe(true);
    expect(close(j.w2, api.w2!, 1e-12, 0)).toBe(true);
    const centred = await run(model.values, { scheme: 'em', steps: 50 });
    expect(close(j.w2 ** 2, centred.w2! ** 2 + j.meanError ** 2, 1e-12, 0)).toBe(true);
    expect(j.meanError).toBeGreaterThan(0);
    expect((await cli('run', '--texture', png, '--mean', 'm.json', '--scheme', 'em', '--steps', '5')).code).toBe(2);
  });

  it('figure --kind breakdown: SVG and its numbers', async () => {
    const cov = file('cov2.npy', SIGMA, [D, D]);
    const mean = file('m2.npy', MEAN, [D]);
    const scoreMean = file('mh2.npy', SCORE_MEAN, [D]);
    const args = ['figure', '--kind', 'breakdown', '--cov', cov, '--mean', mean, '--score-mean', scoreMean, '--sampler', 'dpmpp_2m', '--sigmas', '80,20,5,1,0.2,0.02'];
    const svg = await cli(...args);
    expect(svg.code).toBe(0);
    expect(svg.stdout).toMatch(/^<svg xmlns=/);
    const j = JSON.parse((await cli(...args, '--format', 'json')).stdout);
    expect(Object.keys(j.settings.parts)).toEqual(['truncation', 'discretization', 'initialization', 'score']);
    const scheme = await cli('figure', '--kind', 'breakdown', '--cov', cov, '--scheme', 'heun', '--steps', '20', '--eps', '1e-3', '--format', 'json');
    expect(scheme.code).toBe(0);
    expect(JSON.parse(scheme.stdout).panels[0].series).toHaveLength(3);
    const bad = await cli('figure', '--kind', 'breakdown', '--cov', cov, '--steps', '20');
    expect(bad.code).toBe(2);
  });
});
