// The CLI's side of the hardening (issue 9, item 7): flags and files are parsed by one strict
// number parser, repeated ablation values are errors naming the flag, a float32 covariance is
// checked at float32 precision, and the limits name the flag.
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'gaussdiff.js');
const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-strict-'));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** A .npy file of float32 values (header written by hand: toNpy writes float64). */
function npyFloat32(shape: number[], values: ArrayLike<number>): Buffer {
  const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const padded = header + ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const buf = Buffer.alloc(10 + padded.length + 4 * values.length);
  buf.write('\x93NUMPY', 0, 'latin1');
  buf[6] = 1;
  buf.writeUInt16LE(padded.length, 8);
  buf.write(padded, 10, 'latin1');
  for (let i = 0; i < values.length; i++) buf.writeFloatLE(values[i], 10 + padded.length + 4 * i);
  return buf;
}

const files: Record<string, string> = {};
beforeAll(() => {
  files.lam = path.join(dir, 'lam.csv');
  writeFileSync(files.lam, '0.5\n1\n2\n');
  files.hex = path.join(dir, 'hex.csv');
  writeFileSync(files.hex, '0.5\n0x10\n2\n');
  files.gap = path.join(dir, 'gap.csv');
  writeFileSync(files.gap, '0.5,,2\n');
  // A float32 covariance with a float32-sized asymmetry (2 ulps at one pair).
  const n = 5;
  const a = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = i === j ? n : Math.cos(i + 2 * j);
  a[1] = Math.fround(a[1] * (1 + 2 ** -22));
  files.cov32 = path.join(dir, 'cov32.npy');
  writeFileSync(files.cov32, npyFloat32([n, n], a));
});

describe('numbers are decimal or scientific, in flags and in files', () => {
  it.each([
    ['--steps', '0x10'], ['--steps', '0b11'], ['--eps', '0o7'], ['--T', '1_0'], ['--beta-max', ' '],
  ])('%s %j is a usage error naming the flag', async (flag, value) => {
    const steps = flag === '--steps' ? [] : ['--steps', '10']; // a flag is given once
    const r = await cli('run', '--spectrum', files.lam, '--scheme', 'em', ...steps, flag, value);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${flag} must be a number (got ${JSON.stringify(value)})`);
  });

  it('--nfe 0x10 inside a list, and 0x10 or an empty field in a file', async () => {
    const a = await cli('ablation', '--spectrum', files.lam, '--nfe', '50,0x10');
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--nfe must be a number \(got "0x10"\)/);
    const b = await cli('run', '--spectrum', files.hex, '--scheme', 'em', '--steps', '10');
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--spectrum ".*hex\.csv": .*line 2: '0x10' is not a decimal number/);
    const c = await cli('run', '--spectrum', files.gap, '--scheme', 'em', '--steps', '10');
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/line 1: empty field 2/);
  });

  it('scientific notation still works', async () => {
    const r = await cli('run', '--spectrum', files.lam, '--scheme', 'em', '--steps', '1e1', '--eps', '1E-3');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ steps: 10, eps: 0.001 });
  });
});

describe('repeated ablation values are errors naming the flag and the value', () => {
  it.each([
    ['--nfe', '50,100,50', /--nfe\[2\] must be different from nfe\[0\] \(each value once\) \(got 50\)/],
    ['--eps', '0,1e-3,0.001', /--eps\[2\] must be different from eps\[1\] .*\(got 0\.001\)/],
    ['--schemes', 'em,heun,em', /--schemes\[2\] must be different from schemes\[0\] .*\(got "em"\)/],
  ])('%s %s', async (flag, value, message) => {
    const r = await cli('ablation', '--spectrum', files.lam, flag, value);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('limits name the flag', () => {
  it('--steps 10000000 (an allocator abort before) and --nfe 27000000', async () => {
    const a = await cli('run', '--spectrum', files.lam, '--scheme', 'em', '--steps', '10000000');
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--steps must be at most 6710879 .*\(got 10000000\)/);
    const b = await cli('ablation', '--spectrum', files.lam, '--nfe', '27000000', '--schemes', 'em', '--eps', '0');
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--nfe\[0\] must be at most 6710879 .*\(got 27000000\)/);
  });

  it('--T 1e-300', async () => {
    const r = await cli('run', '--spectrum', files.lam, '--scheme', 'em', '--steps', '10', '--T', '1e-300');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--T must be in \[1e-150, 1e\+150\] .*\(got 1e-300\)/);
  });
});

describe('a float32 covariance is checked at float32 precision', () => {
  it('spectrum --cov of a <f4 .npy with float32 round-off asymmetry succeeds', async () => {
    const r = await cli('spectrum', '--cov', files.cov32);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(5);
  });
});
