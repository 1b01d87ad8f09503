/**
 * The `run --sampler` contract (issue 11 item 5, bin/cmd-sampler.ts):
 *   gaussdiff run INPUT --sampler NAME [--model M] [--sigmas LIST | --scheduler S --steps N
 *     [--sigma-min X] [--sigma-max X] [--rho X]] [--param key=value]... [--start conventional|exact]
 *     [--variances] --format json
 * JSON keys and values against the API (runSampler: the same numbers, bit for bit), every input
 * flag, --param parsing (numbers, choices, inf), and exit 2 naming the flag or the key.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, run, runSamplerSync, toNpy, SAMPLER_REGISTRY } from '../dist/bindings/index.node.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'gaussdiff.js');
const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-cli-samplers-'));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

const lam = [3.5, 0, 0.2, 40, 1e-3, 1];
const files: Record<string, string> = {};

beforeAll(async () => {
  await init();
  files.npy = path.join(dir, 'lam.npy');
  writeFileSync(files.npy, toNpy({ shape: [lam.length], data: Float64Array.from(lam) }));
  // A diagonal covariance with these eigenvalues; samples whose covariance is known exactly.
  const d = lam.length;
  const cov = new Float64Array(d * d);
  lam.forEach((l, i) => (cov[i * d + i] = l));
  files.cov = path.join(dir, 'cov.npy');
  writeFileSync(files.cov, toNpy({ shape: [d, d], data: cov }));
  files.samples = path.join(dir, 'samples.npy');
  const x = new Float64Array(8 * 3);
  [[1, 0, 2], [-1, 0, 2], [0, 1, -2], [0, -1, -2], [2, 0, 0], [-2, 0, 0], [0, 3, 1], [0, -3, -1]].forEach((r, i) => x.set(r, 3 * i));
  writeFileSync(files.samples, toNpy({ shape: [8, 3], data: x }));
});

describe('gaussdiff run --sampler: the JSON contract', () => {
  it('keys, every parameter with its default, the grid, NFE, start, w2 and trajectory = the API', async () => {
    const r = await cli('run', '--spectrum', files.npy, '--sampler', 'heun', '--steps', '10', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['sampler', 'model', 'params', 'sigmas', 'nfe', 'start', 'w2', 'trajectory']);
    expect(j.sampler).toBe('heun');
    expect(j.model).toBe('edm');
    expect(j.params).toEqual({ s_churn: 0, s_tmin: 0, s_tmax: null, s_noise: 1 }); // JSON has no ∞: null
    expect(j.start).toBe('conventional');
    expect(j.nfe).toBe(19);
    expect(j.sigmas).toHaveLength(11);
    expect(j.sigmas[0]).toBe(80);
    expect(j.sigmas[10]).toBe(0);
    const api = await run(lam, { sampler: 'heun', steps: 10 });
    expect(j.w2).toBe(api.w2);
    expect(j.trajectory).toEqual(api.trajectory);
    expect(j.sigmas).toEqual(api.times);
  });

  it('--variances: one per input eigenvalue, in input order; --start exact', async () => {
    const r = await cli('run', '--spectrum', files.npy, '--sampler', 'dpmpp_2m_sde', '--steps', '12', '--start', 'exact', '--variances', '--param', 'eta=0.5', '--param', 'solver_type=heun', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.start).toBe('exact');
    expect(j.params).toEqual({ eta: 0.5, s_noise: 1, solver_type: 'heun' });
    const api = runSamplerSync(lam, { sampler: 'dpmpp_2m_sde', steps: 12, start: 'exact', params: { eta: 0.5, solver_type: 'heun' }, variances: true });
    expect(j.variances).toEqual(Array.from(api.variances!));
    expect(j.variances).toHaveLength(lam.length);
    expect(j.w2).toBe(api.w2);
  });

  it('--no-trajectory leaves out the trajectory only (grid, NFE and W2 stay, the same numbers)', async () => {
    const a = await cli('run', '--spectrum', files.npy, '--sampler', 'heun', '--steps', '7', '--format', 'json');
    const b = await cli('run', '--spectrum', files.npy, '--sampler', 'heun', '--steps', '7', '--no-trajectory', '--format', 'json');
    expect(b.code, b.stderr).toBe(0);
    const ja = JSON.parse(a.stdout), jb = JSON.parse(b.stdout);
    expect(jb.trajectory).toBeUndefined();
    expect(ja.trajectory).toHaveLength(8);
    const { trajectory: _t, ...rest } = ja;
    expect(jb).toEqual(rest);
  });

  it('--model-param and --scheduler-param reach the model and the grid builder (= the API); bad keys exit 2 naming the flag', async () => {
    const a = await cli('run', '--spectrum', files.npy, '--sampler', 'flow_euler', '--model', 'rf', '--model-param', 'shift=3', '--param', 'num_inference_steps=6', '--format', 'json');
    expect(a.code, a.stderr).toBe(0);
    const ja = JSON.parse(a.stdout);
    const api = runSamplerSync(lam, { sampler: 'flow_euler', process: 'rf', processParams: { shift: 3 }, params: { num_inference_steps: 6 } });
    expect(ja.w2).toBe(api.w2);
    expect(ja.modelParams).toEqual({ shift: 3 });
    expect(ja.w2).not.toBe(runSamplerSync(lam, { sampler: 'flow_euler', process: 'rf', params: { num_inference_steps: 6 } }).w2);
    const b = await cli('run', '--spectrum', files.npy, '--sampler', 'euler', '--scheduler', 'linear_quadratic', '--steps', '10', '--scheduler-param', 'linear_steps=3', '--format', 'json');
    expect(b.code, b.stderr).toBe(0);
    const apiB = runSamplerSync(lam, { sampler: 'euler', scheduler: 'linear_quadratic', steps: 10, schedulerParams: { linear_steps: 3 } });
    expect(JSON.parse(b.stdout).w2).toBe(apiB.w2);
    expect(JSON.parse(b.stdout).sigmas).toEqual(Array.from(apiB.times));
    const bad = await cli('run', '--spectrum', files.npy, '--sampler', 'euler', '--steps', '5', '--scheduler-param', 'bogus=1', '--format', 'json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--scheduler-param bogus is not a parameter/);
    const badModel = await cli('run', '--spectrum', files.npy, '--sampler', 'flow_euler', '--model', 'rf', '--model-param', 'shift=-1', '--format', 'json');
    expect(badModel.code).toBe(2);
    expect(badModel.stderr).toMatch(/--model-param shift must be > 0/);
    const twice = await cli('run', '--spectrum', files.npy, '--sampler', 'euler', '--steps', '5', '--rho', '3', '--scheduler-param', 'rho=4', '--format', 'json');
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/--scheduler-param rho is also given by its own flag/);
  });

  it('--sigmas LIST (a user grid, kept as given; Heun then evaluates at every step), --param s_tmax=inf', async () => {
    const r = await cli('run', '--spectrum', files.npy, '--sampler', 'heun', '--sigmas', '50,20,7,2.5,0.9,0.3,0.05', '--param', 's_churn=10', '--param', 's_tmax=inf', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.sigmas).toEqual([50, 20, 7, 2.5, 0.9, 0.3, 0.05]);
    expect(j.nfe).toBe(12); // the grid does not end at 0: 2 evaluations on every step
    expect(j.params.s_churn).toBe(10);
    const api = runSamplerSync(lam, { sampler: 'heun', sigmas: [50, 20, 7, 2.5, 0.9, 0.3, 0.05], params: { s_churn: 10 }, start: 'conventional' });
    expect(j.w2).toBe(api.w2);
  });

  it('--scheduler karras --steps N --sigma-min --sigma-max --rho; --model edm', async () => {
    const r = await cli('run', '--spectrum', files.npy, '--sampler', 'lms', '--model', 'edm', '--scheduler', 'karras', '--steps', '6', '--sigma-min', '0.01', '--sigma-max', '10', '--rho', '3', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.sigmas[0]).toBeCloseTo(10, 13); // (10^{1/3})^3 rounds
    expect(j.sigmas[5]).toBeCloseTo(0.01, 15);
    const api = runSamplerSync(lam, { sampler: 'lms', steps: 6, schedulerParams: { sigma_min: 0.01, sigma_max: 10, rho: 3 } });
    expect(j.w2).toBe(api.w2);
    expect(j.params).toEqual({ order: 4 });
  });

  it('every sampler of the registry runs with its defaults', async () => {
    for (const name of Object.keys(SAMPLER_REGISTRY)) {
      const own = SAMPLER_REGISTRY[name].ownGrid !== undefined; // dpm_fast: no --steps
      const r = await cli('run', '--spectrum', files.npy, '--sampler', name, ...(own ? [] : ['--steps', '5']), '--format', 'json');
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.sampler).toBe(name);
      expect(j.w2).toBe(runSamplerSync(lam, { sampler: name as never, ...(own ? {} : { steps: 5 }) }).w2);
    }
  });

  it('every input flag works: --cov, --samples (with "fit"), --data, --texture', async () => {
    const viaCov = JSON.parse((await cli('run', '--cov', files.cov, '--sampler', 'dpm_2', '--steps', '8', '--format', 'json')).stdout);
    expect(viaCov.w2).toBeCloseTo(runSamplerSync(lam, { sampler: 'dpm_2', steps: 8 }).w2!, 12);
    const s = await cli('run', '--samples', files.samples, '--sampler', 'dpm_2', '--steps', '8', '--variances', '--format', 'json');
    expect(s.code, s.stderr).toBe(0);
    const viaSamples = JSON.parse(s.stdout);
    expect(viaSamples.fit).toBeDefined();
    expect(viaSamples.variances).toHaveLength(3);
    const d = await cli('run', '--data', 'mnist', '--sampler', 'euler_ancestral', '--steps', '4', '--format', 'json');
    expect(d.code, d.stderr).toBe(0);
    expect(JSON.parse(d.stdout).w2).toBeGreaterThan(0);
    const t = await cli('run', '--texture', path.join(root, 'test/fixtures/data/fabric.png'), '--sampler', 'dpmpp_2m', '--steps', '3', '--format', 'json');
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(t.stdout).w2).toBeGreaterThan(0);
  });

  it('dpm_fast builds its grid from its parameters and reports it; NFE = n; it ends at sigma_min', async () => {
    const r = await cli('run', '--spectrum', files.npy, '--sampler', 'dpm_fast', '--param', 'n=10', '--param', 'sigma_min=0.01', '--param', 'sigma_max=20', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.params).toEqual({ sigma_min: 0.01, sigma_max: 20, n: 10, eta: 0, s_noise: 1 });
    expect(j.nfe).toBe(10);
    expect(j.sigmas).toHaveLength(5); // ⌊10/3⌋ + 1 = 4 steps
    expect(j.sigmas[0]).toBeCloseTo(20, 12);
    expect(j.sigmas[4]).toBeCloseTo(0.01, 14);
    const bad = await cli('run', '--spectrum', files.npy, '--sampler', 'dpm_fast', '--steps', '10', '--format', 'json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--steps is not for dpm_fast: it builds its own grid from its parameters \(sigma_min, sigma_max, n, eta, s_noise\)/);
  });

  it('--out FILE.json writes the same JSON', async () => {
    const out = path.join(dir, 'heun.json');
    const r = await cli('run', '--spectrum', files.npy, '--sampler', 'heun', '--steps', '4', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).nfe).toBe(7);
  });
});

describe('the API: run(spectrum, { sampler, model, scheduler, steps, sigmas, params, start, variances }) is runSampler', () => {
  it('model = process, sigmas = times, start conventional = prior; giving both names is an error', async () => {
    const a = await run(lam, { sampler: 'dpmpp_sde', model: 'edm', sigmas: [20, 5, 1, 0.1, 0], params: { eta: 0.7 }, start: 'conventional', variances: true });
    const b = runSamplerSync(lam, { sampler: 'dpmpp_sde', process: 'edm', times: [20, 5, 1, 0.1, 0], params: { eta: 0.7 }, start: 'prior', variances: true });
    expect(a.w2).toBe(b.w2);
    expect(Array.from(a.variances!)).toEqual(Array.from(b.variances!));
    const c = await run(lam, { sampler: 'heun', scheduler: 'karras', steps: 6 });
    expect(c.nfe).toBe(11);
    await expect(run(lam, { sampler: 'heun', steps: 3, model: 'edm', process: 'edm' })).rejects.toThrow(/model must be absent when process is given/);
    await expect(run(lam, { sampler: 'heun', sigmas: [1, 0], times: [1, 0] })).rejects.toThrow(/sigmas must be absent when times are given/);
  });
});

describe('gaussdiff run --sampler: errors exit 2 naming the flag or key', () => {
  const cases: [string[], RegExp][] = [
    [['--sampler', 'nope', '--steps', '3'], /--sampler must be one of .*heun/],
    [['--sampler', 'heun', '--steps', '3', '--param', 'eta=1'], /--param eta is not a parameter \(the parameters are s_churn, s_tmin, s_tmax, s_noise; got eta = "1"\)/],
    [['--sampler', 'heun', '--steps', '3', '--param', 's_churn=abc'], /--param s_churn must be a number \(got "abc"\)/],
    [['--sampler', 'heun', '--steps', '3', '--param', 's_churn=-1'], /--param s_churn must be ≥ 0 \(got -1\)/],
    [['--sampler', 'heun', '--steps', '3', '--param', 's_churn=0x10'], /--param s_churn must be a number \(got "0x10"\)/],
    [['--sampler', 'heun', '--steps', '3', '--param', 's_churn'], /--param must be key=value/],
    [['--sampler', 'heun', '--steps', '3', '--param', 's_churn=1', '--param', 's_churn=2'], /--param s_churn is given twice/],
    [['--sampler', 'dpmpp_2m_sde', '--steps', '3', '--param', 'solver_type=euler'], /--param solver_type must be one of midpoint, heun \(got "euler"\)/],
    [['--sampler', 'lms', '--steps', '3', '--param', 'order=5'], /--param order must be ≤ 4/],
    [['--sampler', 'lms', '--steps', '3', '--param', 'order=2.5'], /--param order must be an integer/],
    [['--sampler', 'heun', '--steps', '3', '--start', 'prior'], /--start must be one of conventional, exact/],
    [['--sampler', 'heun'], /--steps is required/],
    [['--sampler', 'heun', '--steps', '0'], /--steps must be a positive integer/],
    [['--sampler', 'heun', '--sigmas', '1,2,0'], /--sigmas\[1\] must be < /],
    [['--sampler', 'heun', '--sigmas', '1,0', '--steps', '3'], /--steps cannot be combined with --sigmas/],
    [['--sampler', 'heun', '--steps', '3', '--sigma-min', '-1'], /--sigma-min must be > 0/],
    [['--sampler', 'heun', '--steps', '3', '--model', 'vp'], /--model must be one of edm for heun/],
    [['--sampler', 'heun', '--steps', '3', '--format', 'md'], /--format must be one of json/],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), async () => {
      const r = await cli('run', '--spectrum', files.npy, ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }
  it('a boolean parameter reads true|false only (parseParam)', async () => {
    const { parseParam } = await import('../dist/bindings/samplers/params.js');
    const specs = [{ name: 'flag', type: 'boolean', default: false, doc: '' }] as const;
    expect(parseParam('params', specs, 'flag', 'true')).toBe(true);
    expect(parseParam('params', specs, 'flag', 'false')).toBe(false);
    expect(() => parseParam('params', specs, 'flag', '1')).toThrow(/params\.flag must be true or false/);
  });
});
