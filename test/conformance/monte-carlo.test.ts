/**
 * Monte Carlo check of every stochastic registry entry (docs/MATH-samplers.md §13): the
 * independent plain-vector implementation (vector-samplers.ts) driven by seeded normal noises in a
 * random rotated basis (d = 6, nonzero mean, the prior start) gives, per eigen-direction, a sample
 * mean and variance consistent with the exact law from the core. This checks the impulse method
 * of samplers.test.ts itself (superposition), with real noise.
 * Bounds: n = 20,000 draws; z-scores of the mean (σ/√n) and of the variance (the χ²_{n−1} normal
 * approximation, sd √(2/(n−1))) within 4.3: two-sided level 1.7e-5 each, family-wise ≤ 2.1e-4 over
 * the 12 z-scores of one case (Bonferroni). Power: a 5 % error in a variance is 7 standard
 * errors. Fixed seeds: the outcome is deterministic.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_SAMPLERS, createRng, init, resolveSamplerRun, runSamplerSync } from '../../dist/bindings/index.node.js';
import { randomOrthogonal } from '../helpers/orthogonal.js';
import { VECTOR_SAMPLERS, startLevels, vectorKey, type Ctx } from './vector-samplers';

const D = 6;
const N = 20_000;
const Z = 4.3;
const LAMBDA = [0, 2e-3, 0.05, 0.7, 3, 40];
const M_EIG = [0.3, -1.2, 0.8, 2.0, -0.5, 1.5];
const U = randomOrthogonal(D, 7) as Float64Array;
const GRIDS: Record<string, { steps: number; scheduler: string; schedulerParams?: Record<string, number> }> = {
  vp: { steps: 25, scheduler: 'uniform', schedulerParams: { eps: 1e-3 } },
  edm: { steps: 9, scheduler: 'karras' },
};

const sigma = new Float64Array(D * D);
const mean = new Float64Array(D);
for (let i = 0; i < D; i++) {
  for (let r = 0; r < D; r++) {
    mean[r] += M_EIG[i] * U[r * D + i];
    for (let c = 0; c < D; c++) sigma[r * D + c] += LAMBDA[i] * U[r * D + i] * U[c * D + i];
  }
}

beforeAll(async () => { await init(); });

const cases = ALL_SAMPLERS.flatMap((spec) =>
  [{}, ...(VECTOR_SAMPLERS[vectorKey(spec)]?.paramSets ?? [])].map((params) => ({ spec, params })),
).filter(({ spec, params }) => spec.kind === 'sde' || (params as Record<string, number>).s_churn > 0); // the stochastic ones

describe.each(cases.map((c) => [`${c.spec.group} ${c.spec.id} ${JSON.stringify(c.params)}`, c] as const))('%s', (_n, { spec, params }) => {
  it(`sample means and variances within ${Z} standard errors of the exact law (n = ${N})`, () => {
    const process = spec.processes[0];
    // Own-grid samplers with long default grids (diffusers' DDPM: 1000 steps) run 50 steps here:
    // 20000 vector runs of 1000 steps take minutes (their defaults' laws are checked by samplers.test.ts).
    const long = spec.stepsParam !== undefined && !(spec.stepsParam in params) && resolveSamplerRun({ [spec.group]: spec.id, process }).times.length > 101;
    const opts = { [spec.group]: spec.id, process, params: long ? { ...params, [spec.stepsParam!]: 50 } : params, ...(spec.ownGrid ? {} : GRIDS[process]) };
    const r = resolveSamplerRun(opts);
    const exact = runSamplerSync(LAMBDA, { ...opts, start: 'prior', means: M_EIG, variances: true });
    const rng = createRng(1234);
    const prior = startLevels(process, r.processParams, r.times[0]).prior;
    const ref = VECTOR_SAMPLERS[vectorKey(spec)];
    const sum = new Float64Array(D), sq = new Float64Array(D);
    for (let j = 0; j < N; j++) {
      const ctx: Ctx = {
        problem: { d: D, sigma, m: mean }, times: r.times, process: r.processParams, model: process, params: r.params, evals: { n: 0 },
        noise: () => rng.fillNormal(new Float64Array(D)),
      };
      const x0 = rng.fillNormal(new Float64Array(D)).map((v) => Math.sqrt(prior) * v);
      const x = ref.run(ctx, x0);
      for (let i = 0; i < D; i++) {
        let p = 0;
        for (let q = 0; q < D; q++) p += U[q * D + i] * x[q];
        sum[i] += p;
        sq[i] += p * p;
      }
    }
    for (let i = 0; i < D; i++) {
      const m = sum[i] / N;
      const v = (sq[i] - N * m * m) / (N - 1);
      const v0 = exact.variances![i];
      const m0 = exact.outputMeans![i];
      // A law whose standard deviation is below what the sample variance (Σx² − N m², cancelling
      // to ~1e-16 m²) resolves (dpm_2_ancestral with η > 1 draws no noise and contracts the start
      // by Π c(σ)) has only its mean checked.
      if (Math.sqrt(v0) > 1e-6 * Math.max(1, Math.abs(m0))) {
        expect(Math.abs(m - m0) / Math.sqrt(v0 / N), `mean z, λ = ${LAMBDA[i]}`).toBeLessThanOrEqual(Z);
        expect(Math.abs(v / v0 - 1) / Math.sqrt(2 / (N - 1)), `variance z, λ = ${LAMBDA[i]}: ${v} vs ${v0}`).toBeLessThanOrEqual(Z);
      } else {
        expect(Math.abs(m - m0), `mean, λ = ${LAMBDA[i]}`).toBeLessThanOrEqual(Z * Math.sqrt(v0 / N) + 1e-12 * Math.max(1, Math.abs(m0)));
      }
    }
  });
});
