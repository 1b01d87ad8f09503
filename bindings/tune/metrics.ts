import type { SamplerRunResult } from '../exact/run-sampler.js';
import { xMinusLog1p } from '../exact/metrics.js';

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
 * One direction's KL term of centred Gaussians (docs/metrics.md §2, docs/tuning.md §1) and its
 * derivative in the output variance v. `forward`: KL(N(0, v) ‖ N(0, λ)) = ½ (x − log1p x),
 * x = (v − λ)/λ, ∂/∂v = ½ (v − λ)/(λ v); reverse: KL(N(0, λ) ‖ N(0, v)) = ½ (x − log1p x),
 * x = (λ − v)/v, ∂/∂v = ½ (v − λ)/v². v = λ = 0 is 0 (the same point mass; derivative 0: the
 * sampler puts variance 0 there for every grid, e.g. a last Euler step to σ = 0); any other zero
 * variance, or a non-finite v, is +∞ (the term as `runSampler`'s KL makes it: null there).
 */
function klSum(reverse: boolean): TuneMetric['sum'] {
  return (v, lam, w, seeds) => {
    let J = 0;
    for (let i = 0; i < v.length; i++) {
      if (seeds) seeds[i] = 0;
      if (w[i] === 0) continue;
      const vi = v[i], l = lam[i];
      if (!(vi >= 0 && vi < Infinity)) return Infinity;
      if (vi === 0 || l === 0) {
        if (vi === 0 && l === 0) continue;
        return Infinity;
      }
      J += 0.5 * w[i] * (reverse ? xMinusLog1p((l - vi) / vi) : xMinusLog1p((vi - l) / l));
      if (seeds) seeds[i] = 0.5 * w[i] * (reverse ? (vi - l) / (vi * vi) : (vi - l) / (l * vi));
    }
    return J;
  };
}

/** KL(sampler ‖ data), nats: `--metric kl` (= the forward KL of `run --metric kl`). */
const kl: TuneMetric = {
  id: 'kl',
  doc: 'KL(sampler ‖ data), nats (the forward KL of run --metric kl, docs/metrics.md §2)',
  sum: klSum(false),
  report: (J) => J,
  fromRun: (r) => r.kl?.forward ?? null,
};

/** KL(data ‖ sampler), nats: `--metric kl-reverse` (the reverse KL of `run --metric kl`). */
const klReverse: TuneMetric = {
  id: 'kl-reverse',
  doc: 'KL(data ‖ sampler), nats (the reverse KL of run --metric kl, docs/metrics.md §2)',
  sum: klSum(true),
  report: (J) => J,
  fromRun: (r) => r.kl?.reverse ?? null,
};

/**
 * The tuner's metrics by id (`--metric`): w2 (default), kl (= KL(sampler ‖ data)), kl-reverse. A
 * new metric is one more entry: its J and ∂J/∂v from the output variances, and where `runSampler`
 * reports it (docs/tuning.md §1).
 */
export const TUNE_METRICS: Readonly<Record<string, TuneMetric>> = Object.freeze({ w2, kl, 'kl-reverse': klReverse });
