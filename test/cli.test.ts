// The CLI as the acceptance checks call it: JSON shapes, tables, exit codes and messages.
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, readdirSync, symlinkSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, continuous, ablation, toNpy } from '../dist/bindings/index.node.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'gaussdiff.js');
const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-cli-'));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

const lam = [0, 1e-3, 0.2, 1, 1, 3.5, 40];
const files: Record<string, string> = {};

beforeAll(() => {
  files.npy = path.join(dir, 'lam.npy');
  writeFileSync(files.npy, toNpy({ shape: [lam.length], data: Float64Array.from(lam) }));
  files.json = path.join(dir, 'lam.json');
  writeFileSync(files.json, JSON.stringify(lam));
  files.csv = path.join(dir, 'lam.csv');
  writeFileSync(files.csv, lam.join(',\n') + '\n');
  files.txt = path.join(dir, 'lam.txt');
  writeFileSync(files.txt, lam.join(' ') + '\n');
  // float32 .npy written by hand: header + 4-byte floats, with a -0
  const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
  const padded = header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const buf = Buffer.alloc(10 + padded.length + 12);
  buf.write('\x93NUMPY', 0, 'latin1');
  buf[6] = 1;
  buf.writeUInt16LE(padded.length, 8);
  buf.write(padded, 10, 'latin1');
  [-0, 0.5, 2].forEach((x, i) => buf.writeFloatLE(x, 10 + padded.length + 4 * i));
  files.f32 = path.join(dir, 'f32.npy');
  writeFileSync(files.f32, buf);
  files.nan = path.join(dir, 'nan.json');
  writeFileSync(files.nan, '[1, 2, null, 4]');
  files.neg = path.join(dir, 'neg.csv');
  writeFileSync(files.neg, '1,2,-0.5\n');
  files.empty = path.join(dir, 'empty.txt');
  writeFileSync(files.empty, '\n');
});

describe('gaussdiff run', () => {
  it('prints the documented JSON, equal to the API', async () => {
    const r = await cli('run', '--spectrum', files.npy, '--scheme', 'heun', '--steps', '25', '--eps', '1e-3', '--init', 'pT');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const key of ['scheme', 'steps', 'nfe', 'eps', 'init', 'w2', 'times', 'trajectory']) expect(out).toHaveProperty(key);
    expect(out).toMatchObject({ scheme: 'heun', steps: 25, nfe: 50, eps: 1e-3, init: 'pT' });
    expect(out.times).toHaveLength(26);
    expect(out.times[0]).toBe(1);
    expect(out.times[25]).toBe(1e-3);
    const api = await run(lam, { scheme: 'heun', steps: 25, eps: 1e-3, init: 'pT' });
    expect(out.w2).toBe(api.w2);
    expect(out.trajectory).toEqual(api.trajectory);
  });

  it('reads .npy, .json, .csv and .txt alike, and float32 .npy', async () => {
    const outs = await Promise.all(['npy', 'json', 'csv', 'txt'].map((k) => cli('run', '--spectrum', files[k], '--scheme', 'em', '--steps', '10')));
    for (const o of outs) expect(o.code).toBe(0);
    const w2 = outs.map((o) => JSON.parse(o.stdout).w2);
    expect(new Set(w2).size).toBe(1);
    const f = await cli('run', '--spectrum', files.f32, '--scheme', 'em', '--steps', '10');
    expect(f.code).toBe(0);
    expect(JSON.parse(f.stdout).w2).toBe((await run([0, 0.5, 2], { scheme: 'em', steps: 10 })).w2);
    expect(f.stderr).toMatch(/1 eigenvalue\(s\) .* were -0 or negative round-off .* set to 0/);
  });

  it('undefined values are null in JSON and - in md', async () => {
    const j = await cli('run', '--spectrum', files.json, '--scheme', 'rk4', '--steps', '8');
    expect(j.code).toBe(0);
    const out = JSON.parse(j.stdout);
    expect(out.w2).toBeNull();
    expect(out.trajectory[8]).toBeNull();
    expect(j.stdout).not.toMatch(/NaN|Infinity/);
    const m = await cli('run', '--spectrum', files.json, '--scheme', 'rk4', '--steps', '8', '--format', 'md');
    expect(m.stdout).toMatch(/W2 to the data: -\n/);
  });

  it.each([
    [['--scheme', 'em', '--steps', '0'], /--steps must be a positive integer \(got 0\)/],
    [['--scheme', 'em', '--steps', '-2'], /--steps must be a positive integer \(got -2\)/],
    [['--scheme', 'em', '--steps', '1.5'], /--steps must be a positive integer \(got 1\.5\)/],
    [['--scheme', 'em', '--steps', 'ten'], /--steps must be a number \(got "ten"\)/],
    [['--scheme', 'xx', '--steps', '3'], /--scheme must be one of .* \(got "xx"\)/],
    [['--scheme', 'em', '--steps', '3', '--eps', '-1e-3'], /--eps must be in \[0, T\) with T = 1 \(got -0\.001\)/],
    [['--scheme', 'em', '--steps', '3', '--eps', '1'], /--eps must be in \[0, T\) with T = 1 \(got 1\)/],
    [['--scheme', 'em', '--steps', '3', '--beta-min', '3', '--beta-max', '2'], /--beta-max must be ≥ betaMin = 3 \(got 2\)/],
    [['--scheme', 'ddpm', '--steps', '10'], /--steps must be large enough for DDPM's constraint 2·h·β_t < 1/],
    [['--scheme', 'em', '--steps', '3', '--init', 'x'], /--init must be one of pT, N0 \(got "x"\)/],
    [['--scheme', 'em', '--steps', '3', '--format', 'xml'], /--format must be one of json, md \(got "xml"\)/],
    [['--scheme', 'em', '--steps', '3', '--what'], /Unknown option '--what'/],
    [['--steps', '3'], /--scheme is required/],
  ])('%j exits 2 with one line naming the flag', async (args, message) => {
    const r = await cli('run', '--spectrum', files.json, ...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it.each([
    ['nan', /index|\[2\]/],
    ['neg', /spectrum\[2\] must be ≥ 0 .*\(got -0\.5\)/],
    ['empty', /spectrum\.length must be at least 1/],
  ])('a bad spectrum file (%s) exits 2 naming the entry', async (k, message) => {
    const r = await cli('run', '--spectrum', files[k], '--scheme', 'em', '--steps', '3');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a missing file exits 2', async () => {
    const r = await cli('run', '--spectrum', path.join(dir, 'nope.npy'), '--scheme', 'em', '--steps', '3');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--spectrum cannot be read .*ENOENT/);
  });
});

describe('gaussdiff continuous', () => {
  it('prints {alpha, eps, init, w2}, equal to the API', async () => {
    const r = await cli('continuous', '--spectrum', files.csv, '--eps', '1e-4', '--alpha', '0', '--init', 'N0', '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['alpha', 'eps', 'init', 'w2']);
    expect(out.w2).toBe((await continuous(lam, { eps: 1e-4, alpha: 0, init: 'N0' })).w2);
  });
});

describe('gaussdiff ablation', () => {
  it('runs on the default input (the MNIST Gaussian), labelled with its source', async () => {
    const r = await cli('ablation', '--nfe', '50', '--eps', '0');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/spectrum: MNIST digits/);
    expect(r.stdout).toMatch(/\| EM \| 0 \| 0 \| /);
  });

  it('JSON has cells and continuous rows equal to the API, - cells as null', async () => {
    const r = await cli('ablation', '--spectrum', files.json, '--paper', '--format', 'json', '--nfe', '50,250', '--eps', '0,1e-3');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const api = await ablation(lam, { paper: true, nfe: [50, 250], eps: [0, 1e-3] });
    expect(out.cells).toEqual(api.cells);
    expect(out.continuous).toEqual(api.continuous);
    expect(out.cells).toHaveLength(6 * 2 * 2 * 2);
    expect(out.cells[0]).toEqual({ scheme: 'em', eps: 0, nfe: 50, steps: 49, init: 'pT', w2: api.cells[0].w2 });
    expect(out.cells.find((c: { scheme: string; eps: number }) => c.scheme === 'heun' && c.eps === 0).w2).toBeNull();
    expect(new Set(out.continuous.map((c: { scheme: string }) => c.scheme))).toEqual(new Set(['sde', 'ode']));
  });

  it('md, csv and latex render the paper layout with - for undefined', async () => {
    const md = await cli('ablation', '--spectrum', files.json, '--paper', '--nfe', '50', '--eps', '0,1e-3');
    expect(md.stdout).toMatch(/\| Heun \| 0 \|  \|  \| - \| - \|/);
    const csv = await cli('ablation', '--spectrum', files.json, '--paper', '--nfe', '50', '--eps', '0', '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toBe('scheme,ε,Continuous p_T,"Continuous N(0,I)",NFE=50 p_T,"NFE=50 N(0,I)"');
    const tex = await cli('ablation', '--spectrum', files.json, '--nfe', '50', '--eps', '0', '--format', 'latex');
    expect(tex.stdout).toMatch(/\\begin\{tabular\}/);
    expect(tex.stdout).toMatch(/RK4 & 0 &  &  & - & - \\\\/);
  });

  it('--out writes the file and nothing to stdout; a bad run writes nothing', async () => {
    const out = path.join(dir, 'table.csv');
    const r = await cli('ablation', '--spectrum', files.json, '--format', 'csv', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^scheme,/);
    const bad = path.join(dir, 'bad.csv');
    const b = await cli('ablation', '--spectrum', files.json, '--nfe', '50,x', '--out', bad);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--nfe must be a number \(got "x"\)/);
    expect(existsSync(bad)).toBe(false);
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('--help on every command, unknown command exits 2', async () => {
    for (const c of ['run', 'continuous', 'ablation']) {
      const r = await cli(c, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Usage: gaussdiff ${c}`));
    }
    const u = await cli('frobnicate');
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/unknown command "frobnicate"/);
  });
});

// --- CLI habits: --version, --threads, --out, formats, flags, EPIPE, progress -------------------

const pkgVersion = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version as string;
const texture = path.join(root, 'test', 'fixtures', 'data', 'fabric.png');

function cliEnv(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** A minimal valid invocation of every command (the input a spectrum file, or the texture). */
function everyCommand(): Record<string, string[]> {
  return {
    run: ['run', '--spectrum', files.json, '--scheme', 'em', '--steps', '10'],
    continuous: ['continuous', '--spectrum', files.json, '--eps', '1e-3'],
    ablation: ['ablation', '--spectrum', files.json, '--nfe', '50', '--eps', '0'],
    spectrum: ['spectrum', '--spectrum', files.json],
    figure: ['figure', '--kind', 'eigen', '--points', '5', '--format', 'json'],
    report: ['report', '--spectrum', files.json, '--nfe', '50', '--eps', '0', '--out', path.join(dir, 'every.html')],
    sample: ['sample', '--texture', texture, '--scheme', 'em', '--steps', '10', '--out', path.join(dir, 'every-samples')],
  };
}

describe('CLI habits', () => {
  it('--version prints the package version', async () => {
    const r = await cli('--version');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`gaussdiff ${pkgVersion}\n`);
  });

  it('--threads 1|2 on every command; GAUSSDIFF_THREADS when the flag is absent; anything else exits 2', async () => {
    const outs = await Promise.all(Object.values(everyCommand()).map((args) => cli(...args, '--threads', '1')));
    outs.forEach((o) => expect(o.stderr).toBe(''));
    outs.forEach((o) => expect(o.code).toBe(0));
    const table = (extra: string[], env: Record<string, string> = {}) =>
      cliEnv(env, 'ablation', '--spectrum', files.json, '--format', 'json', ...extra).then((o) => JSON.parse(o.stdout));
    const [one, two, fromEnv, flagWins] = await Promise.all([
      table(['--threads', '1']), table(['--threads', '2']), table([], { GAUSSDIFF_THREADS: '1' }),
      table(['--threads', '2'], { GAUSSDIFF_THREADS: '1' }),
    ]);
    expect([one.threads, two.threads, fromEnv.threads, flagWins.threads]).toEqual([1, 2, 1, 2]);
    expect(two.cells).toEqual(one.cells);
    const bad = await cli('run', '--spectrum', files.json, '--scheme', 'em', '--steps', '3', '--threads', '3');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^gaussdiff run: --threads must be 1 or 2 \(got "3"\)\n$/);
    const badEnv = await cliEnv({ GAUSSDIFF_THREADS: 'many' }, 'ablation', '--spectrum', files.json);
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toMatch(/GAUSSDIFF_THREADS must be 1 or 2 \(got "many"\)/);
  });

  it('--out on every command writes the file (or folder) and nothing to stdout but sample\'s report', async () => {
    const outs: Record<string, string> = {
      run: 'o-run.json', continuous: 'o-cont.json', ablation: 'o-abl.csv', spectrum: 'o-spec.npy', figure: 'o-fig.json',
    };
    for (const [command, name] of Object.entries(outs)) {
      const args = everyCommand()[command].filter((a) => a !== '--format' && a !== 'json');
      const r = await cli(...args, '--out', path.join(dir, name));
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toBe('');
      expect(existsSync(path.join(dir, name)), command).toBe(true);
    }
    expect(JSON.parse(readFileSync(path.join(dir, 'o-run.json'), 'utf8')).w2).toBe((await run(lam, { scheme: 'em', steps: 10 })).w2);
    expect(readFileSync(path.join(dir, 'o-abl.csv'), 'utf8')).toMatch(/^scheme,/); // the format follows the extension
    const report = await cli(...everyCommand().report);
    expect(report.code).toBe(0);
    expect(readFileSync(path.join(dir, 'every.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    const sample = await cli(...everyCommand().sample);
    expect(sample.code).toBe(0);
    expect(JSON.parse(sample.stdout).files).toEqual([path.join(dir, 'every-samples', 'sample-000.png')]);
  });

  it.each([
    [['run', '--scheme', 'em', '--steps', '3', '--out', 'x.pdf'], /--out must end in \.json or \.md \(got "x\.pdf"\)/],
    [['ablation', '--out', 'x.pdf'], /--out must end in \.md, \.tex, \.csv or \.json \(got "x\.pdf"\)/],
    [['report', '--out', 'x.pdf'], /--out must end in \.html\/\.htm or \.md \(got "x\.pdf"\)/],
    [['figure', '--kind', 'eigen', '--out', 'x.png'], /--out must end in \.svg, \.json or \.csv \(got "x\.png"\)/],
    [['continuous', '--eps', '0', '--out', 'x.md'], /--out must end in \.json \(got "x\.md"\)/],
    [['run', '--scheme', 'em', '--steps', '3', '--out', 'x.json', '--format', 'md'], /--out "x\.json" is a \.json file but --format is md/],
  ])('%j: an --out extension that is not the format\'s exits 2 and writes nothing', async (args, message) => {
    const input = args[0] === 'figure' ? [] : ['--spectrum', files.json];
    const r = await cli(...args, ...input);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(readdirSync(dir).filter((f) => /^x\.|\.tmp$/.test(f))).toEqual([]);
  });

  it('CSV keeps full precision (reads back to the same doubles); md and latex keep the paper\'s rounding', async () => {
    const r = await cli('ablation', '--spectrum', files.json, '--format', 'csv', '--nfe', '50,250', '--eps', '0,1e-3');
    const api = await ablation(lam, { nfe: [50, 250], eps: [0, 1e-3] });
    const rows = r.stdout.trim().split('\n').slice(1).map((line) => line.split(','));
    const em = rows.find((row) => row[0] === 'EM' && row[1] === '0.001')!;
    const w2 = (nfe: number, init: string) => api.cells.find((c) => c.scheme === 'em' && c.eps === 1e-3 && c.nfe === nfe && c.init === init)!.w2;
    expect(em.slice(4).map(Number)).toEqual([w2(50, 'pT'), w2(50, 'N0'), w2(250, 'pT'), w2(250, 'N0')]);
    expect(em[4]).toBe(String(w2(50, 'pT')));
    const md = await cli('ablation', '--spectrum', files.json, '--nfe', '50,250', '--eps', '0,1e-3');
    expect(md.stdout).toMatch(/\| EM \| 0\.001 \| 0\.01 \| 0\.01 \| 0\.\d\d \| 0\.\d\d \| 0\.\d\d \| 0\.\d\d \|\n/);
  });

  it('run --no-trajectory: only the final W2', async () => {
    const r = await cli('run', '--spectrum', files.json, '--scheme', 'heun', '--steps', '25', '--eps', '1e-3', '--no-trajectory');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).not.toHaveProperty('times');
    expect(out).not.toHaveProperty('trajectory');
    expect(out.w2).toBe((await run(lam, { scheme: 'heun', steps: 25, eps: 1e-3 })).w2);
    const md = await cli('run', '--spectrum', files.json, '--scheme', 'heun', '--steps', '25', '--eps', '1e-3', '--no-trajectory', '--format', 'md');
    expect(md.stdout).toMatch(/W2 to the data: /);
    expect(md.stdout).not.toMatch(/\| k \|/);
  });

  it.each([
    [['--scheme', 'em', '--steps', '3', '--steps', '4'], /--steps is given 2 times \("3", "4"\); give it once/],
    [['--scheme', 'em', '--steps', '3', '--paper'], /Unknown option '--paper'/],
    [['--scheme', 'em', '--steps'], /--steps needs a value \(got nothing after it\)/],
    [['--scheme', 'em', '--steps', '--eps', '1e-3'], /--steps needs a value \(got the flag --eps\)/],
    [['--scheme', '--steps', '3'], /--scheme needs a value \(got the flag --steps\)/],
    [['--scheme', 'em', '--steps', '3', '--progress', '--no-progress'], /--progress and --no-progress cannot be combined/],
  ])('%j: a repeated flag or a missing value exits 2 naming the flag', async (args, message) => {
    const r = await cli('run', '--spectrum', files.json, ...args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('stdout closed early (EPIPE, as `| head -1`) ends quietly with exit 0', async () => {
    const child = spawn(process.execPath, [bin, 'ablation', '--spectrum', files.json, '--format', 'csv'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('progress on stderr for every command with --progress; none by default when stderr is not a terminal', async () => {
    const commands = everyCommand();
    const [quiet, ...loud] = await Promise.all([
      cli(...commands.ablation),
      ...Object.values(commands).map((args) => cli(...args, '--progress')),
    ]);
    expect(quiet.stderr).toBe('');
    Object.keys(commands).forEach((command, i) => {
      expect(loud[i].code, command).toBe(0);
      expect(loud[i].stderr, command).toMatch(new RegExp(`^gaussdiff ${command}: done in \\d+\\.\\d\\d s$`, 'm'));
    });
    expect(loud[2].stderr).toMatch(/^gaussdiff ablation: (\d+)\/\1 cells$/m);
  });
});

// --- --out failures and limits checked before the work -----------------------------------------

describe('--out failures leave nothing behind', () => {
  it('--out naming a folder exits 2 naming --out, before any work, no temporary file', async () => {
    const folder = path.join(dir, 'a-folder.json');
    mkdirSync(folder, { recursive: true });
    const r = await cli('run', '--spectrum', files.json, '--scheme', 'em', '--steps', '3', '--out', folder);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^gaussdiff run: --out names a folder, not a file \(got ".*a-folder\.json"\)\n$/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const missing = await cli('spectrum', '--spectrum', files.json, '--out', path.join(dir, 'no-such-dir', 'x.npy'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--out cannot be written: its folder does not exist/);
  });

  it('report --format md is written all or nothing (an SVG target that is a folder: no file of the set)', async () => {
    const sub = mkdtempSync(path.join(dir, 'md-'));
    mkdirSync(path.join(sub, 'rep-eps.svg'));
    const r = await cli('report', '--spectrum', files.json, '--nfe', '50', '--eps', '0', '--format', 'md', '--out', path.join(sub, 'rep.md'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out names a folder, not a file \(got ".*rep-eps\.svg"\)/);
    expect(readdirSync(sub)).toEqual(['rep-eps.svg']);
  });

  it('writeFilesAtomically: a failure while writing the set removes every temporary and written file', async () => {
    const { writeFilesAtomically } = await import('../dist/bin/common.js');
    const sub = mkdtempSync(path.join(dir, 'set-'));
    const bad = { toString: () => { throw new Error('disk full'); } } as unknown as string;
    await expect(writeFilesAtomically([[path.join(sub, 'a.svg'), 'a'], [path.join(sub, 'b.svg'), bad]]))
      .rejects.toThrow(/^--out cannot be written \(got ".*b\.svg": .*\) \(none of the 2 files was written\)$/);
    expect(readdirSync(sub)).toEqual([]);
    // a rename that fails after the first (the second target is a non-empty folder)
    mkdirSync(path.join(sub, 'd.svg'));
    writeFileSync(path.join(sub, 'd.svg', 'keep'), '');
    await expect(writeFilesAtomically([[path.join(sub, 'c.svg'), 'c'], [path.join(sub, 'd.svg'), 'd']])).rejects.toThrow(/--out cannot be written \(got ".*d\.svg"/);
    expect(readdirSync(sub)).toEqual(['d.svg']);
  });
});

describe('--out to a device', () => {
  it('a .json link to /dev/null is written to, not replaced', async () => {
    const link = path.join(dir, 'null.json');
    if (!existsSync(link)) symlinkSync('/dev/null', link);
    const r = await cli('run', '--spectrum', files.json, '--scheme', 'em', '--steps', '3', '--out', link);
    expect(r.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('limits checked before the work', () => {
  it('--spectrum /dev/zero (and a .npy link to it) exits 2 instead of reading forever', async () => {
    const r = await cli('run', '--spectrum', '/dev/zero', '--scheme', 'em', '--steps', '3');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--spectrum must be a \.npy, \.json, \.csv or \.txt file \(got "\/dev\/zero"\)/);
    const link = path.join(dir, 'zero.npy');
    if (!existsSync(link)) symlinkSync('/dev/zero', link);
    const l = await cli('run', '--spectrum', link, '--scheme', 'em', '--steps', '3');
    expect(l.code).toBe(2);
    expect(l.stderr).toMatch(/--spectrum is larger than 500 MiB, the input limit/);
  });

  it.each([
    [['figure', '--kind', 'eigen', '--points', '1e9'], /--points must be an integer from 2 to 10000 \(got "1e9"\)/],
    [['figure', '--kind', 'time', '--points', '0'], /--points must be an integer from 2 to 10000 \(got "0"\)/],
  ])('%j exits 2 at once', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
