// Your own data: sampleSpectrum (covariance, or the Gram matrix when N < d) and the CLI's
// --samples FILE / --images DIR inputs.
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fastPng from 'fast-png';
import { init, covariance, spectrumFromCovariance, sampleSpectrum, parseNpy, toNpy, run } from '../dist/bindings/index.node.js';
import { mulberry32 } from './helpers/mulberry32.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'gaussdiff.js');
const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-samples-'));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** count × dim samples with a spread of scales per coordinate (seeded). */
function randomSamples(count: number, dim: number, seed: number): Float64Array {
  const next = mulberry32(seed);
  const x = new Float64Array(count * dim);
  for (let j = 0; j < count; j++) {
    for (let k = 0; k < dim; k++) x[j * dim + k] = (next() / 2 ** 32 - 0.5) * (1 + k) + 0.25 * k;
  }
  return x;
}

const bits = (x: Float64Array) => Array.from(new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
const maxAbs = (x: ArrayLike<number>) => Math.max(...Array.from(x, Math.abs));

beforeAll(async () => {
  await init();
});

describe('sampleSpectrum', () => {
  it('count ≥ dim: the covariance route, bit for bit covariance + spectrumFromCovariance', () => {
    const x = randomSamples(40, 12, 1);
    const r = sampleSpectrum(x, 40, 12);
    expect(r.matrix).toBe('covariance');
    const { mean, cov } = covariance(x, 40, 12);
    expect(bits(r.spectrum)).toEqual(bits(spectrumFromCovariance(cov, 12)));
    expect(bits(r.mean)).toEqual(bits(mean));
  });

  it('count < dim: the Gram matrix gives the covariance\'s eigenvalues (to 1e-13·max λ) and dim − count zeros', () => {
    for (const [count, dim, seed] of [[2, 5, 2], [7, 30, 3], [25, 200, 4]]) {
      const x = randomSamples(count, dim, seed);
      const r = sampleSpectrum(x, count, dim);
      expect(r.matrix).toBe('gram');
      expect(r.spectrum).toHaveLength(dim);
      const direct = spectrumFromCovariance(covariance(x, count, dim).cov, dim);
      const scale = maxAbs(direct);
      // Centring leaves rank count − 1: the top count − 1 eigenvalues are the nonzero ones.
      for (let i = 0; i < dim; i++) expect(Math.abs(r.spectrum[i] - direct[i]), `${count}×${dim} [${i}]`).toBeLessThan(1e-13 * scale);
      for (let i = 0; i < dim - count; i++) expect(r.spectrum[i]).toBe(0);
      const mean = covariance(x, count, dim).mean;
      for (let k = 0; k < dim; k++) expect(Math.abs(r.mean[k] - mean[k])).toBeLessThan(1e-15 * (1 + Math.abs(mean[k])) * 4);
    }
  });

  it('the documented example; fewer than 2 samples and non-finite entries are errors naming them', () => {
    const r = sampleSpectrum(Float64Array.of(0, 0, 0, 2, 2, 2), 2, 3);
    expect(r.matrix).toBe('gram');
    expect(r.spectrum[0]).toBe(0);
    expect(r.spectrum[1]).toBe(0);
    expect(Math.abs(r.spectrum[2] - 6)).toBeLessThan(6e-15);
    expect(() => sampleSpectrum(Float64Array.of(1, 2, 3), 1, 3)).toThrow(/count must be an integer ≥ 2 .*\(got 1\)/);
    expect(() => sampleSpectrum(Float64Array.of(1, NaN, 3, 4), 2, 2)).toThrow(/sample 0, coordinate 1 is NaN/);
    expect(() => sampleSpectrum(Float64Array.of(1, NaN, 3, 4, 5, 6), 2, 3)).toThrow(/sample 0, coordinate 1 is NaN/);
    expect(() => sampleSpectrum([1, 2, 3, 4] as never, 2, 2)).toThrow(TypeError);
  });
});

describe('--samples FILE', () => {
  const count = 6;
  const d = 20;
  const x = randomSamples(count, d, 5);
  const npy = path.join(dir, 'x.npy');
  const csv = path.join(dir, 'x.csv');
  beforeAll(() => {
    writeFileSync(npy, toNpy({ shape: [count, d], data: x }));
    const rows = [];
    for (let j = 0; j < count; j++) rows.push(Array.from(x.subarray(j * d, (j + 1) * d)).join(','));
    writeFileSync(csv, rows.join('\n') + '\n');
  });

  it('spectrum --samples … --out writes the fitted spectrum; .npy and .csv agree; the Gram matrix is named', async () => {
    const out = path.join(dir, 'spec.npy');
    const r = await cli('spectrum', '--samples', npy, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^gaussdiff: --samples .*x\.npy: N = 6 samples < d = 20: eigenvalues of the 6×6 Gram matrix .* and 14 zeros\n$/);
    const written = parseNpy(new Uint8Array(readFileSync(out))).data;
    expect(bits(written)).toEqual(bits(sampleSpectrum(x, count, d).spectrum));
    const fromCsv = await cli('spectrum', '--samples', csv);
    expect(JSON.parse(fromCsv.stdout)).toEqual(Array.from(written));
  });

  it('run --samples: the same W2 as --spectrum of the fit, and "fit" in the JSON', async () => {
    const r = await cli('run', '--samples', npy, '--scheme', 'heun', '--steps', '20', '--eps', '1e-3', '--no-trajectory');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.fit).toEqual({ count: 6, dim: 20, matrix: 'gram' });
    expect(out.spectrum).toBe('x.npy (6 samples, d = 20, gram)');
    expect(out.w2).toBe((await run(sampleSpectrum(x, count, d).spectrum, { scheme: 'heun', steps: 20, eps: 1e-3 })).w2);
    const many = path.join(dir, 'many.npy');
    const y = randomSamples(30, 4, 6);
    writeFileSync(many, toNpy({ shape: [30, 4], data: y }));
    const c = await cli('continuous', '--samples', many, '--eps', '1e-3');
    expect(c.stderr).toBe('');
    expect(JSON.parse(c.stdout).fit).toEqual({ count: 30, dim: 4, matrix: 'covariance' });
  });

  it.each([
    ['1-D', () => toNpy({ shape: [4], data: Float64Array.of(1, 2, 3, 4) }), /--samples .*: expected N×d sample vectors \(one per row\), got shape \[4\]/],
    ['one sample', () => toNpy({ shape: [1, 3], data: Float64Array.of(1, 2, 3) }), /--samples needs at least 2 samples for a covariance \(got 1/],
  ])('%s exits 2 with one line', async (name, bytes, message) => {
    const file = path.join(dir, `bad-${name.replace(/\W/g, '')}.npy`);
    writeFileSync(file, bytes());
    const r = await cli('spectrum', '--samples', file);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('--images DIR', () => {
  /** count images of width × height with `channels` (1 grey, 3 RGB), 8-bit, seeded. */
  function writeImages(folder: string, count: number, width: number, height: number, channels: 1 | 3, seed: number): Float64Array {
    mkdirSync(folder, { recursive: true });
    const next = mulberry32(seed);
    const d = width * height * channels;
    const expected = new Float64Array(count * d);
    for (let j = 0; j < count; j++) {
      const data = new Uint8Array(d);
      for (let p = 0; p < d; p++) {
        data[p] = next() & 255;
        expected[j * d + p] = data[p] * (1 / 255); // as decodePng scales
      }
      writeFileSync(path.join(folder, `img-${j}.png`), fastPng.encode({ width, height, data, channels, depth: 8 }));
    }
    writeFileSync(path.join(folder, 'notes.txt'), 'not an image');
    return expected;
  }

  it('grey PNGs: d = pixels; RGB: d = 3 × pixels; the fit of their values in [0, 1]', async () => {
    const grey = writeImages(path.join(dir, 'grey'), 5, 4, 3, 1, 7);
    const g = await cli('spectrum', '--images', path.join(dir, 'grey'));
    expect(g.code).toBe(0);
    expect(g.stderr).toMatch(/N = 5 samples < d = 12: eigenvalues of the 5×5 Gram matrix/);
    expect(JSON.parse(g.stdout)).toEqual(Array.from(sampleSpectrum(grey, 5, 12).spectrum));
    const rgb = writeImages(path.join(dir, 'rgb'), 4, 2, 2, 3, 8);
    const c = await cli('run', '--images', path.join(dir, 'rgb'), '--scheme', 'em', '--steps', '10', '--no-trajectory');
    expect(c.code).toBe(0);
    const out = JSON.parse(c.stdout);
    expect(out.fit).toEqual({ count: 4, dim: 12, matrix: 'gram' });
    expect(out.spectrum).toBe('rgb: 4 2×2 RGB images (d = 12, gram)');
    expect(out.w2).toBe((await run(sampleSpectrum(rgb, 4, 12).spectrum, { scheme: 'em', steps: 10 })).w2);
  });

  /** A PNG signature and IHDR chunk declaring width × height, no image data: only the header is read. */
  function fakeHeader(width: number, height: number): Uint8Array {
    const b = new Uint8Array(33);
    b.set([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82]);
    const v = new DataView(b.buffer);
    v.setUint32(16, width);
    v.setUint32(20, height);
    b[24] = 8;
    b[25] = 2;
    return b;
  }

  it.each([
    ['sizes', [[4, 3], [3, 4]], /--images must all have the same size: img-1\.png is 3×4, img-0\.png is 4×3/],
    ['one', [[4, 3]], /--images needs at least 2 \.png files \(got 1 in/],
    ['huge', [[20000, 20000], [20000, 20000]], /--images are 20000×20000, more than 16777216 pixels/],
    ['many', [[4096, 4096], [4096, 4096], [4096, 4096]], /--images has N·d = 3·50331648 = 150994944 values, more than the limit 67108864/],
  ])('%s: checked on the headers, before decoding; exits 2 with one line', async (name, sizes, message) => {
    const folder = path.join(dir, `bad-${name}`);
    mkdirSync(folder);
    (sizes as number[][]).forEach(([w, h], j) => writeFileSync(path.join(folder, `img-${j}.png`), fakeHeader(w, h)));
    const r = await cli('spectrum', '--images', folder);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
