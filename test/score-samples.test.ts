/**
 * A score fitted on N samples (docs/MATH-samplers.md §7c) and the wrong-score CLI contract
 * (issue 12 item 7): `gaussdiff run --cov DATA.npy [--score-cov MODEL.npy | --score-spectrum F]
 * (--scheme S --steps K | --sampler NAME …) --format json` → {"w2": …}.
 *  - chi2Quadrature integrates E(√(X/k) − 1)², X ~ χ²_k, to 1e-11 relative for k = 1…50
 *    (a polynomial in s = √(X/2): exact for the rule), i.e. the ideal sampler's closed form;
 *  - the χ² estimator through a real sampler = Monte Carlo over λ̂ = λχ²_k/k draws (4000 runs,
 *    within 5 SE);
 *  - the delta method = the Monte Carlo mean of the ideal sampler's W2² (N = 400, 300 draws:
 *    within 4 SE + 10 % of the value, the method's O(1/N²) bias);
 *  - seeded: the same seed gives the same numbers; errors name the option or flag (exit 2).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chi2Quadrature, createRng, init, runSamplerSync, runSync, scoreSamplesSync, toNpy, deltaScoreSamples,
} from '../dist/bindings/index.node.js';
import { logGamma } from '../dist/bindings/exact/score-samples.js';
import { figureScoreSamplesData } from '../dist/bindings/figures.node.js';
import { randomOrthogonal } from './helpers/orthogonal.js';
import { fromEigen } from './reference/dense-score';

const LAMBDA = [0.01, 0.3, 1, 2, 5];

beforeAll(async () => { await init(); });

describe('χ² (stationary) estimator', () => {
  it('the quadrature gives the ideal sampler\'s closed form', () => {
    for (const k of [1, 2, 3, 8, 50]) {
      const { x, w } = chi2Quadrature(k, 16);
      const s = x.reduce((a, xj, j) => a + w[j] * (Math.sqrt(xj / k) - 1) ** 2, 0);
      const c = 2 * (1 - Math.exp(logGamma((k + 1) / 2) - logGamma(k / 2)) / Math.sqrt(k / 2));
      expect(Math.abs(s - c) / c, `k = ${k}`).toBeLessThanOrEqual(1e-11);
    }
  });
  it('through a sampler = Monte Carlo over λ̂ = λχ²_k/k (5 SE)', () => {
    const run = { sampler: 'heun' as const, steps: 10 };
    const k = 2;
    const r = scoreSamplesSync(LAMBDA, run, { samples: 10, draws: 0, dof: k });
    expect(r.monteCarlo).toBeUndefined();
    const rng = createRng(3);
    const M = 4000;
    const xs: number[] = [];
    for (let m = 0; m < M; m++) {
      const z = rng.fillNormal(new Float64Array(LAMBDA.length * k));
      const hat = LAMBDA.map((l, i) => l * (z[i * k] ** 2 + z[i * k + 1] ** 2) / k);
      xs.push(runSamplerSync(LAMBDA, { ...run, scoreSpectrum: hat }).w2! ** 2);
    }
    const mean = xs.reduce((a, b) => a + b, 0) / M;
    const se = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (M - 1) / M);
    expect(Math.abs(r.chi2!.w2sq - mean)).toBeLessThanOrEqual(5 * se);
    // more nodes change nothing visible: the rule has converged
    expect(Math.abs(scoreSamplesSync(LAMBDA, run, { samples: 10, draws: 0, dof: k, nodes: 64 }).chi2!.w2sq - r.chi2!.w2sq)).toBeLessThanOrEqual(1e-6 * r.chi2!.w2sq);
  });
});

describe('sample covariance of N draws', () => {
  it('delta method = Monte Carlo of the ideal sampler; seeded', () => {
    const run = { sampler: 'dpmpp_2m' as const, steps: 8 };
    const r = scoreSamplesSync(LAMBDA, run, { samples: 400, draws: 300, seed: 5 });
    const mc = r.monteCarlo!;
    expect(mc.draws).toBe(300);
    expect(Math.abs(r.delta.w2sq - mc.ideal.w2sq.mean)).toBeLessThanOrEqual(4 * mc.ideal.w2sq.se + 0.1 * r.delta.w2sq);
    expect(r.delta.w2sq).toBeCloseTo(deltaScoreSamples(LAMBDA, 399), 15);
    // the sampler's own error is there too: its mean W2 exceeds the ideal one's
    expect(mc.w2.mean).toBeGreaterThan(mc.ideal.w2.mean);
    const again = scoreSamplesSync(LAMBDA, run, { samples: 400, draws: 5, seed: 5 });
    const same = scoreSamplesSync(LAMBDA, run, { samples: 400, draws: 5, seed: 5 });
    const other = scoreSamplesSync(LAMBDA, run, { samples: 400, draws: 5, seed: 6 });
    expect(same.monteCarlo).toEqual(again.monteCarlo);
    expect(other.monteCarlo!.w2.mean).not.toBe(again.monteCarlo!.w2.mean);
  });
  it('errors name the option', () => {
    const run = { sampler: 'euler' as const, steps: 4 };
    expect(() => scoreSamplesSync(LAMBDA, run, { samples: 1 })).toThrow(/^scoreSamples must be > ddof/);
    expect(() => scoreSamplesSync(LAMBDA, run, { samples: 2.5 })).toThrow(/^scoreSamples/);
    expect(() => scoreSamplesSync(LAMBDA, run, { samples: 10, draws: -1 })).toThrow(/^draws/);
    expect(() => scoreSamplesSync(LAMBDA, run, { samples: 10, dof: 0 })).toThrow(/^dof/);
    expect(() => scoreSamplesSync(LAMBDA, { ...run, scoreSpectrum: LAMBDA }, { samples: 10 })).toThrow(/^scoreSpectrum must be absent/);
    expect(() => scoreSamplesSync(LAMBDA, { sampler: 'nope' as never, steps: 4 }, { samples: 10 })).toThrow(/^sampler/);
  });
});

describe('CLI: run --score-cov / --score-spectrum / --score-samples', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const bin = path.join(root, 'bin', 'gaussdiff.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-score-'));
  const cli = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
  const D = 4;
  const lam = [0.02, 0.5, 2, 6];
  const hat = [0.03, 0.4, 2.5, 5];
  const U = randomOrthogonal(D, 1) as Float64Array;
  const V = randomOrthogonal(D, 2) as Float64Array;
  const sigma = fromEigen(U, lam, D);
  const sigmaHat = fromEigen(V, hat, D);
  const write = (name: string, shape: number[], data: ArrayLike<number>) => {
    writeFileSync(path.join(dir, name), toNpy({ shape, data: Float64Array.from(data) }));
    return name;
  };
  beforeAll(() => {
    write('data.npy', [D, D], sigma);
    write('model.npy', [D, D], sigmaHat);
    write('lam.npy', [D], lam);
    write('hat.npy', [D], hat);
    const asym = Float64Array.from(sigmaHat);
    asym[1] += 0.01;
    write('asym.npy', [D, D], asym);
    write('notpsd.npy', [D, D], fromEigen(V, [-1, 0.4, 2.5, 5], D));
    write('small.npy', [2, 2], [1, 0, 0, 1]);
  });

  it('--score-cov with --sampler and with --scheme: {"w2"} = the API', async () => {
    const a = await cli('run', '--cov', 'data.npy', '--score-cov', 'model.npy', '--sampler', 'dpmpp_2m', '--steps', '10', '--format', 'json');
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).w2).toBe(runSamplerSync(null, { sampler: 'dpmpp_2m', steps: 10, cov: sigma, scoreCov: sigmaHat }).w2);
    const b = await cli('run', '--cov', 'data.npy', '--score-cov', 'model.npy', '--scheme', 'heun', '--steps', '20', '--eps', '1e-3', '--format', 'json');
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).w2).toBe(runSync(null, { scheme: 'heun', steps: 20, eps: 1e-3, cov: sigma, scoreCov: sigmaHat }).w2);
  });
  it('--score-spectrum on --cov data and on a spectrum', async () => {
    const a = await cli('run', '--spectrum', 'lam.npy', '--score-spectrum', 'hat.npy', '--sampler', 'euler', '--steps', '6', '--format', 'json');
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).w2).toBe(runSamplerSync(lam, { sampler: 'euler', steps: 6, scoreSpectrum: hat }).w2);
    const b = await cli('run', '--spectrum', 'lam.npy', '--score-spectrum', 'hat.npy', '--scheme', 'em', '--steps', '50', '--format', 'json');
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).w2).toBe(runSync(lam, { scheme: 'em', steps: 50, scoreSpectrum: hat }).w2);
  });
  it('--score-samples adds "scoreSamples"', async () => {
    const a = await cli('run', '--spectrum', 'lam.npy', '--sampler', 'euler', '--steps', '6', '--score-samples', '50', '--draws', '3', '--seed', '2', '--score-dof', '2', '--format', 'json');
    expect(a.code, a.stderr).toBe(0);
    const s = JSON.parse(a.stdout).scoreSamples;
    const api = scoreSamplesSync(lam, { sampler: 'euler', steps: 6, params: {}, start: 'prior' }, { samples: 50, draws: 3, seed: 2, dof: 2 });
    expect(s).toEqual(JSON.parse(JSON.stringify(api)));
  });
  it('errors exit 2 naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['--cov', 'data.npy', '--score-cov', 'asym.npy'], /--score-cov is not symmetric/],
      [['--cov', 'data.npy', '--score-cov', 'notpsd.npy'], /--score-cov is not positive semi-definite/],
      [['--cov', 'data.npy', '--score-cov', 'small.npy'], /--score-cov must be the data covariance's size/],
      [['--cov', 'data.npy', '--score-cov', 'model.npy', '--score-spectrum', 'hat.npy'], /--score-spectrum and --score-cov cannot be combined/],
      [['--spectrum', 'lam.npy', '--score-cov', 'model.npy'], /--score-cov needs the data as a covariance matrix: --cov/],
      [['--spectrum', 'lam.npy', '--score-spectrum', 'small.npy'], /--score-spectrum "small.npy": expected a 1-D array/],
      [['--spectrum', 'lam.npy', '--score-spectrum', 'lam.npy', '--score-samples', '10'], /--score-samples cannot be combined/],
      [['--spectrum', 'lam.npy', '--draws', '3'], /--draws is for --score-samples/],
    ];
    for (const [args, re] of cases) {
      for (const tail of [['--sampler', 'euler', '--steps', '4'], ['--scheme', 'em', '--steps', '4']]) {
        const r = await cli('run', ...args, ...tail, '--format', 'json');
        expect(r.code, `${args.join(' ')} ${tail[0]}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(re);
        expect(r.stdout).toBe('');
      }
    }
    const wrongLength = await cli('run', '--spectrum', 'lam.npy', '--score-spectrum', 'hat.npy', '--sampler', 'euler', '--steps', '4', '--cov', 'data.npy');
    expect(wrongLength.code).toBe(2);
  });
});

describe('figure --kind score-samples', () => {
  it('data: one series per sampler (Monte Carlo means = scoreSamplesSync) + the delta-method curve', async () => {
    const f = await figureScoreSamplesData(LAMBDA, { samplers: ['heun', 'dpmpp_2m'], samples: [20, 200], draws: 3, steps: 8, seed: 4 });
    expect(f.kind).toBe('score-samples');
    const s = f.panels[0].series;
    expect(s.map((x) => x.key)).toEqual(['heun', 'dpmpp_2m', 'sde']);
    expect(s[1].points[1].y).toBe(scoreSamplesSync(LAMBDA, { sampler: 'dpmpp_2m', steps: 8 }, { samples: 200, draws: 3, seed: 4 }).monteCarlo!.w2.mean);
    expect(s[0].points[0].y).toBe(scoreSamplesSync(LAMBDA, { scheme: 'heun', steps: 8 }, { samples: 20, draws: 3, seed: 4 }).monteCarlo!.w2.mean);
    expect(s[2].points.map((p) => p.y)).toEqual([20, 200].map((n) => Math.sqrt(deltaScoreSamples(LAMBDA, n - 1))));
    await expect(figureScoreSamplesData(LAMBDA, { samplers: ['nope'] })).rejects.toThrow(/samplers\[0\]/);
    await expect(figureScoreSamplesData(LAMBDA, { samples: [1] })).rejects.toThrow(/samples\[0\]/);
  });
});
