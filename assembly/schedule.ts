// The linear variance-preserving schedule (docs/MATH.md §1; the paper's §2, Song et al. 2021 with the
// factor 2 carried by the SDE): β_t = βmin + (βmax − βmin) t / T, B_t = ∫₀ᵗ β_u du.
// Every other file reads the schedule through these functions only.

let betaMin: f64 = 0.05;
let betaMax: f64 = 10.0;
let horizon: f64 = 1.0;

/** Set the schedule used by the following calls (validated by the bindings). */
export function setSchedule(bmin: f64, bmax: f64, T: f64): void {
  betaMin = bmin;
  betaMax = bmax;
  horizon = T;
}

export function scheduleT(): f64 {
  return horizon;
}

/** β ≡ 0 (βmin = βmax = 0): no noise is added and every step of every scheme is the identity. */
export function betaIsZero(): bool {
  return betaMax == 0.0;
}

/** β_t. */
// @ts-ignore: decorator
@inline export function beta(t: f64): f64 {
  return betaMin + (betaMax - betaMin) * t / horizon;
}

/** B_t = βmin t + (βmax − βmin) t² / (2T). */
// @ts-ignore: decorator
@inline export function integratedBeta(t: f64): f64 {
  return betaMin * t + (betaMax - betaMin) * t * t / (2.0 * horizon);
}

/** e^{−2B_t}: the weight of the data in the marginal λ_t = e^{−2B_t} λ + (1 − e^{−2B_t}). */
// @ts-ignore: decorator
@inline export function signalWeight(t: f64): f64 {
  return Math.exp(-2.0 * integratedBeta(t));
}

/** 1 − e^{−2B_t}, through expm1 so that it keeps its digits near t = 0. */
// @ts-ignore: decorator
@inline export function noiseWeight(t: f64): f64 {
  return -Math.expm1(-2.0 * integratedBeta(t));
}

/** The forward marginal eigenvalue λ_t (docs/MATH.md §1). */
// @ts-ignore: decorator
@inline export function marginal(lambda: f64, t: f64): f64 {
  return marginalFromWeights(signalWeight(t), noiseWeight(t), lambda);
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
@inline export function gridTime(k: i32, K: i32, eps: f64): f64 {
  return k == K ? eps : horizon - (horizon - eps) * <f64>k / <f64>K;
}

/** The K + 1 grid times t_0 = T > … > t_K = eps, into out. */
export function gridTimes(K: i32, eps: f64, out: usize): void {
  for (let k = 0; k <= K; k++) store<f64>(out + (<usize>k << 3), gridTime(k, K, eps));
}

/** λ_t for n eigenvalues (docs/MATH.md §1), into out; and β_t: for callers that need the marginal at t. */
export function marginals(lam: usize, n: i32, t: f64, out: usize): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), marginal(load<f64>(lam + (<usize>i << 3)), t));
}

export function betaAt(t: f64): f64 {
  return beta(t);
}
