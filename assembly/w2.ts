// The 2-Wasserstein distance between centred Gaussians diagonal in one basis (docs/MATH.md §3):
// W2² = Σ_i w_i (√a_i − √b_i)², with w_i the multiplicity of eigenvalue i.

const ZERO = f64x2.splat(0.0);

/**
 * (√a − √b)² for two lanes, in the cancellation-free form ((a − b) / (√a + √b))².
 * Exactly 0 where a = b (this also covers a = b = 0, where the quotient would be 0/0).
 * A lane with a = ∞ gives NaN: the caller reports the whole sum as undefined.
 */
// @ts-ignore: decorator
@inline export function w2Term(a: v128, b: v128): v128 {
  const d = f64x2.sub(a, b);
  const q = f64x2.div(d, f64x2.add(f64x2.sqrt(a), f64x2.sqrt(b)));
  return v128.bitselect(ZERO, f64x2.mul(q, q), f64x2.eq(d, ZERO));
}

/** Sum of the two lanes. */
// @ts-ignore: decorator
@inline export function laneSum(x: v128): f64 {
  return f64x2.extract_lane(x, 0) + f64x2.extract_lane(x, 1);
}
