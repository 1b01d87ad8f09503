// VP cosine process (Nichol & Dhariwal 2021, continuous; docs/MATH-samplers.md §2):
// α_t = cos θ_t / cos θ₀, θ_t = (t + s)/(1 + s)·π/2, σ_t² = 1 − α_t². Parameters: [s, T].
// σ_t² = (cos²θ₀ − cos²θ_t)/cos²θ₀ = sin(θ_t − θ₀) sin(θ_t + θ₀)/cos²θ₀: no cancellation near t = 0.

// @ts-ignore: decorator
@inline function theta(s: f64, t: f64): f64 {
  return (t + s) / (1.0 + s) * (Math.PI / 2.0);
}

/** α_t². */
export function cosineSignal(p: usize, t: f64): f64 {
  const s = load<f64>(p);
  const a = Math.cos(theta(s, t)) / Math.cos(theta(s, 0.0));
  return a * a;
}

/** σ_t² = sin(θ_t − θ₀) sin(θ_t + θ₀)/cos²θ₀. */
export function cosineNoise(p: usize, t: f64): f64 {
  const s = load<f64>(p);
  const th = theta(s, t), th0 = theta(s, 0.0), c0 = Math.cos(th0);
  return Math.sin(th - th0) * Math.sin(th + th0) / (c0 * c0);
}
