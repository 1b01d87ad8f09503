// Song et al.'s variance-exploding SDE (docs/MATH-samplers.md §2): α_t = 1,
// σ_t = σmin (σmax/σmin)^t. Parameters: [sigma_min, sigma_max].

/** σ_t² = σmin² (σmax/σmin)^{2t}. */
export function veNoise(p: usize, t: f64): f64 {
  const lo = load<f64>(p), hi = load<f64>(p, 8);
  const s = lo * Math.pow(hi / lo, t);
  return s * s;
}
