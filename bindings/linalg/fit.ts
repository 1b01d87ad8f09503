/**
 * The Gaussian fit of a set of sample vectors, as the spectrum the engine needs: the eigenvalues
 * of the sample covariance — from the d × d covariance when there are at least d samples, else
 * from the N × N Gram matrix of the centred samples, which has the same nonzero eigenvalues
 * (XᵀX and XXᵀ share them) at a fraction of the cost and memory.
 */
import { covariance, spectrumFromCovariance } from './linalg.js';
import { badType, badValue, checkPositiveInteger } from '../runtime/errors.js';

/** Which matrix the eigenvalues came from. */
export type FitMatrix = 'covariance' | 'gram';

export interface SampleSpectrum {
  /** Sample mean (length dim). */
  mean: Float64Array;
  /** Eigenvalues of the covariance (divided by count − 1), ascending, length dim; round-off negatives set to 0. */
  spectrum: Float64Array;
  /** 'covariance' (count ≥ dim: the dim × dim matrix) or 'gram' (count < dim: the count × count one, plus dim − count zeros). */
  matrix: FitMatrix;
  count: number;
  dim: number;
}

/**
 * Fit N(mean, Σ) to `count` samples of dimension `dim` (Σ divided by count − 1) and return Σ's
 * eigenvalues, after `await init()` (or `initLinalg()`).
 *
 * With count ≥ dim: `covariance` then `spectrumFromCovariance` (the numbers of `datasetGaussian`).
 * With count < dim: Σ = XcᵀXc/(count − 1) has rank < count, and its nonzero eigenvalues are those
 * of the Gram matrix G = XcXcᵀ/(count − 1) (Xc the centred samples, count × dim). G is computed
 * on the Eigen module as the sum of two positive semi-definite terms (no cancellation): with
 * Y = Xcᵀ read as dim samples of dimension count, `covariance(Y, { ddof: 0 })` gives ȳ and
 * C = YᵀY/dim − ȳȳᵀ, so G = dim·(C + ȳȳᵀ)/(count − 1). The spectrum is G's eigenvalues and
 * dim − count zeros.
 * C is exactly symmetric, so G is.
 * @param samples row-major count × dim (sample j is `samples[j*dim .. j*dim+dim)`)
 * @example sampleSpectrum(Float64Array.of(0, 0, 0, 2, 2, 2), 2, 3) // → { spectrum: [0, 0, 6], matrix: 'gram', … }
 */
export function sampleSpectrum(samples: Float64Array, count: number, dim: number): SampleSpectrum {
  checkPositiveInteger('dim', dim);
  if (!Number.isInteger(count) || count < 2) throw badValue('count', count, 'an integer ≥ 2 (a covariance needs two samples)');
  if (!(samples instanceof Float64Array)) throw badType('samples', samples, 'a Float64Array (row-major count × dim)');
  if (samples.length !== count * dim) throw badValue('samples.length', samples.length, `count · dim = ${count} · ${dim}`);
  if (count >= dim) {
    const { mean, cov } = covariance(samples, count, dim);
    return { mean, spectrum: spectrumFromCovariance(cov, dim), matrix: 'covariance', count, dim };
  }
  const mean = new Float64Array(dim);
  for (let j = 0; j < count; j++) for (let k = 0; k < dim; k++) mean[k] += samples[j * dim + k];
  for (let k = 0; k < dim; k++) mean[k] /= count;
  const y = new Float64Array(dim * count);
  for (let j = 0; j < count; j++) {
    for (let k = 0; k < dim; k++) {
      const x = samples[j * dim + k];
      if (!Number.isFinite(x)) throw new RangeError(`samples: sample ${j}, coordinate ${k} is ${x}; entries must be finite`);
      y[k * count + j] = x - mean[k];
    }
  }
  const { mean: ybar, cov: c } = covariance(y, dim, count, { ddof: 0 });
  const scale = dim / (count - 1);
  const gram = new Float64Array(count * count);
  for (let i = 0; i < count; i++) {
    for (let l = 0; l < count; l++) gram[i * count + l] = scale * (c[i * count + l] + ybar[i] * ybar[l]);
  }
  const values = spectrumFromCovariance(gram, count);
  const spectrum = new Float64Array(dim);
  spectrum.set(values, dim - count);
  return { mean, spectrum, matrix: 'gram', count, dim };
}
