// The per-eigenvalue coefficients of one scheme at one step, for samplers that apply the schemes
// of docs/MATH.md §4 to sample vectors in the eigenbasis (bindings/sampling.ts): y ← a_k y + √q_k z.
// The coefficients come from the same table and the same inline gain functions as the variance
// recursion in discrete.ts, so the samplers and the exact theory share every formula.
import {
  EULER, HEUN, RK4, SDE_COUNT,
  COL_SIGNAL, COL_NOISE, COL_MID_SIGNAL, COL_MID_NOISE, COL_SDE, COL_HALF_STEP_BETA, COL_MID_HALF_STEP_BETA,
  TABLE_STRIDE, halfStepDrift, eulerGain, heunGain, rk4Gain,
} from './schemes';
import { marginalFromWeights2 } from './schedule';

// @ts-ignore: decorator
@inline function col(row: usize, c: i32): v128 {
  return v128.load64_splat(row + (<usize>c << 3));
}

/**
 * Step k (from t_k to t_{k+1}) of `scheme` on a grid of K steps from T down to eps, for the
 * eigenvalues lam[0..n) (n even):
 *   out[i]       = a_k(λ_i)     the gain (with the model's λ in the coefficients of §4)
 *   out[n + i]   = q_k(λ_i)     the noise variance (0 for the ODE schemes)
 *   out[2n + i]  = λ_{t_k}(λ_i) the forward marginal eigenvalue at t_k (k = 0: λ_T)
 * `table` holds the per-step table of this grid (stepTable(K, eps, alpha, table), (K + 1) rows).
 * Where λ_t = 0 is divided by, a is ±∞ or NaN: the bindings report it.
 */
export function schemeStep(lam: usize, n: i32, table: usize, K: i32, eps: f64, k: i32, scheme: i32, out: usize): void {
  const unit = f64x2.splat(1.0);
  const zero = f64x2.splat(0.0);
  const row = table + ((<usize>k * TABLE_STRIDE) << 3);
  const outQ = out + (<usize>n << 3);
  const outL = out + (<usize>n << 4);
  const stepping = k < K;
  const next = row + (<usize>TABLE_STRIDE << 3);
  for (let i = 0; i < n; i += 2) {
    const off = <usize>i << 3;
    const L = v128.load(lam + off);
    const lNow = marginalFromWeights2(col(row, COL_SIGNAL), col(row, COL_NOISE), L);
    v128.store(outL + off, lNow);
    if (!stepping) continue;
    const r = f64x2.div(unit, lNow);
    let a = zero;
    let q = zero;
    if (scheme < SDE_COUNT) {
      const at = COL_SDE + 3 * scheme;
      a = f64x2.add(col(row, at), f64x2.mul(col(row, at + 1), r));
      q = col(row, at + 2);
    } else {
      const e0 = halfStepDrift(col(row, COL_HALF_STEP_BETA), r);
      if (scheme == EULER) {
        a = eulerGain(e0);
      } else {
        const lNext = marginalFromWeights2(col(next, COL_SIGNAL), col(next, COL_NOISE), L);
        const e1 = halfStepDrift(col(next, COL_HALF_STEP_BETA), f64x2.div(unit, lNext));
        if (scheme == HEUN) {
          a = heunGain(e0, e1, eulerGain(e0));
        } else if (scheme == RK4) {
          const lMid = marginalFromWeights2(col(row, COL_MID_SIGNAL), col(row, COL_MID_NOISE), L);
          const em = halfStepDrift(col(row, COL_MID_HALF_STEP_BETA), f64x2.div(unit, lMid));
          a = rk4Gain(e0, em, e1);
        }
      }
    }
    v128.store(out + off, a);
    v128.store(outQ + off, q);
  }
}
