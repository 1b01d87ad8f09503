// gaussdiff sweep / merge (docs/sweeps.md): shards partition the plan, several processes share one
// results folder, a shard killed midway and rerun completes the table without duplicates, and the
// numbers are those of the API's run (the call `gaussdiff run` makes) — compared exactly (===).
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, run } from '../dist/bindings/index.node.js';
import { loadPlan, resolveShard, shardOf } from '../dist/bin/sweep-plan.js';
import { ShardWriter } from '../dist/bin/sweep-store.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'gaussdiff.js');
const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-sweep-'));

interface Ran { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function cli(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, env: { ...cleanEnv(), ...env }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, signal: (error?.signal as NodeJS.Signals) ?? null, stdout, stderr });
    });
  });
}

/** The test runner's environment without shard variables (a CI inside Slurm must not leak in). */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(SLURM_|RANK$|WORLD_SIZE$)/.test(k)) env[k] = v;
  }
  return env;
}

/** Complete lines of every .jsonl file of a folder. */
function lines(folder: string): { file: string; text: string }[] {
  return readdirSync(folder).filter((n) => n.endsWith('.jsonl')).sort().flatMap((n) => {
    const all = readFileSync(path.join(folder, n), 'utf8').split('\n');
    all.pop(); // after the last newline: '' or an incomplete line
    return all.map((text) => ({ file: n, text }));
  });
}

const plans: Record<string, string> = {};
const big: number[] = [];

beforeAll(async () => {
  await init();
  writeFileSync(path.join(dir, 'lam.json'), JSON.stringify([0, 1e-3, 0.2, 1, 1, 3.5, 40]));
  // 20000 distinct eigenvalues and 2000-step cells: a shard takes long enough to be killed midway.
  for (let i = 0; i < 20000; i++) big.push(Math.exp(-9 + (12 * i) / 19999));
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'data', 'big.json'), JSON.stringify(big));
  plans.main = path.join(dir, 'plan.json');
  writeFileSync(plans.main, JSON.stringify({
    inputs: [{ spectrum: 'lam.json' }, { spectrum: 'data/big.json', name: 'big' }],
    grid: [
      { sampler: ['euler', 'heun', 'dpmpp_2m'], scheduler: ['karras', 'exponential'], steps: [20, 2000], start: ['conventional', 'exact'] },
      { sampler: 'dpmpp_2m_sde', steps: 10, params: [{ eta: 0.5 }, { eta: 1, s_noise: 0.9 }] },
      { sampler: 'heun', model: 'edm', sigmas: [[80, 10, 1, 0.1, 0]] },
      { scheme: ['em', 'heun'], steps: [100], eps: [1e-3], init: ['pT', 'N0'] },
    ],
  }));
});

describe('shards', () => {
  it('every cell is in exactly one shard, for n = 1..5, by the CLI as by the function', async () => {
    const plan = await loadPlan(plans.main);
    expect(plan.cells).toHaveLength(2 * (3 * 2 * 2 * 2 + 2 + 1 + 2 * 2));
    for (let n = 1; n <= 5; n++) {
      const runs = await Promise.all(Array.from({ length: n }, (_, i) => cli(['sweep', plans.main, '--shard', `${i}/${n}`, '--dry-run', '--no-progress', '--out', path.join(dir, 'never')])));
      const seen = new Map<number, number>();
      runs.forEach((r, i) => {
        expect(r.code, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout);
        expect(out.shard).toMatchObject({ index: i, count: n, source: '--shard' });
        for (const c of out.cells) {
          expect(seen.has(c.index)).toBe(false);
          seen.set(c.index, i);
          expect(c.key).toBe(plan.cells[c.index].key);
          expect(c.done).toBe(false);
        }
      });
      expect([...seen.keys()].sort((a, b) => a - b)).toEqual(plan.cells.map((c) => c.index));
      for (const [index, shard] of seen) expect(shard).toBe(shardOf(index, n));
    }
  });

  it('keys are stable: the same plan read twice, or moved with its data, gives the same keys', async () => {
    const a = await loadPlan(plans.main);
    const b = await loadPlan(plans.main);
    expect(b.cells.map((c) => c.key)).toEqual(a.cells.map((c) => c.key));
    expect(new Set(a.cells.map((c) => c.key)).size).toBe(a.cells.length);
    // The same cells in another folder, inputs renamed and axis written in another order.
    const moved = mkdtempSync(path.join(dir, 'moved-'));
    writeFileSync(path.join(moved, 'x.json'), readFileSync(path.join(dir, 'lam.json')));
    writeFileSync(path.join(moved, 'p.json'), JSON.stringify({
      inputs: [{ spectrum: 'x.json', name: 'renamed' }],
      grid: { start: ['conventional', 'exact'], steps: [20, 2000], scheduler: ['karras', 'exponential'], sampler: ['euler', 'heun', 'dpmpp_2m'] },
    }));
    const c = await loadPlan(path.join(moved, 'p.json'));
    const keys = new Set(a.cells.map((x) => x.key));
    expect(c.cells).toHaveLength(24);
    for (const cell of c.cells) expect(keys.has(cell.key)).toBe(true);
    // A different version is a different key.
    const d = await loadPlan(plans.main, '0.0.0-other');
    expect(d.cells.some((x) => keys.has(x.key))).toBe(false);
    // One value or a list of one: the same cell; other content: other keys.
    writeFileSync(path.join(moved, 'q.json'), JSON.stringify({ inputs: [{ spectrum: 'x.json' }], grid: { sampler: 'heun', scheduler: ['karras'], steps: 20, start: 'exact' } }));
    const q = await loadPlan(path.join(moved, 'q.json'));
    expect(keys.has(q.cells[0].key)).toBe(true);
    writeFileSync(path.join(moved, 'x.json'), '[0, 0.001, 0.2, 1, 1, 3.5, 41]');
    const changed = await loadPlan(path.join(moved, 'q.json'));
    expect(keys.has(changed.cells[0].key)).toBe(false);
  });

  it('from the environment: Slurm (MIN 0 or 1, STEP), RANK/WORLD_SIZE; --shard wins', async () => {
    expect(resolveShard(undefined, {})).toMatchObject({ index: 0, count: 1 });
    expect(resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' })).toMatchObject({ index: 3, count: 4 });
    expect(resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' })).toMatchObject({ index: 3, count: 4 });
    expect(resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' })).toMatchObject({ index: 0, count: 4 });
    expect(resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '8', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '4' })).toMatchObject({ index: 2, count: 3 });
    expect(resolveShard(undefined, { RANK: '2', WORLD_SIZE: '5' })).toMatchObject({ index: 2, count: 5, source: 'RANK' });
    // Slurm before RANK (a torchrun inside an array task is not a sweep shard), the flag before both.
    expect(resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '2', RANK: '1', WORLD_SIZE: '2' })).toMatchObject({ index: 0, count: 2 });
    expect(resolveShard('1/3', { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '2', RANK: '0', WORLD_SIZE: '2' })).toMatchObject({ index: 1, count: 3, source: '--shard' });
    const bad: Array<[string | undefined, Record<string, string>, RegExp]> = [
      ['3/3', {}, /--shard must be i\/n .*"3\/3"/],
      ['1/0', {}, /--shard/],
      ['-1/2', {}, /--shard/],
      ['a', {}, /--shard/],
      [undefined, { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4' }, /SLURM_ARRAY_TASK_ID 4 .*SLURM_ARRAY_TASK_MIN = unset/],
      [undefined, { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' }, /SLURM_ARRAY_TASK_ID 0/],
      [undefined, { SLURM_ARRAY_TASK_ID: '2' }, /SLURM_ARRAY_TASK_COUNT is not/],
      [undefined, { SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '2' }, /SLURM_ARRAY_TASK_ID must be an integer .*"x"/],
      [undefined, { RANK: '2' }, /RANK and WORLD_SIZE must be set together/],
      [undefined, { RANK: '2', WORLD_SIZE: '2' }, /RANK must be an integer from 0 to WORLD_SIZE − 1 = 1 \(got "2"\)/],
    ];
    for (const [flag, env, message] of bad) expect(() => resolveShard(flag, env), JSON.stringify([flag, env])).toThrow(message);
    // The CLI reads them.
    const out = path.join(dir, 'never');
    const slurm = await cli(['sweep', plans.main, '--dry-run', '--out', out], { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '2', SLURM_ARRAY_TASK_MIN: '1' });
    expect(slurm.code, slurm.stderr).toBe(0);
    expect(JSON.parse(slurm.stdout).shard).toMatchObject({ index: 1, count: 2, source: 'SLURM_ARRAY_TASK_ID' });
    const rank = await cli(['sweep', plans.main, '--dry-run', '--out', out], { RANK: '0', WORLD_SIZE: '3' });
    expect(JSON.parse(rank.stdout).shard).toMatchObject({ index: 0, count: 3, source: 'RANK' });
    const flag = await cli(['sweep', plans.main, '--dry-run', '--shard', '2/5', '--out', out], { RANK: '0', WORLD_SIZE: '3' });
    expect(JSON.parse(flag.stdout).shard).toMatchObject({ index: 2, count: 5, source: '--shard' });
    const wrong = await cli(['sweep', plans.main, '--dry-run', '--out', out], { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_COUNT: '2' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/SLURM_ARRAY_TASK_ID 7/);
  });
});

describe('docs/sweeps.md', () => {
  it('the example plan is valid and has the 62 cells the page says', async () => {
    const doc = readFileSync(path.join(root, 'docs', 'sweeps.md'), 'utf8');
    const m = /cat > plan\.json <<'EOF'\n([\s\S]*?)\nEOF\n/.exec(doc);
    expect(m).not.toBeNull();
    const folder = mkdtempSync(path.join(dir, 'doc-'));
    writeFileSync(path.join(folder, 'lam.json'), '[0, 0.001, 0.2, 1, 3.5, 40]');
    writeFileSync(path.join(folder, 'plan.json'), (m as RegExpExecArray)[1]);
    const plan = await loadPlan(path.join(folder, 'plan.json'));
    expect(plan.cells).toHaveLength(62);
    expect(doc).toContain('The plan has 2 inputs × (24 + 2 + 1 + 4) = 62 cells');
  });
});

describe('plan validation: exit 2 naming the JSON path and the value', () => {
  const cases: Array<[string, unknown, string, string]> = [
    ['unknown sampler', { inputs: [{ spectrum: 'lam.json' }], grid: { sampler: ['euler', 'eulr'], steps: 5 } }, '$.grid.sampler[1]', '"eulr"'],
    ['bad steps', { inputs: [{ spectrum: 'lam.json' }], grid: [{ sampler: 'euler', steps: [5, 0] }] }, '$.grid[0].steps[1]', '(got 0)'],
    ['steps as a string', { inputs: [{ spectrum: 'lam.json' }], grid: { sampler: 'euler', steps: '5' } }, '$.grid.steps', '"5"'],
    ['unknown parameter', { inputs: [{ spectrum: 'lam.json' }], grid: { sampler: 'euler', steps: 5, params: [{}, { etaa: 1 }] } }, '$.grid.params[1].etaa', 'got etaa = 1)'],
    ['parameter out of range', { inputs: [{ spectrum: 'lam.json' }], grid: { sampler: 'dpmpp_2m_sde', steps: 5, params: { eta: -1 } } }, '$.grid.params.eta', '-1'],
    ['unknown model', { inputs: [{ spectrum: 'lam.json' }], grid: { sampler: 'euler', steps: 5, model: ['edm', 'vpx'] } }, '$.grid.model[1]', '"vpx"'],
    ['unknown scheduler', { inputs: [{ spectrum: 'lam.json' }], grid: { sampler: 'euler', steps: 5, scheduler: 'karas' } }, '$.grid.scheduler', '"karas"'],
    ['increasing sigmas', { inputs: [{ spectrum: 'lam.json' }], grid: { sampler: 'euler', sigmas: [[80, 1, 0], [1, 2, 0]] } }, '$.grid.sigmas[1][1]', '(got 2)'],
    ['sigmas not a list of grids', { inputs: [{ spectrum: 'lam.json' }], grid: { sampler: 'euler', sigmas: [80, 1, 0] } }, '$.grid.sigmas', '[80,1,0]'],
    ['unknown axis', { inputs: [{ spectrum: 'lam.json' }], grid: { sampler: 'euler', steps: 5, schedular: 'karras' } }, '$.grid.schedular', '"karras"'],
    ['scheme with a scheduler', { inputs: [{ spectrum: 'lam.json' }], grid: { scheme: 'em', steps: 5, scheduler: 'karras' } }, '$.grid.scheduler', '"karras"'],
    ['sampler with eps', { inputs: [{ spectrum: 'lam.json' }], grid: { sampler: 'euler', steps: 5, eps: 0.001 } }, '$.grid.eps', '0.001'],
    ['unknown scheme', { inputs: [{ spectrum: 'lam.json' }], grid: { scheme: ['em', 'rk5'], steps: 5 } }, '$.grid.scheme[1]', '"rk5"'],
    ['bad eps', { inputs: [{ spectrum: 'lam.json' }], grid: { scheme: 'em', steps: 5, eps: [0, -1] } }, '$.grid.eps[1]', '-1'],
    ['no sampler or scheme', { inputs: [{ spectrum: 'lam.json' }], grid: { steps: 5 } }, '$.grid', 'needs "sampler"'],
    ['empty axis', { inputs: [{ spectrum: 'lam.json' }], grid: { sampler: [], steps: 5 } }, '$.grid.sampler', 'must not be empty'],
    ['duplicate cell', { inputs: [{ spectrum: 'lam.json' }], grid: { sampler: 'euler', steps: [5, 5] } }, '$.grid', 'also cell 0'],
    ['missing file', { inputs: [{ spectrum: 'nope.json' }], grid: { sampler: 'euler', steps: 5 } }, '$.inputs[0].spectrum', 'nope.json'],
    ['two input kinds', { inputs: [{ spectrum: 'lam.json', cov: 'c.npy' }], grid: { sampler: 'euler', steps: 5 } }, '$.inputs[0]', '"cov":"c.npy"'],
    ['same input twice', { inputs: [{ spectrum: 'lam.json' }, { spectrum: './lam.json', name: 'again' }], grid: { sampler: 'euler', steps: 5 } }, '$.inputs[1]', 'same content'],
    ['no inputs', { inputs: [], grid: { sampler: 'euler', steps: 5 } }, '$.inputs', '(got [])'],
    ['unknown top-level key', { inputs: [{ spectrum: 'lam.json' }], grid: { sampler: 'euler', steps: 5 }, trajectorie: true }, '$.trajectorie', 'true'],
    ['not JSON', '{"inputs": [', '$', 'not JSON'],
  ];
  it.each(cases)('%s', async (_name, plan, at, value) => {
    const file = path.join(dir, `bad-${_name.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, typeof plan === 'string' ? plan : JSON.stringify(plan));
    const r = await cli(['sweep', file, '--out', path.join(dir, 'bad-out')]);
    expect(r.code, r.stderr).toBe(2);
    const message = r.stderr.trim().split('\n').pop() as string;
    expect(message.startsWith(`gaussdiff sweep: ${file}: ${at}: `), message).toBe(true);
    expect(message).toContain(value);
  });

  it('flags: a plan is required, --shard is checked before any work', async () => {
    expect((await cli(['sweep'])).stderr).toMatch(/needs exactly one plan file/);
    const r = await cli(['sweep', plans.main, '--shard', '2/2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shard must be i\/n .*"2\/2"/);
    expect((await cli(['merge'])).code).toBe(2);
  });
});

describe('several processes, one folder, one killed midway', () => {
  let multi: string;
  let single: string;
  let singleRun: Ran;

  beforeAll(async () => {
    multi = path.join(dir, 'multi');
    single = path.join(dir, 'single');
    const args = (shard: string) => ['sweep', plans.main, '--shard', shard, '--out', multi];
    // Shard 1/3 is killed (SIGKILL) once it has finished a cell of the second (slow) input.
    const killed = new Promise<{ signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args('1/3')], { cwd: dir, env: cleanEnv() });
      let stderr = '';
      let big = false;
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        for (const line of stderr.split('\n')) {
          if (line.includes('loading input big')) big = true;
          else if (big && / cells \(cell \d+/.test(line) && child.exitCode === null && !child.killed) child.kill('SIGKILL');
        }
      });
      child.on('exit', (_code, signal) => resolve({ signal, stderr }));
    });
    const [k, a, b] = await Promise.all([killed, cli(args('0/3')), cli(args('2/3')), cli(['sweep', plans.main, '--shard', '0/1', '--out', single]).then((r) => { singleRun = r; })]);
    expect(k.signal).toBe('SIGKILL');
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
  });

  it('the killed shard left whole lines only, fewer than its cells', async () => {
    const plan = await loadPlan(plans.main);
    const mine = plan.cells.filter((c) => shardOf(c.index, 3) === 1).length;
    const text = readFileSync(path.join(multi, 'shard-1-of-3.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const written = text.split('\n').filter((l) => l !== '');
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(mine);
    for (const l of written) expect(() => JSON.parse(l)).not.toThrow();
  });

  it('rerun: an incomplete last line is ignored, only the missing cells run, in a file of their own', async () => {
    const plan = await loadPlan(plans.main);
    const mine = plan.cells.filter((c) => shardOf(c.index, 3) === 1);
    const before = lines(multi).length;
    const done = new Set(lines(multi).map((l) => JSON.parse(l.text).key));
    const pending = mine.filter((c) => !done.has(c.key)).length;
    // What a kill inside write() would leave: the start of a line, no newline.
    const partial = JSON.stringify({ key: mine[mine.length - 1].key, gaussdiff: plan.version }).slice(0, 40);
    appendFileSync(path.join(multi, 'shard-1-of-3.jsonl'), partial);
    const r = await cli(['sweep', plans.main, '--shard', '1/3', '--out', multi]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/ignoring the incomplete last line of .*shard-1-of-3\.jsonl/);
    expect(r.stderr).toContain(`${mine.length - pending} already done, ${pending} to run`);
    expect(readdirSync(multi).sort()).toEqual(['shard-0-of-3.jsonl', 'shard-1-of-3.2.jsonl', 'shard-1-of-3.jsonl', 'shard-2-of-3.jsonl']);
    expect(lines(multi).length).toBe(before + pending);
    // The killed file is left as it was (no process rewrites another's file).
    expect(readFileSync(path.join(multi, 'shard-1-of-3.jsonl'), 'utf8').endsWith(partial)).toBe(true);
    // A finished shard reruns nothing and makes no file.
    const again = await cli(['sweep', plans.main, '--shard', '0/3', '--out', multi]);
    expect(again.stderr).toMatch(/already done, 0 to run/);
    expect(readdirSync(multi)).toHaveLength(4);
  });

  it('the merged table equals the single-process run cell for cell: no duplicate, no missing', async () => {
    const plan = await loadPlan(plans.main);
    const all = lines(multi).map((l) => JSON.parse(l.text));
    expect(all).toHaveLength(plan.cells.length);
    expect(new Set(all.map((x) => x.key)).size).toBe(plan.cells.length);
    const m = await cli(['merge', multi, '--plan', plans.main, '--format', 'json']);
    const s = await cli(['merge', single, '--plan', plans.main, '--format', 'json']);
    expect(m.code, m.stderr).toBe(0);
    expect(s.code, s.stderr).toBe(0);
    expect(m.stderr).toMatch(/ignoring the incomplete last line/);
    expect(m.stderr).not.toMatch(/no result/);
    const merged = JSON.parse(m.stdout);
    const one = JSON.parse(s.stdout);
    expect(merged.missing).toEqual([]);
    expect(merged.rows).toHaveLength(plan.cells.length);
    expect(merged.rows).toEqual(one.rows);
    expect(merged.rows.map((r: { key: string }) => r.key)).toEqual(plan.cells.map((c) => c.key));
    // Another split of the same plan finds every cell done.
    const other = await cli(['sweep', plans.main, '--shard', '1/2', '--out', multi, '--dry-run']);
    expect(JSON.parse(other.stdout).cells.every((c: { done: boolean }) => c.done)).toBe(true);
    // Both folders together: the same keys twice with the same results count once.
    const both = await cli(['merge', multi, single, '--plan', plans.main, '--format', 'json']);
    expect(JSON.parse(both.stdout).rows).toEqual(one.rows);
  });

  it('each input is loaded once per shard', () => {
    expect(singleRun.code, singleRun.stderr).toBe(0);
    expect(singleRun.stderr.match(/loading input /g)).toHaveLength(2);
    expect(singleRun.stderr.match(/reading .*big\.json/g)).toHaveLength(1);
  });

  it('every number is the API run of the cell (the call of gaussdiff run), exactly', async () => {
    const plan = await loadPlan(plans.main);
    const spectra = [[0, 1e-3, 0.2, 1, 1, 3.5, 40], big];
    const rows = lines(single).map((l) => JSON.parse(l.text));
    const byKey = new Map(rows.map((r) => [r.key, r]));
    // A sampler cell, a σ-grid cell, a parameter cell and a scheme cell of each input.
    const picks = plan.cells.filter((c) => c.index % 7 === 0 || c.options.sigmas !== undefined || c.options.scheme !== undefined || c.options.params !== undefined);
    expect(picks.length).toBeGreaterThan(10);
    for (const cell of picks) {
      const r = await run(spectra[cell.input], JSON.parse(JSON.stringify(cell.options)));
      const got = byKey.get(cell.key);
      expect(got.result.w2, JSON.stringify(cell.options)).toBe(r.w2);
      expect(got.result.nfe).toBe(r.nfe);
      expect(got.result.steps).toBe(r.steps);
      expect(got.result[cell.options.sampler !== undefined ? 'sigmas' : 'times']).toEqual(r.times);
      expect(got.options).toEqual(cell.options);
      expect(got.input.name).toBe(['lam', 'big'][cell.input]);
    }
  });

  it('the CLI run of a cell prints the same w2', async () => {
    const rows = lines(single).map((l) => JSON.parse(l.text));
    const row = rows.find((r) => r.input.name === 'lam' && r.options.sampler === 'heun' && r.options.scheduler === 'exponential' && r.options.steps === 20 && r.options.start === 'exact');
    const r = await cli(['run', '--spectrum', 'lam.json', '--sampler', 'heun', '--scheduler', 'exponential', '--steps', '20', '--start', 'exact']);
    expect(JSON.parse(r.stdout).w2).toBe(row.result.w2);
    const scheme = rows.find((x) => x.input.name === 'lam' && x.options.scheme === 'heun' && x.options.init === 'pT');
    const s = await cli(['run', '--spectrum', 'lam.json', '--scheme', 'heun', '--steps', '100', '--eps', '1e-3', '--init', 'pT']);
    expect(JSON.parse(s.stdout).w2).toBe(scheme.result.w2);
  });
});

describe('inputs that need an eigendecomposition', () => {
  it('--cov and --samples inputs: each decomposed once per shard; the numbers of gaussdiff run', async () => {
    const folder = mkdtempSync(path.join(dir, 'fit-'));
    writeFileSync(path.join(folder, 'c.json'), JSON.stringify([[2, 0.5, 0], [0.5, 1, 0.2], [0, 0.2, 0.3]]));
    writeFileSync(path.join(folder, 's.json'), JSON.stringify([[0, 1, 2, 0.5], [1, 0, 2.5, 1], [2, 1, 0, 0], [0.5, 0.2, 1, 3], [1, 1, 1, 0]]));
    const plan = path.join(folder, 'plan.json');
    writeFileSync(plan, JSON.stringify({ inputs: [{ cov: 'c.json' }, { samples: 's.json' }], grid: { sampler: ['euler', 'dpmpp_2m'], steps: [3, 6, 12] } }));
    const r = await cli(['sweep', plan]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/eigenvalues of a 3×3 matrix/g)).toHaveLength(1);
    expect(r.stderr.match(/covariance of 5 samples of d = 4/g)).toHaveLength(1);
    expect(r.stderr.match(/ cells \(cell /g)).toHaveLength(12);
    const rows = lines(path.join(folder, 'plan.results')).map((l) => JSON.parse(l.text));
    const c = rows.find((x) => x.input.name === 'c' && x.options.sampler === 'dpmpp_2m' && x.options.steps === 6);
    const s = rows.find((x) => x.input.name === 's' && x.options.sampler === 'euler' && x.options.steps === 12);
    const rc = await cli(['run', '--cov', path.join(folder, 'c.json'), '--sampler', 'dpmpp_2m', '--steps', '6']);
    const rs = await cli(['run', '--samples', path.join(folder, 's.json'), '--sampler', 'euler', '--steps', '12']);
    expect(JSON.parse(rc.stdout).w2).toBe(c.result.w2);
    expect(JSON.parse(rs.stdout).w2).toBe(s.result.w2);
  });
});

describe('two runs of the same shard at once', () => {
  it('each writes its own file; merge counts each cell once', async () => {
    const plan = path.join(dir, 'small.json');
    writeFileSync(plan, JSON.stringify({ inputs: [{ spectrum: 'lam.json' }], grid: { sampler: ['euler', 'lms'], steps: [5, 10, 40] }, trajectory: true }));
    const out = path.join(dir, 'twice');
    const [a, b] = await Promise.all([0, 1].map(() => cli(['sweep', plan, '--shard', '0/1', '--out', out, '--no-progress'])));
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    // The second may have found every cell done (then it made no file).
    const files = readdirSync(out);
    expect(files).toContain('shard-0-of-1.jsonl');
    expect(files.every((f) => f === 'shard-0-of-1.jsonl' || f === 'shard-0-of-1.2.jsonl')).toBe(true);
    const m = await cli(['merge', out, '--plan', plan, '--format', 'json']);
    const rows = JSON.parse(m.stdout).rows;
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(r.result.trajectory).toHaveLength(r.result.steps + 1);
  });
});

describe('writers', () => {
  it('two writers of one shard in one folder never share a file; every line is whole', () => {
    const out = mkdtempSync(path.join(dir, 'writers-'));
    const shard = { index: 2, count: 4, source: '--shard' };
    const a = new ShardWriter(out, shard);
    const b = new ShardWriter(out, shard);
    const record = (i: number) => ({ key: i.toString(16).padStart(64, '0'), gaussdiff: 'x', input: { name: 'n', kind: 'spectrum', sha256: '0' }, options: { i }, trajectory: false, result: { w2: i / 3 } });
    for (let i = 0; i < 50; i++) (i % 2 ? a : b).append(record(i));
    a.close();
    b.close();
    expect(readdirSync(out).sort()).toEqual(['shard-2-of-4.2.jsonl', 'shard-2-of-4.jsonl']);
    const got = lines(out).map((l) => JSON.parse(l.text));
    expect(got).toHaveLength(50);
    expect(got.map((r) => r.options.i).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    // A third run of the shard takes the next free name.
    const c = new ShardWriter(out, shard);
    c.append(record(99));
    c.close();
    expect(c.file).toBe(path.join(out, 'shard-2-of-4.3.jsonl'));
  });
});

describe('merge', () => {
  let folder: string;
  let plan: string;
  beforeAll(async () => {
    plan = path.join(dir, 'merge-plan.json');
    writeFileSync(plan, JSON.stringify({
      inputs: [{ spectrum: 'lam.json', name: 'lam' }],
      grid: [{ sampler: ['euler', 'dpmpp_2m_sde'], steps: [4, 8], params: [{}] }, { scheme: 'em', steps: 20 }],
    }));
    folder = path.join(dir, 'merge');
    const r = await cli(['sweep', plan, '--out', folder, '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('md, csv (full precision) and json agree; --out takes the format from its extension', async () => {
    const json = JSON.parse((await cli(['merge', folder, '--plan', plan, '--format', 'json'])).stdout);
    expect(json.rows).toHaveLength(5);
    const md = (await cli(['merge', folder, '--plan', plan])).stdout.trim().split('\n');
    // eps: a number the scheme runs report (their truncation time).
    expect(md[0]).toBe('| input | scheme | sampler | steps | params | nfe | w2 | eps |');
    expect(md[1]).toBe('|---|---|---|---|---|---|---|---|');
    expect(md).toHaveLength(2 + 5);
    expect(md[2]).toMatch(/^\| lam \| {2}\| euler \| 4 \| {2}\| 4 \| \d\.\d+ \| {2}\|$/);
    expect(md[6]).toMatch(/^\| lam \| em \| {2}\| 20 \| {2}\| 20 \| \d\.\d+ \| 0 \|$/);
    const csv = (await cli(['merge', folder, '--plan', plan, '--format', 'csv'])).stdout.trim().split('\n').map((l) => l.split(','));
    expect(csv[0]).toEqual(['input', 'scheme', 'sampler', 'steps', 'params', 'nfe', 'w2', 'eps', 'key']);
    csv.slice(1).forEach((row, i) => {
      expect(Number(row[6])).toBe(json.rows[i].result.w2);
      expect(Number(row[5])).toBe(json.rows[i].result.nfe);
      expect(row[2]).toBe(json.rows[i].options.sampler ?? '');
      expect(row[8]).toBe(json.rows[i].key);
    });
    const file = path.join(dir, 'merged.csv');
    const w = await cli(['merge', folder, '--plan', plan, '--out', file]);
    expect(w.code, w.stderr).toBe(0);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe(csv[0].join(','));
    expect((await cli(['merge', folder, '--out', path.join(dir, 'x.pdf')])).code).toBe(2);
    // Without the plan: the same rows, sorted by their columns.
    const loose = JSON.parse((await cli(['merge', folder, '--format', 'json'])).stdout);
    expect(loose.rows).toHaveLength(5);
    expect(loose.missing).toBeUndefined();
    expect(new Set(loose.rows.map((r: { key: string }) => r.key))).toEqual(new Set(json.rows.map((r: { key: string }) => r.key)));
  });

  it('missing cells are listed (stderr and json)', async () => {
    const part = path.join(dir, 'merge-part');
    mkdirSync(part);
    const kept = lines(folder).slice(1);
    writeFileSync(path.join(part, 'a.jsonl'), kept.map((l) => l.text + '\n').join(''));
    const r = await cli(['merge', part, '--plan', plan, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 of the plan's 5 cells have no result:\n {2}cell \d+: lam /);
    const out = JSON.parse(r.stdout);
    expect(out.rows).toHaveLength(4);
    expect(out.missing).toHaveLength(1);
    expect(out.missing[0].key).toBe(JSON.parse(lines(folder)[0].text).key);
  });

  it('the same key with different results is an error (exit 1) naming both places', async () => {
    const conflict = path.join(dir, 'merge-conflict');
    mkdirSync(conflict);
    const first = JSON.parse(lines(folder)[0].text);
    first.result.w2 = first.result.w2 * (1 + 1e-15) + 1e-300;
    writeFileSync(path.join(conflict, 'other.jsonl'), JSON.stringify(first) + '\n');
    const r = await cli(['merge', folder, conflict]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has two different results: .*shard-0-of-1\.jsonl:1 and .*other\.jsonl:1/);
    // Another version's record of the same cell has another key: two rows, and a warning.
    const older = { ...JSON.parse(lines(folder)[0].text), gaussdiff: '0.0.1', key: 'f'.repeat(64) };
    writeFileSync(path.join(conflict, 'other.jsonl'), JSON.stringify(older) + '\n');
    const v = await cli(['merge', folder, conflict, '--format', 'json']);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toMatch(/the records come from 2 gaussdiff versions \(.*0\.0\.1.*\)/);
    expect(JSON.parse(v.stdout).rows).toHaveLength(6);
    // A complete line that is not a record is an error too; an incomplete last line is not.
    writeFileSync(path.join(conflict, 'other.jsonl'), 'not json\n');
    const g = await cli(['merge', conflict]);
    expect(g.code).toBe(1);
    expect(g.stderr).toMatch(/other\.jsonl:1 is not a gaussdiff sweep record/);
    writeFileSync(path.join(conflict, 'other.jsonl'), '{"key": "ab');
    const p = await cli(['merge', conflict, folder, '--format', 'json']);
    expect(p.code, p.stderr).toBe(0);
    expect(JSON.parse(p.stdout).rows).toHaveLength(5);
  });
});
