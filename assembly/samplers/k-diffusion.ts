// k-diffusion samplers (crowsonkb/k-diffusion k_diffusion/sampling.py) on the EDM process
// (α = 1, σ_t = t: the grid's times are the σ's), per eigenvalue (docs/MATH-samplers.md §5).
// With the exact denoiser D(x) = m + c(s)(x − m), c(s) = λ/(λ + s²), every sampler combines x and
// the D's with weights summing to one, so b = (I − A) e (e = 1 on x and D slots): written here in
// the cancellation-free form.
import { setA, setB, setQ, col } from './coefficients';

// ---------------------------------------------------------------------------------------------
// sample_euler (Karras et al. 2022, Algorithm 2 with Euler steps), §5.1 and §5.3.
// Parameters, in order: [s_churn, s_tmin, s_tmax, s_noise]. State (x), size 1.
// γ_i = min(s_churn/N, √2 − 1) if s_tmin ≤ σ_i ≤ s_tmax else 0 (N = len(sigmas) − 1 = K),
// ŝ = σ_i (1 + γ_i), x̂ = x + √(ŝ² − σ_i²) s_noise ξ, x' = x̂ + (σ' − ŝ)(x̂ − D(x̂))/ŝ:
//   a = (λ + ŝ σ')/(λ + ŝ²),  b = ŝ(ŝ − σ')/(λ + ŝ²) = 1 − a,  q = a² (ŝ² − σ_i²) s_noise².
const EU_SH2: i32 = 0; // ŝ²
const EU_SHS1: i32 = 1; // ŝ σ'
const EU_SHD: i32 = 2; // ŝ (ŝ − σ')
const EU_CHURN: i32 = 3; // (ŝ² − σ²) s_noise²
export const EULER_STRIDE: i32 = 4;

export function eulerPrepare(params: usize, times: usize, K: i32): usize {
  const sChurn = load<f64>(params), sTmin = load<f64>(params, 8), sTmax = load<f64>(params, 16), sNoise = load<f64>(params, 24);
  const table = heap.alloc(<usize>K * EULER_STRIDE * 8);
  for (let k = 0; k < K; k++) {
    const s = load<f64>(times + (<usize>k << 3));
    const s1 = load<f64>(times + (<usize>(k + 1) << 3));
    const gamma = sTmin <= s && s <= sTmax ? Math.min(sChurn / <f64>K, Math.SQRT2 - 1.0) : 0.0;
    const sh = s * (gamma + 1.0);
    const row = table + ((<usize>k * EULER_STRIDE) << 3);
    store<f64>(row + (EU_SH2 << 3), sh * sh);
    store<f64>(row + (EU_SHS1 << 3), sh * s1);
    store<f64>(row + (EU_SHD << 3), sh * (sh - s1));
    store<f64>(row + (EU_CHURN << 3), gamma > 0.0 ? (sh * sh - s * s) * sNoise * sNoise : 0.0);
  }
  return table;
}

// @ts-ignore: decorator
@inline export function eulerCoefficients(table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * EULER_STRIDE) << 3);
  const den = f64x2.add(L, col(row, EU_SH2));
  const a = f64x2.div(f64x2.add(L, col(row, EU_SHS1)), den);
  setA(s, 0, 0, a);
  if (wantB) setB(s, 0, f64x2.div(col(row, EU_SHD), den));
  if (wantQ) setQ(s, 0, 0, f64x2.mul(f64x2.mul(a, a), col(row, EU_CHURN)));
}

// ---------------------------------------------------------------------------------------------
// sample_dpmpp_2m (DPM-Solver++(2M), Lu et al. 2022), §5.9. No parameters. State (x, D_prev):
//   A = [[ρ + (1−ρ)(1+κ) c(s),  −(1−ρ)κ],   b = [(1−ρ)(1+κ) c̄(s), c̄(s)],   Q = 0,
//        [c(s),                  0      ]]
// ρ = σ'/σ, 1 − ρ = −expm1(−h), h = log σ − log σ', κ = 1/(2r), r = h_last/h; κ = 0 on the
// first step and on the step to σ' = 0 (where ρ = 0 and x' = D). c̄(s) = s²/(λ + s²).
const DP_S2: i32 = 0; // σ²
const DP_RHO: i32 = 1; // σ'/σ
const DP_OMR: i32 = 2; // 1 − ρ
const DP_KAPPA: i32 = 3; // κ
export const DPMPP_2M_STRIDE: i32 = 4;

export function dpmpp2mPrepare(times: usize, K: i32): usize {
  const table = heap.alloc(<usize>K * DPMPP_2M_STRIDE * 8);
  for (let k = 0; k < K; k++) {
    const s = load<f64>(times + (<usize>k << 3));
    const s1 = load<f64>(times + (<usize>(k + 1) << 3));
    // k-diffusion: t = −log σ, h = t_next − t (= +∞ to σ' = 0).
    const h = -Math.log(s1) + Math.log(s);
    let kappa = 0.0;
    if (k > 0 && s1 != 0.0) {
      const hLast = -Math.log(s) + Math.log(load<f64>(times + (<usize>(k - 1) << 3)));
      kappa = 1.0 / (2.0 * (hLast / h));
    }
    const row = table + ((<usize>k * DPMPP_2M_STRIDE) << 3);
    store<f64>(row + (DP_S2 << 3), s * s);
    store<f64>(row + (DP_RHO << 3), s1 / s);
    store<f64>(row + (DP_OMR << 3), -Math.expm1(-h));
    store<f64>(row + (DP_KAPPA << 3), kappa);
  }
  return table;
}

// @ts-ignore: decorator
@inline export function dpmpp2mCoefficients(table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * DPMPP_2M_STRIDE) << 3);
  const s2 = col(row, DP_S2);
  const den = f64x2.add(L, s2);
  const c = f64x2.div(L, den);
  const omr = col(row, DP_OMR);
  const kappa = col(row, DP_KAPPA);
  const w = f64x2.mul(omr, f64x2.add(f64x2.splat(1.0), kappa)); // (1 − ρ)(1 + κ)
  const zero = f64x2.splat(0.0);
  setA(s, 0, 0, f64x2.add(col(row, DP_RHO), f64x2.mul(w, c)));
  setA(s, 0, 1, f64x2.neg(f64x2.mul(omr, kappa)));
  setA(s, 1, 0, c);
  setA(s, 1, 1, zero);
  if (wantB) {
    const cbar = f64x2.div(s2, den);
    setB(s, 0, f64x2.mul(w, cbar));
    setB(s, 1, cbar);
  }
  if (wantQ) {
    setQ(s, 0, 0, zero);
    setQ(s, 0, 1, zero);
    setQ(s, 1, 0, zero);
    setQ(s, 1, 1, zero);
  }
}

// ---------------------------------------------------------------------------------------------
// sample_euler_ancestral, §5.5. Parameters, in order: [eta, s_noise]. State (x), size 1.
// get_ancestral_step: σ_up = min(σ', η √(σ'² (σ² − σ'²)/σ²)), σ_down = √(σ'² − σ_up²);
// x' = x + (σ_down − σ) d, d = (x − D)/σ, then + s_noise σ_up ξ if σ' > 0:
//   a = (λ + σ σ_down)/(λ + σ²),  b = σ(σ − σ_down)/(λ + σ²) = 1 − a,  q = (s_noise σ_up)² (0 to σ' = 0).
const EA_S2: i32 = 0; // σ²
const EA_SSD: i32 = 1; // σ σ_down
const EA_SD: i32 = 2; // σ (σ − σ_down)
const EA_NOISE: i32 = 3; // (s_noise σ_up)²
export const EULER_ANCESTRAL_STRIDE: i32 = 4;

export function eulerAncestralPrepare(params: usize, times: usize, K: i32): usize {
  const eta = load<f64>(params), sNoise = load<f64>(params, 8);
  const table = heap.alloc(<usize>K * EULER_ANCESTRAL_STRIDE * 8);
  for (let k = 0; k < K; k++) {
    const s = load<f64>(times + (<usize>k << 3));
    const s1 = load<f64>(times + (<usize>(k + 1) << 3));
    let up = 0.0, down = s1;
    if (eta != 0.0) {
      up = Math.min(s1, eta * Math.sqrt(s1 * s1 * (s * s - s1 * s1) / (s * s)));
      down = Math.sqrt(s1 * s1 - up * up);
    }
    const row = table + ((<usize>k * EULER_ANCESTRAL_STRIDE) << 3);
    store<f64>(row + (EA_S2 << 3), s * s);
    store<f64>(row + (EA_SSD << 3), s * down);
    store<f64>(row + (EA_SD << 3), s * (s - down));
    store<f64>(row + (EA_NOISE << 3), s1 > 0.0 ? sNoise * up * (sNoise * up) : 0.0);
  }
  return table;
}

// @ts-ignore: decorator
@inline export function eulerAncestralCoefficients(table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * EULER_ANCESTRAL_STRIDE) << 3);
  const den = f64x2.add(L, col(row, EA_S2));
  setA(s, 0, 0, f64x2.div(f64x2.add(L, col(row, EA_SSD)), den));
  if (wantB) setB(s, 0, f64x2.div(col(row, EA_SD), den));
  if (wantQ) setQ(s, 0, 0, col(row, EA_NOISE));
}
