/**
 * `gaussdiff compare` and the API's `compare` (issue 11 item 5, bin/cmd-compare.ts,
 * bindings/exact/compare.ts): every cell equals `run --sampler` with the same options bit for bit
 * (the API's runSamplerSync for all cells, the CLI's `run --sampler` for a few), the four formats
 * carry the same numbers, samplers with their own grid get one 'own' row, every input flag works,
 * and invalid combinations exit 2 naming the flag before anything is computed. With the metric and
 * score options (issue 12 item 7: metric, mean, scoreMean, scoreSpectrum, scoreCov; the CLI's
 * --metric, --mean, --score-mean, --score-spectrum, --score-cov) every cell is runSamplerSync's
 * w2, kl and meanError with the same options, bit for bit, and the tables show the chosen metric.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, compare, compareSync, planCompare, runSamplerSync, toNpy, SAMPLER_REGISTRY, ownGridStepsParam } from '../dist/bindings/index.node.js';
import { renderCompare } from '../dist/bindings/figures.node.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'gaussdiff.js');
const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-cli-compare-'));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

const lam = [3.5, 0, 0.2, 40, 1e-3, 1, 0.2];
let npy: string;

beforeAll(async () => {
  await init();
  npy = path.join(dir, 'lam.npy');
  writeFileSync(npy, toNpy({ shape: [lam.length], data: Float64Array.from(lam) }));
});

/** The options `run --sampler` takes for one cell of a comparison. */
function runOptions(c: { sampler: string; scheduler: string; steps: number }, extra: Record<string, unknown> = {}) {
  return c.scheduler === 'own'
    ? { sampler: c.sampler as never, params: { [ownGridStepsParam(c.sampler)!]: c.steps }, ...extra }
    : { sampler: c.sampler as never, scheduler: c.scheduler, steps: c.steps, ...extra };
}

describe('compare (API): every cell is runSampler\'s W2 and NFE, bit for bit', () => {
  it.each(['edm', 'vp'])('every registry sampler of model %s × two grid builders × three step counts', async (model) => {
    const samplers = Object.keys(SAMPLER_REGISTRY).filter((s) => (SAMPLER_REGISTRY[s].processes as readonly string[]).includes(model));
    expect(samplers.length).toBeGreaterThan(0);
    const schedulers = model === 'edm' ? ['karras', 'exponential'] : ['time_uniform', 'karras'];
    const r = await compare(lam, { samplers, schedulers, steps: [3, 7, 12], model });
    const own = samplers.filter((s) => SAMPLER_REGISTRY[s].ownGrid).length;
    expect(r.cells).toHaveLength((samplers.length - own) * 2 * 3 + own * 3);
    expect(r.model).toBe(model);
    for (const c of r.cells) {
      const x = runSamplerSync(lam, { ...runOptions(c), model });
      expect(c.w2, `${c.sampler}/${c.scheduler}/${c.steps}`).toBe(x.w2);
      expect(c.nfe).toBe(x.nfe);
    }
    // the order: sampler-major, then grid builder, then steps
    // sampler-major: each sampler's cells are contiguous, in the order given
    expect([...new Set(r.cells.map((c) => c.sampler))]).toEqual(samplers);
    const first = samplers.find((s) => !SAMPLER_REGISTRY[s].ownGrid);
    if (first) expect(r.cells.filter((c) => c.sampler === first).map((c) => [c.sampler, c.scheduler, c.steps])).toEqual([
      [first, schedulers[0], 3], [first, schedulers[0], 7], [first, schedulers[0], 12],
      [first, schedulers[1], 3], [first, schedulers[1], 7], [first, schedulers[1], 12],
    ]);
  });

  it('start exact, and parameters: plain keys for every sampler that has them, sampler.key for one', () => {
    const r = compareSync(lam, {
      samplers: ['euler', 'euler_ancestral', 'dpmpp_2m_sde'], schedulers: ['karras'], steps: [5],
      start: 'exact', params: { eta: 0.5, 'dpmpp_2m_sde.eta': 0.25, 's_noise': 0.9, 'euler.s_churn': 10 },
    });
    expect(r.params.euler_ancestral).toEqual({ eta: 0.5, s_noise: 0.9 });
    expect(r.params.dpmpp_2m_sde.eta).toBe(0.25);
    expect(r.params.euler.s_churn).toBe(10);
    expect(r.cells[0].w2).toBe(runSamplerSync(lam, { sampler: 'euler', steps: 5, start: 'exact', params: { s_churn: 10, s_noise: 0.9 } }).w2);
    expect(r.cells[1].w2).toBe(runSamplerSync(lam, { sampler: 'euler_ancestral', steps: 5, start: 'exact', params: { eta: 0.5, s_noise: 0.9 } }).w2);
    expect(r.cells[2].w2).toBe(runSamplerSync(lam, { sampler: 'dpmpp_2m_sde', steps: 5, start: 'exact', params: { eta: 0.25, s_noise: 0.9 } }).w2);
    // a different start gives a different number (the option is read)
    expect(compareSync(lam, { samplers: ['euler'], steps: [5] }).cells[0].w2).not.toBe(compareSync(lam, { samplers: ['euler'], steps: [5], start: 'exact' }).cells[0].w2);
  });

  it('own-grid samplers: one "own" row, steps = their size parameter, whatever the schedulers', () => {
    const r = compareSync(lam, { samplers: ['dpm_fast'], schedulers: ['karras', 'exponential'], steps: [4, 9] });
    expect(r.cells.map((c) => [c.scheduler, c.steps, c.nfe])).toEqual([['own', 4, 4], ['own', 9, 9]]);
    expect(r.cells[1].w2).toBe(runSamplerSync(lam, { sampler: 'dpm_fast', params: { n: 9 } }).w2);
    expect(() => planCompare({ samplers: ['dpm_fast'], steps: [4], params: { 'dpm_fast.n': 3 } })).toThrow(/params\.dpm_fast\.n must be absent: compare sets dpm_fast's n from steps/);
  });

  it('invalid combinations throw before anything is computed, naming the option', () => {
    let progressCalls = 0;
    const onProgress = () => void progressCalls++;
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ samplers: ['nope'], steps: [3] }, /^samplers must be one of euler/],
      [{ samplers: [], steps: [3] }, /^samplers\.length must be at least 1/],
      [{ samplers: ['euler'], schedulers: ['nope'], steps: [3] }, /^schedulers must be one of/],
      [{ samplers: ['euler'], schedulers: ['time_uniform'], steps: [3] }, /^schedulers must be a grid builder for model edm/],
      [{ samplers: ['euler'], steps: [3], model: 'vp' }, /^samplers must be a sampler of model vp \(euler runs on edm\)/],
      [{ samplers: ['euler'], steps: [0] }, /^steps\[0\] must be a positive integer/],
      [{ samplers: ['euler'], steps: [3, 3] }, /^steps must be step counts given once each/],
      [{ samplers: ['euler'], steps: [3], params: { eta: 1 } }, /^params\.eta must be a parameter of a listed sampler/],
      [{ samplers: ['euler'], steps: [3], params: { 'heun.s_churn': 1 } }, /^params\.heun\.s_churn must be for a listed sampler/],
      [{ samplers: ['euler'], steps: [3], params: { s_churn: -1 } }, /^params\.euler\.s_churn must be ≥ 0/],
      [{ samplers: ['euler'], steps: [3], start: 'late' }, /^start must be one of/],
    ];
    for (const [options, message] of bad) {
      expect(() => compareSync(lam, { ...options, onProgress } as never), JSON.stringify(options)).toThrow(message);
    }
    expect(progressCalls).toBe(0);
    expect(() => compareSync(lam, { samplers: ['euler'], steps: [3], onProgress: 3 as never })).toThrow(TypeError);
  });
});

describe('gaussdiff compare (CLI)', () => {
  const args = ['--samplers', 'heun,dpm_fast,dpmpp_2m', '--schedulers', 'karras,exponential', '--steps', '4,10'];

  it('json: {"model","start","params","cells":[{"sampler","scheduler","steps","nfe","w2"}]}, each cell = run --sampler bit for bit', async () => {
    const r = await cli('compare', '--spectrum', npy, ...args, '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['model', 'start', 'params', 'cells']);
    expect(j.start).toBe('conventional');
    expect(j.cells).toHaveLength(2 * 2 * 2 + 2);
    for (const c of j.cells) {
      expect(Object.keys(c)).toEqual(['sampler', 'scheduler', 'steps', 'nfe', 'w2']);
      expect(c.w2).toBe(runSamplerSync(lam, runOptions(c)).w2);
    }
    // Three cells through the CLI's own `run --sampler`: the same printed numbers.
    for (const c of [j.cells[0], j.cells[3], j.cells.find((x: { scheduler: string }) => x.scheduler === 'own')]) {
      const grid = c.scheduler === 'own' ? ['--param', `n=${c.steps}`] : ['--scheduler', c.scheduler, '--steps', String(c.steps)];
      const x = JSON.parse((await cli('run', '--spectrum', npy, '--sampler', c.sampler, ...grid, '--format', 'json')).stdout);
      expect(c.w2).toBe(x.w2);
      expect(c.nfe).toBe(x.nfe);
    }
  });

  it('md, latex and csv: the same cells; md and latex show NFE; --out writes atomically by extension', async () => {
    const json = JSON.parse((await cli('compare', '--spectrum', npy, ...args, '--format', 'json', '--start', 'exact')).stdout);
    const md = await cli('compare', '--spectrum', npy, ...args, '--start', 'exact');
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('| sampler | scheduler | N = 4 | N = 10 |');
    const heun = json.cells.find((c: { sampler: string; scheduler: string; steps: number }) => c.sampler === 'heun' && c.scheduler === 'karras' && c.steps === 10);
    expect(md.stdout).toContain(`| heun | karras | ${json.cells[0].w2.toPrecision(4)} (7) | ${heun.w2.toPrecision(4)} (19) |`);
    expect(md.stdout).toMatch(/\| dpm_fast \| own \| [0-9.e-]+ \(4\) \| [0-9.e-]+ \(10\) \|/);
    expect(md.stdout).toContain('start exact');
    const csv = await cli('compare', '--spectrum', npy, ...args, '--format', 'csv', '--start', 'exact');
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('sampler,scheduler,steps,nfe,w2');
    expect(lines.slice(1)).toEqual(json.cells.map((c: { sampler: string; scheduler: string; steps: number; nfe: number; w2: number }) => `${c.sampler},${c.scheduler},${c.steps},${c.nfe},${c.w2}`));
    const tex = path.join(dir, 'table.tex');
    const latex = await cli('compare', '--spectrum', npy, ...args, '--out', tex, '--start', 'exact');
    expect(latex.code, latex.stderr).toBe(0);
    const t = readFileSync(tex, 'utf8');
    expect(t).toContain('\\begin{tabular}{llrr}');
    expect(t).toContain(`heun & karras & ${json.cells[0].w2.toPrecision(4)}\\,(7) & ${heun.w2.toPrecision(4)}\\,(19) \\\\`);
    expect(t).toContain('dpm\\_fast & own');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('every input flag works: --cov, --samples, --data, --texture', async () => {
    const d = lam.length;
    const cov = new Float64Array(d * d);
    lam.forEach((l, i) => (cov[i * d + i] = l));
    const covFile = path.join(dir, 'cov.npy');
    writeFileSync(covFile, toNpy({ shape: [d, d], data: cov }));
    const viaCov = JSON.parse((await cli('compare', '--cov', covFile, '--samplers', 'euler', '--steps', '6', '--format', 'json')).stdout);
    expect(viaCov.cells[0].w2).toBeCloseTo(runSamplerSync(lam, { sampler: 'euler', steps: 6 }).w2!, 12);
    const samples = path.join(dir, 'samples.npy');
    const x = new Float64Array(8 * 3);
    [[1, 0, 2], [-1, 0, 2], [0, 1, -2], [0, -1, -2], [2, 0, 0], [-2, 0, 0], [0, 3, 1], [0, -3, -1]].forEach((r, i) => x.set(r, 3 * i));
    writeFileSync(samples, toNpy({ shape: [8, 3], data: x }));
    const s = JSON.parse((await cli('compare', '--samples', samples, '--samplers', 'euler', '--steps', '6', '--format', 'json')).stdout);
    expect(s.fit).toMatchObject({ count: 8, dim: 3 });
    for (const input of [['--data', 'mnist'], ['--texture', path.join(root, 'test/fixtures/data/fabric.png')]]) {
      const r = await cli('compare', ...input, '--samplers', 'dpmpp_2m', '--steps', '3', '--format', 'json');
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).cells[0].w2).toBeGreaterThan(0);
    }
  });

  it('bad flags exit 2 naming the flag, before reading the input; --out is not created', async () => {
    const out = path.join(dir, 'never.json');
    const cases: [string[], RegExp][] = [
      [['--samplers', 'nope', '--steps', '3'], /--samplers must be one of euler/],
      [['--samplers', 'euler', '--schedulers', 'nope', '--steps', '3'], /--schedulers must be one of/],
      [['--samplers', 'euler', '--schedulers', 'time_uniform', '--steps', '3'], /--schedulers must be a grid builder for model edm/],
      [['--samplers', 'euler', '--steps', '0'], /--steps must be integers ≥ 1 \(got "0"\)/],
      [['--samplers', 'euler', '--steps', '2.5'], /--steps must be integers ≥ 1 \(got "2.5"\)/],
      [['--samplers', 'euler', '--steps', 'x'], /--steps must be a number \(got "x"\)/],
      [['--samplers', 'euler', '--steps', '3,3'], /--steps must be step counts given once each/],
      [['--samplers', 'euler'], /--steps is required/],
      [['--steps', '3'], /--samplers is required/],
      [['--samplers', 'euler', '--steps', '3', '--model', 'nope'], /--model must be one of/],
      [['--samplers', 'euler', '--steps', '3', '--param', 'eta=1'], /--param eta is not a parameter of any of --samplers \(euler: s_churn/],
      [['--samplers', 'euler', '--steps', '3', '--param', 'euler.s_churn=x'], /--param euler\.s_churn must be a number/],
      [['--samplers', 'euler', '--steps', '3', '--start', 'x'], /--start must be one of conventional, exact/],
      [['--samplers', 'euler', '--steps', '3', '--format', 'pdf'], /--format must be one of md, latex, csv, json/],
    ];
    for (const [a, message] of cases) {
      const r = await cli('compare', '--spectrum', path.join(dir, 'missing.npy'), ...a, '--out', out);
      expect(r.code, a.join(' ')).toBe(2);
      expect(r.stderr, a.join(' ')).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
  });
});

/** Positive eigenvalues (every KL finite), a wrong score λ̂, a data mean and a score mean, input order. */
const lamPos = [3.5, 0.05, 0.2, 40, 1e-3, 1, 0.2];
const lamHat = lamPos.map((x, i) => x * (1 + 0.1 * ((i % 3) - 1)) + 0.002);
const meanVec = [1, 2, 0, -1, 0.5, 0, 3];
const scoreMeanVec = [1.1, 2, 0, -1, 0.25, 0.1, 3];

/** A 4×4 data covariance and a score covariance that does not commute with it (both PSD). */
const SIGMA = [[2, 0.3, 0, 0.1], [0.3, 1, 0.2, 0], [0, 0.2, 0.5, 0.05], [0.1, 0, 0.05, 0.3]];
const SIGMA_HAT = [[1.8, -0.2, 0.1, 0], [-0.2, 1.2, 0, 0.1], [0.1, 0, 0.6, 0], [0, 0.1, 0, 0.25]];
const MEAN4 = [0.5, -0.2, 0.1, 0.3]; // a data mean for the 4 × 4 matrices (data coordinates)

describe('compare (API) with metric, means and wrong scores: every cell is runSamplerSync\'s, bit for bit', () => {
  const extra = { metric: 'both' as const, mean: meanVec, scoreMean: scoreMeanVec, scoreSpectrum: lamHat };

  it.each(['edm', 'vp'])('metric both + mean + scoreMean + scoreSpectrum, every sampler of model %s (compare and compareSync, any threads)', async (model) => {
    const samplers = Object.keys(SAMPLER_REGISTRY).filter((s) => (SAMPLER_REGISTRY[s].processes as readonly string[]).includes(model));
    const schedulers = model === 'edm' ? ['karras'] : ['time_uniform'];
    let progress = 0;
    const r = await compare(lamPos, { samplers, schedulers, steps: [3, 8], model, start: 'exact', threads: 2, ...extra, onProgress: () => void progress++ });
    expect(r.metric).toBe('both');
    expect(progress).toBe(r.cells.length);
    expect(compareSync(lamPos, { samplers, schedulers, steps: [3, 8], model, start: 'exact', ...extra }).cells).toEqual(r.cells);
    for (const c of r.cells) {
      const x = runSamplerSync(lamPos, { ...runOptions(c), model, start: 'exact', ...extra });
      const at = `${c.sampler}/${c.scheduler}/${c.steps}`;
      expect(Object.keys(c), at).toEqual(['sampler', 'scheduler', 'steps', 'nfe', 'w2', 'meanError', 'kl']);
      expect(c.w2, at).toBe(x.w2);
      expect(c.meanError, at).toBe(x.meanError);
      expect(c.kl, at).toEqual(x.kl);
      expect(c.nfe, at).toBe(x.nfe);
    }
    // The options are read: the exact score and centred data give other numbers, and the W2 of the
    // plain comparison (workers or not) is runSamplerSync's without them.
    const plain = await compare(lamPos, { samplers, schedulers, steps: [3, 8], model, start: 'exact' });
    expect(plain.metric).toBe('w2');
    expect(plain.cells.every((c) => c.kl === undefined && c.meanError === undefined)).toBe(true);
    expect(plain.cells.filter((c, i) => c.w2 !== r.cells[i].w2).length).toBeGreaterThan(r.cells.length / 2);
    expect(r.cells.every((c) => c.kl!.forward! > 0 && c.kl!.reverse! > 0 && c.meanError! > 0)).toBe(true);
  }, 120_000);

  it('each option alone: metric kl, a mean, a score mean, a wrong score; metric w2 is the plain comparison', () => {
    const base = { samplers: ['heun', 'dpmpp_2m', 'dpm_fast'], schedulers: ['exponential'], steps: [5] };
    const alone: Record<string, unknown>[] = [{ metric: 'kl' }, { mean: meanVec }, { scoreMean: scoreMeanVec }, { scoreSpectrum: lamHat }];
    for (const o of alone) {
      const r = compareSync(lamPos, { ...base, ...o });
      for (const c of r.cells) {
        const x = runSamplerSync(lamPos, { ...runOptions(c), ...o });
        expect(c.w2, JSON.stringify(o)).toBe(x.w2);
        expect(c.kl, JSON.stringify(o)).toEqual(x.kl);
        expect(c.meanError, JSON.stringify(o)).toBe(x.meanError);
      }
      expect(r.cells.every((c) => (c.kl !== undefined) === (o.metric === 'kl'))).toBe(true);
      expect(r.cells.every((c) => (c.meanError !== undefined) === ('mean' in o || 'scoreMean' in o))).toBe(true);
    }
    expect(compareSync(lamPos, { ...base, metric: 'w2' })).toEqual(compareSync(lamPos, base));
  });

  it('KL is null (never a huge number) where infinite: a zero data eigenvalue under a wrong score', () => {
    const hat = lam.map((x) => x + 0.01);
    const r = compareSync(lam, { samplers: ['euler'], steps: [6], metric: 'kl', scoreSpectrum: hat });
    expect(r.cells[0].kl).toEqual({ forward: null, reverse: null });
    expect(r.cells[0].kl).toEqual(runSamplerSync(lam, { sampler: 'euler', steps: 6, metric: 'kl', scoreSpectrum: hat }).kl);
  });

  it('scoreCov (a score covariance that does not commute with the data\'s): each cell = runSamplerSync(null, { scoreCov, cov })', async () => {
    for (const start of ['prior', 'exact'] as const) {
      const r = await compare(null, { samplers: ['euler', 'heun', 'dpmpp_2m'], schedulers: ['karras'], steps: [4, 9], start, scoreCov: SIGMA_HAT, cov: SIGMA });
      expect(r.cells).toHaveLength(6);
      for (const c of r.cells) {
        const x = runSamplerSync(null, { ...runOptions(c), start, scoreCov: SIGMA_HAT, cov: SIGMA });
        expect(c.w2, `${c.sampler}/${c.steps}/${start}`).toBe(x.w2);
        expect(c.w2).toBeGreaterThan(0);
      }
      // the score is read: the exact score (Σ̂ = Σ) gives other numbers
      const exact = compareSync(null, { samplers: ['euler', 'heun', 'dpmpp_2m'], schedulers: ['karras'], steps: [4, 9], start, scoreCov: SIGMA, cov: SIGMA });
      expect(exact.cells.every((c, i) => c.w2 !== r.cells[i].w2)).toBe(true);
    }
  });

  it('bad metric and score options throw naming the option, before any cell is computed', () => {
    let progressCalls = 0;
    const onProgress = () => void progressCalls++;
    const base = { samplers: ['euler', 'heun'], steps: [3, 5], onProgress };
    const bad: [SpectrumArg, Record<string, unknown>, RegExp][] = [
      [lamPos, { metric: 'tv' }, /^metric must be one of w2, kl, both/],
      [lamPos, { mean: [1, 2] }, /^mean\.length must be/],
      [lamPos, { scoreMean: 'x' }, /^scoreMean must be/],
      [lamPos, { scoreSpectrum: [1, 2, 3] }, /^scoreSpectrum\.length must be the number of data eigenvalues \(7\)/],
      [lamPos, { scoreSpectrum: lamHat.map((x) => -x) }, /^scoreSpectrum\[0\] must be ≥ 0/],
      [null, { scoreCov: SIGMA_HAT, cov: SIGMA, metric: 'tv' }, /^metric must be one of w2, kl, both/],
      [null, { scoreCov: SIGMA_HAT, cov: SIGMA, mean: [0, 0, 0] }, /^mean\.length must be the matrix size \(4\)/],
      [null, { scoreCov: SIGMA_HAT }, /^scoreCov must be given with cov/],
      [null, { scoreCov: SIGMA_HAT, cov: SIGMA, scoreSpectrum: [1, 1, 1, 1] }, /^scoreSpectrum must be absent/],
      [null, { scoreCov: SIGMA_HAT, cov: SIGMA, start: 'comfy' }, /^start must be 'conventional' or 'exact' with scoreCov/],
    ];
    for (const [input, options, message] of bad) {
      expect(() => compareSync(input as never, { ...base, ...options } as never), JSON.stringify(options)).toThrow(message);
    }
    expect(progressCalls).toBe(0);
  });

  it('renderCompare shows the chosen metric: md/latex "W2 / KL (NFE)" or "KL (NFE)", csv and json every number', () => {
    const r = compareSync(lamPos, { samplers: ['heun', 'dpm_fast'], steps: [4, 10], ...extra });
    const [heun4, heun10] = r.cells;
    const four = (x: number | null) => x!.toPrecision(4);
    const md = renderCompare({ ...r, start: 'conventional' }, 'md', { spectrum: 'lam' });
    expect(md.split('\n')[0]).toBe('W2 to the data / KL(sampler ‖ data) in nats (NFE in parentheses); model edm, start conventional; spectrum: lam');
    expect(md).toContain(`| heun | karras | ${four(heun4.w2)} / ${four(heun4.kl!.forward)} (7) | ${four(heun10.w2)} / ${four(heun10.kl!.forward)} (19) |`);
    const klOnly = compareSync(lamPos, { samplers: ['heun', 'dpm_fast'], steps: [4, 10], ...extra, metric: 'kl' });
    expect(klOnly.cells.map((c) => c.kl)).toEqual(r.cells.map((c) => c.kl));
    const mdKl = renderCompare({ ...klOnly, start: 'conventional' }, 'md', {});
    expect(mdKl.split('\n')[0]).toMatch(/^KL\(sampler ‖ data\) in nats \(NFE in parentheses\)/);
    expect(mdKl).toContain(`| heun | karras | ${four(heun4.kl!.forward)} (7) | ${four(heun10.kl!.forward)} (19) |`);
    const tex = renderCompare({ ...r, start: 'conventional' }, 'latex', {});
    expect(tex).toContain(`heun & karras & ${four(heun4.w2)} / ${four(heun4.kl!.forward)}\\,(7) & `);
    expect(tex).toContain('KL(sampler $\\|$ data)');
    const csv = renderCompare({ ...r, start: 'conventional' }, 'csv', {}).trim().split('\n');
    expect(csv[0]).toBe('sampler,scheduler,steps,nfe,w2,mean_error,kl_forward,kl_reverse');
    expect(csv.slice(1)).toEqual(r.cells.map((c) => [c.sampler, c.scheduler, c.steps, c.nfe, c.w2, c.meanError, c.kl!.forward, c.kl!.reverse].join(',')));
    expect(renderCompare({ ...klOnly, start: 'conventional' }, 'csv', {}).split('\n')[0]).toBe('sampler,scheduler,steps,nfe,mean_error,kl_forward,kl_reverse');
    const json = JSON.parse(renderCompare({ ...klOnly, start: 'conventional' }, 'json', {}));
    expect(json.metric).toBe('kl');
    expect(json.cells[0]).toEqual({ sampler: 'heun', scheduler: 'karras', steps: 4, nfe: 7, meanError: heun4.meanError, kl: heun4.kl });
    // metric kl/both needs the cells' kl
    expect(() => renderCompare({ ...r, metric: 'both', cells: r.cells.map(({ kl: _k, ...c }) => c), start: 'x' }, 'md', {})).toThrow(/^cells\[\]\.kl must be present with metric both/);
  });
});

type SpectrumArg = readonly number[] | null;

describe('gaussdiff compare --metric, --mean, --score-mean, --score-spectrum, --score-cov (CLI)', () => {
  let files: Record<string, string>;
  beforeAll(() => {
    const write = (name: string, shape: number[], data: number[]) => {
      const f = path.join(dir, name);
      writeFileSync(f, toNpy({ shape, data: Float64Array.from(data) }));
      return f;
    };
    files = {
      lam: write('lam-pos.npy', [7], lamPos), hat: write('hat.npy', [7], lamHat), mean: write('mean.npy', [7], meanVec),
      scoreMean: write('score-mean.npy', [7], scoreMeanVec), short: write('short.npy', [3], [1, 2, 3]),
      mean4: write('score-cov-data-mean.npy', [4], MEAN4),
      cov: write('sigma.npy', [4, 4], SIGMA.flat()), scoreCov: write('sigma-hat.npy', [4, 4], SIGMA_HAT.flat()),
    };
  });
  const args = ['--samplers', 'heun,dpm_fast,dpmpp_2m', '--schedulers', 'karras,exponential', '--steps', '4,10'];

  it('json: every cell = runSamplerSync with the files\' vectors, and = run --sampler with the same flags', async () => {
    const flags = ['--metric', 'both', '--mean', files.mean, '--score-mean', files.scoreMean, '--score-spectrum', files.hat];
    const r = await cli('compare', '--spectrum', files.lam, ...args, ...flags, '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['model', 'start', 'metric', 'params', 'cells']);
    expect(j.metric).toBe('both');
    expect(j.cells).toHaveLength(2 * 2 * 2 + 2);
    const o = { metric: 'both' as const, mean: meanVec, scoreMean: scoreMeanVec, scoreSpectrum: lamHat };
    for (const c of j.cells) {
      expect(Object.keys(c)).toEqual(['sampler', 'scheduler', 'steps', 'nfe', 'w2', 'meanError', 'kl']);
      const x = runSamplerSync(lamPos, { ...runOptions(c), ...o });
      expect([c.w2, c.meanError, c.kl]).toEqual([x.w2, x.meanError, x.kl]);
    }
    for (const c of [j.cells[1], j.cells.find((x: { scheduler: string }) => x.scheduler === 'own')]) {
      const grid = c.scheduler === 'own' ? ['--param', `n=${c.steps}`] : ['--scheduler', c.scheduler, '--steps', String(c.steps)];
      const x = JSON.parse((await cli('run', '--spectrum', files.lam, '--sampler', c.sampler, ...grid, ...flags, '--format', 'json')).stdout);
      expect([c.w2, c.meanError, c.kl, c.nfe]).toEqual([x.w2, x.meanError, x.kl, x.nfe]);
    }
  });

  it('--cov with --mean (data coordinates): each cell = run --sampler --cov --mean; --metric kl drops w2 as run does', async () => {
    const d = 4;
    const m = path.join(dir, 'mean4.npy');
    writeFileSync(m, toNpy({ shape: [d], data: Float64Array.from([0.5, -1, 0.25, 2]) }));
    const r = await cli('compare', '--cov', files.cov, '--mean', m, '--samplers', 'euler,heun', '--steps', '5', '--metric', 'kl', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const c of j.cells) {
      expect(Object.keys(c)).toEqual(['sampler', 'scheduler', 'steps', 'nfe', 'meanError', 'kl']);
      const x = JSON.parse((await cli('run', '--cov', files.cov, '--mean', m, '--sampler', c.sampler, '--steps', '5', '--metric', 'kl', '--format', 'json')).stdout);
      expect(x.w2).toBeUndefined();
      expect([c.meanError, c.kl]).toEqual([x.meanError, x.kl]);
    }
  });

  it('md and csv show the metric; --score-cov: each cell = runSamplerSync(null, { scoreCov, cov })', async () => {
    const md = await cli('compare', '--spectrum', files.lam, ...args, '--metric', 'both', '--score-spectrum', files.hat);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout.split('\n')[0]).toBe('W2 to the data / KL(sampler ‖ data) in nats (NFE in parentheses); model edm, start conventional; spectrum: lam-pos.npy (d = 7); score eigenvalues hat.npy');
    const r = compareSync(lamPos, { samplers: ['heun'], schedulers: ['karras'], steps: [4], metric: 'both', scoreSpectrum: lamHat });
    expect(md.stdout).toContain(`| heun | karras | ${r.cells[0].w2!.toPrecision(4)} / ${r.cells[0].kl!.forward!.toPrecision(4)} (7) |`);
    const csv = await cli('compare', '--spectrum', files.lam, ...args, '--metric', 'kl', '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toBe('sampler,scheduler,steps,nfe,kl_forward,kl_reverse');
    const cov = await cli('compare', '--cov', files.cov, '--score-cov', files.scoreCov, '--samplers', 'euler,dpm_fast', '--steps', '4,7', '--start', 'exact', '--format', 'json');
    expect(cov.code, cov.stderr).toBe(0);
    const j = JSON.parse(cov.stdout);
    expect(j.cells).toHaveLength(4);
    for (const c of j.cells) expect(c.w2).toBe(runSamplerSync(null, { ...runOptions(c), start: 'exact', scoreCov: SIGMA_HAT, cov: SIGMA }).w2);
    // with a mean (data coordinates) and KL: each cell = the API's run with the same options
    const covKl = await cli('compare', '--cov', files.cov, '--score-cov', files.scoreCov, '--mean', files.mean4, '--samplers', 'euler', '--steps', '4', '--metric', 'both', '--format', 'json');
    expect(covKl.code, covKl.stderr).toBe(0);
    const jk = JSON.parse(covKl.stdout);
    const mean = MEAN4;
    for (const c of jk.cells) {
      const x = runSamplerSync(null, { ...runOptions(c), scoreCov: SIGMA_HAT, cov: SIGMA, mean, metric: 'both' });
      expect(c.w2, covKl.stdout).toBe(x.w2);
      expect(c.kl).toEqual(x.kl);
    }
    const covMd = await cli('compare', '--cov', files.cov, '--score-cov', files.scoreCov, '--samplers', 'euler', '--steps', '4');
    expect(covMd.stdout.split('\n')[0]).toContain('spectrum: sigma.npy sampled with the score of sigma-hat.npy');
  });

  it('bad metric and score flags exit 2 naming the flag; --out is not created', async () => {
    const out = path.join(dir, 'never-metric.json');
    const cases: [string[], RegExp][] = [
      [['--spectrum', files.lam, '--metric', 'tv'], /--metric must be one of w2, kl, both \(got "tv"\)/],
      [['--spectrum', files.lam, '--score-spectrum', files.short], /--score-spectrum\.length must be the number of data eigenvalues \(7\)/],
      [['--spectrum', files.lam, '--mean', files.short], /--mean/],
      [['--spectrum', files.lam, '--score-spectrum', files.hat, '--score-cov', files.scoreCov], /--score-spectrum and --score-cov cannot be combined/],
      [['--spectrum', files.lam, '--score-cov', files.scoreCov], /--score-cov needs the data as a covariance matrix: --cov FILE/],
      [['--cov', files.cov, '--score-cov', files.scoreCov, '--mean', files.short], /--mean has 3 values, expected d = 4/],
      [['--spectrum', files.lam, '--per-eigenvalue'], /per-eigenvalue/],
      [['--spectrum', files.lam, '--score-samples', '10'], /score-samples/],
    ];
    for (const [a, message] of cases) {
      const r = await cli('compare', ...a, '--samplers', 'euler', '--steps', '3', '--out', out);
      expect(r.code, a.join(' ')).toBe(2);
      expect(r.stderr, a.join(' ')).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
  });
});
