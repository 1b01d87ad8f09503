/**
 * edm, ddim, ddpm, flow_euler, flow_heun, flow_midpoint: identities, grids (first and last step),
 * NFE, parameter errors, and the CIFAR-10 numbers of docs/samplers.md (4 significant digits:
 * tolerance 5e-4 relative). Their laws against the libraries' own code: edm-diffusers-fixtures.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { init, parseNpy, resolveSamplerRun, runSamplerSync, sigmas, toNpy } from '../dist/bindings/index.node.js';
import { readData } from './helpers/data.js';

beforeAll(async () => { await init(); });
const LAM = [0, 2e-3, 0.05, 0.7, 3, 40];

describe('edm (NVlabs/edm edm_sampler)', () => {
  it('is k-diffusion sample_heun on its own grid, churn included (γ = S_churn/num_steps = s_churn/(len(sigmas) − 1))', () => {
    const churn = { S_churn: 40, S_min: 0.05, S_max: 50, S_noise: 1.003 };
    for (const params of [{}, { num_steps: 7, ...churn }]) {
      const a = runSamplerSync(LAM, { sampler: 'edm', params, start: 'prior', variances: true });
      const p = a.params as Record<string, number>;
      const b = runSamplerSync(LAM, { sampler: 'heun', times: a.times, params: { s_churn: p.S_churn, s_tmin: p.S_min, s_tmax: p.S_max, s_noise: p.S_noise }, start: 'prior', variances: true });
      expect(Array.from(a.variances!)).toEqual(Array.from(b.variances!));
      expect(a.nfe).toBe(2 * p.num_steps - 1);
      expect(a.nfe).toBe(b.nfe);
    }
  });
  it('its grid: float64 Karras, t_0 = sigma_max, t_{N−1} = sigma_min, then 0', () => {
    const r = resolveSamplerRun({ sampler: 'edm', params: { num_steps: 5, sigma_min: 0.01, sigma_max: 20, rho: 3 } });
    expect(r.times.length).toBe(6);
    expect(r.times[0]).toBeCloseTo(20, 12);
    expect(r.times[4]).toBeCloseTo(0.01, 15);
    expect(r.times[5]).toBe(0);
    expect(() => resolveSamplerRun({ sampler: 'edm', params: { num_steps: 1 } })).toThrow(/params\.num_steps must be ≥ 2/);
    expect(() => resolveSamplerRun({ sampler: 'edm', params: { sigma_min: 90 } })).toThrow(/params\.sigma_min must be < params\.sigma_max = 80/);
    expect(() => resolveSamplerRun({ sampler: 'edm', steps: 10 })).toThrow(/steps must be absent for edm/);
  });
});

describe('edm_ablation (NVlabs/edm ablation_sampler)', () => {
  it('its defaults (edm discretization, linear schedule, no scaling, Heun α = 1) = edm_sampler (1e-12)', () => {
    for (const params of [{}, { num_steps: 7, S_churn: 40, S_min: 0.05, S_max: 50, S_noise: 1.003 }]) {
      const a = runSamplerSync(LAM, { sampler: 'edm_ablation', params, start: 'prior', variances: true });
      const b = runSamplerSync(LAM, { sampler: 'edm', params, start: 'prior', variances: true });
      expect(a.times).toEqual(b.times);
      a.variances!.forEach((v, i) => expect(Math.abs(v - b.variances![i])).toBeLessThanOrEqual(1e-12 * v));
      expect(a.nfe).toBe(b.nfe);
    }
  });
  it('NFE: Euler N, Heun 2N − 1; σ ranges by discretization (the source\'s None = 0); errors name the parameter', () => {
    expect(runSamplerSync(LAM, { sampler: 'edm_ablation', params: { solver: 'euler', num_steps: 9 } }).nfe).toBe(9);
    const vp = resolveSamplerRun({ sampler: 'edm_ablation', params: { discretization: 'vp', schedule: 'vp', scaling: 'vp' } });
    expect(vp.times[0]).toBeCloseTo(Math.sqrt(Math.exp(0.5 * 19.9 + 0.1) - 1), 10); // σ(1) ≈ 152.2
    expect(vp.times[17]).toBeCloseTo(Math.sqrt(Math.exp(0.5 * 19.9 * 1e-6 + 0.1 * 1e-3) - 1), 13); // σ(ε_s)
    const ve = resolveSamplerRun({ sampler: 'edm_ablation', params: { discretization: 've' } });
    expect([ve.times[0], ve.times[17], ve.times[18]]).toEqual([100, 0.02, 0].map((x, i) => (i < 2 ? expect.closeTo(x, 12) : x)));
    expect(() => resolveSamplerRun({ sampler: 'edm_ablation', params: { solver: 'rk4' } })).toThrow(/params\.solver must be one of euler, heun/);
    expect(() => resolveSamplerRun({ sampler: 'edm_ablation', params: { discretization: 'x' } })).toThrow(/params\.discretization must be one of vp, ve, iddpm, edm/);
    expect(() => resolveSamplerRun({ sampler: 'edm_ablation', params: { sigma_min: 100 } })).toThrow(/params\.sigma_min must be < params\.sigma_max = 80/);
  });
});

describe('diffusers ddim / ddpm', () => {
  it('timesteps: leading with steps_offset, trailing, linspace; the last step to ᾱ = 1 (t = 0) or ᾱ_0 (t = 1/N)', () => {
    const t = (params: object, process = 'sd') => Array.from(resolveSamplerRun({ sampler: 'ddim', process, params }).times, (x) => Math.round(x * 1000) - 1);
    expect(t({ num_inference_steps: 5, steps_offset: 1, set_alpha_to_one: false })).toEqual([801, 601, 401, 201, 1, 0]);
    expect(t({ num_inference_steps: 5 })).toEqual([800, 600, 400, 200, 0, -1]);
    expect(t({ num_inference_steps: 4, timestep_spacing: 'trailing' })).toEqual([999, 749, 499, 249, -1]);
    expect(t({ num_inference_steps: 3, timestep_spacing: 'linspace' })).toEqual([999, 500, 0, -1]); // 499.5 rounds to even
  });
  it('rejects what is not affine or not defined, naming it', () => {
    expect(() => resolveSamplerRun({ sampler: 'ddim', process: 'sd', params: { clip_sample: true } })).toThrow(/params\.clip_sample must be false/);
    expect(() => resolveSamplerRun({ sampler: 'ddpm', params: { clip_sample: true } })).toThrow(/params\.clip_sample must be false/);
    expect(() => resolveSamplerRun({ sampler: 'ddim', params: { eta: 1.5 } })).toThrow(/params\.eta must be ≤ 1/);
    expect(() => resolveSamplerRun({ sampler: 'ddim', params: { num_inference_steps: 1001 } })).toThrow(/params\.num_inference_steps must be ≤ the model's num_train_timesteps = 1000/);
    expect(() => resolveSamplerRun({ sampler: 'ddim', params: { set_alpha_to_one: false } })).toThrow(/params\.set_alpha_to_one must be true when the last timestep is 0/);
    expect(() => resolveSamplerRun({ sampler: 'ddim', params: { num_inference_steps: 10, steps_offset: 200 } })).toThrow(/params\.steps_offset/);
    expect(() => resolveSamplerRun({ sampler: 'ddim', process: 'edm' })).toThrow(/process must be one of ddpm-linear, sd/);
    expect(() => resolveSamplerRun({ sampler: 'ddpm', params: { variance_type: 'learned' } })).toThrow(/params\.variance_type must be one of fixed_small, fixed_large/);
  });
  it('ddim η = 1 on leading spacing = ddpm fixed_small (the same step: DDIM paper, Eq. 16)', () => {
    const a = runSamplerSync(LAM, { sampler: 'ddim', params: { num_inference_steps: 20, eta: 1 }, start: 'prior', variances: true });
    const b = runSamplerSync(LAM, { sampler: 'ddpm', params: { num_inference_steps: 20 }, start: 'prior', variances: true });
    a.variances!.forEach((v, i) => expect(Math.abs(v - b.variances![i])).toBeLessThanOrEqual(1e-12 * v + 1e-20));
  });
  it('NFE = num_inference_steps', () => {
    expect(runSamplerSync(LAM, { sampler: 'ddim', params: { num_inference_steps: 7 } }).nfe).toBe(7);
    expect(runSamplerSync(LAM, { sampler: 'ddpm', params: { num_inference_steps: 9 } }).nfe).toBe(9);
  });
});

describe('flow matching on rf', () => {
  it("grid: σ = shift(linspace(1, shift(1/N), n)), then 0 (diffusers' double shift of σ_min); NFE n, 2n − 1, 2n", () => {
    const r = runSamplerSync(LAM, { sampler: 'flow_euler', process: 'rf', processParams: { shift: 3 }, params: { num_inference_steps: 4 } });
    const shift = (s: number) => 3 * s / (1 + 2 * s);
    const u = [1, 1 + (shift(1e-3) - 1) / 3, 1 + 2 * (shift(1e-3) - 1) / 3, shift(1e-3)];
    r.times.slice(0, 4).forEach((t, i) => expect(t).toBeCloseTo(u[i], 15));
    expect(r.times[4]).toBe(0);
    expect(r.nfe).toBe(4);
    expect(runSamplerSync(LAM, { sampler: 'flow_heun', params: { num_inference_steps: 4 } }).nfe).toBe(7);
    expect(runSamplerSync(LAM, { sampler: 'flow_midpoint', params: { num_inference_steps: 4 } }).nfe).toBe(8);
  });
  it('both starts coincide (the flow starts at σ = 1, where the marginal is N(0, I))', () => {
    for (const sampler of ['flow_euler', 'flow_heun', 'flow_midpoint'] as const) {
      const a = runSamplerSync(LAM, { sampler, start: 'prior' }), b = runSamplerSync(LAM, { sampler, start: 'exact' });
      expect(a.w2).toBe(b.w2);
    }
  });
});

describe('CIFAR-10 (docs/samplers.md), conventional start', () => {
  const lam = parseNpy(readData('cifar10.npy')).data;
  const rows: [string, string, Record<string, number>, string, number[]][] = [
    ['edm', 'edm', {}, 'num_steps', [3.523, 0.8514, 0.2376, 0.2516]],
    ['edm', 'edm', { S_churn: 40, S_min: 0.05, S_max: 50, S_noise: 1.003 }, 'num_steps', [6.738, 2.381, 0.6415, 0.3308]],
    ['ddim', 'ddpm-linear', {}, 'num_inference_steps', [5.236, 3.167, 1.300, 0.7120]],
    ['ddim', 'sd', {}, 'num_inference_steps', [9.432, 7.762, 5.717, 5.213]],
    ['ddpm', 'ddpm-linear', {}, 'num_inference_steps', [7.456, 4.803, 2.172, 1.244]],
    ['flow_euler', 'rf', {}, 'num_inference_steps', [10.05, 5.889, 2.193, 1.113]],
    ['flow_heun', 'rf', {}, 'num_inference_steps', [5.486, 1.880, 0.2438, 0.06299]],
    ['flow_midpoint', 'rf', {}, 'num_inference_steps', [1.059, 0.1966, 0.03391, 0.008767]],
    ['edm_ablation', 'edm', { solver: 'euler', discretization: 'vp', schedule: 'vp', scaling: 'vp' } as never, 'num_steps', [6.722, 4.251, 1.766, 0.9504]],
    ['edm_ablation', 'edm', { discretization: 'vp', schedule: 'vp', scaling: 'vp' } as never, 'num_steps', [10.40, 2.369, 0.3724, 0.1530]],
    ['edm_ablation', 'edm', { solver: 'euler', discretization: 've', schedule: 've', scaling: 'none' } as never, 'num_steps', [93.32, 32.43, 8.122, 3.671]],
    ['edm_ablation', 'edm', { discretization: 'iddpm', schedule: 'linear', scaling: 'none' } as never, 'num_steps', [40.49, 17.60, 2.338, 0.3055]],
  ];
  it.each(rows)('%s on %s %o', (sampler, process, params, key, w2) => {
    [10, 18, 50, 100].forEach((n, i) => {
      const r = runSamplerSync(lam, { sampler: sampler as never, process, params: { ...params, [key]: n }, start: 'prior' });
      expect(Math.abs(r.w2! - w2[i]) / w2[i], `${n} steps: ${r.w2}`).toBeLessThanOrEqual(5e-4);
    });
  });
});

describe("start 'comfy' (ComfyUI EPS noise_scaling with max_denoise: √(1 + σ₀²)·z)", () => {
  // k-diffusion samplers on an ε-prediction (VP) model in ComfyUI: VE coordinates, the model's σ grid.
  const grid = () => sigmas({ scheduler: 'karras', steps: 12, model: 'sd' }).sigmas as number[];
  it('on data with λ = 1 it is the exact start (the marginal at σ₀ is N(0, 1 + σ₀²))', () => {
    for (const sampler of ['euler', 'dpmpp_2m', 'heun'] as const) {
      const a = runSamplerSync([1, 1], { sampler, sigmas: grid(), start: 'comfy', variances: true });
      const b = runSamplerSync([1, 1], { sampler, sigmas: grid(), start: 'exact', variances: true });
      expect(Math.abs(a.variances![0] - b.variances![0])).toBeLessThanOrEqual(1e-14);
      expect(a.start).toBe('comfy');
    }
  });
  it('any λ: v = G(1 + σ₀²) + N, with G, N from the conventional and exact starts (1e-10)', () => {
    const lam = [0.05, 2, 40];
    const o = { sampler: 'euler_ancestral' as const, sigmas: grid(), variances: true };
    const c = runSamplerSync(lam, { ...o, start: 'comfy' });
    const p = runSamplerSync(lam, { ...o, start: 'prior' });
    const e = runSamplerSync(lam, { ...o, start: 'exact' });
    const s0 = grid()[0];
    lam.forEach((l, i) => {
      const G = (e.variances![i] - p.variances![i]) / l; // exact start: λ + σ₀²; prior: σ₀²
      expect(Math.abs(c.variances![i] - (p.variances![i] + G)) / c.variances![i]).toBeLessThanOrEqual(1e-10);
      expect(G * (1 + s0 ** 2)).toBeLessThanOrEqual(c.variances![i]);
    });
  });
  it("only on the edm process (VE coordinates); the CLI's --start comfy", async () => {
    expect(() => resolveSamplerRun({ sampler: 'ddim', start: 'comfy' })).toThrow(/start must be exact, prior or conventional on process ddpm-linear/);
    const { execFile } = await import('node:child_process');
    const bin = new URL('../bin/gaussdiff.js', import.meta.url).pathname;
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const file = `${mkdtempSync(`${tmpdir()}/gaussdiff-comfy-`)}/lam.npy`;
    writeFileSync(file, toNpy({ shape: [3], data: Float64Array.from([0.05, 2, 40]) }));
    const out: string = await new Promise((resolve, reject) => execFile(process.execPath, [bin, 'run', '--spectrum', file, '--sampler', 'euler', '--sigmas', grid().join(','), '--start', 'comfy', '--format', 'json'], (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout))));
    const j = JSON.parse(out);
    expect(j.start).toBe('comfy');
    expect(j.w2).toBe(runSamplerSync([0.05, 2, 40], { sampler: 'euler', sigmas: grid(), start: 'comfy' }).w2);
  });
});
