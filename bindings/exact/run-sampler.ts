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
import { generalRunRaw, meanResponses, processAlphas, coreStateSize } from './core-general.js';
import {
  eigenvalueErrors, isZero, klOfLaws, resolveMeanOption, resolveMetric,
  type DirectionLaws, type EigenvalueErrors, type Kl, type Metric,
} from './metrics.js';
import { matrixSide, prepareScoreCov, scoreCovW2Run, scorePairs, type PreparedScoreCov } from './score.js';
import type { ErrorSourceOptions } from '../options/error-sources.js';

/**
 * Starts (docs/MATH-samplers.md §6): 'exact' = the forward marginal at the first level; 'prior' =
 * the process's conventional start (VP: N(0, I); EDM: N(0, σ₀² I)), also named 'conventional'
 * (the CLI's `--start conventional`); 'comfy' = ComfyUI's start for ε-prediction (VP-trained)
 * models under k-diffusion samplers, `noise_scaling(σ, noise, latent, max_denoise=True)` =
 * noise·√(1 + σ₀²): N(0, (1 + σ₀²) I) in VE coordinates (the edm process with the model's σ grid).
 */
export const STARTS = ['exact', 'prior', 'conventional', 'comfy'] as const;
export type Start = (typeof STARTS)[number];

/**
 * The most steps a run may have: the core's per-step tables (≤ 12 values a step, and the levels)
 * must fit in one allocator block (< 1 GiB); 2^20 steps keep them near 100 MB.
 */
export const MAX_SAMPLER_STEPS = 2 ** 20;

export interface SamplerRunOptions extends ErrorSourceOptions {
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
  schedulerParams?: Record<string, number | string>;
  /** The sampler's own parameters (its source's keyword names). */
  params?: Record<string, number | string | boolean>;
  /** Default 'prior'. */
  start?: Start;
  /** Data mean in the eigenbasis, one value per input eigenvalue (input order); default 0. */
  means?: readonly number[] | Float64Array;
  /** Also return per-eigenvalue output variances (and means when `means` is given). */
  variances?: boolean;
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
  /** W2 against the exact marginal at each grid point (with `scoreCov` empty unless `scoreCovTrajectory`). */
  trajectory: (number | null)[];
  /** With `variances`: output variance per input eigenvalue (input order). */
  variances?: Float64Array;
  /** With `variances` and `means`: output mean per input eigen-direction. */
  outputMeans?: Float64Array;
  /**
   * With a mean or score mean: |output mean − data mean| (W2² = meanError² + the covariance
   * part, docs/MATH-samplers.md §8); null when infinite or undefined.
   */
  meanError?: number | null;
  /** With metric 'kl' or 'both': KL(sampler ‖ data) and KL(data ‖ sampler), nats (docs/metrics.md §2). */
  kl?: Kl;
  /** With `perEigenvalue`: each eigen-direction's error (docs/metrics.md §3). */
  perEigenvalue?: EigenvalueErrors;
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
  const given_ = spec.modelDefaults && (options.params === undefined || (typeof options.params === 'object' && options.params !== null && !Array.isArray(options.params)))
    ? { ...spec.modelDefaults(process, processParams), ...options.params } : options.params;
  const params = resolveParams<AnyParamValues>('params', spec.params, given_);
  let times: Float64Array;
  let h: Float64Array | null = null;
  if (spec.ownGrid) {
    // The sampler's grid comes from its parameters (reported in the result's times).
    for (const key of ['times', 'steps', 'scheduler'] as const) {
      if (options[key] !== undefined) throw badValue(key, options[key], `absent for ${spec.id} (it builds its own grid from its parameters)`);
    }
    const times = checkGrid(spec.ownGrid(params, process, processParams));
    spec.checkGrid?.(times, null, packParams(process.params, processParams), 'params');
    return { spec, process, processParams, params, times, h: null, start: checkStart(checkChoice('start', options.start ?? 'prior', STARTS), process) };
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
  const start = checkStart(checkChoice('start', options.start ?? 'prior', STARTS), process);
  return { spec, process, processParams, params, times, h, start };
}

/** 'comfy' scales VE-coordinate noise: only samplers on the edm process (α = 1, σ = t) take it. */
function checkStart(start: Start, process: ProcessSpec): Start {
  if (start === 'comfy' && process.id !== 'edm') {
    throw badValue('start', start, `exact, prior or conventional on process ${process.id} ('comfy' is ComfyUI's VE-coordinate start for k-diffusion-style samplers on the edm process: give the VP model's σ grid as sigmas)`);
  }
  return start;
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
  return runSamplerShared(input, options, undefined);
}

/**
 * What the runs of one comparison share with `scoreCov`: Σ̂'s eigendecomposition and ÛᵀΣÛ, made
 * by the first run that needs them (after it has checked its options) and reused by the others.
 */
export interface SharedScoreCov {
  prepared?: PreparedScoreCov;
}

/** runSamplerSync, with a comparison's shared wrong-score work (compare.ts). */
export function runSamplerShared(input: SpectrumInput | null, options: SamplerRunOptions, shared: SharedScoreCov | undefined): SamplerRunResult {
  const r = resolveSamplerRun(options);
  options = checkOptions(options);
  if (options.scoreCov !== undefined || options.cov !== undefined) {
    if (options.perEigenvalue === true) throw badValue('perEigenvalue', true, 'absent with scoreCov (the output covariance is not diagonal in the data\'s eigenbasis)');
    return runScoreCov(input, r, options, shared);
  }
  if (options.scoreCovTrajectory !== undefined) throw badValue('scoreCovTrajectory', options.scoreCovTrajectory, 'given only with scoreCov (a spectrum run always has its trajectory)');
  const spectrum = prepareSpectrum(input as SpectrumInput);
  // A wrong score with the same eigenvectors: the values and weights become those of (λ, λ̂) pairs.
  const pairs = options.scoreSpectrum === undefined ? null : scorePairs(spectrum, options.scoreSpectrum);
  const idx = pairs ? pairs.index : distinctIndex(spectrum);
  const nValues = pairs ? pairs.values.length : spectrum.values.length;
  if (options.mean !== undefined && options.means !== undefined) throw badValue('mean', options.mean, 'absent when means is given (they are the same option)');
  const meanName = options.mean !== undefined ? 'mean' : 'means';
  const dataMean = resolveMeanOption(meanName, options.mean ?? options.means, spectrum);
  const scoreMean = resolveMeanOption('scoreMean', options.scoreMean, spectrum);
  const metric = resolveMetric(options.metric);
  if (options.perEigenvalue !== undefined && typeof options.perEigenvalue !== 'boolean') throw badType('perEigenvalue', options.perEigenvalue, 'a boolean');
  const perEigenvalue = options.perEigenvalue === true;
  const wantV = options.variances === true;
  // A score mean equal to the data mean is the kernel's own case (b multiplies the data mean).
  const wrongMean = scoreMean !== null && !scoreMean.every((x, i) => x === (dataMean ? dataMean[i] : 0));
  const mean = wrongMean ? null : dataMean;
  // Zero means are the centred run, bit for bit (docs/metrics.md §1).
  const hasMean = !isZero(mean);
  const anyMean = dataMean !== null || scoreMean !== null;
  const needLaws = wantV || metric !== 'w2' || perEigenvalue || anyMean;
  let meanSq: Float64Array | null = null;
  if (hasMean) {
    meanSq = new Float64Array(nValues);
    for (let i = 0; i < spectrum.dim; i++) meanSq[idx[i]] += mean![i] * mean![i];
  }
  const params = packParams(r.spec.params, r.params);
  const processParams = packParams(r.process.params, r.processParams);
  const raw = generalRunRaw({
    coreId: r.spec.coreId,
    params,
    processId: r.process.coreId,
    processParams,
    times: r.times,
    h: r.h,
    values: pairs ? pairs.values : spectrum.values,
    weights: pairs ? pairs.weights : spectrum.weights,
    ...(pairs ? { scoreValues: pairs.scoreValues } : {}),
    meanSq,
    wantTraj: true,
    wantV: needLaws,
    wantMean: needLaws && hasMean,
    priorVariance: r.start === 'comfy' ? 1 + r.times[0] ** 2 : undefined,
  });
  const K = r.times.length - 1;
  const s = r.start === 'exact' ? 0 : 1;
  const n = nValues;
  const variance = new Float64Array(spectrum.dim);
  if (needLaws) for (let i = 0; i < spectrum.dim; i++) variance[i] = raw.v[s * n + idx[i]];
  let outMean: Float64Array | null = null;
  let extraSum = 0;
  const traj = raw.traj.subarray(s * (K + 1), (s + 1) * (K + 1));
  if (hasMean) {
    outMean = new Float64Array(spectrum.dim);
    for (let i = 0; i < spectrum.dim; i++) outMean[i] = raw.mean[s * n + idx[i]] * mean![i];
  } else if (wrongMean) {
    // The kernel ran centred (covariance part); the means come from the mean recursion on the
    // same (A, b): exact start mean α₀ mᵢ, prior start 0; target α_k mᵢ along the grid (§6, §8).
    const src = { coreId: r.spec.coreId, stateSize: coreStateSize(r.spec.coreId), params, processId: r.process.coreId, processParams, times: r.times, h: r.h };
    const { phi, mu } = meanResponses(src, pairs ? pairs.scoreValues.subarray(0, nValues) : spectrum.values);
    const alphas = processAlphas(r.process.coreId, processParams, r.times);
    const m = dataMean ?? new Float64Array(spectrum.dim);
    const mh = scoreMean!;
    const start0 = s === 0 ? alphas[0] : 0;
    outMean = new Float64Array(spectrum.dim);
    for (let k = 0; k <= K; k++) {
      let sum = 0;
      for (let i = 0; i < spectrum.dim; i++) {
        const j = idx[i];
        const e = phi[k * n + j] * start0 * m[i] + mu[k * n + j] * mh[i] - alphas[k] * m[i];
        sum += e * e;
        if (k === K) outMean[i] = e + alphas[k] * m[i];
      }
      traj[k] += sum;
    }
    for (let i = 0; i < spectrum.dim; i++) {
      const e = outMean[i] - m[i];
      extraSum += e * e;
    }
  } else if (anyMean) {
    outMean = new Float64Array(spectrum.dim); // zero means: the output mean is 0
  }
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
    w2: distance(raw.sums[s] + extraSum),
    trajectory: Array.from(traj, distance),
  };
  if (wantV) {
    result.variances = variance;
    if (outMean) result.outputMeans = outMean;
  }
  if (needLaws) {
    let meanError: Float64Array | null = null;
    if (outMean) {
      meanError = new Float64Array(spectrum.dim);
      for (let i = 0; i < spectrum.dim; i++) meanError[i] = outMean[i] - (dataMean ? dataMean[i] : 0);
    }
    const laws: DirectionLaws = { lambda: spectrum.eigenvalues, variance, meanError };
    if (anyMean) {
      let sq = 0;
      if (meanError) for (const e of meanError) sq += e * e;
      result.meanError = distance(sq);
    }
    if (metric !== 'w2') result.kl = klOfLaws(laws).kl;
    if (perEigenvalue) result.perEigenvalue = eigenvalueErrors(laws, metric);
  }
  return result;
}

/** runSamplerSync with `scoreCov` (docs/MATH-samplers.md §7b): one Bures distance (per grid point with `scoreCovTrajectory`). */
function runScoreCov(input: SpectrumInput | null, r: ResolvedRun, options: SamplerRunOptions, shared: SharedScoreCov | undefined): SamplerRunResult {
  if (options.scoreCov === undefined) throw badValue('cov', '(a matrix)', 'given only with scoreCov (the data covariance of a wrong-score run)');
  if (options.cov === undefined) throw badValue('scoreCov', '(a matrix)', 'given with cov, the data covariance matrix');
  if (options.scoreSpectrum !== undefined) throw badValue('scoreSpectrum', '(an array)', 'absent when scoreCov is given (give one of them)');
  if (options.mean !== undefined && options.means !== undefined) throw badValue('mean', options.mean, 'absent when means is given (they are the same option)');
  if (options.variances === true) throw badValue('variances', true, 'absent with scoreCov (the output covariance is not diagonal in the data\'s eigenbasis)');
  const n = matrixSide('cov', options.cov);
  if (input !== null && input !== undefined && prepareSpectrum(input).dim !== n) {
    throw badValue('spectrum.length', prepareSpectrum(input).dim, `cov's size (${n}), or null`);
  }
  if (r.start === 'comfy') throw badValue('start', 'comfy', "'conventional' or 'exact' with scoreCov");
  // With a covariance matrix the means are in data coordinates (there is no one eigenbasis).
  const mean = resolveMeanOption(options.mean !== undefined ? 'mean' : 'means', options.mean ?? options.means, n, 'in data coordinates, one per row of cov');
  const scoreMean = resolveMeanOption('scoreMean', options.scoreMean, n, 'in data coordinates, one per row of cov');
  const metric = resolveMetric(options.metric);
  if (options.scoreCovTrajectory !== undefined && typeof options.scoreCovTrajectory !== 'boolean') throw badType('scoreCovTrajectory', options.scoreCovTrajectory, 'a boolean');
  const prepared = shared?.prepared ?? prepareScoreCov(options.cov, options.scoreCov);
  if (shared) shared.prepared = prepared;
  const res = scoreCovW2Run({
    coreId: r.spec.coreId, params: packParams(r.spec.params, r.params), processId: r.process.coreId,
    processParams: packParams(r.process.params, r.processParams), times: r.times, h: r.h, start: r.start as 'exact' | 'prior',
  }, prepared, { mean, scoreMean, metric, trajectory: options.scoreCovTrajectory === true });
  const K = r.times.length - 1;
  return {
    sampler: r.spec.id, group: r.spec.group, process: r.process.id, processParams: r.processParams, params: r.params,
    times: Array.from(r.times), steps: K, nfe: r.spec.nfe(K, r.params, r.times), start: r.start,
    w2: res.w2, trajectory: res.trajectory ?? [],
    ...(res.meanError !== undefined ? { meanError: res.meanError } : {}),
    ...(res.kl ? { kl: res.kl } : {}),
  };
}
