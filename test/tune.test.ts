/**
 * `gaussdiff tune` and the API's `tuneSync` (docs/tuning.md, issue 13 items 1 and 3):
 * - the reverse-mode gradient of J (assembly/kernels/gradient.ts) against central differences of the
 *   objective itself with Richardson extrapolation, for samplers of state size 1–4, deterministic and
 *   stochastic, σ grids and VP time grids, for W2 and both KLs (tolerance stated below);
 * - the KL metric: tuned grids better than every builder, the claim bit for bit what `run --metric kl`
 *   prints, different from the W2-tuned grid (CIFAR-10, heun, 10 steps); infinite KL is refused;
 * - tuned grids: monotone, inside the range, better than every builder the search starts from, at
 *   least as good as the issue's quick search on CIFAR-10, deterministic;
 * - the claimed value is exactly (bit for bit) what `gaussdiff run --sampler S --sigmas <grid>` prints;
 * - several --steps and the interpolation rule give monotone grids;
 * - bad inputs exit 2 naming the flag.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  init, tuneSync, gridGradientSync, interpolateGrid, runSamplerSync, sigmas, toNpy, parseNpy, getProcess,
} from '../dist/bindings/index.node.js';
import { DATA_DIR, readData } from './helpers/data.js';

const dataFile = (name: string): string => DATA_DIR + name;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'gaussdiff.js');
const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-tune-'));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

let cifar: Float64Array;
/** CIFAR-10's positive eigenvalues (its 9 zero ones make KL infinite for samplers that leave noise there). */
let cifarPositive: Float64Array;
const small = [3.5, 0, 0.2, 40, 1e-3, 1, 0.05];
let smallFile: string;

beforeAll(async () => {
  await init();
  cifar = Float64Array.from(parseNpy(readData('cifar10.npy')).data as ArrayLike<number>);
  cifarPositive = cifar.filter((x) => x > 0);
  smallFile = path.join(dir, 'lam.npy');
  writeFileSync(smallFile, toNpy({ shape: [small.length], data: Float64Array.from(small) }));
});

/** J at a grid with level k moved to exp(log σ_k + x) (σ grids) or its time (time grids). */
function moved(grid: number[], k: number, x: number, model: string): number[] {
  const p = getProcess(model);
  const pv = Object.fromEntries(p.params.map((q) => [q.name, q.default])) as Record<string, number>;
  const g = grid.slice();
  g[k] = p.time(Math.exp(Math.log(p.sigma(grid[k], pv)) + x), pv);
  return g;
}

describe('the gradient of J with respect to the grid', () => {
  // Reference: Richardson-extrapolated central differences of J in log σ_k, step 1e-3 and 5e-4
  // (truncation O(h⁴) ≈ 1e-12 relative). The reverse pass uses central differences of the
  // coefficients with step 1e-5 (docs/tuning.md §2). Agreement asked: 1e-7 of max |∂J/∂u|, for
  // J = W2² and both KLs (docs/tuning.md §1: seeds ½w(v − λ)/(λv) and ½w(v − λ)/v²).
  const cases: [string, Record<string, unknown>, string][] = [
    ['euler', { sampler: 'euler' }, 'edm'],
    ['heun', { sampler: 'heun' }, 'edm'],
    ['dpmpp_2m (m = 2)', { sampler: 'dpmpp_2m' }, 'edm'],
    ['euler_ancestral (stochastic)', { sampler: 'euler_ancestral' }, 'edm'],
    ['euler with churn (stochastic)', { sampler: 'euler', params: { s_churn: 10 } }, 'edm'],
    ['lms (m = 4)', { sampler: 'lms' }, 'edm'],
    ['dpmpp_3m_sde (m = 3, stochastic)', { sampler: 'dpmpp_3m_sde' }, 'edm'],
    ['dpmpp_2m, exact start', { sampler: 'dpmpp_2m', start: 'exact' }, 'edm'],
    ['scheme em on VP times', { scheme: 'em' }, 'vp'],
    ['scheme heun on VP times', { scheme: 'heun' }, 'vp'],
  ];
  function check(spectrum: () => Float64Array, opts: Record<string, unknown>, model: string): void {
    const grid = model === 'edm' ? sigmas({ scheduler: 'karras', steps: 8 }).sigmas! : sigmas({ scheduler: 'logSNR', steps: 8, model: 'vp' }).times!;
    const { J, gradient } = gridGradientSync(spectrum(), { ...opts, grid });
    expect(Number.isFinite(J) && J > 0).toBe(true);
    const Jat = (k: number, x: number) => gridGradientSync(spectrum(), { ...opts, grid: moved(grid, k, x, model) }).J;
    const scale = Math.max(...Array.from(gradient, Math.abs));
    expect(scale).toBeGreaterThan(0);
    for (let k = 1; k < grid.length - 1; k++) {
      const d = (h: number) => (Jat(k, h) - Jat(k, -h)) / (2 * h);
      const ref = (4 * d(5e-4) - d(1e-3)) / 3;
      expect(Math.abs(gradient[k] - ref)).toBeLessThan(1e-7 * scale);
    }
    expect(gradient[0]).toBe(0);
    expect(gradient[grid.length - 1]).toBe(0);
  }
  for (const [name, opts, model] of cases) it(`w2: ${name}`, () => check(() => cifar, opts, model));
  // KL on CIFAR-10's positive eigenvalues (KL is infinite on the full spectrum for lms and the VP
  // schemes, which leave variance in the λ = 0 directions) …
  for (const metric of ['kl', 'kl-reverse']) {
    for (const [name, opts, model] of cases) it(`${metric}: ${name}`, () => check(() => cifarPositive, { ...opts, metric }, model));
  }
  // … and on the full spectrum where the sampler puts variance exactly 0 in those directions (their
  // terms and seeds are 0 for every grid).
  for (const [name, opts] of [['heun', { sampler: 'heun' }], ['dpmpp_2m', { sampler: 'dpmpp_2m' }]] as const) {
    it(`kl on the full CIFAR-10 spectrum (9 zero eigenvalues): ${name}`, () => check(() => cifar, { ...opts, metric: 'kl' }, 'edm'));
  }
});

function checkMonotone(grid: number[], first: number, last: number, lo: number, hi: number): void {
  expect(grid[0]).toBe(first);
  expect(grid[grid.length - 1]).toBe(last);
  for (let k = 1; k < grid.length; k++) expect(grid[k]).toBeLessThan(grid[k - 1]);
  for (let k = 1; k < grid.length - 1; k++) {
    expect(grid[k]).toBeGreaterThanOrEqual(lo);
    expect(grid[k]).toBeLessThanOrEqual(hi);
  }
}

describe('tuned grids on CIFAR-10 (10 steps, σ 0.002 … 80, start 80·z)', () => {
  // The issue's quick derivative-free search: Euler 5.92 → 4.57, Heun 3.52 → 1.60,
  // DPM-Solver++(2M) 0.90 (exponential) → 0.034; euler_ancestral: ours (karras 9.21).
  const issue: Record<string, number> = { euler: 4.5727, heun: 1.6023, dpmpp_2m: 0.0345, euler_ancestral: 6.751 };
  for (const sampler of Object.keys(issue)) {
    it(sampler, () => {
      const r = tuneSync(cifar, { sampler, steps: 10 });
      const g = r.tuned[0];
      checkMonotone(g.grid, 80, 0, 0.002, 80);
      expect(g.value!).toBeLessThan(issue[sampler]);
      for (const [id, b] of Object.entries(g.baselines)) expect(g.value!, id).toBeLessThan(b!);
      // the claim is runSampler's value on that grid
      expect(runSamplerSync(cifar, { sampler: sampler as never, times: g.grid }).w2).toBe(g.value);
      expect(g.nfe).toBe(runSamplerSync(cifar, { sampler: sampler as never, times: g.grid }).nfe);
    });
  }

  it('is deterministic', () => {
    const a = tuneSync(cifar, { sampler: 'dpmpp_2m', steps: 6 });
    const b = tuneSync(cifar, { sampler: 'dpmpp_2m', steps: 6 });
    expect(b).toEqual(a);
  });

  it('VP time grids (the paper\'s heun scheme): from t_start = 1 to t_end = 1e-3, better than each start', () => {
    const r = tuneSync(cifar, { scheme: 'heun', steps: 10 });
    const g = r.tuned[0];
    expect(r.unit).toBe('t');
    checkMonotone(g.grid, 1, 1e-3, 1e-3, 1);
    for (const b of Object.values(g.baselines)) expect(g.value!).toBeLessThan(b!);
    expect(runSamplerSync(cifar, { scheme: 'heun', process: 'vp', times: g.grid }).w2).toBe(g.value);
  });
});

describe('the KL metric (CIFAR-10, heun, 10 steps, σ 0.002 … 80, start 80·z)', () => {
  it('kl = KL(sampler ‖ data): better than every builder; the claim and the reported w2/kl are runSampler\'s', () => {
    const g = tuneSync(cifar, { sampler: 'heun', steps: 10, metric: 'kl' }).tuned[0];
    checkMonotone(g.grid, 80, 0, 0.002, 80);
    for (const [id, b] of Object.entries(g.baselines)) expect(g.value!, id).toBeLessThan(b!);
    const run = runSamplerSync(cifar, { sampler: 'heun', times: g.grid, metric: 'kl' });
    expect(run.kl!.forward).toBe(g.value);
    expect(g.kl).toEqual(run.kl);
    expect(g.w2).toBe(run.w2);
    // the builders' KL is runSampler's on their own grids (docs/metrics.md §5's two numbers)
    for (const sch of ['karras', 'exponential'] as const) {
      expect(g.baselines[sch]).toBe(runSamplerSync(cifar, { sampler: 'heun', scheduler: sch, steps: 10, metric: 'kl' }).kl!.forward);
    }
  });

  it('the KL-tuned grid is not the W2-tuned one: each wins in its own metric (issue 13: karras wins by W2, exponential by KL)', () => {
    const byW2 = tuneSync(cifar, { sampler: 'heun', steps: 10 }).tuned[0];
    const byKl = tuneSync(cifar, { sampler: 'heun', steps: 10, metric: 'kl' }).tuned[0];
    // among the builders: karras has the smaller W2, exponential the smaller KL
    expect(byW2.baselines.karras!).toBeLessThan(byW2.baselines.exponential!);
    expect(byKl.baselines.exponential!).toBeLessThan(byKl.baselines.karras!);
    // tuned: each grid is better than the other in the metric it minimised, by a wide margin
    expect(byW2.w2!).toBeLessThan(byKl.w2! / 5);
    expect(byKl.kl.forward!).toBeLessThan(byW2.kl.forward! / 5);
    // the KL grid puts its levels lower: its median free level is below the W2 grid's
    expect(byKl.grid[5]).toBeLessThan(byW2.grid[5] / 5);
  });

  it('kl-reverse = KL(data ‖ sampler): better than every builder; the claim is runSampler\'s reverse KL', () => {
    const g = tuneSync(cifar, { sampler: 'heun', steps: 10, metric: 'kl-reverse' }).tuned[0];
    checkMonotone(g.grid, 80, 0, 0.002, 80);
    for (const [id, b] of Object.entries(g.baselines)) expect(g.value!, id).toBeLessThan(b!);
    const run = runSamplerSync(cifar, { sampler: 'heun', times: g.grid, metric: 'kl' });
    expect(run.kl!.reverse).toBe(g.value);
    expect(g.kl).toEqual(run.kl);
  });

  it('an infinite KL is refused naming the metric and the zero eigenvalues (lms leaves variance where λ = 0)', () => {
    expect(runSamplerSync(cifar, { sampler: 'lms', scheduler: 'karras', steps: 4, metric: 'kl' }).kl!.forward).toBe(null);
    expect(() => tuneSync(cifar, { sampler: 'lms', steps: 4, metric: 'kl' })).toThrow(/^metric must be finite on some grid of 4 steps \(kl is infinite on every grid the search started from: 9 of the input's eigenvalues are 0/);
    expect(() => tuneSync(cifar, { sampler: 'lms', steps: 4, metric: 'kl' })).toThrow(RangeError);
    // the same sampler on the positive eigenvalues is tuned
    const g = tuneSync(cifarPositive, { sampler: 'lms', steps: 4, metric: 'kl' }).tuned[0];
    for (const b of Object.values(g.baselines)) expect(g.value!).toBeLessThan(b!);
    expect(() => tuneSync(cifar, { sampler: 'heun', steps: 4, metric: 'both' })).toThrow(/^metric must be one of w2, kl, kl-reverse/);
  });
});

describe('several step counts and the interpolation rule', () => {
  it('--steps 5,10,20 with interpolation to 3, 7, 15, 30, 50: monotone grids; tuned better than the builders', () => {
    const r = tuneSync(cifar, { sampler: 'heun', steps: [20, 5, 10], interpolate: [3, 7, 15, 30, 50] });
    expect(r.tuned.map((g) => g.steps)).toEqual([5, 10, 20]);
    for (const g of [...r.tuned, ...r.interpolated]) {
      expect(g.grid.length).toBe(g.steps + 1);
      checkMonotone(g.grid, 80, 0, 0.002, 80);
      expect(Number.isFinite(g.value!)).toBe(true);
    }
    for (const g of r.tuned) for (const b of Object.values(g.baselines)) expect(g.value!).toBeLessThan(b!);
    // interpolated from the nearest tuned count (the larger on a tie)
    expect(r.interpolated.map((g) => g.from)).toEqual(['interpolated from 5 steps', 'interpolated from 5 steps', 'interpolated from 20 steps', 'interpolated from 20 steps', 'interpolated from 20 steps']);
    // interpolating a grid to its own step count gives it back (up to the exp/log round trip)
    const back = interpolateGrid(r.tuned[1].grid, 10);
    back.forEach((x, k) => expect(Math.abs(x - r.tuned[1].grid[k])).toBeLessThanOrEqual(4e-16 * r.tuned[1].grid[k]));
  });

  it('one step: the fixed grid [σ_max, 0]; it is not interpolated from (two nonzero levels needed)', () => {
    const r = tuneSync(small, { sampler: 'heun', steps: [1, 3], interpolate: [1, 2] });
    expect(r.tuned[0].grid).toEqual([80, 0]);
    expect(r.tuned[0].from).toBe('fixed');
    expect(r.interpolated.map((g) => g.from)).toEqual(['interpolated from 1 steps', 'interpolated from 3 steps']);
    expect(() => tuneSync(small, { sampler: 'heun', steps: 1, interpolate: [4] })).toThrow(/^interpolate must be/);
    expect(Array.from(interpolateGrid([80, 0], 1))).toEqual([80, 0]);
    expect(() => interpolateGrid([80, 0], 2)).toThrow(/^grid.length must be at least 3/);
  });

  it('interpolated grids stay strictly decreasing for every N from 1 to 200 (σ and time grids)', () => {
    const src = sigmas({ scheduler: 'karras', steps: 10 }).sigmas!;
    const tsrc = sigmas({ scheduler: 'logSNR', steps: 10, model: 'vp' }).times!;
    for (let N = 1; N <= 200; N++) {
      const g = Array.from(interpolateGrid(src, N));
      checkMonotone(g, 80, 0, 0.002, 80);
      const t = Array.from(interpolateGrid(tsrc, N, { model: 'vp' }));
      checkMonotone(t, tsrc[0], tsrc[10], tsrc[10], tsrc[0]);
    }
  });
});

describe('gaussdiff tune (CLI)', () => {
  it('prints a grid whose w2 is bit for bit what gaussdiff run --sigmas prints', async () => {
    const t = await cli('tune', '--spectrum', dataFile('cifar10.npy'), '--sampler', 'dpmpp_2m', '--steps', '6', '--format', 'json');
    expect(t.code).toBe(0);
    const out = JSON.parse(t.stdout);
    expect(out.sigmas.length).toBe(7);
    const r = await cli('run', '--spectrum', dataFile('cifar10.npy'), '--sampler', 'dpmpp_2m', '--sigmas', out.sigmas.join(','));
    expect(r.code).toBe(0);
    const run = JSON.parse(r.stdout);
    expect(run.w2).toBe(out.w2);
    expect(run.sigmas).toEqual(out.sigmas);
    // its KL as run --metric both prints it
    const both = JSON.parse((await cli('run', '--spectrum', dataFile('cifar10.npy'), '--sampler', 'dpmpp_2m', '--sigmas', out.sigmas.join(','), '--metric', 'both')).stdout);
    expect(out.kl).toEqual(both.kl);
    expect(both.w2).toBe(out.w2);
    expect(out.metric).toBe('w2');
    expect(Object.keys(out.baselines)).toEqual(['karras', 'exponential', 'kl_optimal']);
    expect(out.paste.comfyui).toBe(out.sigmas.join(', '));
    expect(out.paste.diffusers).toBe(`sigmas=[${out.sigmas.join(', ')}]`);
  });

  it('--metric kl: a grid whose KL is bit for bit what gaussdiff run --sigmas … --metric kl prints', async () => {
    const t = await cli('tune', '--spectrum', dataFile('cifar10.npy'), '--sampler', 'heun', '--steps', '6', '--metric', 'kl', '--format', 'json');
    expect(t.code, t.stderr).toBe(0);
    const out = JSON.parse(t.stdout);
    expect(out.metric).toBe('kl');
    const r = await cli('run', '--spectrum', dataFile('cifar10.npy'), '--sampler', 'heun', '--sigmas', out.sigmas.join(','), '--metric', 'kl');
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout);
    expect(typeof out.kl.forward).toBe('number');
    expect(run.kl.forward).toBe(out.kl.forward);
    expect(run.kl.reverse).toBe(out.kl.reverse);
    for (const [id, b] of Object.entries(out.baselines as Record<string, number>)) expect(out.kl.forward, id).toBeLessThan(b);
  });

  it('writes md and paste-ready txt; several --steps in one json', async () => {
    const md = path.join(dir, 'tune.md'), txt = path.join(dir, 'tune.txt');
    expect((await cli('tune', '--spectrum', smallFile, '--sampler', 'euler', '--steps', '3,5', '--interpolate', '4', '--out', md)).code).toBe(0);
    expect(readFileSync(md, 'utf8')).toMatch(/^# Tuned grids: euler on edm/);
    expect(readFileSync(md, 'utf8')).toMatch(/\| w2 \| KL\(sampler‖data\) \| KL\(data‖sampler\) \| from \|/);
    expect((await cli('tune', '--spectrum', smallFile, '--sampler', 'euler', '--steps', '3,5', '--out', txt)).code).toBe(0);
    const lines = readFileSync(txt, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('# 3 steps');
    expect(lines[2]).toMatch(/^sigmas=\[80, .*, 0\]$/);
    const j = await cli('tune', '--spectrum', smallFile, '--sampler', 'euler', '--steps', '3,5', '--restarts', 'karras:rho=3,exponential');
    const out = JSON.parse(j.stdout);
    expect(out.tuned.map((g: { steps: number }) => g.steps)).toEqual([3, 5]);
    expect(Object.keys(out.tuned[0].baselines)).toEqual(['karras:rho=3', 'exponential']);
  });

  const bad: [string[], RegExp][] = [
    [['--steps', '0'], /--steps/],
    [['--steps', 'x'], /--steps/],
    [['--steps', '5,,10'], /--steps/],
    [[], /--steps is required/],
    [['--steps', '5', '--sampler', 'nope'], /--sampler/],
    [['--steps', '5', '--sampler', 'dpm_fast'], /--sampler/],
    [['--steps', '5', '--metric', 'both'], /--metric both has no single objective for tune: choose one of w2, kl, kl-reverse/],
    [['--steps', '5', '--sampler', 'lms', '--metric', 'kl'], /--metric must be finite on some grid of 5 steps \(kl is infinite .*1 of the input's eigenvalues are 0/],
    [['--steps', '5', '--metric', 'fid'], /--metric/],
    [['--steps', '5', '--sigma-min', '-1'], /--sigma-min/],
    [['--steps', '5', '--sigma-min', '90'], /--sigma-min/],
    [['--steps', '5', '--restarts', 'nope'], /--restarts/],
    [['--steps', '5', '--restarts', 'karras:rho=x'], /--restarts/],
    [['--steps', '5', '--param', 'eta=1'], /--param eta/],
    [['--steps', '5', '--start', 'pT'], /--start/],
    [['--steps', '5', '--max-iterations', '0'], /--max-iterations/],
    [['--steps', '5', '--interpolate', '0'], /--interpolate/],
    [['--steps', '5', '--model', 'vp'], /--model/],
    [['--steps', '5', '--format', 'csv'], /--format/],
  ];
  for (const [args, re] of bad) {
    it(`exits 2 naming the flag: ${args.join(' ') || '(no --steps)'}`, async () => {
      const sampler = args.includes('--sampler') ? [] : ['--sampler', 'euler'];
      const r = await cli('tune', '--spectrum', smallFile, ...sampler, ...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stdout).toBe('');
    });
  }
});
