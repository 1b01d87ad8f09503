/**
 * The names of the run options, as lists: `RunOptions` of the paper's schemes (exact/engine.ts)
 * and `SamplerRunOptions` of the registry samplers (exact/run-sampler.ts), error sources included
 * (options/error-sources.ts). For callers that take options as data and must reject a misspelt
 * key with its place named (a sweep plan's `options` axis, bin/sweep-plan.ts). The lists are
 * checked against the interfaces at compile time, both ways: a key added to an interface and not
 * here (or listed here and not there) fails the TypeScript build, naming it.
 */
import type { RunOptions } from '../exact/engine.js';
import type { SamplerRunOptions } from '../exact/run-sampler.js';
import type { ErrorSourceOptions } from './error-sources.js';

/** ErrorSourceOptions' keys: means, metric, per-eigenvalue errors, wrong scores. */
export const ERROR_SOURCE_OPTIONS = [
  'mean', 'scoreMean', 'metric', 'perEigenvalue', 'scoreSpectrum', 'scoreCov', 'cov', 'scoreCovTrajectory',
] as const satisfies readonly (keyof ErrorSourceOptions)[];

/** RunOptions' keys (`run` with `scheme`: the paper's schemes on their uniform grid). */
export const SCHEME_RUN_OPTIONS = [
  'scheme', 'steps', 'eps', 'init', 'alpha', 'variances', 'betaMin', 'betaMax', 'T', ...ERROR_SOURCE_OPTIONS,
] as const satisfies readonly (keyof RunOptions)[];

/** SamplerRunOptions' keys (`run` with `sampler`, and `runSampler`). */
export const SAMPLER_RUN_OPTIONS = [
  'scheme', 'sampler', 'process', 'model', 'processParams', 'times', 'sigmas', 'steps', 'scheduler',
  'schedulerParams', 'params', 'start', 'means', 'variances', ...ERROR_SOURCE_OPTIONS,
] as const satisfies readonly (keyof SamplerRunOptions)[];

// Completeness: every key of each interface is listed (the `satisfies` above check the converse).
type Unlisted<T, L extends readonly unknown[]> = Exclude<keyof T, L[number]>;
type Complete<T, L extends readonly unknown[]> = [Unlisted<T, L>] extends [never] ? true : { unlisted: Unlisted<T, L> };
const _complete: [
  Complete<ErrorSourceOptions, typeof ERROR_SOURCE_OPTIONS>,
  Complete<RunOptions, typeof SCHEME_RUN_OPTIONS>,
  Complete<SamplerRunOptions, typeof SAMPLER_RUN_OPTIONS>,
] = [true, true, true];
void _complete;
