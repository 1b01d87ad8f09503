/**
 * The error of a run split by its sources (docs/metrics.md §3): four runs, each adding one source
 * to the previous one —
 *   1. truncation: the exact continuous flow from the exact start with the exact score, stopped at
 *      the grid's last level (the exact marginal there, docs/MATH-samplers.md §3, §6);
 *   2. + discretization: the sampler on its grid, exact start, exact score;
 *   3. + initialization: the sampler from its conventional start, exact score;
 *   4. + score: the sampler from its conventional start with the given (wrong) score mean.
 * The parts are differences of W2² between consecutive runs (they add up to the total W2² by
 * construction, but depend on the order the sources are added, and one can be negative: errors
 * can cancel). W2 itself is not additive.
 */
import { prepareSpectrum, type SpectrumInput } from '../options/spectrum.js';
import { checkOptions } from '../runtime/errors.js';
import { packParams } from '../samplers/params.js';
import { processAlphas, processMarginals } from './core-general.js';
import { resolveMeanOption } from './metrics.js';
import { resolveSamplerRun, runSamplerSync, type SamplerRunOptions } from './run-sampler.js';

/** The four cumulative runs, in order. */
export const BREAKDOWN_STAGES = ['truncation', 'discretization', 'initialization', 'score'] as const;
export type BreakdownStage = (typeof BREAKDOWN_STAGES)[number];

export interface BreakdownStageResult {
  stage: BreakdownStage;
  /** What the run includes, in words. */
  label: string;
  /** W2 of the run to the data (null: infinite or undefined). */
  w2: number | null;
  /** Per-direction W2² of the run, in the input order of the eigenvalues. */
  w2sq: (number | null)[];
}

export interface ErrorBreakdown {
  eigenvalues: number[];
  /** The cumulative runs (the score stage only when a score mean was given). */
  stages: BreakdownStageResult[];
  /** W2² added by each source: the difference of consecutive stages' W2² (null if one is). */
  parts: Partial<Record<BreakdownStage, number | null>>;
}

/**
 * Split a run's error (any registry sampler or scheme: the options of `runSampler`, with `mean`
 * and `scoreMean`) into truncation, discretization, initialization and score parts (see above).
 * `start` is ignored (stages 1–2 use the exact start, 3–4 the conventional one). After `init()`.
 * @example errorBreakdown([0.5, 2], { sampler: 'euler', steps: 10, mean: [1, 0], scoreMean: [0.9, 0] }).parts
 */
export function errorBreakdown(input: SpectrumInput, options: SamplerRunOptions): ErrorBreakdown {
  const spectrum = prepareSpectrum(input);
  const o = checkOptions(options);
  const r = resolveSamplerRun({ ...o, start: undefined });
  const mean = resolveMeanOption('mean', o.mean ?? o.means, spectrum);
  const scoreMean = resolveMeanOption('scoreMean', o.scoreMean, spectrum);
  const m = mean ?? new Float64Array(spectrum.dim);
  // 1. The exact marginal at the last level against the data, per direction.
  const pp = packParams(r.process.params, r.processParams);
  const tK = r.times[r.times.length - 1];
  const lamK = processMarginals(r.process.coreId, pp, tK, spectrum.eigenvalues);
  const aK = processAlphas(r.process.coreId, pp, Float64Array.of(tK))[0];
  const trunc = Array.from(spectrum.eigenvalues, (l, i) => {
    const x = (Math.sqrt(lamK[i]) - Math.sqrt(l)) ** 2 + ((aK - 1) * m[i]) ** 2;
    return Number.isFinite(x) ? x : null;
  });
  const sum = (xs: (number | null)[]) => xs.reduce<number | null>((a, x) => (a === null || x === null ? null : a + x), 0);
  const base = { ...o, means: undefined, mean: mean ?? undefined, perEigenvalue: true, metric: 'w2' as const, variances: false };
  const exact = runSamplerSync(spectrum, { ...base, scoreMean: undefined, start: 'exact' });
  const prior = runSamplerSync(spectrum, { ...base, scoreMean: undefined, start: 'prior' });
  const t = sum(trunc);
  const stages: BreakdownStageResult[] = [
    { stage: 'truncation', label: 'exact flow to the last level (truncation)', w2: t === null ? null : Math.sqrt(t), w2sq: trunc },
    { stage: 'discretization', label: '+ discretization (sampler, exact start, exact score)', w2: exact.w2, w2sq: exact.perEigenvalue!.w2sq },
    { stage: 'initialization', label: '+ initialization (conventional start)', w2: prior.w2, w2sq: prior.perEigenvalue!.w2sq },
  ];
  if (scoreMean !== null) {
    const wrong = runSamplerSync(spectrum, { ...base, scoreMean, start: 'prior' });
    stages.push({ stage: 'score', label: '+ score (the given score mean)', w2: wrong.w2, w2sq: wrong.perEigenvalue!.w2sq });
  }
  const parts: Partial<Record<BreakdownStage, number | null>> = {};
  stages.forEach((s, k) => {
    const here = s.w2 === null ? null : s.w2 * s.w2;
    const before = k === 0 ? 0 : stages[k - 1].w2 === null ? null : stages[k - 1].w2! ** 2;
    parts[s.stage] = here === null || before === null ? null : here - before;
  });
  return { eigenvalues: Array.from(spectrum.eigenvalues), stages, parts };
}
