import type { SamplerRunResult } from '../exact/run-sampler.js';

/**
 * Objectives the grid tuner minimises (docs/tuning.md §1): separable sums over the distinct
 * eigenvalues of the output variances, with their derivative ∂J/∂v (the seeds of the reverse pass,
 * assembly/kernels/gradient.ts). One entry per metric; the tuner reads nothing else.
 */
export interface TuneMetric {
  readonly id: string;
  /** What the reported number is. */
  readonly doc: string;
  /**
   * J = Σ_i w_i g(v_i, λ_i) over distinct values λ (weights w: multiplicities) from the output
   * variances v; when `seeds` is given, writes ∂J/∂v_i there. Returns J (may be +∞).
   */
  sum(v: Float64Array, lam: Float64Array, w: Float64Array, seeds: Float64Array | null): number;
  /** The reported metric from J (W2 = √J). */
  report(J: number): number;
  /** The claimed value: the metric as `runSampler` reports it for the tuned grid (null: infinite). */
  fromRun(r: SamplerRunResult): number | null;
}

/**
 * W2² between centred Gaussians with commuting covariances: Σ w (√v − √λ)² (docs/MATH.md §3),
 * written (v − λ)²/(√v + √λ)² as the core's w2Term; ∂/∂v = w (√v − √λ)/√v.
 */
const w2: TuneMetric = {
  id: 'w2',
  doc: 'W2 to the data (exact, docs/MATH.md §3)',
  sum(v, lam, w, seeds) {
    let J = 0;
    for (let i = 0; i < v.length; i++) {
      const sv = Math.sqrt(v[i]), sl = Math.sqrt(lam[i]);
      const d = v[i] - lam[i];
      const q = d === 0 ? 0 : d / (sv + sl);
      J += w[i] * q * q;
      if (seeds) seeds[i] = sv > 0 ? w[i] * q / sv : 0;
    }
    return J;
  },
  report: (J) => Math.sqrt(J),
  fromRun: (r) => r.w2,
};

/**
 * The tuner's metrics by id (`--metric`). A new metric (KL, …) is one more entry: its J and ∂J/∂v
 * from the output variances, and where `runSampler` reports it (docs/tuning.md §1).
 */
export const TUNE_METRICS: Readonly<Record<string, TuneMetric>> = Object.freeze({ w2 });
