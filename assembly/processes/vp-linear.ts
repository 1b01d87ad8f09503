// The paper's forward process (docs/MATH.md §1, docs/MATH-samplers.md §2): VP with linear β,
// β_t = βmin + (βmax − βmin) t / T, B_t = ∫₀ᵗ β, α_t = e^{−B_t}, σ_t² = 1 − e^{−2B_t}.
// Parameters, in order: [betaMin, betaMax, T]. The expressions are those of assembly/schedule.ts
// (same operation order), so the general kernel reproduces the fast path's numbers.

// @ts-ignore: decorator
@inline export function vpBeta(p: usize, t: f64): f64 {
  const bmin = load<f64>(p), bmax = load<f64>(p, 8), T = load<f64>(p, 16);
  return bmin + (bmax - bmin) * t / T;
}

/** B_t = βmin t + (βmax − βmin) t² / (2T). */
// @ts-ignore: decorator
@inline export function vpIntegratedBeta(p: usize, t: f64): f64 {
  const bmin = load<f64>(p), bmax = load<f64>(p, 8), T = load<f64>(p, 16);
  return bmin * t + (bmax - bmin) * t * t / (2.0 * T);
}

/** α_t² = e^{−2B_t}. */
// @ts-ignore: decorator
@inline export function vpSignal(p: usize, t: f64): f64 {
  return Math.exp(-2.0 * vpIntegratedBeta(p, t));
}

/** σ_t² = 1 − e^{−2B_t} (through expm1). */
// @ts-ignore: decorator
@inline export function vpNoise(p: usize, t: f64): f64 {
  return -Math.expm1(-2.0 * vpIntegratedBeta(p, t));
}
