/**
 * Samples: exact samples of a Gaussian N(m, Σ), and the discretised samplers of docs/MATH.md §4 applied to
 * real sample vectors (docs/MATH.md §7), either with the exact linear score in the eigenbasis of the model
 * or with any score function in data space (a trained network).
 *
 * Conventions: samples are row-major n × d `Float64Array`s (sample j is `[j·d, (j+1)·d)`); a model
 * is a covariance matrix, `{ values, vectors }` (eigenvalues and a row-major matrix whose column j
 * is eigenvector j, as `eigh` returns), or `{ values, basis }` with any orthonormal {@link Basis}
 * (e.g. a Fourier basis). Every random number comes from {@link createRng}, so a seed gives the
 * same samples on every engine.
 */
import { initCore } from '../runtime/core.js';
import type { Init, Scheme, ScheduleOptions } from '../options/defaults.js';
import { paperGrid, resolveSchemeRun } from '../exact/engine.js';
import { badType, badValue, checkChoice, checkPositiveInteger, checkOptions } from '../runtime/errors.js';
import { defaultPsdTolerance, eigh, initLinalg, type MatrixInput } from '../linalg/linalg.js';
import { createRng, type Rng, type Seed } from './random.js';
import { processLevels, processMarginals, stepCoefficients, stepStages, type StepSource } from '../exact/core-general.js';
import { SCHEMES as SCHEME_REGISTRY } from '../samplers/index.js';
import { packParams } from '../samplers/params.js';
import { PROCESSES } from '../processes/index.js';

// ---------------------------------------------------------------------------------------------
// Models and bases

/**
 * An orthonormal basis of R^d given by its two maps, applied to `count` rows at once (row-major
 * count × dim): `toData` maps coordinates c to x = U c, `toCoords` maps x to c = Uᵀ x. Both return
 * fresh arrays and must not modify their input. {@link denseBasis} builds one from a matrix; a
 * structured basis (the Fourier basis of a stationary field) implements the maps by fast transforms.
 */
export interface Basis {
  readonly dim: number;
  toData(coords: Float64Array, count: number): Float64Array;
  toCoords(x: Float64Array, count: number): Float64Array;
}

/** A Gaussian model given by its eigen-decomposition Σ = U diag(values) Uᵀ. */
export type EigenModel =
  | { values: ArrayLike<number>; vectors: MatrixInput }
  | { values: ArrayLike<number>; basis: Basis };

/** A covariance matrix (row-major d × d or rows) or an eigen-decomposition. */
export type GaussianModel = MatrixInput | EigenModel;

/** A validated model: eigenvalues ≥ 0 (round-off negatives clamped) and a basis. */
export interface ResolvedModel {
  readonly dim: number;
  readonly values: Float64Array;
  readonly basis: Basis;
}

/** Relative tolerance on the column norms of `vectors` (a cheap check that they are orthonormal). */
export const BASIS_NORM_TOLERANCE = 1e-6;

/**
 * The dense basis of a matrix whose column j is unit eigenvector j (row-major d × d, as `eigh`
 * returns): `toData(c) = U c`, `toCoords(x) = Uᵀ x`, d² operations per row.
 * @example denseBasis(Float64Array.of(0, 1, 1, 0), 2).toData(Float64Array.of(1, 2), 1) // → [2, 1]
 */
export function denseBasis(vectors: Float64Array, dim: number): Basis {
  const d = checkPositiveInteger('dim', dim);
  if (!(vectors instanceof Float64Array)) throw badType('vectors', vectors, 'a Float64Array (row-major d × d)');
  if (vectors.length !== d * d) throw badValue('vectors.length', vectors.length, `d² = ${d * d}`);
  const U = vectors;
  return {
    dim: d,
    toData(c: Float64Array, count: number): Float64Array {
      const x = new Float64Array(count * d);
      for (let j = 0; j < count; j++) {
        const o = j * d;
        for (let i = 0; i < d; i++) {
          const r = i * d;
          let s = 0;
          for (let l = 0; l < d; l++) s += U[r + l] * c[o + l];
          x[o + i] = s;
        }
      }
      return x;
    },
    toCoords(x: Float64Array, count: number): Float64Array {
      const c = new Float64Array(count * d);
      for (let j = 0; j < count; j++) {
        const o = j * d;
        for (let i = 0; i < d; i++) {
          const xi = x[o + i];
          if (xi === 0) continue;
          const r = i * d;
          for (let l = 0; l < d; l++) c[o + l] += U[r + l] * xi;
        }
      }
      return c;
    },
  };
}

function isEigenModel(m: unknown): m is EigenModel {
  return typeof m === 'object' && m !== null && !Array.isArray(m) && !ArrayBuffer.isView(m) && 'values' in m;
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return (
    Array.isArray(v) ||
    (ArrayBuffer.isView(v) && !(v instanceof DataView)) ||
    (typeof v === 'object' && v !== null && typeof (v as { length?: unknown }).length === 'number')
  );
}

/** Eigenvalues ≥ 0: round-off negatives (≥ −1e-12·d·max|λ|, as spectrumFromCovariance) become 0. */
function clampValues(name: string, values: Float64Array): Float64Array {
  let scale = 0;
  for (const v of values) scale = Math.max(scale, Math.abs(v));
  const tol = defaultPsdTolerance(values.length) * scale;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < 0 || Object.is(values[i], -0)) {
      if (values[i] < -tol) throw badValue(`${name}[${i}]`, values[i], `≥ 0 (an eigenvalue of a covariance; round-off down to −${tol} is clamped)`);
      values[i] = 0;
    }
  }
  return values;
}

function toFiniteArray(name: string, v: unknown, length?: number): Float64Array {
  if (!isArrayLike(v)) throw badType(name, v, 'a Float64Array or an array of numbers');
  if (length !== undefined && v.length !== length) throw badValue(`${name}.length`, v.length, `${length}`);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number') throw badType(`${name}[${i}]`, x, 'a number');
    if (!Number.isFinite(x)) throw badValue(`${name}[${i}]`, x, 'finite');
    out[i] = x;
  }
  return out;
}

/** A row-major d × d matrix from a flat array or an array of rows. */
function toMatrix(name: string, m: unknown, d: number): Float64Array {
  if (isArrayLike(m) && m.length === d && d > 0 && isArrayLike(m[0])) {
    const out = new Float64Array(d * d);
    for (let i = 0; i < d; i++) out.set(toFiniteArray(`${name}[${i}]`, m[i], d), i * d);
    return out;
  }
  return toFiniteArray(name, m, d * d);
}

/**
 * Validate a model (named `name` in errors): a covariance is eigen-decomposed (`eigh`, needs the
 * linalg module started); `vectors` must have unit columns (to 1e-6; orthogonality is the
 * caller's promise — checking it costs d³).
 * @example resolveModel({ values: [1, -1e-20], vectors: [1, 0, 0, 1] }).values // → [1, 0] (round-off clamped)
 */
export function resolveModel(model: unknown, name = 'model'): ResolvedModel {
  if (isEigenModel(model)) {
    const values = clampValues(`${name}.values`, toFiniteArray(`${name}.values`, model.values));
    const d = values.length;
    if (d === 0) throw badValue(`${name}.values.length`, 0, 'at least 1');
    if ('basis' in model && model.basis !== undefined) {
      const b = model.basis as Basis;
      if (typeof b !== 'object' || b === null || typeof b.toData !== 'function' || typeof b.toCoords !== 'function') {
        throw badType(`${name}.basis`, b, 'an object { dim, toData(coords, count), toCoords(x, count) }');
      }
      if (b.dim !== d) throw badValue(`${name}.basis.dim`, b.dim, `the number of values (${d})`);
      return { dim: d, values, basis: b };
    }
    if (!('vectors' in model)) throw badType(`${name}.vectors`, undefined, 'a d × d matrix (column j = eigenvector j), or give basis');
    const U = toMatrix(`${name}.vectors`, model.vectors, d);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += U[i * d + j] * U[i * d + j];
      if (!(Math.abs(Math.sqrt(s) - 1) <= BASIS_NORM_TOLERANCE)) {
        throw badValue(`${name}.vectors column ${j} norm`, Math.sqrt(s), 'to be 1 (columns are unit eigenvectors, row-major: vectors[i·d + j] is component i of eigenvector j)');
      }
    }
    return { dim: d, values, basis: denseBasis(U, d) };
  }
  if (!isArrayLike(model)) {
    throw badType(name, model, 'a covariance matrix, { values, vectors } or { values, basis }');
  }
  const { values, vectors } = eigh(model as MatrixInput);
  return { dim: values.length, values: clampValues(`${name} eigenvalue`, values), basis: denseBasis(vectors, values.length) };
}

// ---------------------------------------------------------------------------------------------
// Randomness

/** Where samples take their random numbers: a seed (a fresh generator) or a generator to continue. */
export interface RandomOptions {
  /** Seed of a fresh {@link createRng} generator: integer in [0, 2^53) or bigint in [0, 2^64). */
  seed?: Seed;
  /** Or a generator to draw from (continues its stream). */
  rng?: Rng;
}

function resolveRng(o: RandomOptions): Rng {
  if (o.rng !== undefined) {
    if (o.seed !== undefined) throw badValue('seed', o.seed, 'absent when rng is given (give one of seed, rng)');
    const r = o.rng;
    if (typeof r !== 'object' || r === null || typeof r.fillNormal !== 'function') throw badType('rng', r, 'a generator from createRng()');
    return r;
  }
  if (o.seed === undefined) throw badType('seed', undefined, 'a non-negative integer (or pass rng): samples are reproducible, so a seed is required');
  return createRng(o.seed);
}

function ready(): Promise<void> {
  return Promise.all([initCore(), initLinalg()]).then(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// Exact samples

/**
 * The most values n · d a sampler returns: 2^27 (1 GiB of float64; the samplers hold two or three
 * arrays of that size while they work). Checked before anything is allocated.
 */
export const SAMPLE_MAX_VALUES = 2 ** 27;

function checkSampleCount(n: number, d: number): void {
  if (n * d > SAMPLE_MAX_VALUES) {
    throw badValue('n', n, `at most ${Math.floor(SAMPLE_MAX_VALUES / d)} samples of dimension ${d} (n · d ≤ ${SAMPLE_MAX_VALUES}, 1 GiB of float64)`);
  }
}

export interface SampleGaussianOptions extends RandomOptions {
  /** Mean m (length d; default 0). */
  mean?: ArrayLike<number>;
}

/**
 * Exact samples of N(m, Σ): `x_j = m + U diag(√λ) z_j`, z_j ~ N(0, I) (docs/MATH.md §7). The d normals of
 * sample j are drawn consecutively, in the order of the eigenvalues. After `await init()`.
 * @param model covariance Σ, `{ values, vectors }` or `{ values, basis }` (see {@link GaussianModel})
 * @param n number of samples
 * @returns row-major n × d
 * @example sampleGaussianSync([[4, 0], [0, 1]], 3, { seed: 42 }) // → 6 numbers: 3 samples of N(0, diag(4, 1))
 */
export function sampleGaussianSync(model: GaussianModel, n: number, options: SampleGaussianOptions = {}): Float64Array {
  checkOptions(options);
  const count = checkPositiveInteger('n', n);
  const m = resolveModel(model);
  const d = m.dim;
  checkSampleCount(count, d);
  const mean = options.mean === undefined ? undefined : toFiniteArray('mean', options.mean, d);
  const rng = resolveRng(options);
  const z = rng.fillNormal(new Float64Array(count * d));
  const root = m.values.map(Math.sqrt);
  for (let j = 0; j < count; j++) for (let i = 0; i < d; i++) z[j * d + i] *= root[i];
  const x = m.basis.toData(z, count);
  if (mean) for (let j = 0; j < count; j++) for (let i = 0; i < d; i++) x[j * d + i] += mean[i];
  return x;
}

/** See {@link sampleGaussianSync}; starts the WASM modules first. */
export async function sampleGaussian(model: GaussianModel, n: number, options: SampleGaussianOptions = {}): Promise<Float64Array> {
  await ready();
  return sampleGaussianSync(model, n, options);
}

// ---------------------------------------------------------------------------------------------
// Samplers

/**
 * A score function s(t, y) ≈ ∇ log p_t(y), in data space, evaluated on the whole batch: `y` is
 * row-major n × d (a fresh copy, yours to keep), the result must have the same length and finite
 * entries. May return a Promise with {@link sampleScheme} (not with the Sync variant).
 */
export type ScoreFunction = (t: number, y: Float64Array) => ArrayLike<number> | Promise<ArrayLike<number>>;

export interface SampleSchemeOptions extends ScheduleOptions, RandomOptions {
  /** Number of samples (required). */
  n?: number;
  /** Scheme (default 'em'). */
  scheme?: Scheme;
  /** Steps K ≥ 1 (default 1000). */
  steps?: number;
  /** Truncation time ε ∈ [0, T) (default 0). */
  eps?: number;
  /** Start: 'N0' = N(0, I) (default) or 'pT' = N(0, Σ_T) of the model. */
  init?: Init;
  /** α of 'em-alpha' (default 1). */
  alpha?: number;
  /**
   * Mean m of the data (length d, default 0; docs/MATH.md §7, the paper's Appendix C): the exact score is
   * then −Σ_t^{-1}(y − e^{−B_t} m) and the start p_T is N(e^{−B_T} m, Σ_T). A given `score` must
   * include the mean itself (only the p_T start uses this option then).
   */
  mean?: ArrayLike<number>;
  /** A score in data space; without it, the model's exact linear score in its eigenbasis. */
  score?: ScoreFunction;
  /** Called after each step with (steps done, steps). */
  onProgress?: (step: number, steps: number) => void;
  /**
   * Score path only: where the SDE noise is drawn. 'eigenbasis' (default): normals z in the
   * model's eigen-coordinates, mapped by U (the same numbers as the eigenbasis path, so the two
   * agree to round-off for the exact score; n·d² per step with a dense basis). 'data': normals
   * drawn in data space directly — the same law (N(0, I) is rotation invariant), no basis change.
   */
  noise?: 'eigenbasis' | 'data';
}

export interface SampleSchemeResult {
  /** Row-major n × d. */
  samples: Float64Array;
  n: number;
  dim: number;
  scheme: Scheme;
  steps: number;
  /** Score evaluations per sample: steps × evaluations per step. */
  nfe: number;
  eps: number;
  init: Init;
  alpha?: number;
  /** Grid times t_0 = T > … > t_K = ε (the engine's grid). */
  times: number[];
  /** 'eigenbasis': the exact linear score, per eigen-coordinate; 'score': the given score function. */
  path: 'eigenbasis' | 'score';
}

interface Plan {
  scheme: Scheme;
  K: number;
  eps: number;
  init: Init;
  alpha: number;
  n: number;
  dim: number;
  model?: ResolvedModel;
  rng: Rng;
  score?: ScoreFunction;
  onProgress?: (step: number, steps: number) => void;
  noise: 'eigenbasis' | 'data';
  /** The data mean in data space and in the model's eigen-coordinates (undefined: 0). */
  mean?: Float64Array;
  meanCoords?: Float64Array;
  /** Grid times t_0 = T > … > t_K = ε. */
  times: Float64Array;
  /** The scheme as a registry entry on the VP process and the uniform grid: both paths take their steps from it. */
  source: StepSource;
  /** Stochastic sampler: fresh normals at every step. */
  sde: boolean;
  /** Score evaluations per sample (the registry's NFE rule). */
  nfe: number;
  /** α_{t_0}²: the start p_T has mean α_{t_0} m. */
  signal0: number;
}

function plan(model: unknown, options: SampleSchemeOptions): Plan {
  if (typeof options !== 'object' || options === null) throw badType('options', options, 'an object');
  const { schedule, scheme, K, eps, init, alpha } = resolveSchemeRun(options);
  if (options.n === undefined) throw badType('n', undefined, 'a positive integer (the number of samples)');
  const n = checkPositiveInteger('n', options.n);
  const score = options.score;
  if (score !== undefined && typeof score !== 'function') throw badType('score', score, 'a function (t, y) → score of y');
  const onProgress = options.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') throw badType('onProgress', onProgress, 'a function (step, steps)');
  const noise = checkChoice('noise', options.noise ?? 'eigenbasis', ['eigenbasis', 'data'] as const);
  let resolved: ResolvedModel | undefined;
  let dim: number;
  if (typeof model === 'number') {
    if (!score) throw badType('model', model, 'a covariance or { values, vectors } (a dimension alone needs a score function)');
    if (init === 'pT') throw badValue('init', init, '"N0" when the model is only a dimension (p_T needs the model\'s spectrum)');
    dim = checkPositiveInteger('model (dimension)', model);
  } else {
    resolved = resolveModel(model);
    dim = resolved.dim;
  }
  checkSampleCount(n, dim);
  const mean = options.mean === undefined ? undefined : toFiniteArray('mean', options.mean, dim);
  const meanCoords = mean && resolved ? resolved.basis.toCoords(mean, 1) : undefined;
  const rng = resolveRng(options);
  const spec = SCHEME_REGISTRY[scheme];
  // The paper's uniform grid (exact/engine.ts paperGrid; DDPM's constraint checked there).
  const { processParams, times, h } = paperGrid(scheme, K, eps, schedule);
  const source: StepSource = {
    coreId: spec.coreId, stateSize: spec.stateSize, params: packParams(spec.params, { alpha }),
    processId: PROCESSES.vp.coreId, processParams, times, h,
  };
  return {
    scheme, K, eps, init, alpha, n, dim, model: resolved, rng, score, onProgress, noise, mean, meanCoords, times, source,
    sde: spec.kind === 'sde', nfe: spec.nfe(K, {}, times), signal0: processLevels(source.processId, processParams, times[0])[0],
  };
}

/** λ_T of each model eigenvalue (the forward process's marginal at the grid's first time). */
function marginalAtT(p: Plan, model: ResolvedModel): Float64Array {
  return processMarginals(p.source.processId, p.source.processParams, p.times[0], Float64Array.from(model.values));
}

/** The start y_0 in eigen-coordinates: z (N(0, I)) or √λ_T z (p_T). */
function startCoords(p: Plan, lamT: Float64Array | undefined): Float64Array {
  const z = p.rng.fillNormal(new Float64Array(p.n * p.dim));
  if (p.init === 'pT') {
    const root = lamT!.map(Math.sqrt);
    const d = p.dim;
    for (let j = 0; j < p.n; j++) for (let i = 0; i < d; i++) z[j * d + i] *= root[i];
  }
  return z;
}

function where(p: Plan, k: number, t: number): string {
  return `at step ${k} of ${p.K} (t = ${t})`;
}

/** The first non-finite entry of y, or -1. */
function firstNonFinite(y: ArrayLike<number>): number {
  for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) return i;
  return -1;
}

function checkState(p: Plan, y: Float64Array, k: number): void {
  const bad = firstNonFinite(y);
  if (bad >= 0) {
    throw new Error(`gaussdiff: ${p.scheme} sampler overflowed ${where(p, k, p.times[k])}: sample ${Math.floor(bad / p.dim)}, coordinate ${bad % p.dim} is ${y[bad]} after the step`);
  }
}

/** Steps of coefficients fetched from the core at a time (each fetch prepares the sampler's table). */
const BLOCK = 64;
/** Steps of vector programs fetched at a time (44 values each: 16384 steps are 5.8 MB). */
const STAGE_BLOCK = 1 << 14;

/**
 * Path (a): the exact linear score −Σ̂_t^{-1} y of the model, per eigen-coordinate:
 * c ← a_k c + √q_k z with a_k, q_k from the core (the model's eigenvalues in the coefficients).
 */
function runEigenbasis(p: Plan): Float64Array {
  const model = p.model!;
  const d = model.dim;
  const padded = d + (d % 2);
  const lam = new Float64Array(padded).fill(1);
  lam.set(model.values);
  const { n, sde } = p;
  // The registry entry's (a, b, q) per step from the core (assembly/kernels/general.ts), fetched
  // in blocks of steps; state size 1: E = 3 entries per step (a, b, q).
  const result = (() => {
    let y: Float64Array = startCoords(p, p.init === 'pT' ? marginalAtT(p, model) : undefined);
    const z = new Float64Array(n * d);
    const root = new Float64Array(d);
    let block: Float64Array = new Float64Array(0);
    for (let k = 0; k < p.K; k++) {
      const j = k % BLOCK;
      if (j === 0) block = stepCoefficients(p.source, k, Math.min(BLOCK, p.K - k), lam);
      const a = block.slice(3 * j * padded, 3 * j * padded + d);
      const q = block.subarray((3 * j + 2) * padded, (3 * j + 2) * padded + d);
      for (let i = 0; i < d; i++) {
        root[i] = Math.sqrt(q[i]);
        if (!Number.isFinite(a[i]) || !Number.isFinite(root[i])) {
          throw new Error(
            `gaussdiff: ${p.scheme} sampler is undefined ${where(p, k, p.times[k])}: eigenvalue ${i} (λ = ${model.values[i]}) ` +
              `gives gain ${a[i]} (λ_t = 0 is divided by: take ε > 0 or a positive-definite model)`,
          );
        }
      }
      const cur = y;
      if (sde) {
        p.rng.fillNormal(z);
        for (let j = 0; j < n; j++) {
          const o = j * d;
          for (let i = 0; i < d; i++) cur[o + i] = a[i] * cur[o + i] + root[i] * z[o + i];
        }
      } else {
        for (let j = 0; j < n; j++) {
          const o = j * d;
          for (let i = 0; i < d; i++) cur[o + i] *= a[i];
        }
      }
      checkState(p, cur, k);
      p.onProgress?.(k + 1, p.K);
    }
    return y;
  })();
  if (p.meanCoords) {
    // The scheme is affine in y: samples = the centred recursion + the mean's own (noise-free) run.
    const mu = meanTrajectory(p);
    for (let j = 0; j < n; j++) for (let i = 0; i < d; i++) result[j * d + i] += mu[i];
  }
  return model.basis.toData(result, n);
}

/**
 * The mean of the samples after K steps, in eigen-coordinates: the sampler's vector program run
 * on one vector with no noise, from α_{t_0} m (start p_T) or 0 (N0), with the exact affine score
 * −(y − α_τ m)/λ_τ per coordinate (α_τ², σ_τ² of each stage from the program).
 */
function meanTrajectory(p: Plan): Float64Array {
  const model = p.model!;
  const m = p.meanCoords!;
  const start = new Float64Array(model.dim);
  if (p.init === 'pT') {
    const e = Math.sqrt(p.signal0);
    for (let i = 0; i < model.dim; i++) start[i] = e * m[i];
  }
  const gen = scoreStepper(p, { n: 1, start, noise: null, progress: false });
  let r = gen.next();
  while (!r.done) {
    const { signal, noise, y } = r.value;
    const e = Math.sqrt(signal);
    const score = new Float64Array(model.dim);
    for (let i = 0; i < model.dim; i++) score[i] = -(y[i] - e * m[i]) / (signal * model.values[i] + noise);
    r = gen.next(score);
  }
  return r.value;
}

/** A request from the score-path stepper to the driver: evaluate the score at (t, y). */
interface ScoreRequest {
  t: number;
  y: Float64Array;
  /** α_t² and σ_t² of the forward process at t (for the exact affine score of the mean's run). */
  signal: number;
  noise: number;
}

/** What the stepper runs on: n row vectors from `start`, with or without noise. */
interface StepperRun {
  n: number;
  start: Float64Array;
  /** The noise of a stochastic step (size values), or null for none (the mean's run). */
  noise: ((size: number) => Float64Array) | null;
  progress: boolean;
}

// One step's vector program (assembly/samplers/stages.ts): [S, a, w, R, then per stage
// τ, α², σ², ρ, μ, d, c_0 .. c_3].
const HEAD = 4;
const STAGE = 10;

/**
 * Path (b), written once as a generator so that the sync and async drivers share it: it yields
 * each score evaluation and receives the raw result. It runs the registry entry's vector program
 * (assembly/samplers/stages.ts, written by the sampler's family from the same table as its exact
 * coefficients), step k:
 *   y_j = x + Σ_{i<j} c_{j,i} g_i,  s_j = score(τ_j, y_j),  g_j = μ_j (ρ_j y_j + s_j),
 *   x' = a x + w Σ_j d_j g_j + √R z.
 * The noise z uses the same normals as path (a) (mapped by the model's basis), so both paths
 * agree to round-off for the exact score.
 */
function* scoreStepper(p: Plan, run: StepperRun): Generator<ScoreRequest, Float64Array, unknown> {
  const { dim: d, K } = p;
  const { n } = run;
  const size = n * d;
  const y: Float64Array = run.start.slice();
  let records: Float64Array = new Float64Array(0);
  let stride = 0;
  for (let k = 0; k < K; k++) {
    const j0 = k % STAGE_BLOCK;
    if (j0 === 0) ({ records, stride } = stepStages(p.source, k, Math.min(STAGE_BLOCK, K - k)));
    const r = j0 * stride;
    const S = records[r];
    const a = records[r + 1];
    const w = records[r + 2];
    const sqR = Math.sqrt(records[r + 3]);
    const g: Float64Array[] = [];
    let sum: Float64Array | undefined;
    for (let j = 0; j < S; j++) {
      const st = r + HEAD + STAGE * j;
      let point: Float64Array = y;
      for (let i = 0; i < j; i++) {
        const c = records[st + 6 + i];
        if (c === 0) continue;
        const next = new Float64Array(size);
        for (let l = 0; l < size; l++) next[l] = point[l] + c * g[i][l];
        point = next;
      }
      const t = records[st];
      const raw = yield { t, y: point.slice(), signal: records[st + 1], noise: records[st + 2] };
      const s = checkScore(p, raw, t, k, n);
      const rho = records[st + 3];
      const mu = records[st + 4];
      if (rho === 0) for (let l = 0; l < size; l++) s[l] = mu * s[l];
      else for (let l = 0; l < size; l++) s[l] = mu * (rho * point[l] + s[l]);
      g.push(s);
      const dj = records[st + 5];
      if (!sum) {
        sum = new Float64Array(size);
        for (let l = 0; l < size; l++) sum[l] = dj * s[l];
      } else {
        for (let l = 0; l < size; l++) sum[l] += dj * s[l];
      }
    }
    if (p.sde && run.noise) {
      const noise = run.noise(size);
      for (let l = 0; l < size; l++) y[l] = a * y[l] + w * sum![l] + sqR * noise[l];
    } else {
      for (let l = 0; l < size; l++) y[l] = a * y[l] + w * sum![l];
    }
    checkState(p, y, k);
    if (run.progress) p.onProgress?.(k + 1, K);
  }
  return y;
}

/** The score path's run: the start (with the mean's α_{t_0} m for p_T) and the SDE noise. */
function samplesRun(p: Plan): StepperRun {
  const model = p.model;
  const c0 = startCoords(p, p.init === 'pT' ? marginalAtT(p, model!) : undefined);
  const start = model ? model.basis.toData(c0, p.n) : c0;
  if (p.mean && p.init === 'pT') {
    const e = Math.sqrt(p.signal0);
    for (let j = 0; j < p.n; j++) for (let i = 0; i < p.dim; i++) start[j * p.dim + i] += e * p.mean[i];
  }
  const mapped = model !== undefined && p.noise === 'eigenbasis';
  return {
    n: p.n,
    start,
    noise: (size) => {
      const z = p.rng.fillNormal(new Float64Array(size));
      return mapped ? model.basis.toData(z, p.n) : z;
    },
    progress: true,
  };
}

function checkScore(p: Plan, raw: unknown, t: number, k: number, n: number): Float64Array {
  const size = n * p.dim;
  const at = where(p, k, t);
  if (!isArrayLike(raw)) {
    throw new Error(`gaussdiff: score(t, y) ${at} returned ${raw === null ? 'null' : typeof raw}, expected an array of n·d = ${size} numbers`);
  }
  if (raw.length !== size) {
    throw new Error(`gaussdiff: score(t, y) ${at} returned ${raw.length} numbers, expected n·d = ${n}·${p.dim} = ${size}`);
  }
  const s = Float64Array.from(raw as ArrayLike<number>);
  const bad = firstNonFinite(s);
  if (bad >= 0) {
    throw new Error(`gaussdiff: score(t, y) ${at} returned ${s[bad]} for sample ${Math.floor(bad / p.dim)}, coordinate ${bad % p.dim}`);
  }
  return s;
}

function result(p: Plan, samples: Float64Array): SampleSchemeResult {
  return {
    samples,
    n: p.n,
    dim: p.dim,
    scheme: p.scheme,
    steps: p.K,
    nfe: p.nfe,
    eps: p.eps,
    init: p.init,
    ...(p.scheme === 'em-alpha' ? { alpha: p.alpha } : {}),
    times: Array.from(p.times),
    path: p.score ? 'score' : 'eigenbasis',
  };
}

/**
 * Run a scheme of docs/MATH.md §4 on n sample vectors from t = T down to ε, on the engine's grid
 * t_k = T − (T − ε) k / K (t_K = ε):
 * - without `score`: the model's exact linear score −Σ_t^{-1} y, per eigen-coordinate
 *   (y ← a_k y + √q_k z with the core's coefficients), then mapped to data space. The sample
 *   covariance converges to the engine's v_K (`run(values, { variances: true })`). A model whose
 *   spectrum λ̂ differs from the data's gives the linear-but-wrong score of docs/MATH.md §7.
 * - with `score(t, y)`: that function in data space (a trained network), see {@link ScoreFunction}.
 *   `model` then serves the start p_T and the noise basis; it may be just the dimension d (start N0).
 * The start is N(0, I) ('N0') or the model's N(0, Σ_T) ('pT'). A score returning the wrong length
 * or a non-finite value, or a state that overflows, throws an Error naming the step and the time.
 * After `await init()`; the score must return synchronously (see {@link sampleScheme}).
 * @example sampleSchemeSync([[4, 0], [0, 1]], { scheme: 'heun', steps: 50, eps: 1e-3, n: 1000, seed: 1 }).samples.length // → 2000
 */
export function sampleSchemeSync(model: GaussianModel | number, options: SampleSchemeOptions): SampleSchemeResult {
  const p = plan(model, options);
  if (!p.score) return result(p, runEigenbasis(p));
  const score = p.score;
  const gen = scoreStepper(p, samplesRun(p));
  let r = gen.next();
  while (!r.done) {
    const raw = score(r.value.t, r.value.y);
    if (raw instanceof Promise || (typeof raw === 'object' && raw !== null && typeof (raw as { then?: unknown }).then === 'function')) {
      throw badType('score', 'a function returning a Promise', 'synchronous in sampleSchemeSync (use sampleScheme for an async score)');
    }
    r = gen.next(raw);
  }
  return result(p, r.value);
}

/**
 * See {@link sampleSchemeSync}; starts the WASM modules first, and the score may be async
 * (each evaluation is awaited, one batch at a time).
 */
export async function sampleScheme(model: GaussianModel | number, options: SampleSchemeOptions): Promise<SampleSchemeResult> {
  await ready();
  const p = plan(model, options);
  if (!p.score) return result(p, runEigenbasis(p));
  const score = p.score;
  const gen = scoreStepper(p, samplesRun(p));
  let r = gen.next();
  while (!r.done) r = gen.next(await score(r.value.t, r.value.y));
  return result(p, r.value);
}
