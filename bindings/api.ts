/**
 * The public API of gaussdiff, the same in Node and browsers. Every function starts the WASM core
 * lazily on first use; `init()` starts it explicitly (and accepts the bytes or a compiled module).
 */
import { initCore, type WasmSource } from './runtime/core.js';
import { initLinalg } from './linalg/linalg.js';
import { canUseWorkers, defaultThreads, runPlanInWorkers } from './runtime/pool.js';
import { checkOptions, checkPositiveInteger } from './runtime/errors.js';
import {
  ablationOfPlan, assembleAblation, continuousSync, planAblation,
  type AblationOptions, type AblationResult, type ContinuousOptions, type ContinuousResult,
  type RunOptions, type RunResult,
} from './exact/engine.js';
import type { SpectrumInput } from './options/spectrum.js';
import { runSync } from './exact/run-scheme.js';
import './exact/run-score.js'; // runSync's wrong-score route (docs/score-errors.md)

/**
 * Start the WASM cores once (later calls share the same promise): the AssemblyScript engine and
 * the Eigen linear-algebra module. A host that cannot read files passes their bytes or compiled
 * modules (`build/core.wasm`, `cpp/dist/linalg.wasm`).
 */
export function init(core?: WasmSource, linalg?: Uint8Array | WebAssembly.Module): Promise<void> {
  return Promise.all([initCore(core), initLinalg(linalg)]).then(() => undefined);
}

/**
 * See {@link runSync} (the paper's schemes, `scheme`) and {@link runSamplerSync} (any registry
 * sampler: `sampler`, with `model`, `scheduler` + `steps` or `sigmas`, `params`, `start`,
 * `variances`). Resolves after the core has started.
 * @example await run([0.5, 2], { sampler: 'heun', steps: 10 }) // → { nfe: 19, … }
 */
export async function run(spectrum: SpectrumInput | null, options: SamplerRunOptions & { sampler: string }): Promise<SamplerRunResult>;
export async function run(spectrum: SpectrumInput | null, options?: RunOptions): Promise<RunResult>;
export async function run(spectrum: SpectrumInput | null, options?: RunOptions | SamplerRunOptions): Promise<RunResult | SamplerRunResult> {
  await init();
  if (typeof options === 'object' && options !== null && (options as SamplerRunOptions).sampler !== undefined) return runSamplerSyncImpl(spectrum, options as SamplerRunOptions);
  return runSync(spectrum, options as RunOptions);
}

/** See {@link continuousSync}. */
export async function continuous(spectrum: SpectrumInput, options?: ContinuousOptions): Promise<ContinuousResult> {
  await init();
  return continuousSync(spectrum, options);
}

/**
 * Distinct values × steps below which the default is one thread (≈ 0.3 s of work; CIFAR-10's
 * paper grid is 2.7e7 and runs faster on one thread, ADSN's is 5.9e8).
 */
export const WORKER_MIN_WORK = 1e8;

/**
 * See {@link ablationSync}. With `threads` > 1 the passes run in worker threads (default: 2
 * where there are 2 cores and the grid is large, see WORKER_MIN_WORK); the numbers are identical
 * to `ablationSync`'s.
 */
export async function ablation(spectrum: SpectrumInput, options: AblationOptions = {}): Promise<AblationResult> {
  await init();
  checkOptions(options);
  const requested = options.threads === undefined ? undefined : checkPositiveInteger('threads', options.threads);
  const plan = planAblation(spectrum, options);
  // Starting workers costs tens of milliseconds: by default only grids worth it use them.
  const work = plan.spectrum.values.length * plan.tasks.reduce((a, t) => a + t.K, 0);
  const threads = requested ?? (work < WORKER_MIN_WORK ? 1 : defaultThreads());
  if (threads === 1 || !canUseWorkers()) return ablationOfPlan(plan, options.onProgress);
  const total = plan.tasks.reduce((a, t) => a + t.cells, 0);
  let done = 0;
  let sums: Float64Array[];
  const workers = Math.min(threads, plan.tasks.length);
  let callbackFailed = false;
  try {
    sums = await runPlanInWorkers(plan, plan.alpha, workers, (cells) => {
      done += cells;
      try {
        options.onProgress?.(done, total);
      } catch (e) {
        callbackFailed = true;
        throw e;
      }
    });
  } catch (e) {
    // The caller's onProgress threw: that is the caller's error, as on one thread.
    if (callbackFailed) throw e;
    // Workers unavailable here (a sandbox, a CSP, a bundler that did not copy them): the same
    // passes on this thread give the same numbers.
    return ablationOfPlan(plan, options.onProgress);
  }
  return assembleAblation(plan, sums, workers);
}

export { continuousSync, ablationSync, stepsForNfe, resolveSchedule } from './exact/engine.js';
export { runSync } from './exact/run-scheme.js';
export { METRICS, klNormal } from './exact/metrics.js';
export type { Metric, Kl, EigenvalueErrors } from './exact/metrics.js';
export { klGaussian } from './linalg/kl.js';
export { errorBreakdown, BREAKDOWN_STAGES } from './exact/breakdown.js';
export type { ErrorBreakdown, BreakdownStage, BreakdownStageResult } from './exact/breakdown.js';
export type {
  AblationOptions, AblationResult, AblationCell, AblationContinuous, ContinuousOptions,
  ContinuousResult, RunOptions, RunResult, Distance,
} from './exact/engine.js';
export { prepareSpectrum, isSpectrum, NEGATIVE_ROUNDOFF } from './options/spectrum.js';
export type { Spectrum, SpectrumInput } from './options/spectrum.js';
export { DEFAULTS, SCHEMES, PAPER_SCHEMES, EVALUATIONS, KIND, INITS, T_RANGE } from './options/defaults.js';
export type { Scheme, Init, ScheduleOptions } from './options/defaults.js';
export { parseNpy, toNpy, parseJsonArray, parseDelimited, parseNumericFile } from './io/io.js';
export type { NdArray } from './io/io.js';
export type { WasmSource } from './runtime/core.js';
export { configureHost } from './runtime/host.js';
export type { HostOptions } from './runtime/host.js';
export { syntheticSpectrum, SYNTHETIC_LABEL } from './io/examples.js';
export {
  initLinalg, linalgThreads, eigvalsh, eigh, covariance, spectrumFromCovariance, w2Gaussian, continuousErrorMatrix,
  matrixFromFile, DEFAULT_DDOF, SYMMETRY_TOLERANCE, SYMMETRY_TOLERANCE_FLOAT32, defaultPsdTolerance,
} from './linalg/linalg.js';
export type { MatrixInput, VectorInput, ContinuousMatrixOptions } from './linalg/linalg.js';
export { sampleSpectrum } from './linalg/fit.js';
export type { SampleSpectrum, FitMatrix } from './linalg/fit.js';
export { datasetGaussian, datasetSpectrum, loadMnist, DATASETS } from './io/datasets.js';
export type { Dataset, DatasetName, DatasetSpectrum, GaussianFit } from './io/datasets.js';
export { createRng, logFdlibm } from './sampling/random.js';
export type { Rng, Seed } from './sampling/random.js';
export {
  sampleGaussian, sampleGaussianSync, sampleScheme, sampleSchemeSync, denseBasis, resolveModel,
  BASIS_NORM_TOLERANCE, SAMPLE_MAX_VALUES,
} from './sampling/sampling.js';
export type {
  Basis, EigenModel, GaussianModel, ResolvedModel, RandomOptions, SampleGaussianOptions,
  ScoreFunction, SampleSchemeOptions, SampleSchemeResult,
} from './sampling/sampling.js';
export { empiricalW2, frechetDistance, eigenMoments } from './exact/empirical.js';
export type { EigenMoments, EmpiricalW2Options } from './exact/empirical.js';
export { fft2, fft2Sync, FFT_MAX_SIZE } from './texture/fft.js';
export type { Fft2Options } from './texture/fft.js';
export {
  adsnSpectrum, adsnSpectrumSync, adsnSample, adsnSampleSync, sampleTexture, sampleTextureSync,
  textureEmpiricalW2, textureToPng, decodePng, encodePng, TEXTURE_MAX_PIXELS, PNG_MAX_PIXELS, textureEigenModel,
  periodicComponentSync,
} from './texture/texture.js';
export type { AdsnSpectrum, AdsnSampleOptions, TextureSampleOptions, TextureSampleResult, TextureW2, RgbImage, DecodedImage } from './texture/texture.js';

// The general engine: any registry sampler on any registry forward process and grid.
import { runSamplerSync as runSamplerSyncImpl, type SamplerRunOptions, type SamplerRunResult } from './exact/run-sampler.js';
/** See {@link runSamplerSync}. Resolves after the core has started. */
export async function runSampler(spectrum: SpectrumInput | null, options?: SamplerRunOptions): Promise<SamplerRunResult> {
  await init();
  return runSamplerSyncImpl(spectrum, options);
}
export { runSamplerSync, resolveSamplerRun, STARTS } from './exact/run-sampler.js';
export type { SamplerRunOptions, SamplerRunResult, Start } from './exact/run-sampler.js';
export { ALL_SAMPLERS, SCHEMES as SCHEME_REGISTRY, SAMPLERS as SAMPLER_REGISTRY, getSampler } from './samplers/index.js';
export type { SamplerSpec, SchemeId, SamplerId } from './samplers/index.js';
export { PROCESSES, getProcess } from './processes/index.js';
export type { ProcessSpec } from './processes/index.js';
export { SCHEDULERS, getScheduler } from './schedulers/index.js';
export type { SchedulerSpec } from './schedulers/index.js';
export { sigmas, type GridOptions, type Grid } from './schedulers/grid.js';
export type { ParamSpec } from './samplers/params.js';

// The practitioner's ablation: samplers × grid builders × steps (issue 11 item 5).
import { compareSync as compareSyncImpl, planCompare, cellCall, cellResult, cellRunOptions, type CompareOptions, type CompareResult } from './exact/compare.js';
import { runGeneralInWorkers } from './runtime/pool.js';
import { prepareSpectrum } from './options/spectrum.js';
/**
 * See {@link compareSync}: every cell the W2 of `runSampler` with the same options (and its KL
 * and mean error with `metric`, `mean`, `scoreMean`, `scoreSpectrum`, `scoreCov`). Resolves
 * after the core has started.
 * @example (await compare([0.5, 2], { samplers: ['euler', 'heun'], schedulers: ['karras'], steps: [10] })).cells.length // → 2
 */
export async function compare(spectrum: SpectrumInput | null, options: CompareOptions): Promise<CompareResult> {
  const requested = checkOptions(options).threads === undefined ? undefined : checkPositiveInteger('threads', options.threads);
  const plan = planCompare(options);
  // With the metric and score options each cell is a whole runSampler on this thread (its laws,
  // KL, means; scoreCov's dense work in the eigensolver): docs/samplers.md "Comparing samplers".
  if (cellRunOptions(options) !== null) {
    await (options.scoreCov !== undefined || options.cov !== undefined ? init() : initCore());
    return compareSyncImpl(spectrum, options);
  }
  await initCore(); // the engine only: no eigensolver is needed
  const s = prepareSpectrum(spectrum as SpectrumInput);
  // Each cell is one whole run in one worker (cells are independent): same bits on any thread.
  const work = s.values.length * plan.cells.reduce((a, c) => a + (c.run.times.length - 1) * c.run.spec.stateSize, 0);
  const threads = requested ?? (work < WORKER_MIN_WORK ? 1 : defaultThreads());
  if (threads === 1 || !canUseWorkers() || plan.cells.length < 2) return compareSyncImpl(s, options);
  let done = 0;
  let callbackFailed = false;
  let sums: Float64Array[];
  try {
    sums = await runGeneralInWorkers(s.values, s.weights, plan.cells.map((c, index) => ({ index, call: cellCall(c), cost: (c.run.times.length - 1) * c.run.spec.stateSize })), threads, () => {
      try {
        options.onProgress?.(++done, plan.cells.length);
      } catch (e) {
        callbackFailed = true;
        throw e;
      }
    });
  } catch (e) {
    if (callbackFailed) throw e;
    // Workers unavailable here: the same runs on this thread give the same numbers.
    return compareSyncImpl(s, options);
  }
  return { model: plan.model, start: plan.start, metric: plan.metric, params: plan.params, cells: plan.cells.map((c, i) => cellResult(c, sums[i])) };
}
export { compareSync, ownGridStepsParam, OWN_GRID } from './exact/compare.js';
export { planCompare };
export type { CompareOptions, CompareResult, CompareCell } from './exact/compare.js';
import { tuneSync as tuneSyncImpl, type TuneOptions, type TuneResult } from './tune/tune.js';
/** See {@link tuneSync}: the grid minimising the exact metric (docs/tuning.md). Resolves after the core has started. */
export async function tune(spectrum: SpectrumInput, options: TuneOptions): Promise<TuneResult> {
  await init();
  return tuneSyncImpl(spectrum, options);
}
export { tuneSync, gridGradientSync, interpolateGrid, DEFAULT_RESTARTS, COEFFICIENT_STEP, type TuneOptions, type TuneResult, type TunedGrid } from './tune/tune.js';
export { TUNE_METRICS, type TuneMetric } from './tune/metrics.js';
// A score fitted on N samples (docs/MATH-samplers.md §7c).
export { scoreSamplesSync, deltaScoreSamples, chi2Quadrature } from './exact/score-samples.js';
export type { ScoreSamplesOptions, ScoreSamplesResult, MeanSe } from './exact/score-samples.js';
// The run options' names as lists (a plan's `options` axis rejects any other key).
export { SCHEME_RUN_OPTIONS, SAMPLER_RUN_OPTIONS, ERROR_SOURCE_OPTIONS } from './options/run-options.js';
