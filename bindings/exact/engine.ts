/**
 * The exact spectral engine: W2 errors of the continuous α-processes and of the discretised
 * samplers for Gaussian data N(0, Σ), from the eigenvalues of Σ (docs/MATH.md §2–5). All numbers come
 * from the AssemblyScript core; this file validates options, groups work and shapes results.
 */
import { CORE_MAX_ARRAY_BYTES, callWithArrays, coreMaxSteps } from '../runtime/core.js';
import { packParams } from '../samplers/params.js';
import { PROCESSES } from '../processes/index.js';
import { SCHEDULERS } from '../schedulers/index.js';
import {
  DEFAULTS, EVALUATIONS, INITS, KIND, PAPER_SCHEMES, SCHEMES, T_RANGE,
  type Init, type Scheme, type ScheduleOptions,
} from '../options/defaults.js';
import { badValue, checkChoice, checkFinite, checkOptions, checkPositiveInteger, badType } from '../runtime/errors.js';
import { distinctIndex, prepareSpectrum, type Spectrum, type SpectrumInput } from '../options/spectrum.js';
import { eigenvalueErrors, klOfLaws, resolveMetric, type EigenvalueErrors, type Kl, type Metric } from './metrics.js';
import { checkHorizon } from '../options/horizon.js';
import type { ErrorSourceOptions } from '../options/error-sources.js';

/** A distance that is infinite or undefined (a division by a zero eigenvalue, an overflow). */
export type Distance = number | null;

export interface Schedule {
  betaMin: number;
  betaMax: number;
  T: number;
}

export function resolveSchedule(o: ScheduleOptions = {}): Schedule {
  checkOptions(o);
  const betaMin = checkFinite('betaMin', o.betaMin ?? DEFAULTS.betaMin);
  const betaMax = checkFinite('betaMax', o.betaMax ?? DEFAULTS.betaMax);
  const T = checkFinite('T', o.T ?? DEFAULTS.T);
  if (betaMin < 0) throw badValue('betaMin', betaMin, '≥ 0');
  if (betaMax < betaMin) throw badValue('betaMax', betaMax, `≥ betaMin = ${betaMin}`);
  if (T <= 0) throw badValue('T', T, '> 0');
  checkHorizon(T, betaMin, betaMax);
  return { betaMin, betaMax, T };
}

// checkHorizon lives in options/horizon.ts (linalg/ uses it too, without importing this engine).
export { checkHorizon } from '../options/horizon.js';

function resolveEps(value: unknown, T: number, name = 'eps'): number {
  const eps = checkFinite(name, value);
  if (eps < 0 || eps >= T) throw badValue(name, eps, `in [0, T) with T = ${T}`);
  return eps;
}

function resolveAlpha(value: unknown): number {
  const alpha = checkFinite('alpha', value);
  if (alpha < 0) throw badValue('alpha', alpha, '≥ 0 (α = 1: backward SDE, α = 0: probability-flow ODE)');
  return alpha;
}

/** √(sum of squares), or null when the sum is not a finite number. */
function distance(sumOfSquares: number): Distance {
  return Number.isFinite(sumOfSquares) && sumOfSquares >= 0 ? Math.sqrt(sumOfSquares) : null;
}

function schemeId(scheme: Scheme): number {
  return SCHEMES.indexOf(scheme);
}

/**
 * K steps must fit the core: its step table holds K + 1 rows in one allocation (MAX_STEPS,
 * ≈ 6.7e6). Checked before anything is allocated; `name` is the option that gave K.
 */
export function checkSteps(name: string, K: number, value: number = K): number {
  const max = coreMaxSteps();
  if (K > max) {
    const why = "the core's step table of K + 1 rows must fit in one 1 GiB block";
    throw badValue(name, value, K === value ? `at most ${max} (${why})` : `small enough to give at most ${max} steps (it gives K = ${K}; ${why})`);
  }
  return K;
}

/** DDPM needs b = 2hβ_k < 1 at every step (docs/MATH.md §4). */
function checkDdpm(K: number, eps: number, s: Schedule, name: string): void {
  const worst = callWithArrays([scheduleParams(s)], [], (core, [pp]) => core.ddpmMaxB(pp, K, eps)).result;
  if (!(worst < 1)) {
    const minimum = Math.floor(2 * (s.T - eps) * s.betaMax) + 1;
    throw badValue(name, K, `large enough for DDPM's constraint 2·h·β_t < 1 (with ${K} steps the largest 2·h·β_t is ${worst.toPrecision(4)}; use at least ${minimum} steps)`);
  }
}

/**
 * The schedule as the core takes it with every call: the parameters of the forward process 'vp'
 * in its declared order [betaMin, betaMax, T] (bindings/processes/vp.ts, assembly/schedule.ts).
 */
export function scheduleParams(s: Schedule): Float64Array {
  return packParams(PROCESSES.vp.params, { betaMin: s.betaMin, betaMax: s.betaMax, T: s.T });
}

/** DDPM's step constraint on the paper's grid (for exact/run-score.ts). */
export function checkDdpmRun(K: number, eps: number, s: Schedule): void {
  checkDdpm(K, eps, s, 'steps');
}

/**
 * The paper's uniform grid t_k = T − k h, h = (T − ε)/K (bindings/schedulers/uniform.ts) on the VP
 * process with `s`, as the vector samplers (sampling/, texture/) pass it to the core: the packed
 * process parameters, the times and the step sizes; DDPM's constraint checked (`steps`).
 */
export function paperGrid(scheme: Scheme, K: number, eps: number, s: Schedule): { processParams: Float64Array; times: Float64Array; h: Float64Array } {
  if (scheme === 'ddpm') checkDdpm(K, eps, s, 'steps');
  const uniform = SCHEDULERS.uniform;
  return {
    processParams: packParams(PROCESSES.vp.params, { ...s }),
    times: uniform.build(K, { eps }, { ...s }, PROCESSES.vp),
    h: uniform.stepSizes!(K, { eps }, { ...s }),
  };
}

/**
 * The forward marginal p_t as a prepared spectrum (eigenvalues λ_t, docs/MATH.md §1; same weights and
 * order, since λ ↦ λ_t is increasing) and β_t, from the core's schedule. After `await init()`.
 */
export function marginalAt(input: SpectrumInput, options: ScheduleOptions, t: number): { spectrum: Spectrum; beta: number } {
  const spectrum = prepareSpectrum(input);
  const pp = scheduleParams(resolveSchedule(options));
  const map = (x: Float64Array) =>
    callWithArrays([pp, x], [x.length], (core, [p, lam], [out]) => core.marginals(p, lam, x.length, t, out)).outputs[0];
  return {
    spectrum: { ...spectrum, values: map(spectrum.values), eigenvalues: map(spectrum.eigenvalues), clamped: 0 },
    beta: callWithArrays([pp], [], (core, [p]) => core.betaAt(p, t)).result,
  };
}

export interface ContinuousOptions extends ScheduleOptions {
  /** Truncation time ε ∈ [0, T) (default 0). */
  eps?: number;
  /** α ≥ 0: 1 = backward SDE (default), 0 = probability-flow ODE. */
  alpha?: number;
  /** Start: 'N0' = N(0, I) (default) or 'pT' = the exact p_T. */
  init?: Init;
  /**
   * 'w2' (default), 'kl' or 'both': with kl/both the result also has `kl` (KL(process ‖ data) and
   * KL(data ‖ process), nats; null when infinite or undefined), as `run` (docs/metrics.md §2).
   */
  metric?: Metric;
  /** Each eigen-direction's output variance and error, as `run`'s (docs/metrics.md §3). */
  perEigenvalue?: boolean;
}

export interface ContinuousResult {
  alpha: number;
  eps: number;
  init: Init;
  /** W2(law of the exact α-process at ε, N(0, Σ)): truncation (+ initialization) error. */
  w2: Distance;
  /** With metric 'kl' or 'both': KL(process ‖ data) and KL(data ‖ process), nats (null: infinite or undefined). */
  kl?: Kl;
  /** With `perEigenvalue`: each eigen-direction's error (docs/metrics.md §3). */
  perEigenvalue?: EigenvalueErrors;
}

/**
 * The error of the exact continuous α-process (docs/MATH.md §2), stopped at ε, against the data;
 * with `metric: 'kl' | 'both'` also its KL in both directions, with `perEigenvalue` each
 * direction's share (docs/metrics.md §2–3; the laws are centred and diagonal in the data's basis).
 * @example await continuous([0, 1, 4], { eps: 0, alpha: 1, init: 'pT' }) // → { w2: 0, … }
 * @example await continuous([1, 4], { eps: 1e-3, metric: 'both' }) // → { w2, kl: { forward, reverse }, … }
 */
export function continuousSync(input: SpectrumInput, options: ContinuousOptions = {}): ContinuousResult {
  const spectrum = prepareSpectrum(input);
  checkOptions(options);
  const schedule = resolveSchedule(options);
  const eps = resolveEps(options.eps ?? DEFAULTS.eps, schedule.T);
  const alpha = resolveAlpha(options.alpha ?? DEFAULTS.alpha);
  const init = checkChoice('init', options.init ?? DEFAULTS.init, INITS);
  const metric = resolveMetric(options.metric);
  if (options.perEigenvalue !== undefined && typeof options.perEigenvalue !== 'boolean') throw badType('perEigenvalue', options.perEigenvalue, 'a boolean');
  const both = continuousBoth(spectrum, schedule, eps, alpha);
  const result: ContinuousResult = { alpha, eps, init, w2: both[init] };
  if (metric === 'w2' && options.perEigenvalue !== true) return result;
  // The per-direction laws (docs/metrics.md §2–3): centred, variance v_i(ε) from the core.
  const laws = { lambda: spectrum.eigenvalues, variance: continuousVariances(spectrum, schedule, eps, alpha, init), meanError: null };
  if (metric !== 'w2') result.kl = klOfLaws(laws).kl;
  if (options.perEigenvalue === true) result.perEigenvalue = eigenvalueErrors(laws, metric);
  return result;
}

/**
 * The output variance v_i(ε) of the α-process per input eigenvalue (input order), from the core's
 * `continuousVariances` on the distinct values (docs/MATH.md §2).
 */
function continuousVariances(spectrum: Spectrum, schedule: Schedule, eps: number, alpha: number, init: Init): Float64Array {
  const n = spectrum.distinct;
  const { outputs } = callWithArrays([scheduleParams(schedule), spectrum.values], [n], (core, [pp, lam], [out]) =>
    core.continuousVariances(pp, lam, n, eps, alpha, init === 'pT' ? 1 : 0, out),
  );
  const index = distinctIndex(spectrum);
  return Float64Array.from(index, (j) => outputs[0][j]);
}

function continuousBoth(spectrum: Spectrum, schedule: Schedule, eps: number, alpha: number): Record<Init, Distance> {
  const { outputs } = callWithArrays([scheduleParams(schedule), spectrum.values, spectrum.weights], [2], (core, [pp, lam, w], [out]) =>
    core.continuousW2sq(pp, lam, w, spectrum.values.length, eps, alpha, out),
  );
  return { pT: distance(outputs[0][0]), N0: distance(outputs[0][1]) };
}

export interface RunOptions extends ScheduleOptions, ErrorSourceOptions {
  /** Scheme (default 'em'). */
  scheme?: Scheme;
  /** Number of steps K ≥ 1 (default 1000). */
  steps?: number;
  /** Truncation time ε ∈ [0, T) (default 0). */
  eps?: number;
  /** Start: 'N0' = N(0, I) (default) or 'pT'. */
  init?: Init;
  /** α of the 'em-alpha' scheme (default 1). */
  alpha?: number;
  /** Also return the per-eigenvalue final variances (default false). */
  variances?: boolean;
}

export interface RunResult {
  scheme: Scheme;
  steps: number;
  /** Score evaluations: steps × evaluations per step. */
  nfe: number;
  eps: number;
  init: Init;
  alpha?: number;
  /** W2(N(0, V_K), N(0, Σ)): the final error against the data. */
  w2: Distance;
  /** Grid times t_0 = T > … > t_K = ε. */
  times: number[];
  /** trajectory[k] = W2(N(0, V_k), p_{t_k}). */
  trajectory: Distance[];
  /** With `variances: true`: v_K for each eigenvalue, in the input order. */
  variances?: Float64Array;
  /** With a mean or score mean: |output mean − data mean| (W2² = meanError² + covariance part). */
  meanError?: number | null;
  /** With metric 'kl' or 'both': KL(sampler ‖ data), KL(data ‖ sampler) (docs/metrics.md §2). */
  kl?: Kl;
  /** With `perEigenvalue`: each eigen-direction's error (docs/metrics.md §3). */
  perEigenvalue?: EigenvalueErrors;
}

/**
 * Run one scheme for K steps from T to ε (docs/MATH.md §4) and measure its error along the way.
 * @example (await run(spectrum, { scheme: 'em', steps: 999 })).w2 // CIFAR-10: ≈ 0.16
 */
/** The validated options of one scheme run (shared by `run` and the samplers). */
export interface SchemeRun {
  schedule: Schedule;
  scheme: Scheme;
  K: number;
  eps: number;
  init: Init;
  alpha: number;
}

/** Validate and default the options of one scheme run: schedule, scheme, steps, eps, init, alpha. */
export function resolveSchemeRun(options: ScheduleOptions & { scheme?: unknown; steps?: unknown; eps?: unknown; init?: unknown; alpha?: unknown }): SchemeRun {
  checkOptions(options);
  const schedule = resolveSchedule(options);
  return {
    schedule,
    scheme: checkChoice('scheme', options.scheme ?? DEFAULTS.scheme, SCHEMES),
    K: checkSteps('steps', checkPositiveInteger('steps', options.steps ?? DEFAULTS.steps)),
    eps: resolveEps(options.eps ?? DEFAULTS.eps, schedule.T),
    init: checkChoice('init', options.init ?? DEFAULTS.init, INITS),
    alpha: resolveAlpha(options.alpha ?? DEFAULTS.alpha),
  };
}

export function runSync(input: SpectrumInput | null, options: RunOptions = {}): RunResult {
  checkOptions(options);
  // A wrong score runs on the general engine (exact/run-score.ts; kept out of this module so that
  // the grid workers, which import it, do not pull in the linear-algebra module).
  if (options.scoreSpectrum !== undefined || options.scoreCov !== undefined || options.cov !== undefined) {
    if (!runScoreHook) throw new Error('gaussdiff: runSync with a score option needs the full API (import from gaussdiff)');
    return runScoreHook(input, options);
  }
  const spectrum = prepareSpectrum(input as SpectrumInput);
  const { schedule, scheme, K, eps, init, alpha } = resolveSchemeRun(options);
  if (scheme === 'ddpm') checkDdpm(K, eps, schedule, 'steps');
  const n = spectrum.values.length;
  const trajBytes = 16 * (K + 1) * chunkCount(n);
  if (trajBytes > CORE_MAX_ARRAY_BYTES) {
    throw badValue('steps', K, `at most ${Math.floor(CORE_MAX_ARRAY_BYTES / (16 * chunkCount(n))) - 1} for ${spectrum.distinct} distinct eigenvalues (the trajectory keeps 2·(K + 1) sums per chunk of ${CHUNK} eigenvalues in one block of the core's memory)`);
  }
  const id = schemeId(scheme);
  const wantV = options.variances === true;
  const { sums, traj, v } = evolveChunked(schedule, spectrum.values, spectrum.weights, K, eps, alpha, 1 << id, id, true, wantV);
  const times = callWithArrays([], [K + 1], (core, _, [t]) => core.gridTimes(schedule.T, K, eps, t)).outputs[0];
  const start = init === 'pT' ? 0 : 1;
  const result: RunResult = {
    scheme,
    steps: K,
    nfe: K * EVALUATIONS[scheme],
    eps,
    init,
    ...(scheme === 'em-alpha' ? { alpha } : {}),
    w2: distance(sums[2 * id + start]),
    times: Array.from(times),
    trajectory: Array.from(traj.subarray(start * (K + 1), (start + 1) * (K + 1)), distance),
  };
  if (wantV) result.variances = expand(spectrum, v.subarray(start * n, (start + 1) * n));
  return result;
}

/** The wrong-score route of runSync, installed by exact/run-score.ts (imported by the API). */
let runScoreHook: ((input: SpectrumInput | null, options: RunOptions) => RunResult) | null = null;

/** Install runSync's wrong-score route (exact/run-score.ts). */
export function setRunScoreHook(hook: (input: SpectrumInput | null, options: RunOptions) => RunResult): void {
  runScoreHook = hook;
}

/** Per distinct value → per input eigenvalue (input order). */
function expand(spectrum: Spectrum, perDistinct: Float64Array): Float64Array {
  const idx = distinctIndex(spectrum);
  const out = new Float64Array(spectrum.dim);
  for (let i = 0; i < spectrum.dim; i++) out[i] = perDistinct[idx[i]];
  return out;
}

export interface AblationOptions extends ScheduleOptions {
  /** Schemes (rows), default the paper's six. */
  schemes?: readonly Scheme[];
  /** NFE columns, default 50, 250, 500, 1000. */
  nfe?: readonly number[];
  /** Truncation times, default 0, 1e-5, 1e-4, 1e-3. */
  eps?: readonly number[];
  /**
   * The published tables' conventions (docs/MATH.md §5): K = NFE − 1 for every scheme but RK4
   * (K = ⌊NFE/4⌋ − 1, the authors' integer division), so Heun spends ≈ 2·NFE evaluations. Default false: an honest budget,
   * K = ⌊NFE / evaluations per step⌋.
   */
  paper?: boolean;
  /** α of 'em-alpha' rows (default 1). */
  alpha?: number;
  /** Called as passes finish with (done, total) counts of scheme × ε × NFE cells. */
  onProgress?: (done: number, total: number) => void;
  /** Worker threads for `ablation()` (default: up to 2, the cores available). 1 = this thread. */
  threads?: number;
  /**
   * 'w2' (default) or 'kl' / 'both': every cell also gets `kl` (KL(sampler ‖ data),
   * KL(data ‖ sampler), docs/metrics.md §2), from its per-eigenvalue variances (one more run per
   * cell on this thread). The continuous columns have no KL.
   */
  metric?: Metric;
}

export interface AblationCell {
  scheme: Scheme;
  eps: number;
  nfe: number;
  steps: number;
  init: Init;
  w2: Distance;
  /** With `metric: 'kl' | 'both'`: the KL divergences of the cell (docs/metrics.md §2). */
  kl?: Kl;
}

export interface AblationContinuous {
  scheme: 'sde' | 'ode';
  eps: number;
  init: Init;
  w2: Distance;
  /** With `metric: 'kl' | 'both'`: the KL divergences of the continuous process, as `continuous` gives them. */
  kl?: Kl;
}

export interface AblationResult {
  cells: AblationCell[];
  continuous: AblationContinuous[];
  paper: boolean;
  /** Threads that computed the passes (1: the calling thread). The numbers do not depend on it. */
  threads: number;
}

/** Steps for a column NFE = n (docs/MATH.md §5). */
export function stepsForNfe(scheme: Scheme, nfe: number, paper: boolean): number {
  const e = EVALUATIONS[checkChoice('scheme', scheme, SCHEMES)];
  checkPositiveInteger('nfe', nfe);
  if (typeof paper !== 'boolean') throw badType('paper', paper, 'a boolean');
  return paper ? (e === 4 ? Math.floor(nfe / 4) - 1 : nfe - 1) : Math.floor(nfe / e);
}

/** One pass of the core: every scheme in `mask` on the grid of K steps from T to ε. */
export interface GridTask {
  K: number;
  eps: number;
  mask: number;
  /** Number of table cells (scheme × NFE) this pass fills, for progress. */
  cells: number;
}

/** A validated ablation, split into passes of the core. */
export interface AblationPlan {
  spectrum: Spectrum;
  schedule: Schedule;
  paper: boolean;
  alpha: number;
  schemes: Scheme[];
  nfes: number[];
  epss: number[];
  tasks: GridTask[];
  /** The metric of the cells ('w2': W2 only). */
  metric: Metric;
}

/** Validate the options and group the cells by grid (K, ε): one pass of the core per group. */
export function planAblation(input: SpectrumInput, options: AblationOptions = {}): AblationPlan {
  const spectrum = prepareSpectrum(input);
  checkOptions(options);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw badType('onProgress', options.onProgress, 'a function (done, total)');
  }
  const schedule = resolveSchedule(options);
  const paper = options.paper === true;
  const alpha = resolveAlpha(options.alpha ?? DEFAULTS.alpha);
  const schemes = listOf('schemes', options.schemes ?? PAPER_SCHEMES).map((s, i) => checkChoice(`schemes[${i}]`, s, SCHEMES));
  const nfes = listOf('nfe', options.nfe ?? DEFAULTS.ablationNfe).map((x, i) => checkPositiveInteger(`nfe[${i}]`, x));
  const epss = listOf('eps', options.eps ?? DEFAULTS.ablationEps).map((x, i) => resolveEps(x, schedule.T, `eps[${i}]`));
  distinct('schemes', schemes);
  distinct('nfe', nfes);
  distinct('eps', epss);
  const groups = new Map<string, GridTask>();
  for (const eps of epss) {
    for (const nfe of nfes) {
      for (const scheme of schemes) {
        const K = stepsForNfe(scheme, nfe, paper);
        if (!Number.isInteger(K) || K < 1) {
          throw badValue('nfe', nfe, `large enough to give ${scheme} at least one whole step (${paper ? 'paper mode: K = ⌊NFE/4⌋ − 1 for rk4, NFE − 1 otherwise' : `K = NFE / ${EVALUATIONS[scheme]}`})`);
        }
        checkSteps(`nfe[${nfes.indexOf(nfe)}]`, K, nfe);
        if (scheme === 'ddpm') checkDdpm(K, eps, schedule, `nfe (${nfe}) steps`);
        const key = gridKey(K, eps);
        const g = groups.get(key) ?? { K, eps, mask: 0, cells: 0 };
        if ((g.mask & (1 << schemeId(scheme))) === 0) g.cells++;
        g.mask |= 1 << schemeId(scheme);
        groups.set(key, g);
      }
    }
  }
  const metric = resolveMetric(options.metric);
  return { spectrum, schedule, paper, alpha, schemes: [...schemes], nfes: [...nfes], epss: [...epss], tasks: [...groups.values()], metric };
}

function gridKey(K: number, eps: number): string {
  return `${K}|${eps}`;
}

/**
 * Run one pass of the core (used on the main thread and in worker threads alike, so a cell's
 * number does not depend on where it was computed). Returns the 2·7 sums of squares.
 */
export function evolveGrid(values: Float64Array, weights: Float64Array, schedule: Schedule, alpha: number, task: GridTask): Float64Array {
  return evolveChunked(schedule, values, weights, task.K, task.eps, alpha, task.mask, 0, false, false).sums;
}

/** How many chunks of the core's calls a spectrum of n (padded) distinct values makes. */
export function chunkCount(n: number): number {
  return Math.max(1, Math.ceil(n / CHUNK));
}

/**
 * Chunk c of a pass alone (for worker threads): the same call of the core on the same values as
 * in `evolveGrid`, so adding the chunks' sums in chunk order gives `evolveGrid`'s numbers exactly.
 */
export function evolveGridChunk(
  values: Float64Array, weights: Float64Array, schedule: Schedule, alpha: number, task: GridTask, c: number,
): Float64Array {
  const lo = c * CHUNK;
  const hi = Math.min(values.length, lo + CHUNK);
  return evolveGrid(values.subarray(lo, hi), weights.subarray(lo, hi), schedule, alpha, task);
}

/** Sum per-chunk sums in chunk order (as `evolveChunked` does). */
export function addChunks(parts: Float64Array[]): Float64Array {
  const sums = new Float64Array(parts[0].length);
  for (const p of parts) for (let j = 0; j < sums.length; j++) sums[j] += p[j];
  return sums;
}

/**
 * Distinct eigenvalues per call of the core. WebAssembly has no on-stack replacement: a call that
 * starts in the engine's baseline code stays there, so one long call over a large spectrum would
 * never run optimised. Chunks let the engine tier the kernel up after the first calls. The size is
 * fixed (even, and independent of threads), so partial sums are always added in the same order.
 */
const CHUNK = 4096;


/**
 * The core's `evolve` over the spectrum in chunks: the sums of squares (2 per scheme), and for
 * scheme `one` optionally the trajectory sums (2·(K+1)) and the final variances ([start][i]).
 */
function evolveChunked(
  schedule: Schedule, values: Float64Array, weights: Float64Array, K: number, eps: number, alpha: number, mask: number,
  one: number, wantTraj: boolean, wantV: boolean,
): { sums: Float64Array; traj: Float64Array; v: Float64Array } {
  const n = values.length;
  const chunks = Math.max(1, Math.ceil(n / CHUNK));
  const S = 2 * SCHEMES.length;
  const T = 2 * (K + 1);
  const { outputs } = callWithArrays(
    [scheduleParams(schedule), values, weights],
    [S * chunks, wantTraj ? T * chunks : 0, wantV ? 2 * n : 0],
    (core, [pp, lam, w], [out, traj, vOut]) => {
      for (let c = 0; c < chunks; c++) {
        const lo = c * CHUNK;
        const len = Math.min(CHUNK, n - lo);
        const [l, wc, o] = [lam + 8 * lo, w + 8 * lo, out + 8 * S * c];
        // The core's specialised copies (constant masks) when only the final sums are wanted.
        if (wantTraj || wantV) core.evolve(pp, l, wc, len, K, eps, alpha, mask, o, wantTraj ? traj + 8 * T * c : 0, wantV ? vOut + 16 * lo : 0, one);
        else if (mask === core.PAPER_GROUP.value) core.evolvePaperGroup(pp, l, wc, len, K, eps, alpha, o);
        else if ((mask & (mask - 1)) === 0) core.evolveOne(pp, l, wc, len, K, eps, alpha, Math.log2(mask), o);
        else core.evolve(pp, l, wc, len, K, eps, alpha, mask, o, 0, 0, 0);
      }
    },
  );
  const [outC, trajC, vC] = outputs;
  const sums = new Float64Array(S);
  const traj = new Float64Array(wantTraj ? T : 0);
  for (let c = 0; c < chunks; c++) {
    for (let j = 0; j < S; j++) sums[j] += outC[c * S + j];
    for (let j = 0; j < traj.length; j++) traj[j] += trajC[c * T + j];
  }
  // Per chunk the core wrote [start p_T: len values][start N(0, I): len values].
  const v = new Float64Array(wantV ? 2 * n : 0);
  if (wantV) {
    for (let lo = 0; lo < n; lo += CHUNK) {
      const len = Math.min(CHUNK, n - lo);
      v.set(vC.subarray(2 * lo, 2 * lo + len), lo);
      v.set(vC.subarray(2 * lo + len, 2 * lo + 2 * len), n + lo);
    }
  }
  return { sums, traj, v };
}

/** The table from the passes' sums (`sums[i]` belongs to `plan.tasks[i]`) and the continuous columns. */
export function assembleAblation(plan: AblationPlan, sums: Float64Array[], threads = 1): AblationResult {
  const byGrid = new Map(plan.tasks.map((t, i) => [gridKey(t.K, t.eps), sums[i]]));
  const cells: AblationCell[] = [];
  for (const scheme of plan.schemes) {
    for (const eps of plan.epss) {
      for (const nfe of plan.nfes) {
        const K = stepsForNfe(scheme, nfe, plan.paper);
        const s = byGrid.get(gridKey(K, eps))!;
        INITS.forEach((init, start) => {
          const cell: AblationCell = { scheme, eps, nfe, steps: K, init, w2: distance(s[2 * schemeId(scheme) + start]) };
          if (plan.metric !== 'w2') {
            // The cell's per-eigenvalue variances (the same pass as its W2, variances kept).
            const r = runSync(plan.spectrum, { ...plan.schedule, scheme, steps: K, eps, init, alpha: plan.alpha, variances: true });
            cell.kl = klOfLaws({ lambda: plan.spectrum.eigenvalues, variance: r.variances!, meanError: null }).kl;
          }
          cells.push(cell);
        });
      }
    }
  }
  const continuous: AblationContinuous[] = [];
  const kinds = (['sde', 'ode'] as const).filter((k) => plan.schemes.some((s) => KIND[s] === k));
  for (const kind of kinds) {
    for (const eps of plan.epss) {
      const both = continuousBoth(plan.spectrum, plan.schedule, eps, kind === 'sde' ? 1 : 0);
      for (const init of INITS) {
        const column: AblationContinuous = { scheme: kind, eps, init, w2: both[init] };
        if (plan.metric !== 'w2') {
          const variance = continuousVariances(plan.spectrum, plan.schedule, eps, kind === 'sde' ? 1 : 0, init);
          column.kl = klOfLaws({ lambda: plan.spectrum.eigenvalues, variance, meanError: null }).kl;
        }
        continuous.push(column);
      }
    }
  }
  return { cells, continuous, paper: plan.paper, threads };
}

/**
 * The ablation table of the paper (Tables 1, 5, 6): rows scheme × ε, columns the continuous
 * process and each NFE, each with the starts p_T and N(0, I). Schemes sharing a grid are run
 * in one pass over the eigenvalues. On the calling thread; `ablation()` may use worker threads.
 */
export function ablationSync(input: SpectrumInput, options: AblationOptions = {}): AblationResult {
  return ablationOfPlan(planAblation(input, options), options.onProgress);
}

/** A validated plan's table on the calling thread (`ablationSync`, and `ablation` on one thread). */
export function ablationOfPlan(plan: AblationPlan, onProgress?: (done: number, total: number) => void): AblationResult {
  const total = plan.tasks.reduce((a, t) => a + t.cells, 0);
  let done = 0;
  const sums = plan.tasks.map((task) => {
    const s = evolveGrid(plan.spectrum.values, plan.spectrum.weights, plan.schedule, plan.alpha, task);
    done += task.cells;
    onProgress?.(done, total);
    return s;
  });
  return assembleAblation(plan, sums);
}

/** A repeated row or column value would repeat its cells: an error naming both places. */
function distinct(name: string, list: readonly unknown[]): void {
  list.forEach((x, i) => {
    const first = list.indexOf(x); // -0 and 0 are the same ε
    if (first < i) throw badValue(`${name}[${i}]`, x, `different from ${name}[${first}] (each value once)`);
  });
}

function listOf<T>(name: string, value: readonly T[] | unknown): readonly T[] {
  if (!Array.isArray(value)) throw badType(name, value, 'an array');
  if (value.length === 0) throw badValue(`${name}.length`, 0, 'at least 1');
  return value as readonly T[];
}
