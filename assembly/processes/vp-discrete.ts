// Discrete-time VP processes (DDPM linear β, Stable Diffusion's scaled_linear β), in continuous time
// as DPM-Solver's NoiseScheduleVP('discrete') (docs/MATH-samplers.md §2): ᾱᵢ = Πⱼ≤ᵢ(1 − βⱼ) at
// tᵢ = (i + 1)/N, log α = ½ log ᾱ piecewise linear in t between those nodes. Below t = 1/N we join
// (0, log α = 0) instead of extrapolating (DPM-Solver's extrapolation gives α > 1 there), so t = 0
// is the data (σ = 0) and the process stays VP on all of [0, 1].
// Parameters, in order: [beta_start, beta_end, num_train_timesteps]. `scaled` = SD's scaled_linear:
// βⱼ = linspace(√beta_start, √beta_end, N)ⱼ²; else linear: βⱼ = linspace(beta_start, beta_end, N)ⱼ.
// Stable arithmetic: log ᾱᵢ = Σⱼ≤ᵢ log1p(−βⱼ) (never 1 − cumprod), σ² = −expm1(2 log α).

/** βⱼ as numpy.linspace(a, b, N)[j] (squared for scaled_linear). */
// @ts-ignore: decorator
@inline function discreteBeta(p: usize, scaled: bool, j: i32): f64 {
  let a = load<f64>(p), b = load<f64>(p, 8);
  const N = <i32>load<f64>(p, 16);
  if (scaled) { a = Math.sqrt(a); b = Math.sqrt(b); }
  const x = j == N - 1 ? b : a + <f64>j * ((b - a) / <f64>(N - 1));
  return scaled ? x * x : x;
}

/** log α(t) = ½ log ᾱ, piecewise linear in t through (0, 0) and ((i + 1)/N, ½ log ᾱᵢ). */
export function discreteLogAlpha(p: usize, scaled: bool, t: f64): f64 {
  const N = <i32>load<f64>(p, 16);
  const u = t * <f64>N;
  // node k at u = k carries ½ log ᾱ_{k−1} (node 0: 0); t ≥ 1 extrapolates the last segment
  let k = <i32>Math.floor(u);
  if (k < 0) k = 0;
  if (k > N - 1) k = N - 1;
  let s = 0.0;
  for (let j = 0; j < k; j++) s += Math.log1p(-discreteBeta(p, scaled, j));
  const lo = 0.5 * s;
  const hi = 0.5 * (s + Math.log1p(-discreteBeta(p, scaled, k)));
  return lo + (u - <f64>k) * (hi - lo);
}

/** α_t² = e^{2 log α}. */
export function discreteSignal(p: usize, scaled: bool, t: f64): f64 {
  return Math.exp(2.0 * discreteLogAlpha(p, scaled, t));
}

/** σ_t² = −expm1(2 log α). */
export function discreteNoise(p: usize, scaled: bool, t: f64): f64 {
  return -Math.expm1(2.0 * discreteLogAlpha(p, scaled, t));
}
