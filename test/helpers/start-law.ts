/**
 * Shared pieces of the dense-reference tests (test/metrics.test.ts, test/score-cov-laws.test.ts).
 */
import { startLevels } from '../conformance/vector-samplers';

/**
 * The start law N(mu0, C0) in data coordinates (docs/MATH-samplers.md §6) for data N(mean, sigma)
 * (sigma row-major d × d), from the process's own formulas: exact N(α₀ m, α₀² Σ + σ₀² I), or the
 * conventional N(0, prior·I).
 */
export function startLaw(
  process: string, t0: number, pp: Record<string, number>, start: 'exact' | 'prior', sigma: Float64Array, mean: Float64Array,
): { mu0: Float64Array; C0: Float64Array } {
  const d = mean.length;
  const { a2, s2, prior } = startLevels(process, pp, t0);
  const C0 = new Float64Array(d * d);
  if (start === 'exact') {
    for (let i = 0; i < d * d; i++) C0[i] = a2 * sigma[i];
    for (let i = 0; i < d; i++) C0[i * d + i] += s2;
    return { mu0: mean.map((x) => Math.sqrt(a2) * x), C0 };
  }
  for (let i = 0; i < d; i++) C0[i * d + i] = prior;
  return { mu0: new Float64Array(d), C0 };
}

/** |a − b| ≤ rel·max(|a|, |b|) + abs. */
export const close = (a: number, b: number, rel: number, abs: number) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;
