/**
 * Spectra: validation, clamping of round-off negatives, and grouping of equal eigenvalues
 * (docs/MATH.md §3: equal eigenvalues are computed once, weighted by their multiplicity).
 */
import { badType, badValue } from '../runtime/errors.js';

/** A validated spectrum, ready for the engine. */
export interface Spectrum {
  /** Distinct eigenvalues, ascending, padded with (1, weight 0) to an even length. */
  readonly values: Float64Array;
  /** Multiplicity of each distinct value (0 on padding). */
  readonly weights: Float64Array;
  /** Number of eigenvalues (the dimension d). */
  readonly dim: number;
  /** Number of distinct values. */
  readonly distinct: number;
  /** How many entries were -0 or negative round-off (|x| ≤ 1e-12·max) and were set to 0. */
  readonly clamped: number;
  /** The eigenvalues as given (after clamping), in input order. */
  readonly eigenvalues: Float64Array;
  /** Marks a prepared spectrum. */
  readonly kind: 'gaussdiff.spectrum';
}

export type SpectrumInput = Spectrum | Float64Array | Float32Array | readonly number[];

/** Relative size below which a negative eigenvalue counts as round-off and is clamped to 0. */
export const NEGATIVE_ROUNDOFF = 1e-12;

export function isSpectrum(x: unknown): x is Spectrum {
  return typeof x === 'object' && x !== null && (x as Spectrum).kind === 'gaussdiff.spectrum';
}

/**
 * Validate and prepare eigenvalues λ_i ≥ 0 of the data covariance.
 * - NaN or ±Infinity: RangeError naming the index.
 * - -0, and negatives with |x| ≤ 1e-12·max(λ): set to 0 (counted in `clamped`).
 * - Larger negatives: RangeError naming index and value. Empty: RangeError.
 * @example prepareSpectrum([1, 2, 2, 0]).distinct // → 3
 */
export function prepareSpectrum(input: SpectrumInput, name = 'spectrum'): Spectrum {
  if (isSpectrum(input)) return input;
  if (!(input instanceof Float64Array || input instanceof Float32Array || Array.isArray(input))) {
    throw badType(name, input, 'a Float64Array or an array of numbers');
  }
  const n = input.length;
  if (n === 0) throw badValue(`${name}.length`, 0, 'at least 1 (the spectrum is empty)');
  const lam = new Float64Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const x = input[i];
    if (typeof x !== 'number') throw badType(`${name}[${i}]`, x, 'a number');
    if (!Number.isFinite(x)) throw badValue(`${name}[${i}]`, x, 'finite');
    lam[i] = x;
    if (x > max) max = x;
  }
  let clamped = 0;
  for (let i = 0; i < n; i++) {
    const x = lam[i];
    if (x < 0 || Object.is(x, -0)) {
      if (-x <= NEGATIVE_ROUNDOFF * max) {
        lam[i] = 0;
        clamped++;
      } else {
        throw badValue(`${name}[${i}]`, x, `≥ 0 (an eigenvalue of a covariance; only round-off down to -${NEGATIVE_ROUNDOFF}·max is clamped)`);
      }
    }
  }
  const sorted = Float64Array.from(lam).sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const padded = distinct + (distinct % 2);
  const values = new Float64Array(padded).fill(1);
  const weights = new Float64Array(padded);
  let j = -1;
  for (let i = 0; i < n; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) values[++j] = sorted[i];
    weights[j]++;
  }
  return { values, weights, dim: n, distinct, clamped, eigenvalues: lam, kind: 'gaussdiff.spectrum' };
}

/** Index of each input eigenvalue among the spectrum's distinct values. */
export function distinctIndex(spectrum: Spectrum): Int32Array {
  const idx = new Int32Array(spectrum.dim);
  const { values } = spectrum;
  for (let i = 0; i < spectrum.dim; i++) {
    const x = spectrum.eigenvalues[i];
    let lo = 0;
    let hi = spectrum.distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    idx[i] = lo;
  }
  return idx;
}
