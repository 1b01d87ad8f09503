/**
 * `gaussdiff compare` and the API's `compare` (issue 11 item 5, bin/cmd-compare.ts,
 * bindings/exact/compare.ts): every cell equals `run --sampler` with the same options bit for bit
 * (the API's runSamplerSync for all cells, the CLI's `run --sampler` for a few), the four formats
 * carry the same numbers, samplers with their own grid get one 'own' row, every input flag works,
 * and invalid combinations exit 2 naming the flag before anything is computed.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, compare, compareSync, planCompare, runSamplerSync, toNpy, SAMPLER_REGISTRY, ownGridStepsParam } from '../dist/bindings/index.node.js';

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
