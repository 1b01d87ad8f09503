// The CLI as the acceptance checks call it: JSON shapes, tables, exit codes and messages.
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
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
