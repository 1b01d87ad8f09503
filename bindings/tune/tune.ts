/**
 * The grid tuner (docs/tuning.md): the step grid of N steps minimising the exact metric of a
 * sampler's output law on Gaussian data, by L-BFGS (./lbfgs.ts) on a monotone parametrisation of
 * the grid, with the gradient by reverse-mode differentiation of the exact recursion
 * (assembly/kernels/gradient.ts), restarted from named grid builders. The value claimed for the
 * tuned grid is the one `runSampler` gives for it (the same function the CLI's `run --sigmas` calls).
 */
import { badType, badValue, checkChoice, checkOptions, checkPositiveInteger } from '../runtime/errors.js';
import { prepareSpectrum, type Spectrum, type SpectrumInput } from '../options/spectrum.js';
import { getSampler, type SamplerSpec } from '../samplers/index.js';
import { packParams, resolveParams, type AnyParamValues, type ParamValues } from '../samplers/params.js';
import { getProcess, type ProcessSpec } from '../processes/index.js';
import { getScheduler } from '../schedulers/index.js';
import { resolveSchedulerParams } from '../schedulers/grid.js';
import { loglinearInterp } from '../schedulers/align_your_steps.js';
import { generalRunRaw, gridGradientRaw } from '../exact/core-general.js';
import { runSamplerSync, MAX_SAMPLER_STEPS, STARTS, type Start } from '../exact/run-sampler.js';
import { lbfgs } from './lbfgs.js';
import { TUNE_METRICS, type TuneMetric } from './metrics.js';
import type { Kl } from '../exact/metrics.js';
import * as dm from '../runtime/detmath.js';

/** Step in log σ of the central differences of the coefficients (docs/tuning.md §2). */
export const COEFFICIENT_STEP = 1e-5;

/**
 * Smallest share of the log-σ range a gap gets when a named grid is taken as a start (a grid that
 * ends exactly at σ_min has no room below its last level; the parametrisation needs a positive gap).
 */
const MIN_SHARE = 0.1;

/** L-BFGS iterations every start gets before the best one continues (docs/tuning.md §3). */
export const SCREEN_ITERATIONS = 40;

/** Grid builders the tuner starts from, by the unit of the model's grids (docs/tuning.md §3). */
export const DEFAULT_RESTARTS = {
  sigma: ['karras', 'exponential', 'kl_optimal'],
  t: ['time_uniform', 'logSNR', 'time_quadratic'],
} as const;

export interface TuneOptions {
  /** A library sampler (`--sampler`), e.g. 'dpmpp_2m' … */
  sampler?: string;
  /** … or one of the paper's schemes (em, ei, euler, heun, …; on VP time grids): exactly one of the two. */
  scheme?: string;
  /** Steps N, or several (each tuned; the smaller ones' results seed the larger). */
  steps: number | readonly number[];
  /** Forward process (the CLI's `--model`; default the sampler's first). */
  model?: string;
  modelParams?: Record<string, number>;
  /** The sampler's parameters (its source's keyword names). */
  params?: Record<string, number | string | boolean>;
  /** 'prior' (= 'conventional', default) or 'exact' (docs/MATH-samplers.md §6). */
  start?: Start;
  /**
   * The objective (TUNE_METRICS): 'w2' (default), 'kl' = KL(sampler ‖ data), 'kl-reverse' =
   * KL(data ‖ sampler) (docs/tuning.md §1). Whichever is minimised, each grid reports both.
   */
  metric?: string;
  /** σ grids: the range of the free levels (default the model's σ range, edm 0.002 … 80). */
  sigmaMin?: number;
  sigmaMax?: number;
  /** Grid builders to start from (default DEFAULT_RESTARTS of the model's grid unit). */
  restarts?: readonly string[];
  /** L-BFGS iterations per start (default 200). */
  maxIterations?: number;
  /** Further step counts whose grids come from the tuned ones by log-linear interpolation (docs/tuning.md §4). */
  interpolate?: readonly number[];
}

export interface TunedGrid {
  steps: number;
  nfe: number;
  /** The grid: σ's ending at 0 (σ-grid models) or times ending at t_end (`unit`). */
  grid: number[];
  /** The minimised metric of `runSampler` on this grid (exactly what `run --sigmas … --metric kl` prints). */
  value: number | null;
  /** This grid's W2 and KL in both directions, whichever metric was minimised (runSampler's, metric 'both'). */
  w2: number | null;
  kl: Kl;
  /** The same metric for each named builder's own grid (null when infinite or not buildable). */
  baselines: Record<string, number | null>;
  /** Where the winning search started: a builder id, or 'interpolated' (from a tuned grid). */
  from: string;
  iterations: number;
  evaluations: number;
}

export interface TuneResult {
  sampler: string;
  model: string;
  params: AnyParamValues;
  start: Start;
  metric: string;
  /** 'sigma': grids are σ's ending at 0; 't': diffusion times ending at t_end. */
  unit: 'sigma' | 't';
  /** The range the free levels live in: [σ_min, σ_max], or the time range's σ's. */
  sigmaRange: [number, number];
  tuned: TunedGrid[];
  /** Grids for `interpolate` step counts (value and baselines as for tuned ones; iterations 0). */
  interpolated: TunedGrid[];
}

/** Everything fixed during a tuning run. */
interface Context {
  spectrum: Spectrum;
  spec: SamplerSpec;
  process: ProcessSpec;
  processParams: ParamValues;
  params: AnyParamValues;
  packedParams: Float64Array;
  packedProcess: Float64Array;
  start: Start;
  metric: TuneMetric;
  unit: 'sigma' | 't';
  /** First and last grid values (t_0 and t_N: σ_max and 0, or t_start and t_end). */
  first: number;
  last: number;
  /** log σ of the first level and the floor of the free levels. */
  uMax: number;
  uMin: number;
}

/** The grid value (time or σ) of log-level u. */
function timeOf(ctx: Context, u: number): number {
  return ctx.process.time(dm.exp(u), ctx.processParams);
}

/** log σ of grid value t. */
function levelOf(ctx: Context, t: number): number {
  return dm.log(ctx.process.sigma(t, ctx.processParams));
}

/**
 * The monotone parametrisation (docs/tuning.md §3): N logits z, shares p = softmax(z), free
 * log-levels u_k = u_max − R Σ_{j<k} p_j (k = 1 … N − 1, R = u_max − u_min): decreasing, between
 * the fixed ends. On σ grids the last share is the slack between σ_{N−1} and σ_min (t_N = 0); on
 * time grids the shares fill the range exactly (t_N = t_end).
 */
function gridOf(ctx: Context, z: Float64Array): { times: Float64Array; u: Float64Array; p: Float64Array } {
  const N = z.length;
  let zmax = -Infinity;
  for (const x of z) zmax = Math.max(zmax, x);
  const p = new Float64Array(N);
  let sum = 0;
  for (let j = 0; j < N; j++) sum += (p[j] = dm.exp(z[j] - zmax));
  for (let j = 0; j < N; j++) p[j] /= sum;
  const R = ctx.uMax - ctx.uMin;
  const u = new Float64Array(N + 1);
  const times = new Float64Array(N + 1);
  u[0] = ctx.uMax;
  times[0] = ctx.first;
  let c = 0;
  for (let k = 1; k < N; k++) {
    c += p[k - 1];
    u[k] = ctx.uMax - R * c;
    times[k] = timeOf(ctx, u[k]);
  }
  u[N] = ctx.unit === 'sigma' ? -Infinity : ctx.uMin;
  times[N] = ctx.last;
  return { times, u, p };
}

/** The logits of a grid (clamped into the range; every share at least MIN_SHARE/N). */
function logitsOf(ctx: Context, times: Float64Array): Float64Array {
  const N = times.length - 1;
  const R = ctx.uMax - ctx.uMin;
  const u = new Float64Array(N + 1);
  u[0] = ctx.uMax;
  for (let k = 1; k < N; k++) u[k] = Math.min(ctx.uMax, Math.max(ctx.uMin, levelOf(ctx, times[k])));
  u[N] = ctx.uMin;
  const p = new Float64Array(N);
  let sum = 0;
  for (let j = 0; j < N; j++) sum += (p[j] = Math.max((u[j] - u[j + 1]) / R, MIN_SHARE / N));
  return p.map((x) => dm.log(x / sum));
}

/** J and, with `wantGrad`, ∂J/∂u_k at the free levels (k = 1 … N − 1; 0 elsewhere). */
function evaluate(ctx: Context, times: Float64Array, u: Float64Array, wantGrad: boolean): { J: number; gu: Float64Array | null } {
  try {
    ctx.spec.checkGrid?.(times, null, ctx.packedProcess, 'times');
  } catch {
    return { J: Infinity, gu: null };
  }
  const { values, weights } = ctx.spectrum;
  const n = values.length;
  const raw = generalRunRaw({
    coreId: ctx.spec.coreId, params: ctx.packedParams, processId: ctx.process.coreId, processParams: ctx.packedProcess,
    times, h: null, values, weights, meanSq: null, wantTraj: false, wantV: true, wantMean: false,
  });
  const s = ctx.start === 'exact' ? 0 : 1;
  const v = raw.v.subarray(s * n, (s + 1) * n);
  const seeds = wantGrad ? new Float64Array(n) : null;
  const J = ctx.metric.sum(v, values, weights, seeds);
  if (!wantGrad || !Number.isFinite(J)) return { J, gu: null };
  // Pairs of grids with one free level moved by ±δ_k in log σ (δ_k at most a quarter of its gaps).
  const N = times.length - 1;
  const K1 = N + 1;
  const pert = new Float64Array(2 * (N - 1) * K1);
  const delta = new Float64Array(N + 1);
  for (let k = 1; k < N; k++) {
    const d = Math.min(COEFFICIENT_STEP, 0.25 * (u[k - 1] - u[k]), 0.25 * (u[k] - u[k + 1]));
    delta[k] = d;
    const plus = pert.subarray(2 * (k - 1) * K1, (2 * k - 1) * K1);
    const minus = pert.subarray((2 * k - 1) * K1, 2 * k * K1);
    plus.set(times);
    minus.set(times);
    plus[k] = timeOf(ctx, u[k] + d);
    minus[k] = timeOf(ctx, u[k] - d);
  }
  const gu = new Float64Array(N + 1);
  if (N > 1) {
    const r = gridGradientRaw({
      coreId: ctx.spec.coreId, params: ctx.packedParams, processId: ctx.process.coreId, processParams: ctx.packedProcess,
      times, values, vbar: seeds!, start: s === 0 ? 0 : 1, perturbed: pert,
    });
    for (let k = 1; k < N; k++) gu[k] = r[k - 1] / (2 * delta[k]);
  }
  return { J, gu };
}

/** f(z) = log J(grid(z)) and its gradient (softmax and cumulative sums by the chain rule). */
function objective(ctx: Context): (z: Float64Array, g: Float64Array | null) => number {
  return (z, g) => {
    const { times, u, p } = gridOf(ctx, z);
    const { J, gu } = evaluate(ctx, times, u, g !== null);
    if (!(J > 0) || !Number.isFinite(J)) return J === 0 ? -Infinity : Infinity;
    if (g) {
      const N = z.length;
      const R = ctx.uMax - ctx.uMin;
      // ∂f/∂p_j = −R Σ_{k>j} ∂f/∂u_k (k ≤ N − 1); then the softmax Jacobian.
      const dp = new Float64Array(N);
      let tail = 0;
      for (let j = N - 1; j >= 0; j--) {
        dp[j] = -R * tail;
        if (j >= 1) tail += gu![j] / J;
      }
      let mean = 0;
      for (let j = 0; j < N; j++) mean += p[j] * dp[j];
      for (let j = 0; j < N; j++) g[j] = p[j] * (dp[j] - mean);
    }
    return dm.log(J);
  };
}

/** Validate the options once. */
function context(input: SpectrumInput, options: TuneOptions): Context {
  if ((options.sampler === undefined) === (options.scheme === undefined)) throw badValue('sampler/scheme', options.sampler ?? options.scheme, 'exactly one of sampler and scheme');
  const spec = options.scheme !== undefined ? getSampler('scheme', options.scheme, 'scheme') : getSampler('sampler', options.sampler, 'sampler');
  if (spec.ownGrid) throw badValue('sampler', spec.id, 'a sampler that runs on a given grid (this one builds its own from its parameters)');
  const process = getProcess(options.model ?? spec.processes[0], 'model');
  if (!spec.processes.includes(process.id)) throw badValue('model', process.id, `one of ${spec.processes.join(', ')} for ${spec.id}`);
  const processParams = resolveParams('modelParams', process.params, options.modelParams);
  process.check?.(processParams, 'modelParams');
  const params = resolveParams<AnyParamValues>('params', spec.params, options.params);
  const start = checkChoice('start', options.start ?? 'prior', STARTS);
  const metricId = options.metric ?? 'w2';
  if (typeof metricId !== 'string' || !Object.hasOwn(TUNE_METRICS, metricId)) {
    throw badValue('metric', metricId, `one of ${Object.keys(TUNE_METRICS).join(', ')} (the tuner's metrics in this version)`);
  }
  const unit = process.gridUnit;
  let first: number, last: number, uMax: number, uMin: number;
  if (unit === 'sigma') {
    const [lo, hi] = process.sigmaRange(processParams);
    const sMin = options.sigmaMin ?? lo, sMax = options.sigmaMax ?? hi;
    for (const [name, x] of [['sigmaMin', sMin], ['sigmaMax', sMax]] as const) {
      if (typeof x !== 'number') throw badType(name, x, 'a number');
      if (!(x > 0) || !Number.isFinite(x)) throw badValue(name, x, 'a finite number > 0');
    }
    if (!(sMin < sMax)) throw badValue('sigmaMin', sMin, `< sigmaMax = ${sMax}`);
    first = process.time(sMax, processParams);
    last = 0;
    uMax = dm.log(sMax);
    uMin = dm.log(sMin);
  } else {
    if (options.sigmaMin !== undefined) throw badValue('sigmaMin', options.sigmaMin, `absent on model ${process.id} (its grids are times from t_start to t_end)`);
    if (options.sigmaMax !== undefined) throw badValue('sigmaMax', options.sigmaMax, `absent on model ${process.id} (its grids are times from t_start to t_end)`);
    const [tEnd, tStart] = process.timeRange(processParams);
    first = tStart;
    last = tEnd;
    uMax = dm.log(process.sigma(tStart, processParams));
    uMin = dm.log(process.sigma(tEnd, processParams));
  }
  return {
    spectrum: prepareSpectrum(input), spec, process, processParams, params,
    packedParams: packParams(spec.params, params), packedProcess: packParams(process.params, processParams),
    start, metric: TUNE_METRICS[metricId], unit, first, last, uMax, uMin,
  };
}

function checkStepsList(name: string, x: unknown): number[] {
  const list = typeof x === 'number' ? [x] : x;
  if (!Array.isArray(list) || list.length === 0) throw badType(name, x, 'a positive integer or a non-empty array of them');
  return list.map((s, i) => {
    const k = checkPositiveInteger(Array.isArray(x) ? `${name}[${i}]` : name, s);
    if (k > MAX_SAMPLER_STEPS) throw badValue(name, k, `at most ${MAX_SAMPLER_STEPS}`);
    return k;
  });
}

/**
 * The exact run of a grid (runSampler, as `run --sigmas … --metric both`): the claimed value (read
 * by the metric), and the grid's W2 and KL.
 */
function exactRun(ctx: Context, grid: Float64Array | number[]): { value: number | null; w2: number | null; kl: Kl } {
  const r = runSamplerSync(ctx.spectrum, {
    ...(ctx.spec.group === 'scheme' ? { scheme: ctx.spec.id as never } : { sampler: ctx.spec.id as never }), process: ctx.process.id, processParams: ctx.processParams as Record<string, number>,
    params: ctx.params as Record<string, number | string | boolean>, times: grid, start: ctx.start, metric: 'both',
  });
  return { value: ctx.metric.fromRun(r), w2: Number.isFinite(r.w2) ? r.w2 : null, kl: r.kl! };
}

function exactValue(ctx: Context, grid: Float64Array | number[]): number | null {
  return exactRun(ctx, grid).value;
}

/**
 * Why the metric is infinite on a grid (docs/tuning.md §1): the directions where one side of the
 * KL has variance 0 and the other not, or the output variance is undefined.
 */
function infiniteReason(ctx: Context, grid: Float64Array): string {
  const { values, weights } = ctx.spectrum;
  const n = values.length;
  const raw = generalRunRaw({
    coreId: ctx.spec.coreId, params: ctx.packedParams, processId: ctx.process.coreId, processParams: ctx.packedProcess,
    times: grid, h: null, values, weights, meanSq: null, wantTraj: false, wantV: true, wantMean: false,
  });
  const s = ctx.start === 'exact' ? 0 : 1;
  let zeroData = 0, zeroOut = 0, bad = 0;
  for (let i = 0; i < n; i++) {
    if (weights[i] === 0) continue;
    const v = raw.v[s * n + i];
    if (!(v >= 0 && v < Infinity)) bad += weights[i];
    else if (values[i] === 0 && v > 0) zeroData += weights[i];
    else if (values[i] > 0 && v === 0) zeroOut += weights[i];
  }
  const parts: string[] = [];
  if (zeroData > 0) parts.push(`${zeroData} of the input's eigenvalues are 0 and ${ctx.spec.id}'s output has variance > 0 in those directions, where the data are a point mass; tune w2, or leave the zero eigenvalues out of the input`);
  if (zeroOut > 0) parts.push(`${ctx.spec.id}'s output has variance 0 in ${zeroOut} directions where the data's is > 0`);
  if (bad > 0) parts.push(`the output variance is infinite or undefined in ${bad} directions`);
  return parts.join('; ') || 'the metric overflows';
}

/** A named builder's grid with the tuner's range, or null when it cannot build one for N steps. */
function namedGrid(ctx: Context, id: string, N: number, options: TuneOptions): { grid: Float64Array; schedulerParams: Record<string, number> } | null {
  const [name, ...pairs] = id.split(':');
  const sched = getScheduler(name, 'restarts');
  if (!sched.processes.includes(ctx.process.id)) return null;
  const given: Record<string, number> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const x = eq > 0 ? Number(pair.slice(eq + 1)) : NaN;
    if (!Number.isFinite(x)) throw badValue('restarts', id, 'a grid builder id, optionally with parameters as id:key=value[:key=value] (e.g. karras:rho=3)');
    given[pair.slice(0, eq)] = x;
  }
  if (options.sigmaMin !== undefined && sched.params.some((p) => p.name === 'sigma_min')) given.sigma_min ??= options.sigmaMin;
  if (options.sigmaMax !== undefined && sched.params.some((p) => p.name === 'sigma_max')) given.sigma_max ??= options.sigmaMax;
  const sp = resolveSchedulerParams(sched, given, ctx.process, ctx.processParams);
  let grid = sched.build(N, sp, ctx.processParams, ctx.process);
  if (sched.unit === 'sigma' && ctx.process.gridUnit === 't') grid = grid.map((s) => ctx.process.time(s, ctx.processParams));
  if (grid.length !== N + 1) return null;
  return { grid, schedulerParams: given };
}

/**
 * AYS's rule for other step counts (docs/tuning.md §4): levels log-linearly interpolated
 * (align_your_steps `loglinearInterp`) — the N nonzero σ's of a σ grid to N' (then 0), all N + 1
 * levels of a time grid (in log σ(t), mapped back to times); the ends are kept exactly. The tuner
 * interpolates from the tuned grid with the nearest number of steps (the larger on a tie).
 * @example interpolateGrid([80, 1, 0.1, 0], 2) // → [80, 0.1, 0] (first and last levels kept)
 */
export function interpolateGrid(grid: readonly number[] | Float64Array, steps: number, options: { model?: string; modelParams?: Record<string, number> } = {}): Float64Array {
  if (!(grid instanceof Float64Array || Array.isArray(grid))) throw badType('grid', grid, 'an array of numbers');
  if (grid.length < 2) throw badValue('grid.length', grid.length, 'at least 2 (one step)');
  const g = Array.from(grid as ArrayLike<number>);
  g.forEach((t, k) => {
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw badValue(`grid[${k}]`, t, 'a finite number ≥ 0');
    if (k > 0 && !(t < g[k - 1])) throw badValue(`grid[${k}]`, t, `< grid[${k - 1}] = ${g[k - 1]} (decreasing)`);
  });
  checkPositiveInteger('steps', steps);
  if (steps > MAX_SAMPLER_STEPS) throw badValue('steps', steps, `at most ${MAX_SAMPLER_STEPS}`);
  const o = checkOptions(options);
  const process = getProcess(o.model ?? 'edm', 'model');
  const pv = resolveParams('modelParams', process.params, o.modelParams);
  process.check?.(pv, 'modelParams');
  if (process.gridUnit === 'sigma') {
    if (g[g.length - 1] !== 0) throw badValue(`grid[${g.length - 1}]`, g[g.length - 1], '0 (σ grids end at 0)');
    if (g.length === 2 && steps > 1) throw badValue('grid.length', 2, `at least 3 on σ grids to interpolate to ${steps} steps (two nonzero levels)`);
    const levels = g.slice(0, -1).map((t) => process.sigma(t, pv));
    const s = steps === levels.length ? Float64Array.from(levels) : loglinearInterp(levels, steps);
    const out = new Float64Array(steps + 1);
    for (let k = 0; k < steps; k++) out[k] = process.time(s[k], pv);
    out[0] = g[0];
    if (steps > 1) out[steps - 1] = g[g.length - 2];
    out[steps] = 0;
    return out;
  }
  const levels = g.map((t) => process.sigma(t, pv));
  const out = loglinearInterp(levels, steps + 1).map((x) => process.time(x, pv));
  out[0] = g[0];
  out[steps] = g[g.length - 1];
  return out;
}

/** The tuned grid to interpolate from (docs/tuning.md §4); σ grids need two nonzero levels unless N = 1. */
function nearest(tuned: TunedGrid[], N: number, unit: 'sigma' | 't'): TunedGrid | null {
  const usable = tuned.filter((t) => unit === 't' || N === 1 || t.steps > 1);
  if (usable.length === 0) return null;
  let best = usable[0];
  for (const t of usable) {
    const d = Math.abs(t.steps - N), db = Math.abs(best.steps - N);
    if (d < db || (d === db && t.steps > best.steps)) best = t;
  }
  return best;
}

/** The named baselines' values for N steps (their own grids, as `run --scheduler` gives them). */
function baselines(ctx: Context, restarts: readonly string[], N: number, options: TuneOptions): { values: Record<string, number | null>; grids: Map<string, Float64Array> } {
  const values: Record<string, number | null> = {};
  const grids = new Map<string, Float64Array>();
  for (const id of restarts) {
    const named = namedGrid(ctx, id, N, options);
    if (!named) { values[id] = null; continue; }
    grids.set(id, named.grid);
    values[id] = exactValue(ctx, named.grid);
  }
  return { values, grids };
}

function inDomain(ctx: Context, grid: Float64Array): boolean {
  const N = grid.length - 1;
  if (grid[0] !== ctx.first || grid[N] !== ctx.last) return false;
  for (let k = 1; k < N; k++) {
    const u = levelOf(ctx, grid[k]);
    if (!(u >= ctx.uMin && u <= ctx.uMax)) return false;
  }
  return true;
}

/**
 * Tune the grid of `sampler` for the spectrum (docs/tuning.md). After `init()`.
 * @example tuneSync(cifar, { sampler: 'heun', steps: 10 }).tuned[0].value // → ≈ 1.6 (karras: 3.52)
 */
export function tuneSync(input: SpectrumInput, options_: TuneOptions): TuneResult {
  const options = checkOptions(options_);
  const ctx = context(input, options);
  const stepsList = checkStepsList('steps', options.steps);
  const interp = options.interpolate === undefined ? [] : checkStepsList('interpolate', options.interpolate);
  const restarts = options.restarts ?? DEFAULT_RESTARTS[ctx.unit];
  if (!Array.isArray(restarts) || restarts.length === 0) throw badType('restarts', restarts, 'a non-empty array of grid builder ids');
  restarts.forEach((id, i) => {
    if (typeof id !== 'string') throw badType(`restarts[${i}]`, id, 'a grid builder id');
    getScheduler(id.split(':')[0], `restarts[${i}]`);
  });
  const maxIterations = options.maxIterations === undefined ? 200 : checkPositiveInteger('maxIterations', options.maxIterations);
  const f = objective(ctx);
  const tuned: TunedGrid[] = [];
  for (const N of [...new Set(stepsList)].sort((a, b) => a - b)) {
    const base = baselines(ctx, restarts, N, options);
    const starts: [string, Float64Array][] = [...base.grids].map(([id, g]) => [id, logitsOf(ctx, g)]);
    const near = nearest(tuned, N, ctx.unit);
    if (near) starts.push(['interpolated', logitsOf(ctx, interpolateGrid(near.grid, N, { model: ctx.process.id, modelParams: ctx.processParams as Record<string, number> }))]);
    let best: { z: Float64Array; f: number; from: string } | null = null;
    let iterations = 0, evaluations = 0;
    if (N > 1) {
      // Every start gets SCREEN_ITERATIONS; the best one continues to maxIterations (docs/tuning.md §3).
      const screen = Math.min(SCREEN_ITERATIONS, maxIterations);
      let bestDone = false;
      for (const [from, z0] of starts) {
        const r = lbfgs(f, z0, { maxIterations: screen });
        iterations += r.iterations;
        evaluations += r.evaluations;
        if (best === null || r.f < best.f) {
          best = { z: r.x, f: r.f, from };
          bestDone = r.iterations < screen;
        }
      }
      if (best && !bestDone && maxIterations > screen) {
        const r = lbfgs(f, best.z, { maxIterations: maxIterations - screen });
        iterations += r.iterations;
        evaluations += r.evaluations;
        if (r.f <= best.f) best = { z: r.x, f: r.f, from: best.from };
      }
    }
    // One step has no free level: the grid is [first, last].
    let grid = best ? gridOf(ctx, best.z).times : Float64Array.of(ctx.first, ctx.last);
    let from = best?.from ?? 'fixed';
    let run = exactRun(ctx, grid);
    let value = run.value;
    // A named grid inside the tuner's domain that is better (never seen in practice) is kept instead.
    for (const [id, g] of base.grids) {
      const b = base.values[id];
      if (b !== null && (value === null || b < value) && inDomain(ctx, g)) { grid = g; value = b; from = id; run = exactRun(ctx, g); }
    }
    // Infinite on every start grid (and so on the result): nothing to minimise (docs/tuning.md §1).
    if (value === null) {
      throw badValue('metric', ctx.metric.id, `finite on some grid of ${N} steps (${ctx.metric.id} is infinite on every grid the search started from: ${infiniteReason(ctx, grid)})`);
    }
    tuned.push({
      steps: N, nfe: ctx.spec.nfe(N, ctx.params, grid), grid: Array.from(grid), value, w2: run.w2, kl: run.kl,
      baselines: base.values, from, iterations, evaluations,
    });
  }
  const interpolated: TunedGrid[] = interp.map((N) => {
    const src = nearest(tuned, N, ctx.unit);
    if (!src) throw badValue('interpolate', N, 'interpolated from a tuned grid of at least 2 steps (σ grids need two nonzero levels): add one to steps');
    const grid = interpolateGrid(src.grid, N, { model: ctx.process.id, modelParams: ctx.processParams as Record<string, number> });
    const run = exactRun(ctx, grid);
    return {
      steps: N, nfe: ctx.spec.nfe(N, ctx.params, grid), grid: Array.from(grid), value: run.value, w2: run.w2, kl: run.kl,
      baselines: baselines(ctx, restarts, N, options).values, from: `interpolated from ${src.steps} steps`, iterations: 0, evaluations: 0,
    };
  });
  const sr: [number, number] = [dm.exp(ctx.uMin), dm.exp(ctx.uMax)];
  return {
    sampler: ctx.spec.id, model: ctx.process.id, params: ctx.params, start: ctx.start, metric: ctx.metric.id, unit: ctx.unit,
    sigmaRange: sr, tuned, interpolated,
  };
}

/**
 * ∂J/∂u at the free levels of a grid (u = log σ), by the reverse pass (docs/tuning.md §2), and J
 * itself: for tests and users who bring their own optimiser. After `init()`.
 */
export function gridGradientSync(input: SpectrumInput, options: Omit<TuneOptions, 'steps'> & { grid: readonly number[] | Float64Array }): { J: number; gradient: Float64Array } {
  const ctx = context(input, { ...checkOptions(options), steps: 1 });
  const times = Float64Array.from(options.grid as ArrayLike<number>);
  const u = Float64Array.from(times, (t, k) => (k === times.length - 1 && ctx.unit === 'sigma' ? -Infinity : levelOf(ctx, t)));
  const { J, gu } = evaluate(ctx, times, u, true);
  return { J, gradient: gu ?? new Float64Array(times.length) };
}

/** f(z) for tests: the objective at a grid (log J), without gradient. */
export function tuneObjectiveSync(input: SpectrumInput, options: Omit<TuneOptions, 'steps'> & { grid: readonly number[] | Float64Array }): number {
  const ctx = context(input, { ...checkOptions(options), steps: 1 });
  const times = Float64Array.from(options.grid as ArrayLike<number>);
  return evaluate(ctx, times, new Float64Array(times.length), false).J;
}
