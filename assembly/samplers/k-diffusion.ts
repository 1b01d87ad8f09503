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

// ---------------------------------------------------------------------------------------------
// Shared by the samplers below.

/** σ_i and σ_{i+1} of the grid. */
// @ts-ignore: decorator
@inline function sigmaAt(times: usize, k: i32): f64 {
  return load<f64>(times + (<usize>k << 3));
}

/** get_ancestral_step(σ, σ', η): σ_up (σ_down = √(σ'² − σ_up²), = σ' when η = 0). */
function ancestralUp(s: f64, s1: f64, eta: f64): f64 {
  if (eta == 0.0) return 0.0;
  return Math.min(s1, eta * Math.sqrt(s1 * s1 * (s * s - s1 * s1) / (s * s)));
}
function ancestralDown(s1: f64, up: f64, eta: f64): f64 {
  return eta == 0.0 ? s1 : Math.sqrt(s1 * s1 - up * up);
}

/** Algorithm 2's γ_i (sample_euler/heun/dpm_2): min(s_churn/N, √2 − 1) on σ_i ∈ [s_tmin, s_tmax]. */
function churnGamma(params: usize, s: f64, K: i32): f64 {
  const sChurn = load<f64>(params), sTmin = load<f64>(params, 8), sTmax = load<f64>(params, 16);
  return sTmin <= s && s <= sTmax ? Math.min(sChurn / <f64>K, Math.SQRT2 - 1.0) : 0.0;
}

// @ts-ignore: decorator
@inline function flag(row: usize, c: i32): bool {
  return load<f64>(row + (<usize>c << 3)) != 0.0;
}

// @ts-ignore: decorator
@inline function zeroQ(s: usize, m: i32): void {
  const zero = f64x2.splat(0.0);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) setQ(s, i, j, zero);
}

// ---------------------------------------------------------------------------------------------
// sample_heun (Karras et al. 2022, Algorithm 2 with Heun steps), §5.2 and §5.3. Parameters:
// [s_churn, s_tmin, s_tmax, s_noise]. State (x). From ŝ (churned σ_i) to σ' > 0:
//   a = (2λ² + λ(ŝ² + 3σ'²) + 2ŝσ'³) / (2(λ + ŝ²)(λ + σ'²)),
//   b = 1 − a = (ŝ − σ')(λ(ŝ + σ') + 2ŝσ'²) / (2(λ + ŝ²)(λ + σ'²));
// to σ' = 0 an Euler step (no evaluation at σ = 0): a = c(ŝ), b = c̄(ŝ). q = a² (ŝ² − σ²) s_noise².
const HE_SH2: i32 = 0; // ŝ²
const HE_S12: i32 = 1; // σ'²
const HE_C1: i32 = 2; // ŝ² + 3σ'²
const HE_C2: i32 = 3; // 2ŝσ'³
const HE_D: i32 = 4; // ŝ − σ'
const HE_P: i32 = 5; // ŝ + σ'
const HE_C5: i32 = 6; // 2ŝσ'²
const HE_CHURN: i32 = 7; // (ŝ² − σ²) s_noise²
const HE_EULER: i32 = 8; // 1 on the step to σ' = 0
export const HEUN_STRIDE: i32 = 9;

export function heunPrepare(params: usize, times: usize, K: i32): usize {
  const sNoise = load<f64>(params, 24);
  const table = heap.alloc(<usize>K * HEUN_STRIDE * 8);
  for (let k = 0; k < K; k++) {
    const s = sigmaAt(times, k), s1 = sigmaAt(times, k + 1);
    const gamma = churnGamma(params, s, K);
    const sh = s * (gamma + 1.0);
    const row = table + ((<usize>k * HEUN_STRIDE) << 3);
    store<f64>(row + (HE_SH2 << 3), sh * sh);
    store<f64>(row + (HE_S12 << 3), s1 * s1);
    store<f64>(row + (HE_C1 << 3), sh * sh + 3.0 * s1 * s1);
    store<f64>(row + (HE_C2 << 3), 2.0 * sh * s1 * s1 * s1);
    store<f64>(row + (HE_D << 3), sh - s1);
    store<f64>(row + (HE_P << 3), sh + s1);
    store<f64>(row + (HE_C5 << 3), 2.0 * sh * s1 * s1);
    store<f64>(row + (HE_CHURN << 3), gamma > 0.0 ? (sh * sh - s * s) * sNoise * sNoise : 0.0);
    store<f64>(row + (HE_EULER << 3), s1 == 0.0 ? 1.0 : 0.0);
  }
  return table;
}

// @ts-ignore: decorator
@inline export function heunCoefficients(table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * HEUN_STRIDE) << 3);
  const d1 = f64x2.add(L, col(row, HE_SH2));
  let a: v128, b: v128;
  if (flag(row, HE_EULER)) {
    a = f64x2.div(L, d1);
    b = f64x2.div(col(row, HE_SH2), d1);
  } else {
    const den = f64x2.mul(f64x2.splat(2.0), f64x2.mul(d1, f64x2.add(L, col(row, HE_S12))));
    const num = f64x2.add(f64x2.mul(L, f64x2.add(f64x2.mul(f64x2.splat(2.0), L), col(row, HE_C1))), col(row, HE_C2));
    a = f64x2.div(num, den);
    b = f64x2.div(f64x2.mul(col(row, HE_D), f64x2.add(f64x2.mul(L, col(row, HE_P)), col(row, HE_C5))), den);
  }
  setA(s, 0, 0, a);
  if (wantB) setB(s, 0, b);
  if (wantQ) setQ(s, 0, 0, f64x2.mul(f64x2.mul(a, a), col(row, HE_CHURN)));
}

// ---------------------------------------------------------------------------------------------
// sample_dpm_2 (§5.4, with §5.3's churn) and sample_dpm_2_ancestral: from σ_from to σ_to > 0 an
// Euler half step to σ_m = exp(lerp(log σ_from, log σ_to, ½)), the slope there, the full step:
//   a = (λ² + λ(σ_from² − σ_from σ_m + σ_m² + σ_to σ_m) + σ_from σ_to σ_m²) / ((λ + σ_m²)(λ + σ_from²)),
//   b = 1 − a = (σ_from − σ_to) σ_m (λ + σ_from σ_m) / ((λ + σ_m²)(λ + σ_from²));
// to σ_to = 0 an Euler step: a = c(σ_from). dpm_2: σ_from = ŝ, σ_to = σ', q = a² (ŝ² − σ²) s_noise²
// (parameters [s_churn, s_tmin, s_tmax, s_noise]). dpm_2_ancestral: σ_from = σ, σ_to = σ_down,
// q = (s_noise σ_up)² added only when σ_down > 0 (parameters [eta, s_noise]).
const D2_F2: i32 = 0; // σ_from²
const D2_M2: i32 = 1; // σ_m²
const D2_P1: i32 = 2; // σ_from² − σ_from σ_m + σ_m² + σ_to σ_m
const D2_P0: i32 = 3; // σ_from σ_to σ_m²
const D2_B: i32 = 4; // (σ_from − σ_to) σ_m
const D2_FM: i32 = 5; // σ_from σ_m
const D2_NOISE: i32 = 6; // churn: (ŝ² − σ²) s_noise² (times a²); ancestral: (s_noise σ_up)²
const D2_EULER: i32 = 7; // 1 when σ_to = 0
const D2_SCALED: i32 = 8; // 1: q = a² · noise (churn); 0: q = noise
export const DPM_2_STRIDE: i32 = 9;

function dpm2Row(row: usize, from: f64, to: f64, noise: f64, scaled: bool): void {
  store<f64>(row + (D2_F2 << 3), from * from);
  store<f64>(row + (D2_NOISE << 3), noise);
  store<f64>(row + (D2_SCALED << 3), scaled ? 1.0 : 0.0);
  if (to == 0.0) {
    store<f64>(row + (D2_EULER << 3), 1.0);
    return;
  }
  const lf = Math.log(from);
  const m = Math.exp(lf + 0.5 * (Math.log(to) - lf));
  store<f64>(row + (D2_EULER << 3), 0.0);
  store<f64>(row + (D2_M2 << 3), m * m);
  store<f64>(row + (D2_P1 << 3), from * from - from * m + m * m + to * m);
  store<f64>(row + (D2_P0 << 3), from * to * m * m);
  store<f64>(row + (D2_B << 3), (from - to) * m);
  store<f64>(row + (D2_FM << 3), from * m);
}

export function dpm2Prepare(params: usize, times: usize, K: i32): usize {
  const sNoise = load<f64>(params, 24);
  const table = heap.alloc(<usize>K * DPM_2_STRIDE * 8);
  memory.fill(table, 0, <usize>K * DPM_2_STRIDE * 8);
  for (let k = 0; k < K; k++) {
    const s = sigmaAt(times, k), s1 = sigmaAt(times, k + 1);
    const gamma = churnGamma(params, s, K);
    const sh = s * (gamma + 1.0);
    dpm2Row(table + ((<usize>k * DPM_2_STRIDE) << 3), sh, s1, gamma > 0.0 ? (sh * sh - s * s) * sNoise * sNoise : 0.0, true);
  }
  return table;
}

export function dpm2AncestralPrepare(params: usize, times: usize, K: i32): usize {
  const eta = load<f64>(params), sNoise = load<f64>(params, 8);
  const table = heap.alloc(<usize>K * DPM_2_STRIDE * 8);
  memory.fill(table, 0, <usize>K * DPM_2_STRIDE * 8);
  for (let k = 0; k < K; k++) {
    const s = sigmaAt(times, k), s1 = sigmaAt(times, k + 1);
    const up = ancestralUp(s, s1, eta);
    const down = ancestralDown(s1, up, eta);
    dpm2Row(table + ((<usize>k * DPM_2_STRIDE) << 3), s, down, down != 0.0 ? sNoise * up * (sNoise * up) : 0.0, false);
  }
  return table;
}

// @ts-ignore: decorator
@inline export function dpm2Coefficients(table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * DPM_2_STRIDE) << 3);
  const d1 = f64x2.add(L, col(row, D2_F2));
  let a: v128, b: v128;
  if (flag(row, D2_EULER)) {
    a = f64x2.div(L, d1);
    b = f64x2.div(col(row, D2_F2), d1);
  } else {
    const den = f64x2.mul(f64x2.add(L, col(row, D2_M2)), d1);
    a = f64x2.div(f64x2.add(f64x2.mul(L, f64x2.add(L, col(row, D2_P1))), col(row, D2_P0)), den);
    b = f64x2.div(f64x2.mul(col(row, D2_B), f64x2.add(L, col(row, D2_FM))), den);
  }
  setA(s, 0, 0, a);
  if (wantB) setB(s, 0, b);
  if (wantQ) setQ(s, 0, 0, flag(row, D2_SCALED) ? f64x2.mul(f64x2.mul(a, a), col(row, D2_NOISE)) : col(row, D2_NOISE));
}

// ---------------------------------------------------------------------------------------------
// sample_dpmpp_2s_ancestral, §5.7. Parameters [eta, s_noise]. State (x). (σ_d, σ_u) =
// get_ancestral_step(σ, σ', η); if σ_d = 0 an Euler step to 0 (a = c(σ)); else, with
// ρ_d = σ_d/σ, σ_m = √(σ σ_d), ρ_m = σ_m/σ (1 − ρ = −expm1(−h) in the log-σ step h):
//   a = ρ_d + (1 − ρ_d) c(σ_m) (ρ_m + (1 − ρ_m) c(σ)),
//   b = (1 − ρ_d) (c̄(σ_m) + c(σ_m)(1 − ρ_m) c̄(σ));  q = (s_noise σ_u)² when σ' > 0.
const S2_S2: i32 = 0; // σ²
const S2_M2: i32 = 1; // σ_m²
const S2_RD: i32 = 2; // ρ_d
const S2_OD: i32 = 3; // 1 − ρ_d
const S2_RM: i32 = 4; // ρ_m
const S2_OM: i32 = 5; // 1 − ρ_m
const S2_NOISE: i32 = 6; // (s_noise σ_u)²
const S2_EULER: i32 = 7; // 1 when σ_d = 0
export const DPMPP_2S_STRIDE: i32 = 8;

export function dpmpp2sAncestralPrepare(params: usize, times: usize, K: i32): usize {
  const eta = load<f64>(params), sNoise = load<f64>(params, 8);
  const table = heap.alloc(<usize>K * DPMPP_2S_STRIDE * 8);
  memory.fill(table, 0, <usize>K * DPMPP_2S_STRIDE * 8);
  for (let k = 0; k < K; k++) {
    const s = sigmaAt(times, k), s1 = sigmaAt(times, k + 1);
    const up = ancestralUp(s, s1, eta);
    const down = ancestralDown(s1, up, eta);
    const row = table + ((<usize>k * DPMPP_2S_STRIDE) << 3);
    store<f64>(row + (S2_S2 << 3), s * s);
    store<f64>(row + (S2_NOISE << 3), s1 > 0.0 ? sNoise * up * (sNoise * up) : 0.0);
    if (down == 0.0) {
      store<f64>(row + (S2_EULER << 3), 1.0);
      continue;
    }
    // k-diffusion: t = −log σ, t_next = −log σ_d, h = t_next − t, s = t + h/2.
    const t = -Math.log(s), tn = -Math.log(down);
    const h = tn - t;
    const sm = Math.exp(-(t + 0.5 * h));
    store<f64>(row + (S2_M2 << 3), sm * sm);
    store<f64>(row + (S2_RD << 3), Math.exp(-tn) / Math.exp(-t));
    store<f64>(row + (S2_OD << 3), -Math.expm1(-h));
    store<f64>(row + (S2_RM << 3), sm / Math.exp(-t));
    store<f64>(row + (S2_OM << 3), -Math.expm1(-0.5 * h));
  }
  return table;
}

// @ts-ignore: decorator
@inline export function dpmpp2sAncestralCoefficients(table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * DPMPP_2S_STRIDE) << 3);
  const s2 = col(row, S2_S2);
  const d0 = f64x2.add(L, s2);
  if (flag(row, S2_EULER)) {
    setA(s, 0, 0, f64x2.div(L, d0));
    if (wantB) setB(s, 0, f64x2.div(s2, d0));
  } else {
    const c = f64x2.div(L, d0);
    const m2 = col(row, S2_M2);
    const dm = f64x2.add(L, m2);
    const cm = f64x2.div(L, dm);
    const om = col(row, S2_OM), od = col(row, S2_OD);
    const inner = f64x2.add(col(row, S2_RM), f64x2.mul(om, c));
    setA(s, 0, 0, f64x2.add(col(row, S2_RD), f64x2.mul(od, f64x2.mul(cm, inner))));
    if (wantB) {
      const cbar = f64x2.div(s2, d0), cmbar = f64x2.div(m2, dm);
      setB(s, 0, f64x2.mul(od, f64x2.add(cmbar, f64x2.mul(cm, f64x2.mul(om, cbar)))));
    }
  }
  if (wantQ) setQ(s, 0, 0, col(row, S2_NOISE));
}

// ---------------------------------------------------------------------------------------------
// sample_dpmpp_sde, §5.8. Parameters [eta, s_noise, r, noise_sampler (0 = BrownianTreeNoiseSampler,
// 1 = independent)]. State (x). To σ' = 0 an Euler step (a = c(σ)). Else σ_m = exp(−(t + r h)),
// (σ_d1, σ_u1) = anc(σ, σ_m), (σ_d2, σ_u2) = anc(σ, σ'), ρ_j = σ_dj/σ, f = 1/(2r):
//   a₁ = ρ₁ + (1 − ρ₁) c(σ)                     (x₂ = a₁ x + s_noise σ_u1 ξ₁)
//   a  = ρ₂ + (1 − ρ₂) ((1 − f) c(σ) + f c(σ_m) a₁)
//   b  = (1 − ρ₂) ((1 − f) c̄(σ) + f (c̄(σ_m) + c(σ_m)(1 − ρ₁) c̄(σ)))
//   q  = b₁² + u₂² + 2 ρ_B b₁ u₂,  b₁ = (1 − ρ₂) f c(σ_m) s_noise σ_u1,  u₂ = s_noise σ_u2,
// ρ_B = Corr(ξ₁, ξ₂) = √((σ − σ_m)/(σ − σ')): the two noises are the normalised increments of
// ONE Brownian path in σ over [σ_m, σ] and [σ', σ] (0 with independent noises).
const SD_S2: i32 = 0; // σ²
const SD_M2: i32 = 1; // σ_m²
const SD_R1: i32 = 2; // ρ₁
const SD_O1: i32 = 3; // 1 − ρ₁
const SD_R2: i32 = 4; // ρ₂
const SD_O2: i32 = 5; // 1 − ρ₂
const SD_F: i32 = 6; // f
const SD_OF: i32 = 7; // 1 − f
const SD_U1: i32 = 8; // s_noise σ_u1
const SD_U2: i32 = 9; // s_noise σ_u2
const SD_RHO: i32 = 10; // ρ_B
const SD_EULER: i32 = 11; // 1 on the step to σ' = 0
export const DPMPP_SDE_STRIDE: i32 = 12;

export function dpmppSdePrepare(params: usize, times: usize, K: i32): usize {
  const eta = load<f64>(params), sNoise = load<f64>(params, 8), r = load<f64>(params, 16);
  const brownian = load<f64>(params, 24) == 0.0;
  const table = heap.alloc(<usize>K * DPMPP_SDE_STRIDE * 8);
  memory.fill(table, 0, <usize>K * DPMPP_SDE_STRIDE * 8);
  for (let k = 0; k < K; k++) {
    const s = sigmaAt(times, k), s1 = sigmaAt(times, k + 1);
    const row = table + ((<usize>k * DPMPP_SDE_STRIDE) << 3);
    store<f64>(row + (SD_S2 << 3), s * s);
    if (s1 == 0.0) {
      store<f64>(row + (SD_EULER << 3), 1.0);
      continue;
    }
    const t = -Math.log(s), tn = -Math.log(s1);
    const h = tn - t;
    const sm = Math.exp(-(t + h * r));
    const st = Math.exp(-t);
    const up1 = ancestralUp(st, sm, eta), down1 = ancestralDown(sm, up1, eta);
    const up2 = ancestralUp(st, Math.exp(-tn), eta), down2 = ancestralDown(Math.exp(-tn), up2, eta);
    const f = 1.0 / (2.0 * r);
    store<f64>(row + (SD_M2 << 3), sm * sm);
    // x₂ = (σ(s_)/σ(t)) x − expm1(t − s_) D with s_ = −log σ_d1.
    store<f64>(row + (SD_R1 << 3), Math.exp(Math.log(down1)) / st);
    store<f64>(row + (SD_O1 << 3), -Math.expm1(t + Math.log(down1)));
    store<f64>(row + (SD_R2 << 3), Math.exp(Math.log(down2)) / st);
    store<f64>(row + (SD_O2 << 3), -Math.expm1(t + Math.log(down2)));
    store<f64>(row + (SD_F << 3), f);
    store<f64>(row + (SD_OF << 3), 1.0 - f);
    store<f64>(row + (SD_U1 << 3), sNoise * up1);
    store<f64>(row + (SD_U2 << 3), sNoise * up2);
    store<f64>(row + (SD_RHO << 3), brownian ? Math.sqrt((st - sm) / (st - Math.exp(-tn))) : 0.0);
  }
  return table;
}

// @ts-ignore: decorator
@inline export function dpmppSdeCoefficients(table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * DPMPP_SDE_STRIDE) << 3);
  const s2 = col(row, SD_S2);
  const d0 = f64x2.add(L, s2);
  if (flag(row, SD_EULER)) {
    setA(s, 0, 0, f64x2.div(L, d0));
    if (wantB) setB(s, 0, f64x2.div(s2, d0));
    if (wantQ) setQ(s, 0, 0, f64x2.splat(0.0));
    return;
  }
  const c = f64x2.div(L, d0);
  const m2 = col(row, SD_M2);
  const dm = f64x2.add(L, m2);
  const cm = f64x2.div(L, dm);
  const o1 = col(row, SD_O1), o2 = col(row, SD_O2), f = col(row, SD_F), omf = col(row, SD_OF);
  const a1 = f64x2.add(col(row, SD_R1), f64x2.mul(o1, c));
  setA(s, 0, 0, f64x2.add(col(row, SD_R2), f64x2.mul(o2, f64x2.add(f64x2.mul(omf, c), f64x2.mul(f, f64x2.mul(cm, a1))))));
  if (wantB) {
    const cbar = f64x2.div(s2, d0), cmbar = f64x2.div(m2, dm);
    const inner = f64x2.add(cmbar, f64x2.mul(cm, f64x2.mul(o1, cbar)));
    setB(s, 0, f64x2.mul(o2, f64x2.add(f64x2.mul(omf, cbar), f64x2.mul(f, inner))));
  }
  if (wantQ) {
    const b1 = f64x2.mul(f64x2.mul(o2, f), f64x2.mul(cm, col(row, SD_U1)));
    const u2 = col(row, SD_U2);
    const cross = f64x2.mul(f64x2.splat(2.0), f64x2.mul(col(row, SD_RHO), f64x2.mul(b1, u2)));
    setQ(s, 0, 0, f64x2.add(f64x2.add(f64x2.mul(b1, b1), f64x2.mul(u2, u2)), cross));
  }
}

// ---------------------------------------------------------------------------------------------
// sample_dpmpp_2m_sde, §5.10. Parameters [eta, s_noise, solver_type (0 = midpoint, 1 = heun)].
// State (x, D_prev). h = log σ − log σ', H = (1 + η) h, E = (σ'/σ) e^{−ηh}, 1 − E = −expm1(−H),
// w = (1 − E)/(2r) (midpoint) or ψ(H)/r = ((1 − E)/(−H) + 1)/r (heun), r = h_last/h, w = 0 on the
// first step:
//   A = [[E + (1 − E + w) c, −w], [c, 0]],  b = [(1 − E + w) c̄, c̄],
//   Q₀₀ = (σ' s_noise)² (−expm1(−2ηh)) when η ≠ 0; to σ' = 0: x' = D (A = [[c, 0], [c, 0]]).
const M2_S2: i32 = 0; // σ²
const M2_E: i32 = 1; // E
const M2_OE: i32 = 2; // 1 − E
const M2_W: i32 = 3; // w
const M2_NOISE: i32 = 4; // Q₀₀
const M2_LAST: i32 = 5; // 1 on the step to σ' = 0
export const DPMPP_2M_SDE_STRIDE: i32 = 6;

export function dpmpp2mSdePrepare(params: usize, times: usize, K: i32): usize {
  const eta = load<f64>(params), sNoise = load<f64>(params, 8), heun = load<f64>(params, 16) == 1.0;
  const table = heap.alloc(<usize>K * DPMPP_2M_SDE_STRIDE * 8);
  memory.fill(table, 0, <usize>K * DPMPP_2M_SDE_STRIDE * 8);
  let hLast = 0.0;
  for (let k = 0; k < K; k++) {
    const s = sigmaAt(times, k), s1 = sigmaAt(times, k + 1);
    const row = table + ((<usize>k * DPMPP_2M_SDE_STRIDE) << 3);
    store<f64>(row + (M2_S2 << 3), s * s);
    if (s1 == 0.0) {
      store<f64>(row + (M2_LAST << 3), 1.0);
      continue;
    }
    const h = -Math.log(s1) - -Math.log(s);
    const etaH = eta * h;
    const oe = -Math.expm1(-h - etaH);
    let w = 0.0;
    if (k > 0) {
      const r = hLast / h;
      w = heun ? (oe / (-h - etaH) + 1.0) * (1.0 / r) : 0.5 * oe * (1.0 / r);
    }
    store<f64>(row + (M2_E << 3), s1 / s * Math.exp(-etaH));
    store<f64>(row + (M2_OE << 3), oe);
    store<f64>(row + (M2_W << 3), w);
    if (eta != 0.0) {
      const g = s1 * Math.sqrt(-Math.expm1(-2.0 * etaH)) * sNoise;
      store<f64>(row + (M2_NOISE << 3), g * g);
    }
    hLast = h;
  }
  return table;
}

// @ts-ignore: decorator
@inline export function dpmpp2mSdeCoefficients(table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * DPMPP_2M_SDE_STRIDE) << 3);
  const s2 = col(row, M2_S2);
  const d0 = f64x2.add(L, s2);
  const c = f64x2.div(L, d0);
  const zero = f64x2.splat(0.0);
  if (flag(row, M2_LAST)) {
    setA(s, 0, 0, c);
    setA(s, 0, 1, zero);
    if (wantB) setB(s, 0, f64x2.div(s2, d0));
  } else {
    const w = col(row, M2_W);
    const g = f64x2.add(col(row, M2_OE), w);
    setA(s, 0, 0, f64x2.add(col(row, M2_E), f64x2.mul(g, c)));
    setA(s, 0, 1, f64x2.neg(w));
    if (wantB) setB(s, 0, f64x2.mul(g, f64x2.div(s2, d0)));
  }
  setA(s, 1, 0, c);
  setA(s, 1, 1, zero);
  if (wantB) setB(s, 1, f64x2.div(s2, d0));
  if (wantQ) {
    zeroQ(s, 2);
    setQ(s, 0, 0, col(row, M2_NOISE));
  }
}

// ---------------------------------------------------------------------------------------------
// sample_dpmpp_3m_sde, §5.11. Parameters [eta, s_noise]. State (x, D₁, D₂) (the two previous
// denoised values). H = (1 + η) h, E = e^{−H}, ψ₂ = expm1(−H)/H + 1, ψ₃ = ψ₂/H − ½; with two
// previous outputs (r₀ = h₁/h, r₁ = h₂/h, u = r₀/(r₀ + r₁), v = 1/(r₀ + r₁),
// P = ψ₂(1 + u) − ψ₃ v, R = −ψ₂ u + ψ₃ v) the x row is
//   [E + (1 − E + P/r₀) c, −P/r₀ + R/r₁, −R/r₁],  b₀ = (1 − E + P/r₀) c̄,
// with one: P = ψ₂, R = 0; with none: P = 0. Rows (c, 0, 0) (b = c̄) and (0, 1, 0) (b = 0);
// Q₀₀ = (σ' s_noise)² (−expm1(−2ηh)) when η ≠ 0; to σ' = 0: x' = D.
const M3_S2: i32 = 0; // σ²
const M3_E: i32 = 1; // E
const M3_G: i32 = 2; // 1 − E + P/r₀
const M3_K1: i32 = 3; // −P/r₀ + R/r₁
const M3_K2: i32 = 4; // −R/r₁
const M3_NOISE: i32 = 5; // Q₀₀
const M3_LAST: i32 = 6; // 1 on the step to σ' = 0
export const DPMPP_3M_SDE_STRIDE: i32 = 7;

export function dpmpp3mSdePrepare(params: usize, times: usize, K: i32): usize {
  const eta = load<f64>(params), sNoise = load<f64>(params, 8);
  const table = heap.alloc(<usize>K * DPMPP_3M_SDE_STRIDE * 8);
  memory.fill(table, 0, <usize>K * DPMPP_3M_SDE_STRIDE * 8);
  let h1 = 0.0, h2 = 0.0;
  for (let k = 0; k < K; k++) {
    const s = sigmaAt(times, k), s1 = sigmaAt(times, k + 1);
    const row = table + ((<usize>k * DPMPP_3M_SDE_STRIDE) << 3);
    store<f64>(row + (M3_S2 << 3), s * s);
    if (s1 == 0.0) {
      store<f64>(row + (M3_LAST << 3), 1.0);
      continue;
    }
    const h = -Math.log(s1) - -Math.log(s);
    const hEta = h * (eta + 1.0);
    let P = 0.0, R = 0.0, r0 = 1.0, r1 = 1.0;
    if (k >= 2) {
      r0 = h1 / h;
      r1 = h2 / h;
      const phi2 = Math.expm1(-hEta) / hEta + 1.0;
      const phi3 = phi2 / hEta - 0.5;
      const u = r0 / (r0 + r1), v = 1.0 / (r0 + r1);
      P = phi2 * (1.0 + u) - phi3 * v;
      R = -phi2 * u + phi3 * v;
    } else if (k == 1) {
      r0 = h1 / h;
      P = Math.expm1(-hEta) / hEta + 1.0;
    }
    store<f64>(row + (M3_E << 3), Math.exp(-hEta));
    store<f64>(row + (M3_G << 3), -Math.expm1(-hEta) + P / r0);
    store<f64>(row + (M3_K1 << 3), -P / r0 + R / r1);
    store<f64>(row + (M3_K2 << 3), -R / r1);
    if (eta != 0.0) {
      const g = s1 * Math.sqrt(-Math.expm1(-2.0 * h * eta)) * sNoise;
      store<f64>(row + (M3_NOISE << 3), g * g);
    }
    h2 = h1;
    h1 = h;
  }
  return table;
}

// @ts-ignore: decorator
@inline export function dpmpp3mSdeCoefficients(table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * DPMPP_3M_SDE_STRIDE) << 3);
  const s2 = col(row, M3_S2);
  const d0 = f64x2.add(L, s2);
  const c = f64x2.div(L, d0);
  const cbar = f64x2.div(s2, d0);
  const zero = f64x2.splat(0.0);
  if (flag(row, M3_LAST)) {
    setA(s, 0, 0, c);
    setA(s, 0, 1, zero);
    setA(s, 0, 2, zero);
    if (wantB) setB(s, 0, cbar);
  } else {
    const g = col(row, M3_G);
    setA(s, 0, 0, f64x2.add(col(row, M3_E), f64x2.mul(g, c)));
    setA(s, 0, 1, col(row, M3_K1));
    setA(s, 0, 2, col(row, M3_K2));
    if (wantB) setB(s, 0, f64x2.mul(g, cbar));
  }
  setA(s, 1, 0, c);
  setA(s, 1, 1, zero);
  setA(s, 1, 2, zero);
  setA(s, 2, 0, zero);
  setA(s, 2, 1, f64x2.splat(1.0));
  setA(s, 2, 2, zero);
  if (wantB) {
    setB(s, 1, cbar);
    setB(s, 2, zero);
  }
  if (wantQ) {
    zeroQ(s, 3);
    setQ(s, 0, 0, col(row, M3_NOISE));
  }
}

// ---------------------------------------------------------------------------------------------
// sample_lms, §5.12. Parameter [order] (1..4). State (x, d_{i−1}, d_{i−2}, d_{i−3}) with the
// slopes d = (x − D)/σ = g(σ)(x − m), g(σ) = σ/(λ + σ²). Step i uses p = min(i + 1, order) slopes:
// x' = x + Σ_{j<p} C_ij d_{i−j}, C_ij = ∫_{σ_i}^{σ_{i+1}} Π_{k<p, k≠j} (τ − σ_{i−k})/(σ_{i−j} − σ_{i−k}) dτ
// (linear_multistep_coeff; exact here by 4-point Gauss–Legendre, degree ≤ 3). The step to σ = 0
// integrates the same polynomial (no special last step).
//   row 0: [1 + C_i0 g, C_i1, C_i2, C_i3], b₀ = −C_i0 g;  row 1: [g, 0, 0, 0], b₁ = −g;
//   rows 2, 3 shift the slopes (b = 0).
const LM_S: i32 = 0; // σ_i
const LM_S2: i32 = 1; // σ_i²
const LM_C: i32 = 2; // C_i0 .. C_i3
export const LMS_STRIDE: i32 = 6;

function lmsCoeff(times: usize, i: i32, p: i32, j: i32): f64 {
  // Gauss–Legendre nodes and weights on [−1, 1], 4 points.
  const x0 = 0.33998104358485626, x1 = 0.8611363115940526;
  const w0 = 0.6521451548625461, w1 = 0.34785484513745385;
  const a = sigmaAt(times, i), b = sigmaAt(times, i + 1);
  const half = 0.5 * (b - a), mid = 0.5 * (a + b);
  let sum = 0.0;
  for (let q = 0; q < 4; q++) {
    const xq = q == 0 ? -x1 : q == 1 ? -x0 : q == 2 ? x0 : x1;
    const wq = q == 0 || q == 3 ? w1 : w0;
    const tau = mid + half * xq;
    let prod = 1.0;
    for (let k = 0; k < p; k++) {
      if (k == j) continue;
      prod *= (tau - sigmaAt(times, i - k)) / (sigmaAt(times, i - j) - sigmaAt(times, i - k));
    }
    sum += wq * prod;
  }
  return half * sum;
}

export function lmsPrepare(params: usize, times: usize, K: i32): usize {
  const order = <i32>load<f64>(params);
  const table = heap.alloc(<usize>K * LMS_STRIDE * 8);
  memory.fill(table, 0, <usize>K * LMS_STRIDE * 8);
  for (let k = 0; k < K; k++) {
    const s = sigmaAt(times, k);
    const row = table + ((<usize>k * LMS_STRIDE) << 3);
    store<f64>(row + (LM_S << 3), s);
    store<f64>(row + (LM_S2 << 3), s * s);
    const p = min<i32>(k + 1, order);
    for (let j = 0; j < p; j++) store<f64>(row + (<usize>(LM_C + j) << 3), lmsCoeff(times, k, p, j));
  }
  return table;
}

// @ts-ignore: decorator
@inline export function lmsCoefficients(table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * LMS_STRIDE) << 3);
  const g = f64x2.div(col(row, LM_S), f64x2.add(L, col(row, LM_S2)));
  const zero = f64x2.splat(0.0), one = f64x2.splat(1.0);
  const c0g = f64x2.mul(col(row, LM_C), g);
  setA(s, 0, 0, f64x2.add(one, c0g));
  setA(s, 0, 1, col(row, LM_C + 1));
  setA(s, 0, 2, col(row, LM_C + 2));
  setA(s, 0, 3, col(row, LM_C + 3));
  setA(s, 1, 0, g);
  for (let j = 1; j < 4; j++) setA(s, 1, j, zero);
  for (let r = 2; r < 4; r++) for (let j = 0; j < 4; j++) setA(s, r, j, j == r - 1 ? one : zero);
  if (wantB) {
    setB(s, 0, f64x2.neg(c0g));
    setB(s, 1, f64x2.neg(g));
    setB(s, 2, zero);
    setB(s, 3, zero);
  }
  if (wantQ) zeroQ(s, 4);
}

// ---------------------------------------------------------------------------------------------
// sample_dpm_fast (DPMSolver.dpm_solver_fast: DPM-Solver-Fast, fixed steps), §5.13 in σ. Parameters
// [sigma_min, sigma_max, n, eta, s_noise]. State (x). The grid is its own (bindings/samplers/
// kdiff-dpm_fast.ts): t = −log σ uniform on [−log σ_max, −log σ_min], K = ⌊n/3⌋ + 1 steps with orders
// [3]·(K − 2) + [2, 1] (n ≡ 0 mod 3) or [3]·(K − 1) + [n mod 3]; it ends at σ_min (no step to 0).
// Per eigenvalue ε(x, t) = (x − D)/σ(t) = g(σ)(x − m), g(σ) = σ/(λ + σ²); with h = t' − t (t' the
// step's target, = min(t_end, t(σ_down)) with η):
//   order 1: b = σ' expm1(h) g_t
//   order 2 (r₁ = ½): u₁ = 1 − σ₁ expm1(r₁h) g_t, b = σ' expm1(h) g_t + σ'/(2r₁) expm1(h) (g₁u₁ − g_t)
//   order 3 (r₁ = ⅓, r₂ = ⅔): u₂ = 1 − σ₂ expm1(r₂h) g_t − σ₂ (r₂/r₁)(expm1(r₂h)/(r₂h) − 1)(g₁u₁ − g_t),
//            b = σ' expm1(h) g_t + σ'/r₂ (expm1(h)/h − 1)(g₂u₂ − g_t)
// and a = 1 − b (x − m shrinks by a; the mean needs no more: b = 1 − a). q = (s_noise σ_u)² with
// σ_u = √(σ(t_next)² − σ(t')²).
const DF_ORDER: i32 = 0;
const DF_ST: i32 = 1; // σ_t
const DF_ST2: i32 = 2; // σ_t²
const DF_A1: i32 = 3; // σ' expm1(h)
const DF_S1: i32 = 4; // σ₁
const DF_S12: i32 = 5; // σ₁²
const DF_C1: i32 = 6; // σ₁ expm1(r₁h)
const DF_S2: i32 = 7; // σ₂
const DF_S22: i32 = 8; // σ₂²
const DF_C2: i32 = 9; // σ₂ expm1(r₂h)
const DF_C2B: i32 = 10; // σ₂ (r₂/r₁)(expm1(r₂h)/(r₂h) − 1)
const DF_K: i32 = 11; // σ'/(2r₁) expm1(h) (order 2) or σ'/r₂ (expm1(h)/h − 1) (order 3)
const DF_NOISE: i32 = 12; // (s_noise σ_u)²
export const DPM_FAST_STRIDE: i32 = 13;

/** The order of step k of n evaluations (K = ⌊n/3⌋ + 1 steps). */
export function dpmFastOrder(n: i32, k: i32): i32 {
  const K = n / 3 + 1;
  if (n % 3 == 0) return k < K - 2 ? 3 : k == K - 2 ? 2 : 1;
  return k < K - 1 ? 3 : n % 3;
}

export function dpmFastPrepare(params: usize, times: usize, K: i32): usize {
  const n = <i32>load<f64>(params, 16), eta = load<f64>(params, 24), sNoise = load<f64>(params, 32);
  const table = heap.alloc(<usize>K * DPM_FAST_STRIDE * 8);
  memory.fill(table, 0, <usize>K * DPM_FAST_STRIDE * 8);
  const tEnd = -Math.log(sigmaAt(times, K));
  for (let k = 0; k < K; k++) {
    const t = -Math.log(sigmaAt(times, k));
    const tNext = -Math.log(sigmaAt(times, k + 1));
    let tn = tNext, su = 0.0;
    if (eta != 0.0) {
      const up = ancestralUp(Math.exp(-t), Math.exp(-tNext), eta);
      const sd = ancestralDown(Math.exp(-tNext), up, eta);
      tn = Math.min(tEnd, -Math.log(sd));
      su = Math.sqrt(Math.exp(-tNext) ** 2 - Math.exp(-tn) ** 2);
    }
    const h = tn - t;
    const sN = Math.exp(-tn);
    const order = dpmFastOrder(n, k);
    const row = table + ((<usize>k * DPM_FAST_STRIDE) << 3);
    const st = Math.exp(-t);
    store<f64>(row + (DF_ORDER << 3), <f64>order);
    store<f64>(row + (DF_ST << 3), st);
    store<f64>(row + (DF_ST2 << 3), st * st);
    store<f64>(row + (DF_A1 << 3), sN * Math.expm1(h));
    store<f64>(row + (DF_NOISE << 3), su * sNoise * (su * sNoise));
    if (order == 2) {
      const r1 = 0.5;
      const s1 = Math.exp(-(t + r1 * h));
      store<f64>(row + (DF_S1 << 3), s1);
      store<f64>(row + (DF_S12 << 3), s1 * s1);
      store<f64>(row + (DF_C1 << 3), s1 * Math.expm1(r1 * h));
      store<f64>(row + (DF_K << 3), sN / (2.0 * r1) * Math.expm1(h));
    } else if (order == 3) {
      const r1 = 1.0 / 3.0, r2 = 2.0 / 3.0;
      const s1 = Math.exp(-(t + r1 * h)), s2 = Math.exp(-(t + r2 * h));
      store<f64>(row + (DF_S1 << 3), s1);
      store<f64>(row + (DF_S12 << 3), s1 * s1);
      store<f64>(row + (DF_C1 << 3), s1 * Math.expm1(r1 * h));
      store<f64>(row + (DF_S2 << 3), s2);
      store<f64>(row + (DF_S22 << 3), s2 * s2);
      store<f64>(row + (DF_C2 << 3), s2 * Math.expm1(r2 * h));
      store<f64>(row + (DF_C2B << 3), s2 * (r2 / r1) * (Math.expm1(r2 * h) / (r2 * h) - 1.0));
      store<f64>(row + (DF_K << 3), sN / r2 * (Math.expm1(h) / h - 1.0));
    }
  }
  return table;
}

// @ts-ignore: decorator
@inline export function dpmFastCoefficients(table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * DPM_FAST_STRIDE) << 3);
  const order = <i32>load<f64>(row + (DF_ORDER << 3));
  const one = f64x2.splat(1.0);
  const gt = f64x2.div(col(row, DF_ST), f64x2.add(L, col(row, DF_ST2)));
  let b = f64x2.mul(col(row, DF_A1), gt);
  if (order >= 2) {
    const u1 = f64x2.sub(one, f64x2.mul(col(row, DF_C1), gt));
    const e1 = f64x2.mul(f64x2.div(col(row, DF_S1), f64x2.add(L, col(row, DF_S12))), u1);
    if (order == 2) {
      b = f64x2.add(b, f64x2.mul(col(row, DF_K), f64x2.sub(e1, gt)));
    } else {
      const u2 = f64x2.sub(f64x2.sub(one, f64x2.mul(col(row, DF_C2), gt)), f64x2.mul(col(row, DF_C2B), f64x2.sub(e1, gt)));
      const e2 = f64x2.mul(f64x2.div(col(row, DF_S2), f64x2.add(L, col(row, DF_S22))), u2);
      b = f64x2.add(b, f64x2.mul(col(row, DF_K), f64x2.sub(e2, gt)));
    }
  }
  setA(s, 0, 0, f64x2.sub(one, b));
  if (wantB) setB(s, 0, b);
  if (wantQ) setQ(s, 0, 0, col(row, DF_NOISE));
}
