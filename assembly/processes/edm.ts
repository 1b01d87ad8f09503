// The EDM / variance-exploding forward process of Karras et al. 2022 (docs/MATH-samplers.md §2):
// x_t = x0 + t n, so α_t = 1, σ_t = t and the grid's times are the noise levels σ. No parameters.

/** α_t² = 1. */
// @ts-ignore: decorator
@inline export function edmSignal(t: f64): f64 {
  return 1.0;
}

/** σ_t² = t². */
// @ts-ignore: decorator
@inline export function edmNoise(t: f64): f64 {
  return t * t;
}
