/**
 * runSync with a wrong score (docs/MATH-samplers.md §7, docs/score-errors.md): a paper scheme on
 * the general kernel (the scheme's registry entry, VP with the run's schedule, the uniform grid to
 * ε), shaped as runSync's result. Installed into engine.ts as a hook, so that engine.ts (imported
 * by the grid workers) does not import the samplers' engine and the linear-algebra module.
 */
import { EVALUATIONS } from '../options/defaults.js';
import type { SpectrumInput } from '../options/spectrum.js';
import { checkDdpmRun, resolveSchemeRun, setRunScoreHook, type RunOptions, type RunResult } from './engine.js';
import { runSamplerSync } from './run-sampler.js';

function runSchemeScore(input: SpectrumInput | null, options: RunOptions): RunResult {
  const { schedule, scheme, K, eps, init, alpha } = resolveSchemeRun(options);
  if (scheme === 'ddpm') checkDdpmRun(K, eps, schedule);
  const r = runSamplerSync(input, {
    scheme, steps: K, process: 'vp', processParams: { ...schedule }, schedulerParams: { eps },
    start: init === 'pT' ? 'exact' : 'prior', params: scheme === 'em-alpha' ? { alpha } : {},
    variances: options.variances === true,
    ...(options.scoreSpectrum !== undefined ? { scoreSpectrum: options.scoreSpectrum } : {}),
    ...(options.scoreCov !== undefined ? { scoreCov: options.scoreCov } : {}),
    ...(options.cov !== undefined ? { cov: options.cov } : {}),
    // With scoreCov the means (data coordinates) and the metric are this run's; with scoreSpectrum
    // runSync adds them from its own general-kernel run.
    ...(options.scoreCov !== undefined ? { mean: options.mean, scoreMean: options.scoreMean, metric: options.metric, scoreCovTrajectory: options.scoreCovTrajectory } : {}),
  });
  const result: RunResult = {
    scheme, steps: K, nfe: K * EVALUATIONS[scheme], eps, init, ...(scheme === 'em-alpha' ? { alpha } : {}),
    w2: r.w2, times: r.times, trajectory: r.trajectory,
  };
  if (r.variances) result.variances = r.variances;
  if (r.meanError !== undefined) result.meanError = r.meanError;
  if (r.kl) result.kl = r.kl;
  return result;
}

setRunScoreHook(runSchemeScore);
