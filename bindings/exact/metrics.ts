/**
 * Error metrics between the sampler's output law and the data, both Gaussian and diagonal in the
 * data's eigenbasis (docs/metrics.md): W2 with means, KL in both directions, and each
 * eigen-direction's share. Pure TypeScript on per-direction laws the core computed; the dense
 * (non-commuting) KL is `klGaussian` in bindings/linalg/kl.ts.
 */
import { badType, badValue, checkChoice } from '../runtime/errors.js';
import { type Spectrum } from '../options/spectrum.js';
import * as dm from '../runtime/detmath.js';

/** Metrics of `run`: 'w2' (default, today's output), 'kl', or 'both'. */
export const METRICS = ['w2', 'kl', 'both'] as const;
export type Metric = (typeof METRICS)[number];

/**
 * KL divergences between the sampler's output law and the data (docs/metrics.md §2), in nats:
 * `forward` = KL(sampler ‖ data), `reverse` = KL(data ‖ sampler). `null`: infinite or undefined
 * (a zero variance on one side only, a mean difference along a zero-variance direction, an
 * infinite or undefined output variance).
 */
export interface Kl {
  forward: number | null;
  reverse: number | null;
}

/** Each eigen-direction's error, in the input order of the eigenvalues (docs/metrics.md §3). */
export interface EigenvalueErrors {
  eigenvalues: number[];
  /** Output variance per direction (null: infinite or undefined). */
  variances: (number | null)[];
  /** Output mean minus data mean per direction (present when a mean or score mean was given). */
  meanErrors?: (number | null)[];
  /** Per-direction W2² = (√v − √λ)² + (μ − m)²; null when infinite or undefined. */
  w2sq: (number | null)[];
  /** w2sq / Σ w2sq (null when the total is 0, infinite or undefined). */
  w2Share: (number | null)[];
  /** With metric kl/both: KL(sampler ‖ data) per direction and its share of the total. */
  klForward?: (number | null)[];
  klForwardShare?: (number | null)[];
  /** With metric kl/both: KL(data ‖ sampler) per direction and its share of the total. */
  klReverse?: (number | null)[];
  klReverseShare?: (number | null)[];
}

/** Validate a `metric` option (default 'w2'). */
export function resolveMetric(value: unknown): Metric {
  return checkChoice('metric', value ?? 'w2', METRICS);
}

/**
 * x − log1p(x) for x > −1 without cancellation near 0 (its Taylor series x²/2 − x³/3 + … for
 * |x| < 0.1: the difference of the two terms loses log10(1/|x|) digits, the series none).
 */
export function xMinusLog1p(x: number): number {
  if (Math.abs(x) >= 0.1) return x - dm.log1p(x);
  let sum = 0;
  let power = x * x;
  for (let n = 2; n < 40; n++) {
    const term = power / n;
    sum += n % 2 === 0 ? term : -term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
    power *= x;
  }
  return sum;
}

/**
 * KL(N(μ1, v1) ‖ N(μ2, v2)) in one dimension (docs/metrics.md §2):
 * `½ (v1/v2 − 1 − ln(v1/v2) + (μ1 − μ2)²/v2)`, the variance term as `x − log1p(x)` with
 * x = (v1 − v2)/v2 (no cancellation when v1 ≈ v2). Degenerate laws: v1 = v2 = 0 with equal means
 * is 0 (the same point mass); any other zero variance gives +∞ (the laws are not absolutely
 * continuous). Returns `null` for +∞ and for undefined inputs (NaN, an infinite variance), never
 * a large finite number. A non-number argument is a TypeError, a negative variance a RangeError.
 * @example klNormal(0, 1, 0, 2) // → 0.5·(0.5 − 1 + ln 2) ≈ 0.0966
 */
export function klNormal(mu1: number, v1: number, mu2: number, v2: number): number | null {
  const args = { mu1, v1, mu2, v2 };
  for (const [name, x] of Object.entries(args)) if (typeof x !== 'number') throw badType(name, x, 'a number');
  if (v1 < 0) throw badValue('v1', v1, '≥ 0 (a variance)');
  if (v2 < 0) throw badValue('v2', v2, '≥ 0 (a variance)');
  return klOfNumbers(mu1, v1, mu2, v2);
}

/** klNormal without the argument checks (the engine's per-direction laws; NaN → null). */
function klOfNumbers(mu1: number, v1: number, mu2: number, v2: number): number | null {
  if (!(Number.isFinite(mu1) && Number.isFinite(mu2) && Number.isFinite(v1) && Number.isFinite(v2)) || v1 < 0 || v2 < 0) return null;
  const dm = mu1 - mu2;
  if (v2 === 0 || v1 === 0) return v1 === 0 && v2 === 0 && dm === 0 ? 0 : null;
  const kl = 0.5 * (xMinusLog1p((v1 - v2) / v2) + (dm * dm) / v2);
  return Number.isFinite(kl) ? kl : null;
}

/** A per-direction law: output variance and mean error (data mean − output mean). */
export interface DirectionLaws {
  /** Eigenvalues λᵢ in input order. */
  lambda: Float64Array;
  /** Output variances vᵢ (may be ±∞ or NaN where the core found them undefined). */
  variance: Float64Array;
  /** Output mean − data mean per direction, or null for centred laws (both means zero). */
  meanError: Float64Array | null;
}

/** Σ of (nullable) terms: null as soon as one term is. */
function total(terms: (number | null)[]): number | null {
  let s = 0;
  for (const t of terms) {
    if (t === null) return null;
    s += t;
  }
  return Number.isFinite(s) ? s : null;
}

function shares(terms: (number | null)[], sum: number | null): (number | null)[] {
  return terms.map((t) => (t === null || sum === null || !(sum > 0) ? null : t / sum));
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** The KL pair of diagonal laws (docs/metrics.md §2): sums over directions, null if one is. */
export function klOfLaws(laws: DirectionLaws): { kl: Kl; forward: (number | null)[]; reverse: (number | null)[] } {
  const n = laws.lambda.length;
  const forward: (number | null)[] = new Array(n);
  const reverse: (number | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const e = laws.meanError ? laws.meanError[i] : 0;
    // Only the difference of the means enters: data mean 0, output mean e.
    forward[i] = klOfNumbers(e, laws.variance[i], 0, laws.lambda[i]);
    reverse[i] = klOfNumbers(0, laws.lambda[i], e, laws.variance[i]);
  }
  return { kl: { forward: total(forward), reverse: total(reverse) }, forward, reverse };
}

/** Per-direction W2² and KL with shares (docs/metrics.md §3). */
export function eigenvalueErrors(laws: DirectionLaws, metric: Metric): EigenvalueErrors {
  const n = laws.lambda.length;
  const w2sq: (number | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = laws.variance[i];
    const e = laws.meanError ? laws.meanError[i] : 0;
    const d = Math.sqrt(v) - Math.sqrt(laws.lambda[i]);
    w2sq[i] = v >= 0 ? finiteOrNull(d * d + e * e) : null;
  }
  const out: EigenvalueErrors = {
    eigenvalues: Array.from(laws.lambda),
    variances: Array.from(laws.variance, finiteOrNull),
    w2sq,
    w2Share: shares(w2sq, total(w2sq)),
  };
  if (laws.meanError) out.meanErrors = Array.from(laws.meanError, finiteOrNull);
  if (metric !== 'w2') {
    const k = klOfLaws(laws);
    out.klForward = k.forward;
    out.klForwardShare = shares(k.forward, k.kl.forward);
    out.klReverse = k.reverse;
    out.klReverseShare = shares(k.reverse, k.kl.reverse);
  }
  return out;
}

/**
 * A mean option (`mean`, `scoreMean`): one value per input eigenvalue, the mean's coordinates in
 * the data's eigenbasis (mᵢ = uᵢᵀ m, input order); checked finite. `undefined` → null. With a
 * number instead of a spectrum: that many values in data coordinates (the `scoreCov` runs).
 */
export function resolveMeanOption(name: string, value: unknown, spectrum: Spectrum | number, coordinates = 'in the eigenbasis, one per eigenvalue'): Float64Array | null {
  if (value === undefined) return null;
  const dim = typeof spectrum === 'number' ? spectrum : spectrum.dim;
  if (!(value instanceof Float64Array || value instanceof Float32Array || Array.isArray(value))) {
    throw badType(name, value, `an array of numbers (the mean ${coordinates})`);
  }
  if (value.length !== dim) throw badValue(`${name}.length`, value.length, typeof spectrum === 'number' ? `the matrix size (${dim})` : `the number of eigenvalues (${dim})`);
  const out = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    const x = value[i];
    if (typeof x !== 'number') throw badType(`${name}[${i}]`, x, 'a number');
    if (!Number.isFinite(x)) throw badValue(`${name}[${i}]`, x, 'a finite number');
    out[i] = x;
  }
  return out;
}

/** Whether a mean vector is absent or all zeros (then a run is the centred one, bit for bit). */
export function isZero(mean: Float64Array | null): boolean {
  return mean === null || mean.every((x) => x === 0);
}
