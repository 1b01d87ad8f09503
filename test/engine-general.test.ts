/**
 * The general engine (assembly/kernels/general.ts via runSampler):
 *  - the paper's seven schemes as registry entries reproduce the fast path (assembly/discrete.ts,
 *    `run`) on the CIFAR-10 spectrum: final W2, trajectory and per-eigenvalue variances, both
 *    starts, ε ∈ {0, 1e-3}, K ∈ {49, 999}. Tolerance 1e-13 relative (observed: identical bits —
 *    the uniform grid carries the fast path's h = (T − ε)/K and the m = 1 kernel its arithmetic);
 *    null (undefined) cells must stay null.
 *  - k-diffusion euler, dpmpp_2m and euler_ancestral on CIFAR-10, Karras ρ = 7 on [0.002, 80], start 80·z, against
 *    the reference numbers of docs/MATH-samplers.md §12.9 (printed with 3 decimals: ±5e-4).
 *  - small identities: one dpmpp_2m step to σ = 0 is x' = D, v = c(s)² v₀.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_SAMPLERS, init, parseNpy, run, runSamplerSync } from '../dist/bindings/index.node.js';
import { readData } from './helpers/data.js';

const cifar = () => parseNpy(readData('cifar10.npy')).data;

function rel(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : Infinity;
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

beforeAll(async () => { await init(); });

describe('paper schemes: general path = fast path (CIFAR-10)', () => {
  const lam = cifar();
  for (const scheme of ['em', 'ei', 'ddpm', 'em-alpha', 'euler', 'heun', 'rk4']) {
    it(scheme, async () => {
      let worst = 0;
      for (const eps of [0, 1e-3]) {
        for (const K of [49, 999]) {
          for (const init of ['pT', 'N0'] as const) {
            const alpha = scheme === 'em-alpha' ? 0.5 : undefined;
            const fast = await run(lam, { scheme: scheme as 'em', steps: K, eps, init, alpha, variances: true });
            const gen = runSamplerSync(lam, {
              scheme, steps: K, schedulerParams: { eps }, start: init === 'pT' ? 'exact' : 'prior',
              params: alpha === undefined ? {} : { alpha }, variances: true,
            });
            expect(gen.times).toEqual(fast.times);
            expect(gen.nfe).toBe(fast.nfe);
            worst = Math.max(worst, rel(fast.w2, gen.w2));
            fast.trajectory.forEach((x, k) => (worst = Math.max(worst, rel(x, gen.trajectory[k]))));
            fast.variances!.forEach((x, i) => {
              if (Number.isFinite(x)) worst = Math.max(worst, rel(x, gen.variances![i]));
              else expect(Number.isFinite(gen.variances![i])).toBe(false);
            });
          }
        }
      }
      expect(worst).toBeLessThanOrEqual(1e-13);
    });
  }
});

describe('k-diffusion samplers on CIFAR-10 (docs/MATH-samplers.md §12.9)', () => {
  const lam = cifar();
  const table: Record<string, number[]> = {
    euler: [5.923, 3.387, 1.333, 0.761],
    dpmpp_2m: [3.228, 0.937, 0.239, 0.252],
    euler_ancestral: [9.213, 5.859, 2.376, 1.232],
  };
  for (const [sampler, want] of Object.entries(table)) {
    it(`${sampler}: W2 at n = 10, 18, 50, 100 sigmas`, () => {
      [10, 18, 50, 100].forEach((n, j) => {
        const r = runSamplerSync(lam, { sampler, steps: n });
        expect(r.nfe).toBe(n);
        expect(r.times[0]).toBe(80);
        expect(r.times[n]).toBe(0);
        const half = 5e-4; // printed with 3 decimals
        expect(Math.abs(r.w2! - want[j]), `n = ${n}: ${r.w2}`).toBeLessThanOrEqual(half);
      });
    });
  }
});

describe('identities', () => {
  it('one dpmpp_2m step to σ = 0 is the denoiser: v = c(s)² v₀, c = λ/(λ + s²)', () => {
    const lam = [0, 0.3, 2, 50];
    const s = 3;
    for (const start of ['exact', 'prior'] as const) {
      const r = runSamplerSync(lam, { sampler: 'dpmpp_2m', times: [s, 0], start, variances: true });
      lam.forEach((l, i) => {
        const c = l / (l + s * s);
        const v0 = start === 'exact' ? l + s * s : s * s;
        expect(rel(r.variances![i], c * c * v0)).toBeLessThanOrEqual(1e-15);
      });
    }
  });
  it('a user grid without step sizes uses h_k = t_k − t_{k+1} (differs from the uniform builder only by rounding)', () => {
    const lam = [0.1, 1, 10];
    const a = runSamplerSync(lam, { scheme: 'heun', steps: 20, schedulerParams: { eps: 1e-3 } });
    const b = runSamplerSync(lam, { scheme: 'heun', times: a.times });
    expect(rel(a.w2, b.w2)).toBeLessThanOrEqual(1e-12);
  });
});

/** The parameter that sizes a self-gridded sampler's grid: dpm_fast's `n`, DPM-Solver's and UniPC's `steps`. */
function ownGridSize(spec: { params: readonly { name: string }[] }): string {
  return spec.params.some((p) => p.name === 'n') ? 'n' : 'steps';
}

describe('edge cases (every registry entry on its first process and default grid)', () => {
  it('λ = 0 and huge λ (1e12): finite positive variances; on EDM (σ ≪ √λ) the exact start keeps huge λ to 2σ_max²/λ', () => {
    for (const spec of ALL_SAMPLERS) {
      const opts = spec.ownGrid
        ? { [spec.group]: spec.id, params: { [spec.stepsParam ?? ownGridSize(spec)]: 10 } } // own grids: dpm_fast's n, EDM's num_steps, diffusers' num_inference_steps, DPM-Solver's steps
        : { [spec.group]: spec.id, steps: spec.processes[0] === 'vp' ? 40 : 10, ...(spec.processes[0] === 'vp' ? { schedulerParams: { eps: 1e-3 } } : {}) };
      const r = runSamplerSync([0, 1e12], { ...opts, start: 'exact', variances: true });
      expect(r.variances!.every(Number.isFinite), `${spec.id}`).toBe(true);
      expect(r.variances![1]).toBeGreaterThan(0);
      // On VP the paper's schemes keep their own discretisation error at huge λ (EM: 0.4 relative
      // with 40 steps); on EDM the denoiser is ≈ the identity there and nothing moves.
      // (the discretisation error there is of order σ_max²/λ = 6.4e-9)
      if (spec.processes[0] === 'edm') expect(Math.abs(r.variances![1] / 1e12 - 1), `${spec.id} huge λ`).toBeLessThanOrEqual(2 * 80 ** 2 / 1e12);
    }
  });
  it('one step', () => {
    for (const spec of ALL_SAMPLERS) {
      if (spec.id === 'ddpm' && spec.group === 'scheme') continue; // 2hβ < 1 needs ≥ 21 steps
      if (spec.stepsParam === 'num_steps') continue; // edm_sampler, ablation_sampler divide by num_steps − 1: at least 2 steps
      // (DPM-Solver and UniPC reject steps < order: one step is order 1)
      const size = spec.stepsParam ?? ownGridSize(spec);
      const grid = spec.ownGrid ? { params: size === 'steps' ? { steps: 1, order: 1 } : { [size]: 1 } } : { steps: 1, ...(spec.processes[0] === 'vp' ? { schedulerParams: { eps: 1e-3 } } : {}) };
      const r = runSamplerSync([0.5, 2], { [spec.group]: spec.id, ...grid });
      expect(r.times.length).toBe(2);
      expect(r.trajectory.length).toBe(2);
      expect(r.w2 === null || Number.isFinite(r.w2)).toBe(true);
    }
  });
  it('ε = 0 with a zero eigenvalue: the paper ODE schemes that divide by λ_0 = 0 give null, never NaN', () => {
    for (const scheme of ['heun', 'rk4'] as const) {
      expect(runSamplerSync([0, 1], { scheme, steps: 10 }).w2).toBeNull();
    }
  });
  it('NaN, infinite or negative input is rejected naming it', () => {
    expect(() => runSamplerSync([1, Number.NaN], { sampler: 'dpmpp_2m', steps: 5 })).toThrow(/spectrum\[1\]/);
    expect(() => runSamplerSync([1, -2], { sampler: 'dpmpp_2m', steps: 5 })).toThrow(/spectrum\[1\]/);
    expect(() => runSamplerSync([1, 2], { sampler: 'dpmpp_2m', steps: 5, means: [1] })).toThrow(/means\.length/);
    expect(() => runSamplerSync([1, 2], { sampler: 'dpmpp_2m', steps: 5, means: [1, Number.NaN] })).toThrow(/means\[1\]/);
  });
});
