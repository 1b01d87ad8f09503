/**
 * A wrong score of ANY covariance with means and KL (issue 12 items 2, 4, 5, 7; docs/score-errors.md
 * "Means and KL with scoreCov", docs/MATH-samplers.md §7b, §8): the data N(m, Σ), the score that of
 * N(m̂, Σ̂) with Σ̂ NOT commuting with Σ.
 *  1. every registry sampler and scheme, both starts, at d = 6, against the independent dense
 *     reference (test/reference/dense-mean.ts: the plain-vector sampler in data coordinates, its
 *     law by impulses; Bures W2 by Jacobi square roots; KL by the textbook Cholesky formula):
 *     W2² and both KLs 1e-9 relative + 1e-10 absolute (the dense formulas cancel), meanError 1e-10;
 *  2. identities: zero means and metric 'w2' give today's W2 bit for bit; a commuting Σ̂ gives the
 *     `scoreSpectrum` path's W2 (W2² to 1e-12·tr Σ: the trace formula cancels), KL (1e-9) and
 *     meanError (1e-10); Σ̂ = Σ, m̂ = m from the exact start of a
 *     the plain run with the data's mean;
 *  3. infinite KL is null: a singular Σ (both directions), never a large finite number;
 *  4. the paper's API (`runSync` with `scheme`) and `compare` carry the same options to the same
 *     numbers; bad means are errors naming the option;
 *  5. the CLI contract `run --cov --mean --score-cov --score-mean … --metric both --format json`
 *     (both `--sampler` and `--scheme`), equal to the API's numbers bit for bit;
 *  6. `scoreCovTrajectory`: euler's trajectory point by point against the dense law of the truncated
 *     run and the exact marginal (W2² 1e-9 relative + 1e-12·(tr Σ + d σ_k²)), a commuting Σ̂ = the
 *     `scoreSpectrum` trajectory (multistep, churn, DPM-Solver, a paper scheme; both starts, means),
 *     the last point = w2, the CLI flag.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ALL_SAMPLERS, compareSync, init, resolveSamplerRun, runSamplerSync, runSync, toNpy, type SamplerSpec,
} from '../dist/bindings/index.node.js';
import { randomOrthogonal } from './helpers/orthogonal.js';
import { vectorKey } from './conformance/vector-samplers';
import { denseKl, denseSamplerLaw, denseW2sq } from './reference/dense-mean';
import { close, startLaw } from './helpers/start-law';

const D = 6;
const LAMBDA = [2e-3, 0.05, 0.3, 0.7, 3, 40];
const LAMBDA_HAT = [5e-3, 0.04, 0.5, 0.6, 2.5, 30];
const U = randomOrthogonal(D, 1207) as Float64Array;
const V = randomOrthogonal(D, 31) as Float64Array; // the score's eigenvectors: Σ̂ does not commute with Σ

const build = (Q: Float64Array, lam: readonly number[]) => {
  const s = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let r = 0; r < D; r++) for (let c = 0; c < D; c++) s[r * D + c] += lam[i] * Q[r * D + i] * Q[c * D + i];
  return s;
};
const SIGMA = build(U, LAMBDA);
const SIGMA_HAT = build(V, LAMBDA_HAT);
const TRACE = LAMBDA.reduce((a, b) => a + b, 0);
const MEAN = Float64Array.from([0.3, -1.2, 0.8, 2.0, -0.5, 1.5]);
const SCORE_MEAN = Float64Array.from([0.25, -1.0, 0.9, 1.7, -0.5, 1.8]);

const GRIDS: Record<string, { steps: number; scheduler: string; schedulerParams?: Record<string, number> }> = {
  vp: { steps: 30, scheduler: 'uniform', schedulerParams: { eps: 1e-3 } },
  edm: { steps: 8, scheduler: 'karras' },
};
const gridOf = (spec: SamplerSpec, process: string) => (spec.ownGrid ? {} : GRIDS[process]);


beforeAll(async () => { await init(); });

describe.each(ALL_SAMPLERS.map((s) => [`${s.group} ${s.id}`, s] as const))('%s with a non-commuting score covariance and means vs the dense reference', (_n, spec) => {
  const process = spec.processes[0];
  it.each(['exact', 'prior'] as const)('start %s: W2, meanError, KL forward and reverse', (start) => {
    const opts = { [spec.group]: spec.id, process, ...gridOf(spec, process), start };
    const r = resolveSamplerRun(opts);
    const out = runSamplerSync(null, { ...opts, cov: SIGMA, scoreCov: SIGMA_HAT, mean: MEAN, scoreMean: SCORE_MEAN, metric: 'both' });
    const { mu0, C0 } = startLaw(process, r.times[0], r.processParams, start, SIGMA, MEAN);
    const law = denseSamplerLaw(vectorKey(spec), D, SIGMA_HAT, SCORE_MEAN, r.times, r.processParams, out.params, mu0, C0, process);
    let meanSq = 0;
    for (let i = 0; i < D; i++) meanSq += (law.mean[i] - MEAN[i]) ** 2;
    expect(close(out.meanError!, Math.sqrt(meanSq), 1e-10, 1e-12), `meanError ${out.meanError} vs ${Math.sqrt(meanSq)}`).toBe(true);
    const w2sq = denseW2sq(law.mean, law.cov, MEAN, SIGMA, D);
    expect(close(out.w2! ** 2, w2sq, 1e-9, 1e-10), `W2² ${out.w2! ** 2} vs ${w2sq}`).toBe(true);
    const forward = denseKl(law.mean, law.cov, MEAN, SIGMA, D);
    const reverse = denseKl(MEAN, SIGMA, law.mean, law.cov, D);
    expect(close(out.kl!.forward!, forward, 1e-9, 1e-10), `KL forward ${out.kl!.forward} vs ${forward}`).toBe(true);
    expect(close(out.kl!.reverse!, reverse, 1e-9, 1e-10), `KL reverse ${out.kl!.reverse} vs ${reverse}`).toBe(true);
    expect(out.trajectory).toEqual([]);
  });
});

describe('identities', () => {
  const base = { sampler: 'dpmpp_2m', steps: 10 } as const;

  it('zero means and metric w2 give the centred W2 bit for bit (both starts)', () => {
    for (const start of ['prior', 'exact'] as const) {
      const a = runSamplerSync(null, { ...base, start, cov: SIGMA, scoreCov: SIGMA_HAT });
      const b = runSamplerSync(null, { ...base, start, cov: SIGMA, scoreCov: SIGMA_HAT, mean: new Float64Array(D), scoreMean: new Float64Array(D), metric: 'w2' });
      expect(b.w2).toBe(a.w2);
      expect(b.meanError).toBe(0);
      expect(a.meanError).toBeUndefined();
      expect(a.kl).toBeUndefined();
    }
  });

  it('a commuting score covariance gives the scoreSpectrum path (W2, KL, meanError)', () => {
    const commuting = build(U, LAMBDA_HAT);
    const toEig = (x: Float64Array) => Array.from({ length: D }, (_, i) => x.reduce((s, y, r) => s + y * U[r * D + i], 0));
    for (const o of [{ sampler: 'euler_ancestral', steps: 12 }, { sampler: 'heun', steps: 8 }, { scheme: 'ei', steps: 40 }] as const) {
      for (const start of ['prior', 'exact'] as const) {
        const a = runSamplerSync(null, { ...o, start, cov: SIGMA, scoreCov: commuting, mean: MEAN, scoreMean: SCORE_MEAN, metric: 'both' });
        const b = runSamplerSync(LAMBDA, { ...o, start, scoreSpectrum: LAMBDA_HAT, mean: toEig(MEAN), scoreMean: toEig(SCORE_MEAN), metric: 'both' });
        const msg = `${JSON.stringify(o)} ${start}`;
        expect(close(a.w2! ** 2, b.w2! ** 2, 0, 1e-12 * TRACE), `${msg}: W2 ${a.w2} vs ${b.w2}`).toBe(true);
        expect(close(a.meanError!, b.meanError!, 1e-10, 1e-14), `${msg}: meanError`).toBe(true);
        expect(close(a.kl!.forward!, b.kl!.forward!, 1e-9, 1e-12), `${msg}: KL forward ${a.kl!.forward} vs ${b.kl!.forward}`).toBe(true);
        expect(close(a.kl!.reverse!, b.kl!.reverse!, 1e-9, 1e-12), `${msg}: KL reverse ${a.kl!.reverse} vs ${b.kl!.reverse}`).toBe(true);
      }
    }
  });

  it('Σ̂ = Σ (the exact score through scoreCov) gives the plain run with the mean (W2, KL, meanError)', () => {
    const toEig = (x: Float64Array) => Array.from({ length: D }, (_, i) => x.reduce((s, y, r) => s + y * U[r * D + i], 0));
    for (const o of [{ sampler: 'dpmpp_2m', steps: 10 }, { sampler: 'euler', steps: 6, start: 'exact' }, { scheme: 'heun', steps: 30 }] as const) {
      const a = runSamplerSync(null, { ...o, cov: SIGMA, scoreCov: SIGMA, mean: MEAN, metric: 'both' });
      const b = runSamplerSync(LAMBDA, { ...o, mean: toEig(MEAN), metric: 'both' });
      // W2² by the dense trace formula tr Σ + tr C − 2 tr(…)^½ (it cancels): 1e-12·tr Σ absolute
      expect(close(a.w2! ** 2, b.w2! ** 2, 0, 1e-12 * TRACE), `${JSON.stringify(o)}: W2 ${a.w2} vs ${b.w2}`).toBe(true);
      expect(close(a.meanError!, b.meanError!, 1e-10, 1e-14)).toBe(true);
      expect(close(a.kl!.forward!, b.kl!.forward!, 1e-9, 1e-12), `KL forward ${a.kl!.forward} vs ${b.kl!.forward}`).toBe(true);
      expect(close(a.kl!.reverse!, b.kl!.reverse!, 1e-9, 1e-12), `KL reverse ${a.kl!.reverse} vs ${b.kl!.reverse}`).toBe(true);
    }
  });
});

describe('scoreCovTrajectory: W2 against the exact marginal at every grid point', () => {
  it('euler (each step sees only its own levels): every point = the dense law of the truncated run vs N(α_k m, α_k² Σ + σ_k² I)', () => {
    for (const start of ['prior', 'exact'] as const) {
      const opts = { sampler: 'euler', steps: 6, start } as const;
      const r = resolveSamplerRun(opts);
      const out = runSamplerSync(null, { ...opts, cov: SIGMA, scoreCov: SIGMA_HAT, mean: MEAN, scoreMean: SCORE_MEAN, scoreCovTrajectory: true });
      expect(out.trajectory).toHaveLength(r.times.length);
      expect(out.trajectory[r.times.length - 1]).toBe(out.w2);
      const { mu0, C0 } = startLaw('edm', r.times[0], r.processParams, start, SIGMA, MEAN);
      for (let k = 1; k < r.times.length; k++) {
        const law = denseSamplerLaw('sampler:euler', D, SIGMA_HAT, SCORE_MEAN, r.times.subarray(0, k + 1), r.processParams, out.params, mu0, C0, 'edm');
        const s2 = r.times[k] ** 2; // edm: α = 1, σ = t
        const target = Float64Array.from(SIGMA, (x, i) => x + (i % (D + 1) === 0 ? s2 : 0));
        const ref = denseW2sq(law.mean, law.cov, MEAN, target, D);
        const scale = TRACE + D * s2;
        expect(close(out.trajectory[k]! ** 2, ref, 1e-9, 1e-12 * scale), `${start} k=${k}: ${out.trajectory[k]! ** 2} vs ${ref}`).toBe(true);
      }
    }
  });

  it('a commuting Σ̂ gives the scoreSpectrum path\'s trajectory (samplers and schemes, both starts, with means)', () => {
    const commuting = build(U, LAMBDA_HAT);
    const toEig = (x: Float64Array) => Array.from({ length: D }, (_, i) => x.reduce((s, y, r) => s + y * U[r * D + i], 0));
    for (const o of [{ sampler: 'dpmpp_2m', steps: 8 }, { sampler: 'heun', steps: 6, params: { s_churn: 1 } }, { sampler: 'dpm_solver', model: 'vp' }, { scheme: 'ei', steps: 20 }] as const) {
      for (const start of ['prior', 'exact'] as const) {
        const a = runSamplerSync(null, { ...o, start, cov: SIGMA, scoreCov: commuting, mean: MEAN, scoreMean: SCORE_MEAN, scoreCovTrajectory: true } as never);
        const b = runSamplerSync(LAMBDA, { ...o, start, scoreSpectrum: LAMBDA_HAT, mean: toEig(MEAN), scoreMean: toEig(SCORE_MEAN) } as never);
        expect(a.trajectory).toHaveLength(b.trajectory.length);
        const t0 = a.times[0];
        const scale = TRACE + D * Math.max(1, t0 * t0);
        a.trajectory.forEach((x, k) => {
          expect(close(x! ** 2, b.trajectory[k]! ** 2, 1e-9, 1e-12 * scale), `${JSON.stringify(o)} ${start} k=${k}: ${x} vs ${b.trajectory[k]}`).toBe(true);
        });
      }
    }
  });

  it('off by default; a bad value or a spectrum run names the option', () => {
    expect(runSamplerSync(null, { sampler: 'euler', steps: 4, cov: SIGMA, scoreCov: SIGMA_HAT }).trajectory).toEqual([]);
    expect(() => runSamplerSync(null, { sampler: 'euler', steps: 4, cov: SIGMA, scoreCov: SIGMA_HAT, scoreCovTrajectory: 1 as never })).toThrow(/^scoreCovTrajectory must be a boolean/);
    expect(() => runSamplerSync(LAMBDA, { sampler: 'euler', steps: 4, scoreCovTrajectory: true })).toThrow(/^scoreCovTrajectory must be given only with scoreCov/);
    expect(() => runSync(LAMBDA, { scheme: 'heun', steps: 4, scoreCovTrajectory: true })).toThrow(/^scoreCovTrajectory must be given only with scoreCov/);
    const viaRun = runSync(null, { scheme: 'heun', steps: 10, eps: 1e-3, init: 'pT', cov: SIGMA, scoreCov: SIGMA_HAT, scoreCovTrajectory: true });
    const viaSampler = runSamplerSync(null, { scheme: 'heun', steps: 10, schedulerParams: { eps: 1e-3 }, start: 'exact', cov: SIGMA, scoreCov: SIGMA_HAT, scoreCovTrajectory: true });
    expect(viaRun.trajectory).toEqual(viaSampler.trajectory);
  });
});

describe('infinite KL is null', () => {
  it('a singular data covariance: both directions null, W2 finite', () => {
    const singular = build(U, [0, ...LAMBDA.slice(1)]);
    const r = runSamplerSync(null, { sampler: 'euler', steps: 10, cov: singular, scoreCov: SIGMA_HAT, metric: 'both' });
    expect(r.kl).toEqual({ forward: null, reverse: null });
    expect(Number.isFinite(r.w2!)).toBe(true);
  });
});

describe('the paper API and compare', () => {
  it('runSync with a scheme: the same numbers as runSamplerSync (bit for bit)', () => {
    const o = { scoreCov: SIGMA_HAT, cov: SIGMA, mean: MEAN, scoreMean: SCORE_MEAN, metric: 'both' as const };
    const viaRun = runSync(null, { scheme: 'heun', steps: 30, eps: 1e-3, init: 'pT', ...o });
    const viaSampler = runSamplerSync(null, { scheme: 'heun', steps: 30, schedulerParams: { eps: 1e-3 }, start: 'exact', ...o });
    expect(viaRun.w2).toBe(viaSampler.w2);
    expect(viaRun.kl).toEqual(viaSampler.kl);
    expect(viaRun.meanError).toBe(viaSampler.meanError);
  });

  it('compare cells carry the means and the metric', () => {
    const o = { scoreCov: SIGMA_HAT, cov: SIGMA, mean: MEAN, scoreMean: SCORE_MEAN, metric: 'both' as const };
    const table = compareSync(null, { samplers: ['euler', 'dpmpp_2m'], schedulers: ['karras'], steps: [5], ...o });
    for (const c of table.cells) {
      const x = runSamplerSync(null, { sampler: c.sampler, scheduler: c.scheduler, steps: c.steps, ...o });
      expect(c.w2).toBe(x.w2);
      expect(c.kl).toEqual(x.kl);
    }
  });

  it('bad means name the option', () => {
    expect(() => runSamplerSync(null, { sampler: 'euler', steps: 4, cov: SIGMA, scoreCov: SIGMA_HAT, mean: [1, 2] })).toThrow(/^mean\.length must be the matrix size \(6\)/);
    expect(() => runSamplerSync(null, { sampler: 'euler', steps: 4, cov: SIGMA, scoreCov: SIGMA_HAT, scoreMean: [1, 2, 3, 4, 5, Number.NaN] })).toThrow(/^scoreMean\[5\] must be a finite number/);
    expect(() => runSamplerSync(null, { sampler: 'euler', steps: 4, cov: SIGMA, scoreCov: SIGMA_HAT, perEigenvalue: true })).toThrow(/^perEigenvalue must be absent with scoreCov/);
  });
});

describe('CLI contract', () => {
  const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/gaussdiff.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-scorecov-'));
  const cli = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir }, (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }));
  });
  const file = (name: string, data: Float64Array, shape: number[]) => {
    const f = path.join(dir, name);
    writeFileSync(f, toNpy({ shape, data }));
    return f;
  };

  it('run --cov --mean --score-cov --score-mean (--sampler and --scheme) --metric both --format json', async () => {
    const files = [file('data.npy', SIGMA, [D, D]), file('m.npy', MEAN, [D]), file('model.npy', SIGMA_HAT, [D, D]), file('mh.npy', SCORE_MEAN, [D])];
    const common = ['--cov', files[0], '--mean', files[1], '--score-cov', files[2], '--score-mean', files[3], '--metric', 'both', '--format', 'json'];
    const sigmas = [80, 10, 1, 0.1, 0];
    const s = await cli('run', ...common, '--sampler', 'dpmpp_2m', '--sigmas', sigmas.join(','));
    expect(s.code, s.stderr).toBe(0);
    const js = JSON.parse(s.stdout);
    const api = runSamplerSync(null, { sampler: 'dpmpp_2m', sigmas, cov: SIGMA, scoreCov: SIGMA_HAT, mean: MEAN, scoreMean: SCORE_MEAN, metric: 'both' });
    expect(js.w2).toBe(api.w2);
    expect(js.kl).toEqual({ forward: api.kl!.forward, reverse: api.kl!.reverse });
    expect(js.meanError).toBe(api.meanError);
    const h = await cli('run', ...common, '--scheme', 'heun', '--steps', '20', '--eps', '1e-3');
    expect(h.code, h.stderr).toBe(0);
    const jh = JSON.parse(h.stdout);
    const apiH = runSync(null, { scheme: 'heun', steps: 20, eps: 1e-3, cov: SIGMA, scoreCov: SIGMA_HAT, mean: MEAN, scoreMean: SCORE_MEAN, metric: 'both' });
    expect(jh.w2).toBe(apiH.w2);
    expect(jh.kl).toEqual(apiH.kl);
    const t = await cli('run', ...common, '--sampler', 'dpmpp_2m', '--sigmas', sigmas.join(','), '--score-cov-trajectory');
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(t.stdout).trajectory).toEqual(runSamplerSync(null, { sampler: 'dpmpp_2m', sigmas, cov: SIGMA, scoreCov: SIGMA_HAT, mean: MEAN, scoreMean: SCORE_MEAN, scoreCovTrajectory: true }).trajectory);
    const ts = await cli('run', ...common, '--scheme', 'heun', '--steps', '20', '--eps', '1e-3', '--score-cov-trajectory');
    expect(ts.code, ts.stderr).toBe(0);
    expect(JSON.parse(ts.stdout).trajectory).toHaveLength(21);
    const noCov = await cli('run', '--spectrum', file('lam.npy', Float64Array.from(LAMBDA), [D]), '--sampler', 'euler', '--steps', '4', '--score-cov-trajectory');
    expect(noCov.code).toBe(2);
    expect(noCov.stderr).toMatch(/--score-cov-trajectory is for --score-cov runs/);
    const short = file('short.npy', MEAN.subarray(0, 3), [3]);
    const bad = await cli('run', '--cov', files[0], '--mean', short, '--score-cov', files[2], '--sampler', 'euler', '--steps', '4');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--mean/);
  }, 60_000);
});
