// The paper's linear variance-preserving schedule on the fast path (docs/MATH.md §1; the paper's §2,
// Song et al. 2021 with the factor 2 carried by the SDE): β_t = βmin + (βmax − βmin) t / T,
// B_t = ∫₀ᵗ β_u du. No state: every call passes the schedule as `pp`, a pointer to
// [betaMin, betaMax, T] (the parameters of the forward process 'vp', processes/vp-linear.ts, whose
// expressions these are), and the grid as (K, ε).
import { vpBeta, vpIntegratedBeta } from './processes/vp-linear';

/** T of the schedule at pp. */
// @ts-ignore: decorator
@inline export function horizon(pp: usize): f64 {
  return load<f64>(pp, 16);
}

/** β ≡ 0 (βmin = βmax = 0): no noise is added and every step of every scheme is the identity. */
// @ts-ignore: decorator
@inline export function betaIsZero(pp: usize): bool {
  return load<f64>(pp, 8) == 0.0;
}

/** β_t. */
// @ts-ignore: decorator
@inline export function beta(pp: usize, t: f64): f64 {
  return vpBeta(pp, t);
}

/** B_t = βmin t + (βmax − βmin) t² / (2T). */
// @ts-ignore: decorator
@inline export function integratedBeta(pp: usize, t: f64): f64 {
  return vpIntegratedBeta(pp, t);
}

/** e^{−2B_t}: the weight of the data in the marginal λ_t = e^{−2B_t} λ + (1 − e^{−2B_t}). */
// @ts-ignore: decorator
@inline export function signalWeight(pp: usize, t: f64): f64 {
  return Math.exp(-2.0 * integratedBeta(pp, t));
}

/** 1 − e^{−2B_t}, through expm1 so that it keeps its digits near t = 0. */
// @ts-ignore: decorator
@inline export function noiseWeight(pp: usize, t: f64): f64 {
  return -Math.expm1(-2.0 * integratedBeta(pp, t));
}

/** The forward marginal eigenvalue λ_t (docs/MATH.md §1). */
// @ts-ignore: decorator
@inline export function marginal(pp: usize, lambda: f64, t: f64): f64 {
  return marginalFromWeights(signalWeight(pp, t), noiseWeight(pp, t), lambda);
}

/** λ_t = e^{−2B_t} λ + (1 − e^{−2B_t}) from the two weights at t, computed once per t (docs/MATH.md §1). */
// @ts-ignore: decorator
@inline export function marginalFromWeights(signal: f64, noise: f64, lambda: f64): f64 {
  return signal * lambda + noise;
}

/** marginalFromWeights on two eigenvalues (the weights splatted, e.g. from a step-table row). */
// @ts-ignore: decorator
@inline export function marginalFromWeights2(signal: v128, noise: v128, lambda: v128): v128 {
  return f64x2.add(f64x2.mul(signal, lambda), noise);
}

/**
 * Time of grid point k of K from T down to eps (docs/MATH.md §4): t_k = T − (T − ε) k / K, with the
 * last point set to ε exactly (as numpy.linspace does).
 */
// @ts-ignore: decorator
@inline export function gridTime(T: f64, k: i32, K: i32, eps: f64): f64 {
  return k == K ? eps : T - (T - eps) * <f64>k / <f64>K;
}

/** The K + 1 grid times t_0 = T > … > t_K = eps, into out. */
export function gridTimes(T: f64, K: i32, eps: f64, out: usize): void {
  for (let k = 0; k <= K; k++) store<f64>(out + (<usize>k << 3), gridTime(T, k, K, eps));
}

/** λ_t for n eigenvalues (docs/MATH.md §1), into out: for callers that need the marginal at t. */
export function marginals(pp: usize, lam: usize, n: i32, t: f64, out: usize): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), marginal(pp, load<f64>(lam + (<usize>i << 3)), t));
}

/** β_t of the schedule at pp. */
export function betaAt(pp: usize, t: f64): f64 {
  return beta(pp, t);
}
