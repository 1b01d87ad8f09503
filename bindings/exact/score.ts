/**
 * Wrong (misspecified) linear scores (docs/MATH-samplers.md §7): the sampler is driven by the
 * exact score of N(0, Σ̂) while the data are N(0, Σ).
 * - `scoreSpectrum` (§7a): Σ̂ = U diag(λ̂) Uᵀ shares Σ's eigenvectors; per eigen-direction the
 *   recursion runs on λ̂, the start and the targets use λ (the core's generalRunScore).
 * - `scoreCov` (§7b): any symmetric PSD Σ̂ = Û diag(λ̂) Ûᵀ; the recursion on λ̂ gives the transfer
 *   (M, w) (generalTransfer), the output covariance is P C₀ P + Û diag(w) Ûᵀ with P = Û diag(M) Ûᵀ,
 *   and one general (Bures) distance to N(0, Σ) (cpp gd_score_cov_w2).
 */
import { badType, badValue } from '../runtime/errors.js';
import { prepareSpectrum, type Spectrum } from '../options/spectrum.js';
import { psdEigh, scoreCovW2, type MatrixInput } from '../linalg/linalg.js';
import { generalTransferRaw } from './core-general.js';

/** The data's eigenvalues paired with the score's (same eigenvectors), grouped by distinct pair. */
export interface ScorePairs {
  /** The score's λ̂ per distinct pair (ascending λ, then λ̂), padded to an even length with 1. */
  scoreValues: Float64Array;
  /** The data's λ per distinct pair (the targets), padded likewise. */
  values: Float64Array;
  /** Multiplicity of each pair (0 on padding). */
  weights: Float64Array;
  /** Index of each input eigen-direction among the pairs. */
  index: Int32Array;
}

/**
 * Validate `scoreSpectrum` (one λ̂ ≥ 0 per data eigenvalue, same order: the same eigenvectors;
 * round-off negatives clamped as for spectra) and group the (λ, λ̂) pairs.
 */
export function scorePairs(spectrum: Spectrum, scoreSpectrum: unknown): ScorePairs {
  if (!(scoreSpectrum instanceof Float64Array || scoreSpectrum instanceof Float32Array || Array.isArray(scoreSpectrum))) {
    throw badType('scoreSpectrum', scoreSpectrum, 'an array of numbers (the score\'s eigenvalues, in the data\'s order)');
  }
  if (scoreSpectrum.length !== spectrum.dim) {
    throw badValue('scoreSpectrum.length', scoreSpectrum.length, `the number of data eigenvalues (${spectrum.dim})`);
  }
  const lamHat = prepareSpectrum(scoreSpectrum as readonly number[], 'scoreSpectrum').eigenvalues;
  const lam = spectrum.eigenvalues;
  const d = spectrum.dim;
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => lam[i] - lam[j] || lamHat[i] - lamHat[j]);
  const index = new Int32Array(d);
  const vs: number[] = [];
  const hs: number[] = [];
  const ws: number[] = [];
  for (const i of order) {
    const k = vs.length - 1;
    if (k >= 0 && vs[k] === lam[i] && hs[k] === lamHat[i]) ws[k]++;
    else {
      vs.push(lam[i]);
      hs.push(lamHat[i]);
      ws.push(1);
    }
    index[i] = vs.length - 1;
  }
  const padded = vs.length + (vs.length % 2);
  const values = new Float64Array(padded).fill(1);
  const scoreValues = new Float64Array(padded).fill(1);
  const weights = new Float64Array(padded);
  values.set(vs);
  scoreValues.set(hs);
  weights.set(ws);
  return { scoreValues, values, weights, index };
}

/** Side of a square matrix input (rows, or √length of a flat one), for size checks before any work. */
export function matrixSide(name: string, m: unknown): number {
  if (m === null || typeof m !== 'object' || typeof (m as ArrayLike<unknown>).length !== 'number') {
    throw badType(name, m, 'a matrix (a Float64Array of n² entries, row-major, or an array of rows)');
  }
  const a = m as ArrayLike<unknown>;
  if (a.length > 0 && typeof a[0] === 'object' && a[0] !== null) return a.length;
  const n = Math.round(Math.sqrt(a.length));
  if (n * n !== a.length) throw badValue(`${name}.length`, a.length, 'a perfect square (n² entries, row-major) or give an array of rows');
  return n;
}

/** What a wrong-score run needs of the validated run: the coefficients' source and the start. */
export interface ScoreCovRun {
  coreId: number;
  params: Float64Array;
  processId: number;
  processParams: Float64Array;
  times: Float64Array;
  h: Float64Array | null;
  start: 'exact' | 'prior' | 'conventional';
}

export interface ScoreCovResult {
  /** W2(output, N(0, Σ)), null when not finite. */
  w2: number | null;
  /** The score's eigenvalues λ̂ (ascending). */
  scoreSpectrum: Float64Array;
  /** tr of the output covariance. */
  trace: number;
}

/**
 * The exact W2 of a sampler driven by the score of N(0, Σ̂) on data N(0, Σ), Σ̂ and Σ any
 * symmetric PSD matrices of the same size (docs/MATH-samplers.md §7b). Cost: one eigh (Σ̂), the
 * recursion on λ̂, two matrix products and one eigvalsh (scoreCovW2).
 */
export function scoreCovW2Run(run: ScoreCovRun, cov: MatrixInput, scoreCov: MatrixInput): ScoreCovResult {
  const n = matrixSide('cov', cov);
  const nh = matrixSide('scoreCov', scoreCov);
  if (nh !== n) throw badValue('scoreCov', `${nh}×${nh}`, `the data covariance's size (${n}×${n})`);
  const { values, vectors } = psdEigh('scoreCov', scoreCov);
  const tr = generalTransferRaw(run, values);
  const exact = run.start === 'exact';
  // Exact start C₀ = α₀² Σ + σ₀² I; the conventional one C₀ = prior·I (docs/MATH-samplers.md §6).
  const b = exact ? tr.noise : tr.prior;
  const gamma = new Float64Array(n);
  for (let i = 0; i < n; i++) gamma[i] = b * tr.M[i] * tr.M[i] + tr.w[i];
  // λ̂ = 0 where the sampler divides by it (e.g. at a zero last level): an undefined law, not a number.
  if (!gamma.every(Number.isFinite) || !tr.M.every(Number.isFinite)) return { w2: null, scoreSpectrum: values, trace: Number.NaN };
  const r = scoreCovW2(cov, vectors, tr.M, gamma, exact ? tr.signal : 0);
  return { w2: Number.isFinite(r.w2) ? r.w2 : null, scoreSpectrum: values, trace: r.trace };
}
