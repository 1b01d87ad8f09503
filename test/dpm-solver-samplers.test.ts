/**
 * DPM-Solver (`dpm_solver`) and UniPC (`unipc`) beyond the fixtures of test/dpm-solver-fixtures.test.ts:
 * the CIFAR-10 numbers of docs/samplers.md (model vp, start N(0, I) at t_start, W2 against the data,
 * ± half a unit of the last digit shown), DPM-Solver's `lower_order_final` applying only when
 * steps < 10 (UniPC's at any steps), the grid each method reports, identities between the
 * first-order members (DPM-Solver-1 = DPM-Solver++-1 = singlestep order 1, docs/MATH-samplers.md
 * §12.5), and the rejected parameter combinations (RangeError naming the parameter; the CLI exits 2
 * naming `--param <key>`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, parseNpy, runSamplerSync, resolveSamplerRun } from '../dist/bindings/index.node.js';
import { readData } from './helpers/data.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'gaussdiff.js');

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => { await init(); });

const lam = [0, 1e-4, 3e-3, 0.3, 7, 100];

describe('CIFAR-10 (docs/samplers.md, "DPM-Solver and UniPC on CIFAR-10")', () => {
  const cifar = parseNpy(readData('cifar10.npy')).data;
  const STEPS = [10, 20, 50];
  const table: [string, Record<string, string | number | boolean>, string[]][] = [
    ['dpm_solver', {}, ['3.909', '2.146', '0.8079']],
    ['dpm_solver', { skip_type: 'logSNR' }, ['0.9320', '0.3577', '0.1875']],
    ['dpm_solver', { order: 3, skip_type: 'logSNR' }, ['1.162', '0.2423', '0.1898']],
    ['dpm_solver', { method: 'singlestep', order: 3, skip_type: 'logSNR' }, ['1.074', '0.1789', '0.1902']],
    ['dpm_solver', { order: 3, skip_type: 'logSNR', denoise_to_zero: true }, ['1.141', '0.1825', '0.1194']],
    ['unipc', {}, ['2.746', '1.394', '0.5200']],
    ['unipc', { variant: 'bh2', order: 3, skip_type: 'logSNR' }, ['1.059', '0.1834', '0.1915']],
  ];
  for (const [sampler, params, want] of table) {
    it(`${sampler} ${JSON.stringify(params)}: W2 at steps = ${STEPS.join(', ')}`, () => {
      STEPS.forEach((steps, j) => {
        const r = runSamplerSync(cifar, { sampler: sampler as never, params: { ...params, steps } });
        expect(r.nfe).toBe(steps + (params.denoise_to_zero ? 1 : 0));
        const digits = want[j].split('.')[1].length;
        expect(Math.abs(r.w2! - Number(want[j])), `steps = ${steps}: ${r.w2}`).toBeLessThanOrEqual(0.5 * 10 ** -digits);
      });
    });
  }

  it('lower_order_final changes DPM-Solver only when steps < 10 (source: `if lower_order_final and steps < 10`)', () => {
    const w = (steps: number, lof: boolean) => runSamplerSync(cifar, { sampler: 'dpm_solver', params: { order: 3, steps, lower_order_final: lof } }).w2!;
    expect(Math.abs(w(9, true) - 3.012)).toBeLessThanOrEqual(5e-4);
    expect(Math.abs(w(9, false) - 8.670)).toBeLessThanOrEqual(5e-4);
    expect(w(10, true)).toBe(w(10, false));
    expect(w(12, true)).toBe(w(12, false));
  });

  it("UniPC's lower_order_final applies at any steps (its source has no steps < 10 condition)", () => {
    const w = (lof: boolean) => runSamplerSync(cifar, { sampler: 'unipc', params: { order: 3, steps: 12, lower_order_final: lof } }).w2!;
    expect(w(true)).not.toBe(w(false));
  });
});

describe('grids and NFE', () => {
  it('multistep: steps + 1 times from t_start to t_end (the model\'s T and 1/N by default); denoise_to_zero appends 0', () => {
    const r = runSamplerSync(lam, { sampler: 'dpm_solver', model: 'sd', params: { steps: 7 } });
    expect(r.times.length).toBe(8);
    expect(r.times[0]).toBe(1);
    expect(r.times[7]).toBe(1e-3);
    expect(r.params.t_end).toBe(1e-3);
    const z = runSamplerSync(lam, { sampler: 'dpm_solver', model: 'vp-cosine', params: { steps: 7, denoise_to_zero: true } });
    expect(z.params.t_start).toBe(0.9946);
    expect(z.times.length).toBe(9);
    expect(z.times[8]).toBe(0);
    expect(z.nfe).toBe(8);
  });
  it('singlestep: the outer grid of DPM-Solver-fast (orders 3, …, 3, 2, 1 for steps % 3 = 0), NFE = steps', () => {
    const r = runSamplerSync(lam, { sampler: 'dpm_solver', params: { method: 'singlestep', order: 3, steps: 12 } });
    expect(r.steps).toBe(5); // K = 12 // 3 + 1, orders [3, 3, 3, 2, 1]
    expect(r.nfe).toBe(12);
    // time_uniform: get_time_steps(steps)[cumsum([0, 3, 3, 3, 2, 1])]
    const all = Array.from({ length: 13 }, (_, i) => (i < 6 ? 1 + i * (1e-3 - 1) / 12 : 1e-3 - (12 - i) * (1e-3 - 1) / 12));
    [0, 3, 6, 9, 11, 12].forEach((i, k) => expect(r.times[k]).toBeCloseTo(all[i], 15));
  });
  it('singlestep_fixed: ⌊steps/order⌋ steps of the order, NFE ⌊steps/order⌋·order', () => {
    const r = runSamplerSync(lam, { sampler: 'dpm_solver', params: { method: 'singlestep_fixed', order: 3, steps: 11 } });
    expect(r.steps).toBe(3);
    expect(r.nfe).toBe(9);
  });
});

describe('identities (docs/MATH-samplers.md §12.5)', () => {
  it('DPM-Solver-1 = DPM-Solver++-1 = singlestep order 1 (= DDIM), on every VP model', () => {
    for (const model of ['vp', 'vp-cosine', 'ddpm-linear', 'sd']) {
      const v = (params: Record<string, string | number>) => runSamplerSync(lam, { sampler: 'dpm_solver', model, params: { order: 1, steps: 9, ...params }, start: 'exact', variances: true, means: [1, -2, 0.5, 3, 0, 1] });
      const a = v({}), b = v({ algorithm_type: 'dpmsolver' }), c = v({ method: 'singlestep' });
      for (const other of [b, c]) {
        a.variances!.forEach((x, i) => expect(Math.abs(other.variances![i] - x)).toBeLessThanOrEqual(1e-12 * x + 1e-300));
        a.outputMeans!.forEach((x, i) => expect(Math.abs(other.outputMeans![i] - x)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x))));
      }
    }
  });
});

describe('rejected combinations name the parameter', () => {
  const cases: [string, Record<string, string | number | boolean>, RegExp][] = [
    ['dpm_solver', { method: 'adaptive' }, /params\.method .*adaptive step-size control depends on the sample/],
    ['dpm_solver', { correcting_x0_fn: 'dynamic_thresholding' }, /params\.correcting_x0_fn must be none/],
    ['dpm_solver', { order: 3, steps: 2 }, /params\.steps must be ≥ params\.order = 3 for method multistep/],
    ['dpm_solver', { method: 'singlestep_fixed', order: 3, steps: 2 }, /params\.steps must be ≥ params\.order = 3 for method singlestep_fixed/],
    ['dpm_solver', { t_end: 0.5, t_start: 0.4 }, /params\.t_end must be < params\.t_start = 0\.4/],
    ['dpm_solver', { t_start: 1.5 }, /params\.t_start must be ≤ the model's T = 1/],
    ['unipc', { order: 3, steps: 2 }, /params\.steps must be ≥ params\.order = 3/],
    ['unipc', { method: 'singlestep' }, /params\.method must be one of multistep/],
    ['unipc', { order: 4 }, /params\.order must be ≤ 3/],
  ];
  for (const [sampler, params, message] of cases) {
    it(`${sampler} ${JSON.stringify(params)}`, () => {
      expect(() => resolveSamplerRun({ sampler: sampler as never, params })).toThrow(RangeError);
      expect(() => resolveSamplerRun({ sampler: sampler as never, params })).toThrow(message);
    });
  }
  it('t_end below 1/N on a discrete model; a non-VP model; a grid option', () => {
    expect(() => resolveSamplerRun({ sampler: 'dpm_solver', model: 'ddpm-linear', params: { t_end: 5e-4 } })).toThrow(/params\.t_end must be ≥ 1\/N = 0\.001 on the discrete model ddpm-linear/);
    expect(resolveSamplerRun({ sampler: 'dpm_solver', model: 'vp', params: { t_end: 1e-4 } }).times.at(-1)).toBe(1e-4);
    expect(() => resolveSamplerRun({ sampler: 'unipc', model: 'edm' })).toThrow(/process must be one of vp, vp-cosine, ddpm-linear, sd for unipc/);
    expect(() => resolveSamplerRun({ sampler: 'unipc', steps: 10 })).toThrow(/steps must be absent for unipc/);
  });
  it('the CLI exits 2 naming --param <key>; run --sampler dpm_solver reports params, times and nfe', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-dpm-'));
    const file = path.join(dir, 'lam.json');
    writeFileSync(file, JSON.stringify(lam));
    const bad = await cli('run', '--spectrum', file, '--sampler', 'dpm_solver', '--param', 'method=singlestep_fixed', '--param', 'order=3', '--param', 'steps=2', '--format', 'json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--param steps must be ≥ params\.order = 3/);
    const thr = await cli('run', '--spectrum', file, '--sampler', 'dpm_solver', '--param', 'correcting_x0_fn=dynamic_thresholding', '--format', 'json');
    expect(thr.code).toBe(2);
    expect(thr.stderr).toMatch(/--param correcting_x0_fn must be none/);
    const ok = await cli('run', '--spectrum', file, '--sampler', 'dpm_solver', '--param', 'algorithm_type=dpmsolver++', '--param', 'method=multistep',
      '--param', 'order=2', '--param', 'skip_type=logSNR', '--param', 'steps=10', '--param', 't_end=0.001', '--format', 'json');
    expect(ok.code).toBe(0);
    const j = JSON.parse(ok.stdout);
    expect(j.nfe).toBe(10);
    expect(j.times.length).toBe(11);
    expect(j.params).toEqual({ algorithm_type: 'dpmsolver++', correcting_x0_fn: 'none', steps: 10, t_start: 1, t_end: 0.001, order: 2, skip_type: 'logSNR',
      method: 'multistep', lower_order_final: true, denoise_to_zero: false, solver_type: 'dpmsolver' });
    const api = runSamplerSync(lam, { sampler: 'dpm_solver', params: j.params });
    expect(j.w2).toBe(api.w2);
  });
});
