// Rectified flow / flow matching (docs/MATH-samplers.md §2): x_t = (1 − σ) x0 + σ n with the shifted
// level σ = shift·t/(1 + (shift − 1) t) (diffusers FlowMatchEulerDiscreteScheduler `shift`, ComfyUI
// ModelSamplingDiscreteFlow); shift = 1 is the plain α = 1 − t, σ = t. Parameters: [shift].

/** The shifted flow level σ(t). */
// @ts-ignore: decorator
@inline export function flowSigma(p: usize, t: f64): f64 {
  const shift = load<f64>(p);
  return shift * t / (1.0 + (shift - 1.0) * t);
}

/** α_t² = (1 − σ)², with 1 − σ = (1 − t)/(1 + (shift − 1) t) (no cancellation near σ = 1). */
export function flowSignal(p: usize, t: f64): f64 {
  const shift = load<f64>(p);
  const a = (1.0 - t) / (1.0 + (shift - 1.0) * t);
  return a * a;
}

/** σ_t². */
export function flowNoise(p: usize, t: f64): f64 {
  const s = flowSigma(p, t);
  return s * s;
}
