/**
 * Distances measured from samples (docs/MATH.md §6): the empirical W2 against a Gaussian model along the
 * model's eigenvectors (the paper's eq. 21), and the Fréchet distance between two sample sets
 * (FID without the Inception network). Samples are row-major n × d `Float64Array`s.
 */
import { badType, badValue, checkPositiveInteger, checkOptions } from '../runtime/errors.js';
import { covariance, w2Gaussian } from '../linalg/linalg.js';
import { resolveModel, type GaussianModel } from '../sampling/sampling.js';

function checkSamples(name: string, samples: unknown, n: number, dim: number): Float64Array {
  if (!(samples instanceof Float64Array || Array.isArray(samples))) {
    throw badType(name, samples, 'a Float64Array (row-major n × d)');
  }
  if (samples.length !== n * dim) throw badValue(`${name}.length`, samples.length, `n·d = ${n}·${dim} = ${n * dim}`);
  const x = samples instanceof Float64Array ? samples : Float64Array.from(samples as number[]);
  for (let k = 0; k < x.length; k++) {
    if (!Number.isFinite(x[k])) {
      throw badValue(`${name}[${k}] (sample ${Math.floor(k / dim)}, coordinate ${k % dim})`, x[k], 'finite');
    }
  }
  return x;
}

function checkCount(name: string, n: unknown): number {
  const count = checkPositiveInteger(name, n);
  if (count < 2) throw badValue(name, count, 'at least 2 (a sample variance needs two samples)');
  return count;
}

/** The sample mean and variance (divisor n − 1) of each eigen-coordinate. */
export interface EigenMoments {
  /** Mean of the coordinates c = Uᵀ x, length d. */
  mean: Float64Array;
  /** Sample variance of each coordinate, divisor n − 1, length d. */
  variances: Float64Array;
}

/**
 * Project samples on the model's eigenvectors (c_j = Uᵀ x_j) and return the per-coordinate sample
 * mean and variance (divisor n − 1, two-pass). After `await init()` when the model is a covariance.
 * @example eigenMoments(Float64Array.of(1, 0, -1, 0), 2, { values: [1, 1], vectors: [1, 0, 0, 1] }).variances // → [2, 0]
 */
export function eigenMoments(samples: Float64Array, n: number, model: GaussianModel): EigenMoments {
  const count = checkCount('n', n);
  const m = resolveModel(model);
  const d = m.dim;
  const x = checkSamples('samples', samples, count, d);
  const c = m.basis.toCoords(x, count);
  const mean = new Float64Array(d);
  for (let j = 0; j < count; j++) for (let i = 0; i < d; i++) mean[i] += c[j * d + i];
  for (let i = 0; i < d; i++) mean[i] /= count;
  const variances = new Float64Array(d);
  for (let j = 0; j < count; j++) {
    for (let i = 0; i < d; i++) {
      const e = c[j * d + i] - mean[i];
      variances[i] += e * e;
    }
  }
  for (let i = 0; i < d; i++) variances[i] /= count - 1;
  return { mean, variances };
}

export interface EmpiricalW2Options {
  /** Mean of the target N(m, Σ) (length d, default 0). */
  mean?: ArrayLike<number>;
}

/**
 * Empirical W2 of samples against N(m, Σ) along Σ's eigenvectors (docs/MATH.md §6, the paper's eq. 21):
 * with ĉ_i the sample mean and σ̂_i² the sample variance (divisor n − 1) of coordinate i of
 * Uᵀ x and μ = Uᵀ m,
 * `W2² = Σ_i (ĉ_i − μ_i)² + Σ_i (σ̂_i − √λ_i)²` (§3's commuting formula, cancellation-free).
 *
 * It UNDERESTIMATES the distance between the samples' law and N(m, Σ), for two reasons: it treats
 * the samples as Gaussian (the W2 between two laws is at least the W2 between Gaussians with the
 * same means and covariances — Gelbrich's bound — with equality only for Gaussians), and as
 * diagonal in Σ's basis — it ignores the off-diagonal sample covariance, and by Schur concavity
 * Σ_i √(λ_i Ĉ_ii) ≥ tr (Σ^{1/2} Ĉ Σ^{1/2})^{1/2}, so it is at most the Bures distance of the fitted
 * Gaussian N(ĉ, Ĉ) (`frechetDistance`-style, against Σ). Finite n biases it the other way: with
 * exact samples E[W2²] ≈ 1.5 tr Σ / n (tr Σ / n from the mean, tr Σ / 2n from
 * the standard deviations), not 0.
 * @param samples row-major n × d
 * @example empiricalW2(sampleGaussianSync(S, 1e5, { seed: 1 }), 1e5, S) // → ≈ √(1.5 tr S / 1e5)
 */
export function empiricalW2(samples: Float64Array, n: number, model: GaussianModel, options: EmpiricalW2Options = {}): number {
  checkOptions(options);
  const m = resolveModel(model);
  const { mean, variances } = eigenMoments(samples, n, { values: m.values, basis: m.basis });
  const d = m.dim;
  let target: Float64Array = new Float64Array(d);
  if (options.mean !== undefined) {
    if (!(options.mean instanceof Float64Array || Array.isArray(options.mean))) throw badType('mean', options.mean, 'a Float64Array or array of length d');
    const mu = checkSamples('mean', options.mean, 1, d);
    target = m.basis.toCoords(mu, 1);
  }
  let sum = 0;
  for (let i = 0; i < d; i++) {
    const dm = mean[i] - target[i];
    const a = variances[i];
    const b = m.values[i];
    const q = a === b ? 0 : (a - b) / (Math.sqrt(a) + Math.sqrt(b));
    sum += dm * dm + q * q;
  }
  return Math.sqrt(sum);
}

/**
 * Fréchet distance between two sample sets (docs/MATH.md §6: FID without the Inception network): fit a mean
 * and covariance (divisor n − 1, `covariance`) to each set, then §3's general (Bures) formula
 * `W2² = |m_A − m_B|² + tr S_A + tr S_B − 2 tr (S_A^{1/2} S_B S_A^{1/2})^{1/2}` (`w2Gaussian`).
 * Symmetric; 0 for identical sets up to the formula's cancellation (≈ 1e-8·√tr S). Like any
 * Gaussian fit it is a lower bound of the W2 between the two laws (Gelbrich), and with finite n it
 * is biased upward. After `await init()`.
 * @example frechetDistance(a, 1000, a, 1000, 3) // → ≈ 0
 */
export function frechetDistance(samplesA: Float64Array, nA: number, samplesB: Float64Array, nB: number, dim: number): number {
  const d = checkPositiveInteger('dim', dim);
  const countA = checkCount('nA', nA);
  const countB = checkCount('nB', nB);
  const a = covariance(checkSamples('samplesA', samplesA, countA, d), countA, d);
  const b = covariance(checkSamples('samplesB', samplesB, countB, d), countB, d);
  return w2Gaussian(a.mean, a.cov, b.mean, b.cov, d);
}
