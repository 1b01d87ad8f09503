/**
 * `runSync`: one of the paper's schemes on its uniform grid (bindings/exact/engine.ts, the fast
 * path), plus what the fast path does not carry: means (docs/MATH-samplers.md §8), KL and the
 * per-eigenvalue errors (docs/metrics.md). Those come from the same scheme as a registry entry
 * on the general kernel, whose laws equal the fast path's bit for bit (test/engine-general.test.ts).
 * Kept apart from engine.ts so that the fast path's worker threads do not load the registries.
 */
import { resolveSchedule, runSync as runFast, type RunOptions, type RunResult } from './engine.js';
import { runSamplerSync } from './run-sampler.js';
import { isZero, resolveMeanOption, resolveMetric } from './metrics.js';
import { prepareSpectrum, type SpectrumInput } from '../options/spectrum.js';
import { badType, badValue, checkOptions } from '../runtime/errors.js';

/**
 * Run one scheme for K steps from T to ε (docs/MATH.md §4) and measure its error along the way;
 * with `mean`/`scoreMean` the data and the score are not centred (W2² = |mean error|² +
 * covariance part), with `metric: 'kl' | 'both'` the result also has `kl`, with `perEigenvalue`
 * each direction's share. Zero or absent means give the centred numbers exactly. After `init()`.
 * @example runSync(spectrum, { scheme: 'em', steps: 999 }).w2 // CIFAR-10: ≈ 0.16
 * @example runSync([1, 4], { scheme: 'heun', steps: 10, mean: [1, 0], metric: 'both' }).kl // → { forward, reverse }
 */
export function runSync(input: SpectrumInput | null, options: RunOptions = {}): RunResult {
  checkOptions(options);
  if (options.scoreCov !== undefined || options.cov !== undefined) {
    // A wrong score of any covariance (docs/score-errors.md): means in data coordinates, W2 and KL;
    // no per-eigenvalue split (the output is not diagonal in the data's eigenbasis).
    if (options.perEigenvalue !== undefined && options.perEigenvalue !== false) throw badValue('perEigenvalue', options.perEigenvalue, "absent with scoreCov (the output covariance is not diagonal in the data's eigenbasis)");
    return runFast(input, options);
  }
  if (options.scoreCovTrajectory !== undefined) throw badValue('scoreCovTrajectory', options.scoreCovTrajectory, 'given only with scoreCov (a spectrum run always has its trajectory)');
  const spectrum = prepareSpectrum(input as SpectrumInput);
  const result = runFast(spectrum, options);
  const mean = resolveMeanOption('mean', options.mean, spectrum);
  const scoreMean = resolveMeanOption('scoreMean', options.scoreMean, spectrum);
  const metric = resolveMetric(options.metric);
  if (options.perEigenvalue !== undefined && typeof options.perEigenvalue !== 'boolean') throw badType('perEigenvalue', options.perEigenvalue, 'a boolean');
  if (mean === null && scoreMean === null && metric === 'w2' && options.perEigenvalue !== true) return result;
  const g = runSamplerSync(spectrum, {
    scheme: result.scheme,
    steps: result.steps,
    schedulerParams: { eps: result.eps },
    processParams: { ...resolveSchedule(options) },
    start: result.init === 'pT' ? 'exact' : 'prior',
    params: result.scheme === 'em-alpha' ? { alpha: result.alpha! } : {},
    mean: mean ?? undefined,
    scoreMean: scoreMean ?? undefined,
    ...(options.scoreSpectrum !== undefined ? { scoreSpectrum: options.scoreSpectrum } : {}),
    metric,
    perEigenvalue: options.perEigenvalue,
  });
  if (!isZero(mean) || !isZero(scoreMean)) {
    result.w2 = g.w2;
    result.trajectory = g.trajectory;
  }
  if (g.meanError !== undefined) result.meanError = g.meanError;
  if (g.kl) result.kl = g.kl;
  if (g.perEigenvalue) result.perEigenvalue = g.perEigenvalue;
  return result;
}
