/**
 * The options that add error sources and metrics to a run, shared by the paper's schemes
 * (`RunOptions`, exact/engine.ts) and every registry sampler (`SamplerRunOptions`,
 * exact/run-sampler.ts): means and KL (docs/metrics.md), wrong scores (docs/score-errors.md).
 */
import type { Metric } from '../exact/metrics.js';
import type { MatrixInput } from '../linalg/linalg.js';

export interface ErrorSourceOptions {
  /**
   * The data mean in the eigenbasis (mᵢ = uᵢᵀ m, input order; default 0, docs/MATH-samplers.md §8);
   * runSampler's older `means` is the same option (give one). With `scoreCov`: in data
   * coordinates (docs/score-errors.md).
   */
  mean?: readonly number[] | Float64Array;
  /**
   * The mean the score (denoiser) uses, m̂, in the eigenbasis (input order); default: the data
   * mean (docs/MATH-samplers.md §7a, §8: the recursion μ ← A μ + b m̂, target m). With `scoreCov`:
   * in data coordinates.
   */
  scoreMean?: readonly number[] | Float64Array;
  /** 'w2' (default), 'kl' or 'both': with kl, the result has `kl` (docs/metrics.md §2). */
  metric?: Metric;
  /** Also each eigen-direction's error and share (docs/metrics.md §3). */
  perEigenvalue?: boolean;
  /**
   * A wrong score with the data's eigenvectors (docs/MATH-samplers.md §7a): the score's eigenvalue
   * λ̂ᵢ for each data eigenvalue λᵢ (input order). The recursion runs on λ̂, the start and the
   * targets stay λ. Not with `scoreCov`. (The paper's schemes then run on the general kernel: the
   * scheme's registry entry on the same uniform grid.)
   */
  scoreSpectrum?: readonly number[] | Float64Array;
  /**
   * A wrong score of any covariance Σ̂ (symmetric PSD, need not commute with the data's): with
   * `cov`, the data's covariance matrix (docs/MATH-samplers.md §7b). The spectrum argument may
   * then be null (else it must have cov's size); the result has no variances and a trajectory
   * only with `scoreCovTrajectory` (one Bures distance, d³, per grid point); `mean`/`scoreMean` are then in
   * data coordinates (one value per row of cov) and `metric` gives KL both ways
   * (docs/score-errors.md).
   */
  scoreCov?: MatrixInput;
  /**
   * With `scoreCov`: also the trajectory, W2 against the exact marginal at every grid point (one
   * eigvalsh of the matrices' size per point, so off by default; docs/score-errors.md).
   */
  scoreCovTrajectory?: boolean;
  /** The data's covariance matrix, with `scoreCov` only. */
  cov?: MatrixInput;
}
