// The discretisation schemes (docs/MATH.md §4; the paper's Table 3, the α-family EM from the slides).
// Every scheme is linear in y, so per eigenvalue one step is y ← a y + √q z and the variance
// obeys v ← a² v + q. This file is the one place where a and q are written down.
import { beta, integratedBeta, signalWeight, noiseWeight, gridTime, horizon } from './schedule';

// Scheme ids, shared with the bindings (bindings/schemes.ts lists the same order).
export const EM: i32 = 0;
export const EI: i32 = 1;
export const DDPM: i32 = 2;
export const EM_ALPHA: i32 = 3;
export const EULER: i32 = 4;
export const HEUN: i32 = 5;
export const RK4: i32 = 6;
export const SCHEME_COUNT: i32 = 7;
/** Schemes 0..3 are SDE schemes whose a is affine in r = 1/λ_k: a = P + Q r, q = R. */
export const SDE_COUNT: i32 = 4;

// Columns of the per-step table (row k for grid time t_k, k = 0..K).
export const COL_SIGNAL: i32 = 0; // e^{−2B(t_k)}
export const COL_NOISE: i32 = 1; // 1 − e^{−2B(t_k)}
export const COL_BETA: i32 = 2; // β(t_k)
export const COL_MID_SIGNAL: i32 = 3; // the same three at t_k − h/2 (RK4)
export const COL_MID_NOISE: i32 = 4;
export const COL_MID_BETA: i32 = 5;
export const COL_SDE: i32 = 6; // then P, Q, R for each SDE scheme
/** (h/2) β(t_k): the ODE schemes' gains are written with e = (h/2) c(t) (see halfStepDrift). */
export const COL_HALF_STEP_BETA: i32 = COL_SDE + 3 * SDE_COUNT;
export const COL_MID_HALF_STEP_BETA: i32 = COL_HALF_STEP_BETA + 1; // the same at t_k − h/2 (RK4)
export const TABLE_STRIDE: i32 = COL_MID_HALF_STEP_BETA + 1;

/**
 * The largest step count K whose table ((K + 1) rows of TABLE_STRIDE doubles) fits in one block
 * of the allocator (~lib/rt/tlsf: blocks below 1 GiB). Sizes are computed in 64 bits: in 32 bits
 * (K + 1) · TABLE_STRIDE · 8 wraps around from K ≈ 2.7e7 and a short table would be overrun.
 */
export const MAX_STEPS: i32 = <i32>(((<u64>1 << 30) - 1024) / (<u64>TABLE_STRIDE << 3)) - 1;

/**
 * Fill the per-step table of a grid of K steps from T down to eps: the schedule scalars once per
 * step (not once per eigenvalue), (h/2)β at t_k and t_k − h/2 for the ODE schemes, and the
 * coefficients P, Q, R of the SDE schemes at step k:
 *   EM        a = 1 + hβ_k (1 − 2/λ_k)                          q = 2hβ_k
 *   EI        a = 1 + γ1 (1 − 2/λ_k), γ1 = e^{B_k − B_{k+1}} − 1  q = 2γ2, γ2 = (e^{2(B_k − B_{k+1})} − 1)/2
 *   DDPM      a = (1 − b/λ_k)/√(1 − b), b = 2hβ_k               q = b
 *   α-EM      a = 1 + hβ_k (1 − (1+α)/λ_k)                      q = 2αhβ_k
 * with h = (T − ε)/K; the schedule at pp ([βmin, βmax, T], schedule.ts). DDPM needs b < 1 at every step: the bindings check it before calling.
 */
export function fillStepTable(table: usize, pp: usize, K: i32, eps: f64, alpha: f64): void {
  const T = horizon(pp);
  const h = (T - eps) / <f64>K;
  for (let k = 0; k <= K; k++) {
    const t = gridTime(T, k, K, eps);
    const row = table + ((<usize>k * TABLE_STRIDE) << 3);
    store<f64>(row + (COL_SIGNAL << 3), signalWeight(pp, t));
    store<f64>(row + (COL_NOISE << 3), noiseWeight(pp, t));
    store<f64>(row + (COL_BETA << 3), beta(pp, t));
    store<f64>(row + (COL_HALF_STEP_BETA << 3), 0.5 * h * beta(pp, t));
    if (k == K) break;
    const tNext = gridTime(T, k + 1, K, eps);
    const tMid = t - 0.5 * h;
    store<f64>(row + (COL_MID_SIGNAL << 3), signalWeight(pp, tMid));
    store<f64>(row + (COL_MID_NOISE << 3), noiseWeight(pp, tMid));
    store<f64>(row + (COL_MID_BETA << 3), beta(pp, tMid));
    store<f64>(row + (COL_MID_HALF_STEP_BETA << 3), 0.5 * h * beta(pp, tMid));
    const hb = h * beta(pp, t);
    const dB = integratedBeta(pp, t) - integratedBeta(pp, tNext);
    const g1 = Math.expm1(dB);
    const g2 = 0.5 * Math.expm1(2.0 * dB);
    const b = 2.0 * hb;
    const s = 1.0 / Math.sqrt(1.0 - b);
    storeSde(row, EM, 1.0 + hb, -2.0 * hb, 2.0 * hb);
    storeSde(row, EI, 1.0 + g1, -2.0 * g1, 2.0 * g2);
    storeSde(row, DDPM, s, -b * s, b);
    storeSde(row, EM_ALPHA, 1.0 + hb, -(1.0 + alpha) * hb, 2.0 * alpha * hb);
  }
}

// @ts-ignore: decorator
@inline function storeSde(row: usize, scheme: i32, P: f64, Q: f64, R: f64): void {
  const at = row + ((<usize>(COL_SDE + 3 * scheme)) << 3);
  store<f64>(at, P);
  store<f64>(at, Q, 8);
  store<f64>(at, R, 16);
}

/**
 * e = (h/2) c(t), the probability-flow drift coefficient c(t) = β_t (1 − 1/λ_t) times half a
 * step, from (h/2)β_t (the table's COL_HALF_STEP_BETA) and r = 1/λ_t. The ODE gains below are
 * written in e, so that no step needs h or a constant factor beyond 1.
 */
// @ts-ignore: decorator
@inline export function halfStepDrift(halfStepBeta: v128, r: v128): v128 {
  return f64x2.mul(halfStepBeta, f64x2.sub(f64x2.splat(1.0), r));
}

/** Euler: a = 1 + h c(t_k) = 1 + 2 e_k. */
// @ts-ignore: decorator
@inline export function eulerGain(e0: v128): v128 {
  return f64x2.add(f64x2.add(f64x2.splat(1.0), e0), e0);
}

/**
 * Heun: a = 1 + (h/2) c(t_k) + (h/2) c(t_{k+1}) (1 + h c(t_k)) = 1 + e_k + e_{k+1} · euler, where
 * euler = 1 + 2 e_k is the Euler gain of the same step (the predictor; passed in so that a pass
 * running both schemes computes it once).
 */
// @ts-ignore: decorator
@inline export function heunGain(e0: v128, e1: v128, euler: v128): v128 {
  return f64x2.add(f64x2.add(f64x2.splat(1.0), e0), f64x2.mul(e1, euler));
}

/**
 * RK4: a = 1 + (h/6)(C1 + 2C2 + 2C3 + C4), C1 = c(t_k), C2 = c(t_m)(1 + h C1/2),
 * C3 = c(t_m)(1 + h C2/2), C4 = c(t_{k+1})(1 + h C3), t_m = t_k − h/2. With E_i = (h/2) C_i:
 * E1 = e_k, E2 = e_m (1 + E1), E3 = e_m (1 + E2), E4 = e_{k+1} (1 + 2 E3),
 * a = 1 + (E1 + E4 + 2 (E2 + E3)) / 3.
 */
// @ts-ignore: decorator
@inline export function rk4Gain(e0: v128, em: v128, e1: v128): v128 {
  const one = f64x2.splat(1.0);
  const E2 = f64x2.mul(em, f64x2.add(one, e0));
  const E3 = f64x2.mul(em, f64x2.add(one, E2));
  const E4 = f64x2.mul(e1, f64x2.add(f64x2.add(one, E3), E3));
  const inner = f64x2.add(E2, E3);
  const sum = f64x2.add(f64x2.add(e0, E4), f64x2.add(inner, inner));
  return f64x2.add(one, f64x2.mul(sum, f64x2.splat(1.0 / 3.0)));
}

/** max over the steps of DDPM's b = 2hβ_k on the uniform grid (DDPM needs b < 1; the bindings check it). */
export function ddpmMaxB(pp: usize, K: i32, eps: f64): f64 {
  const T = horizon(pp);
  const h = (T - eps) / <f64>K;
  let worst: f64 = 0.0;
  for (let k = 0; k < K; k++) worst = Math.max(worst, 2.0 * h * beta(pp, gridTime(T, k, K, eps)));
  return worst;
}
