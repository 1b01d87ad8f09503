/**
 * k-diffusion samplers: the reference numbers of docs/MATH-samplers.md §12.9 on CIFAR-10 (Karras
 * ρ = 7 on [0.002, 80], n sigmas = n steps, start 80·z, W2 against the data, printed to the digits
 * shown: ± half a unit of the last digit), §12.1's correlated-noise trap of dpmpp_sde, and the
 * known traps of the first/last steps: Heun-type samplers skip the evaluation at σ = 0 (NFE 2N − 1),
 * `lms` integrates its extrapolating polynomial down to 0 (no denoising last step).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { init, parseNpy, runSamplerSync } from '../dist/bindings/index.node.js';
import { readData } from './helpers/data.js';

const cifar = () => parseNpy(readData('cifar10.npy')).data;
const N = [10, 18, 50, 100];

beforeAll(async () => { await init(); });

describe('CIFAR-10 (docs/MATH-samplers.md §12.9)', () => {
  const lam = cifar();
  // [sampler, params, W2 at n = 10, 18, 50, 100, NFE rule]
  const table: [string, Record<string, number | string>, string[], (n: number) => number][] = [
    ['heun', {}, ['3.523', '0.851', '0.238', '0.252'], (n) => 2 * n - 1],
    ['lms', {}, ['3.207', '0.856', '0.272', '0.262'], (n) => n],
    ['dpmpp_sde', {}, ['2.576', '0.882', '0.105', '0.028'], (n) => 2 * n - 1],
    ['dpmpp_2m_sde', {}, ['5.288', '2.364', '0.286', '0.066'], (n) => n],
    ['dpmpp_3m_sde', {}, ['19.70', '1.933', '0.115', '0.030'], (n) => n],
    // Not in §12.9: computed by this engine (their per-eigenvalue laws are checked against
    // k-diffusion's own code by test/kdiffusion-fixtures.test.ts), pinned against regressions.
    ['dpm_2', {}, ['1.950', '0.4851', '0.2419', '0.2552'], (n) => 2 * n - 1],
    ['dpm_2_ancestral', {}, ['9.636', '2.459', '0.2718', '0.06357'], (n) => 2 * n - 1],
    ['dpmpp_2s_ancestral', {}, ['4.040', '1.573', '0.2442', '0.06743'], (n) => 2 * n - 1],
    ['dpmpp_2m_sde', { solver_type: 'heun' }, ['20.14', '6.003', '0.5196', '0.1143'], (n) => n],
  ];
  for (const [sampler, params, want, nfe] of table) {
    it(`${sampler} ${JSON.stringify(params)}: W2 at n = ${N.join(', ')}`, () => {
      N.forEach((n, j) => {
        const r = runSamplerSync(lam, { sampler: sampler as never, steps: n, params });
        expect(r.nfe).toBe(nfe(n));
        const digits = want[j].split('.')[1].length;
        expect(Math.abs(r.w2! - Number(want[j])), `n = ${n}: ${r.w2}`).toBeLessThanOrEqual(0.5 * 10 ** -digits);
      });
    });
  }

  it('dpm_fast {n = 10, 18, 50, 100} (its own grid on [0.002, 80], ending at 0.002; computed here, pinned)', () => {
    ['2.088', '0.2631', '0.2534', '0.2602'].forEach((want, j) => {
      const r = runSamplerSync(lam, { sampler: 'dpm_fast', params: { n: N[j] } });
      expect(r.nfe).toBe(N[j]);
      expect(r.steps).toBe(Math.floor(N[j] / 3) + 1);
      expect(r.times[r.steps]).toBeCloseTo(0.002, 15);
      expect(Math.abs(r.w2! - Number(want)), `n = ${N[j]}: ${r.w2}`).toBeLessThanOrEqual(0.5 * 10 ** -want.split('.')[1].length);
    });
  });

  it('§12.1: dpmpp_sde at 50 sigmas is 0.105 with its Brownian-tree noises and 2.113 with independent ones (20×)', () => {
    const brownian = runSamplerSync(lam, { sampler: 'dpmpp_sde', steps: 50 }).w2!;
    const iid = runSamplerSync(lam, { sampler: 'dpmpp_sde', steps: 50, params: { noise_sampler: 'independent' } }).w2!;
    expect(Math.abs(brownian - 0.105)).toBeLessThanOrEqual(5e-4);
    expect(Math.abs(iid - 2.113)).toBeLessThanOrEqual(5e-4);
    expect(iid / brownian).toBeGreaterThan(19);
  });

  it('2M-SDE with η = 0 is DPM-Solver++(2M) (§12.5), bit for bit up to rounding', () => {
    for (const n of N) {
      const a = runSamplerSync(lam, { sampler: 'dpmpp_2m_sde', steps: n, params: { eta: 0 } }).w2!;
      const b = runSamplerSync(lam, { sampler: 'dpmpp_2m', steps: n }).w2!;
      expect(Math.abs(a - b) / b).toBeLessThanOrEqual(1e-12);
    }
  });
});

describe('first and last steps', () => {
  const lam = [0, 1e-3, 0.3, 7, 100];

  it('Heun-type samplers skip the evaluation at σ = 0: NFE 2N − 1 on a grid ending at 0, 2N otherwise', () => {
    for (const sampler of ['heun', 'dpm_2', 'dpm_2_ancestral', 'dpmpp_2s_ancestral', 'dpmpp_sde'] as const) {
      expect(runSamplerSync(lam, { sampler, steps: 7 }).nfe, sampler).toBe(13);
      expect(runSamplerSync(lam, { sampler, sigmas: [10, 3, 1, 0.2] }).nfe, sampler).toBe(6);
    }
    // η > 1 makes σ_down = 0 on every step (Karras grid): dpm_2_ancestral then takes Euler steps
    // (one evaluation, and no noise), dpmpp_2s_ancestral too but still adds its noise.
    expect(runSamplerSync(lam, { sampler: 'dpm_2_ancestral', steps: 7, params: { eta: 1.7 } }).nfe).toBe(7);
    expect(runSamplerSync(lam, { sampler: 'dpmpp_2s_ancestral', steps: 7, params: { eta: 1.7 } }).nfe).toBe(7);
  });

  it('the step to σ = 0 of heun is an Euler step: one step [s, 0] is the denoiser, v = c(s)² v₀', () => {
    const s = 3;
    for (const sampler of ['heun', 'dpm_2', 'dpmpp_sde', 'dpmpp_2m_sde', 'dpmpp_3m_sde', 'lms'] as const) {
      const r = runSamplerSync(lam, { sampler, sigmas: [s, 0], start: 'exact', variances: true });
      lam.forEach((l, i) => {
        const c = l / (l + s * s);
        expect(Math.abs(r.variances![i] - c * c * (l + s * s)), `${sampler} λ=${l}`).toBeLessThanOrEqual(1e-15 * (l + s * s));
      });
    }
  });

  it('lms ends differently: its last step integrates the 2-slope polynomial to 0 (not x\' = D)', () => {
    const [s0, s1] = [4, 1.5];
    const r = runSamplerSync(lam, { sampler: 'lms', sigmas: [s0, s1, 0], start: 'conventional', variances: true });
    lam.forEach((l, i) => {
      const g = (s: number) => s / (l + s * s);
      // Step 0 (order 1, Euler): x1 − m = (1 + (s1 − s0) g(s0)) (x0 − m); d0 = g(s0)(x0 − m).
      const a0 = 1 + (s1 - s0) * g(s0);
      // Step 1 (order 2): C0 = ∫_{s1}^{0} (τ − s0)/(s1 − s0) dτ, C1 = ∫_{s1}^{0} (τ − s1)/(s0 − s1) dτ.
      const C0 = ((0 - s0) ** 2 - (s1 - s0) ** 2) / (2 * (s1 - s0));
      const C1 = ((0 - s1) ** 2 - 0) / (2 * (s0 - s1));
      const M = (1 + C0 * g(s1)) * a0 + C1 * g(s0);
      expect(Math.abs(r.variances![i] - M * M * s0 * s0), `λ=${l}`).toBeLessThanOrEqual(1e-13 * s0 * s0);
      if (l > 0) expect(Math.abs(M - l / (l + s1 * s1) * a0)).toBeGreaterThan(1e-6); // not the denoiser
    });
  });
});
