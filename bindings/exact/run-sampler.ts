/**
 * The exact law of any registry sampler on Gaussian data N(m, Σ) (docs/MATH-samplers.md §1, §6):
 * options are validated here once (sampler/scheme, forward process, grid, parameters, start), the
 * numbers come from the core's general kernel (assembly/kernels/general.ts).
 */
import { badType, badValue, checkChoice, checkOptions, checkPositiveInteger } from '../runtime/errors.js';
import { distinctIndex, prepareSpectrum, type Spectrum, type SpectrumInput } from '../options/spectrum.js';
import { getSampler, type SamplerId, type SamplerSpec, type SchemeId } from '../samplers/index.js';
import { packParams, resolveParams, type AnyParamValues, type ParamValues } from '../samplers/params.js';
import { getProcess, type ProcessSpec } from '../processes/index.js';
import { getScheduler } from '../schedulers/index.js';
import { resolveSchedulerParams } from '../schedulers/grid.js';
import { generalRunRaw } from './core-general.js';
import { matrixSide, scoreCovW2Run, scorePairs } from './score.js';

/**
 * Starts (docs/MATH-samplers.md §6): 'exact' = the forward marginal at the first level; 'prior' =
 * the process's conventional start (VP: N(0, I); EDM: N(0, σ₀² I)), also named 'conventional'
 * (the CLI's `--start conventional`).
 */
export const STARTS = ['exact', 'prior', 'conventional'] as const;
export type Start = (typeof STARTS)[number];

/**
 * The most steps a run may have: the core's per-step tables (≤ 12 values a step, and the levels)
 * must fit in one allocator block (< 1 GiB); 2^20 steps keep them near 100 MB.
 */
export const MAX_SAMPLER_STEPS = 2 ** 20;

export interface SamplerRunOptions {
  /** One of the paper's schemes (em, ei, ddpm, em-alpha, euler, heun, rk4) … */
  scheme?: SchemeId;
  /** … or a library sampler (euler, dpmpp_2m): exactly one of the two. */
  sampler?: SamplerId;
  /** Forward process (default: the sampler's first, 'vp' for the schemes, 'edm' for k-diffusion). */
  process?: string;
  /** The same as `process` (the CLI's `--model`): give one of the two. */
  model?: string;
  processParams?: Record<string, number>;
  /** The grid: exactly one of `times` (t_0 > … > t_K, or σ's for EDM) and `steps` (with `scheduler`). */
  times?: readonly number[] | Float64Array;
  /** The same as `times` (σ grids, the CLI's `--sigmas`): give one of the two. */
  sigmas?: readonly number[] | Float64Array;
  steps?: number;
  /** Grid builder (default: the sampler's). */
  scheduler?: string;
  schedulerParams?: Record<string, number>;
  /** The sampler's own parameters (its source's keyword names). */
  params?: Record<string, number | string | boolean>;
  /** Default 'prior'. */
  start?: Start;
  /** Data mean in the eigenbasis, one value per input eigenvalue (input order); default 0. */
  means?: readonly number[] | Float64Array;
  /** Also return per-eigenvalue output variances (and means when `means` is given). */
  variances?: boolean;
  /**
   * A wrong score with the data's eigenvectors (docs/MATH-samplers.md §7a): the score's eigenvalue
   * λ̂ᵢ for each data eigenvalue λᵢ (input order). The recursion runs on λ̂, the start and the
   * targets stay λ. Not with `scoreCov`.
   */
  scoreSpectrum?: readonly number[] | Float64Array;
  /**
   * A wrong score of any covariance Σ̂ (symmetric PSD, need not commute with the data's): with
   * `cov`, the data's covariance matrix (docs/MATH-samplers.md §7b). The spectrum argument may
   * then be null (else it must have cov's size); the result has no trajectory (one Bures
   * distance per grid point would cost d³ each) and no variances.
   */
  scoreCov?: import('../linalg/linalg.js').MatrixInput;
  /** The data's covariance matrix, with `scoreCov` only. */
  cov?: import('../linalg/linalg.js').MatrixInput;
}

export interface SamplerRunResult {
  sampler: string;
  group: SamplerSpec['group'];
  process: string;
  processParams: ParamValues;
  params: AnyParamValues;
  /** The grid actually used. */
  times: number[];
  steps: number;
  nfe: number;
  start: Start;
  /** W2(output law, N(m, Σ)); null when infinite/undefined. */
  w2: number | null;
  /** W2 against the exact marginal at each grid point (empty with `scoreCov`). */
  trajectory: (number | null)[];
  /** With `variances`: output variance per input eigenvalue (input order). */
  variances?: Float64Array;
  /** With `variances` and `means`: output mean per input eigen-direction. */
  outputMeans?: Float64Array;
}

function distance(s: number): number | null {
  return Number.isFinite(s) && s >= 0 ? Math.sqrt(s) : null;
}

/** A validated run (everything the core needs). */
export interface ResolvedRun {
  spec: SamplerSpec;
  process: ProcessSpec;
  processParams: ParamValues;
  params: AnyParamValues;
  times: Float64Array;
  /** Step sizes when the grid builder defines them (else null: h_k = t_k − t_{k+1}). */
  h: Float64Array | null;
  start: Start;
}

/** Validate and default the options of one run (the one place where they are checked). */
export function resolveSamplerRun(options_: SamplerRunOptions): ResolvedRun {
  const given = checkOptions(options_);
  if (given.model !== undefined && given.process !== undefined) throw badValue('model', given.model, 'absent when process is given (they are the same option)');
  if (given.sigmas !== undefined && given.times !== undefined) throw badValue('sigmas', given.sigmas, 'absent when times are given (they are the same option)');
  const options = { ...given, process: given.process ?? given.model, times: given.times ?? given.sigmas };
  if ((options.scheme === undefined) === (options.sampler === undefined)) {
    throw badValue('scheme/sampler', options.scheme ?? options.sampler, 'exactly one of scheme and sampler');
  }
  const spec = options.scheme !== undefined ? getSampler('scheme', options.scheme, 'scheme') : getSampler('sampler', options.sampler, 'sampler');
  const process = getProcess(options.process ?? spec.processes[0], 'process');
  if (!spec.processes.includes(process.id)) throw badValue('process', process.id, `one of ${spec.processes.join(', ')} for ${spec.id}`);
  const processParams = resolveParams('processParams', process.params, options.processParams);
  process.check?.(processParams, 'processParams');
  const params = resolveParams<AnyParamValues>('params', spec.params, options.params);
  let times: Float64Array;
  let h: Float64Array | null = null;
  if (spec.ownGrid) {
    // The sampler's grid comes from its parameters (reported in the result's times).
    for (const key of ['times', 'steps', 'scheduler'] as const) {
      if (options[key] !== undefined) throw badValue(key, options[key], `absent for ${spec.id} (it builds its own grid from its parameters)`);
    }
    const times = checkGrid(spec.ownGrid(params));
    spec.checkGrid?.(times, null, packParams(process.params, processParams), 'params');
    return { spec, process, processParams, params, times, h: null, start: checkChoice('start', options.start ?? 'prior', STARTS) };
  }
  if ((options.times === undefined) === (options.steps === undefined)) {
    throw badValue('times/steps', options.times ?? options.steps, 'exactly one of times and steps');
  }
  if (options.times !== undefined) {
    if (options.scheduler !== undefined) throw badValue('scheduler', options.scheduler, 'absent when times are given');
    times = checkGrid(options.times);
  } else {
    const steps = checkPositiveInteger('steps', options.steps);
    if (steps > MAX_SAMPLER_STEPS) throw badValue('steps', steps, `at most ${MAX_SAMPLER_STEPS}`);
    const scheduler = getScheduler(options.scheduler ?? spec.defaultScheduler, 'scheduler');
    if (!scheduler.processes.includes(process.id)) throw badValue('scheduler', scheduler.id, `a grid builder for process ${process.id} (this one is for ${scheduler.processes.join(', ')})`);
    const sp = resolveSchedulerParams(scheduler, options.schedulerParams, process, processParams);
    let grid = scheduler.build(steps, sp, processParams, process);
    // a σ grid on a model that steps in t: the model's time of each level (docs/samplers.md)
    if (scheduler.unit === 'sigma' && process.gridUnit === 't') grid = grid.map((sg) => process.time(sg, processParams));
    times = checkGrid(grid);
    h = scheduler.stepSizes?.(steps, sp, processParams) ?? null;
  }
  spec.checkGrid?.(times, h, packParams(process.params, processParams), options.times !== undefined ? 'times.length − 1' : 'steps');
  const start = checkChoice('start', options.start ?? 'prior', STARTS);
  return { spec, process, processParams, params, times, h, start };
}

function checkGrid(t: readonly number[] | Float64Array): Float64Array {
  if (!(t instanceof Float64Array || Array.isArray(t))) throw badType('times', t, 'an array of numbers');
  if (t.length < 2) throw badValue('times.length', t.length, 'at least 2 (one step)');
  if (t.length > MAX_SAMPLER_STEPS + 1) throw badValue('times.length', t.length, `at most ${MAX_SAMPLER_STEPS + 1}`);
  const out = Float64Array.from(t as ArrayLike<number>);
  for (let k = 0; k < out.length; k++) {
    if (typeof t[k] !== 'number' || !Number.isFinite(out[k]) || out[k] < 0) throw badValue(`times[${k}]`, t[k], 'a finite number ≥ 0');
    if (k > 0 && !(out[k] < out[k - 1])) throw badValue(`times[${k}]`, out[k], `< times[${k - 1}] = ${out[k - 1]} (decreasing)`);
  }
  return out;
}

/**
 * Run a registry sampler exactly (docs/MATH-samplers.md §1): final W2 against the data, the
 * trajectory against the exact marginals, optionally per-eigenvalue output laws. After `init()`.
 * @example runSamplerSync([0.5, 2], { sampler: 'dpmpp_2m', steps: 10 }).nfe // → 10
 */
export function runSamplerSync(input: SpectrumInput | null, options: SamplerRunOptions = {}): SamplerRunResult {
  const r = resolveSamplerRun(options);
  options = checkOptions(options);
  if (options.scoreCov !== undefined || options.cov !== undefined) return runScoreCov(input, r, options);
  const spectrum = prepareSpectrum(input as SpectrumInput);
  // A wrong score with the same eigenvectors: the values and weights become those of (λ, λ̂) pairs.
  const pairs = options.scoreSpectrum === undefined ? null : scorePairs(spectrum, options.scoreSpectrum);
  const idx = pairs ? pairs.index : distinctIndex(spectrum);
  const nValues = pairs ? pairs.values.length : spectrum.values.length;
  let meanSq: Float64Array | null = null;
  let means: Float64Array | null = null;
  if (options.means !== undefined) {
    if (!(options.means instanceof Float64Array || Array.isArray(options.means))) throw badType('means', options.means, 'an array of numbers');
    if (options.means.length !== spectrum.dim) throw badValue('means.length', options.means.length, `the number of eigenvalues (${spectrum.dim})`);
    means = Float64Array.from(options.means as ArrayLike<number>);
    meanSq = new Float64Array(nValues);
    for (let i = 0; i < spectrum.dim; i++) {
      if (!Number.isFinite(means[i])) throw badValue(`means[${i}]`, options.means[i], 'a finite number');
      meanSq[idx[i]] += means[i] * means[i];
    }
  }
  const wantV = options.variances === true;
  const raw = generalRunRaw({
    coreId: r.spec.coreId,
    params: packParams(r.spec.params, r.params),
    processId: r.process.coreId,
    processParams: packParams(r.process.params, r.processParams),
    times: r.times,
    h: r.h,
    values: pairs ? pairs.values : spectrum.values,
    weights: pairs ? pairs.weights : spectrum.weights,
    ...(pairs ? { scoreValues: pairs.scoreValues } : {}),
    meanSq,
    wantTraj: true,
    wantV,
    wantMean: wantV && means !== null,
  });
  const K = r.times.length - 1;
  const s = r.start === 'exact' ? 0 : 1;
  const n = nValues;
  const result: SamplerRunResult = {
    sampler: r.spec.id,
    group: r.spec.group,
    process: r.process.id,
    processParams: r.processParams,
    params: r.params,
    times: Array.from(r.times),
    steps: K,
    nfe: r.spec.nfe(K, r.params, r.times),
    start: r.start,
    w2: distance(raw.sums[s]),
    trajectory: Array.from(raw.traj.subarray(s * (K + 1), (s + 1) * (K + 1)), distance),
  };
  if (wantV) {
    result.variances = new Float64Array(spectrum.dim);
    for (let i = 0; i < spectrum.dim; i++) result.variances[i] = raw.v[s * n + idx[i]];
    if (means) {
      result.outputMeans = new Float64Array(spectrum.dim);
      for (let i = 0; i < spectrum.dim; i++) result.outputMeans[i] = raw.mean[s * n + idx[i]] * means[i];
    }
  }
  return result;
}

/** runSamplerSync with `scoreCov` (docs/MATH-samplers.md §7b): one Bures distance, no trajectory. */
function runScoreCov(input: SpectrumInput | null, r: ResolvedRun, options: SamplerRunOptions): SamplerRunResult {
  if (options.scoreCov === undefined) throw badValue('cov', '(a matrix)', 'given only with scoreCov (the data covariance of a wrong-score run)');
  if (options.cov === undefined) throw badValue('scoreCov', '(a matrix)', 'given with cov, the data covariance matrix');
  if (options.scoreSpectrum !== undefined) throw badValue('scoreSpectrum', '(an array)', 'absent when scoreCov is given (give one of them)');
  if (options.means !== undefined) throw badValue('means', '(an array)', 'absent with scoreCov (centred data only)');
  if (options.variances === true) throw badValue('variances', true, 'absent with scoreCov (the output covariance is not diagonal in the data\'s eigenbasis)');
  const n = matrixSide('cov', options.cov);
  if (input !== null && input !== undefined && prepareSpectrum(input).dim !== n) {
    throw badValue('spectrum.length', prepareSpectrum(input).dim, `cov's size (${n}), or null`);
  }
  const res = scoreCovW2Run({
    coreId: r.spec.coreId, params: packParams(r.spec.params, r.params), processId: r.process.coreId,
    processParams: packParams(r.process.params, r.processParams), times: r.times, h: r.h, start: r.start,
  }, options.cov, options.scoreCov);
  const K = r.times.length - 1;
  return {
    sampler: r.spec.id, group: r.spec.group, process: r.process.id, processParams: r.processParams, params: r.params,
    times: Array.from(r.times), steps: K, nfe: r.spec.nfe(K, r.params, r.times), start: r.start,
    w2: res.w2, trajectory: [],
  };
}
