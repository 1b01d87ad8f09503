// NVlabs/edm generate.py `ablation_sampler` (Karras et al. 2022, the generalised sampler of their
// ablations) per eigenvalue, docs/MATH-samplers.md §5.22. The sampler steps x = s(t)(x0 + σ(t) n) in
// its own time t; the kernel tracks u = x/s(t) (VE coordinates, on the edm process: the grid's
// "times" are the levels σ(t_k)); the output (t_N = 0, s = 1) is the same.
// With D(x/s, σ) = m + c(σ)(x/s − m), c = λ/(λ + σ²), its ODE direction is affine:
//   d(x, t) = P x − R m,  P = σ'σ/(λ + σ²) + s'/s,  R = σ' s σ/(λ + σ²).
// Step (t_cur → t_next): churn t̂ = σ⁻¹(σ(t_cur)(1 + γ)), x̂ = (ŝ/s_cur) x + √(max(σ̂² − σ², 0)) ŝ S_noise ξ,
// h = t_next − t̂; Euler (solver euler, or the last step): x' = (1 + hP̂) x̂ − hR̂ m;
// Heun: t' = t̂ + αh, κ = 1/(2α):
//   A_step = 1 + h[(1 − κ)P̂ + κP'(1 + αhP̂)],  b_step = −h[(1 − κ)R̂ + κ(αhP'R̂ + R')].
// In u: A = A_step ŝ/s_next, b = b_step/s_next, Q = A_step² (σ̂² − σ²)₊ S_noise² ŝ²/s_next².
import { setA, setB, setQ, col } from './coefficients';

// Parameters, in the source's order.
const P_NUM_STEPS: i32 = 0;
const P_SIGMA_MIN: i32 = 1;
const P_SIGMA_MAX: i32 = 2;
const P_SOLVER: i32 = 4; // 0 euler, 1 heun
const P_DISCRETIZATION: i32 = 5; // 0 vp, 1 ve, 2 iddpm, 3 edm
const P_SCHEDULE: i32 = 6; // 0 vp, 1 ve, 2 linear
const P_SCALING: i32 = 7; // 0 vp, 1 none
const P_EPSILON_S: i32 = 8;
const P_ALPHA: i32 = 12;
const P_S_CHURN: i32 = 13;
const P_S_MIN: i32 = 14;
const P_S_MAX: i32 = 15;
const P_S_NOISE: i32 = 16;

// @ts-ignore: decorator
@inline function par(params: usize, i: i32): f64 {
  return load<f64>(params + (<usize>i << 3));
}

/** vp_sigma(β_d, β_min)(t) = sqrt(e^{½β_d t² + β_min t} − 1). */
function vpSigma(bd: f64, bm: f64, t: f64): f64 {
  return Math.sqrt(Math.exp(0.5 * bd * t * t + bm * t) - 1.0);
}

/** The source's sigma_min/sigma_max (0 = None: the discretization's default). */
function sigmaMinOf(params: usize): f64 {
  const v = par(params, P_SIGMA_MIN);
  if (v > 0.0) return v;
  const d = <i32>par(params, P_DISCRETIZATION);
  return d == 0 ? vpSigma(19.9, 0.1, par(params, P_EPSILON_S)) : d == 1 ? 0.02 : 0.002;
}
function sigmaMaxOf(params: usize): f64 {
  const v = par(params, P_SIGMA_MAX);
  if (v > 0.0) return v;
  const d = <i32>par(params, P_DISCRETIZATION);
  return d == 0 ? vpSigma(19.9, 0.1, 1.0) : d == 1 ? 100.0 : d == 2 ? 81.0 : 80.0;
}

// The schedule σ(t), σ'(t), σ⁻¹ and the scaling s(t), s'(t) (the source's lambdas).
class Sched {
  schedule: i32 = 2;
  scaling: i32 = 1;
  bd: f64 = 0.0;
  bm: f64 = 0.0;
  sigma(t: f64): f64 {
    if (this.schedule == 0) return vpSigma(this.bd, this.bm, t);
    if (this.schedule == 1) return Math.sqrt(t);
    return t;
  }
  deriv(t: f64): f64 {
    if (this.schedule == 0) { const s = this.sigma(t); return 0.5 * (this.bm + this.bd * t) * (s + 1.0 / s); }
    if (this.schedule == 1) return 0.5 / Math.sqrt(t);
    return 1.0;
  }
  inv(s: f64): f64 {
    if (this.schedule == 0) return (Math.sqrt(this.bm * this.bm + 2.0 * this.bd * Math.log(s * s + 1.0)) - this.bm) / this.bd;
    if (this.schedule == 1) return s * s;
    return s;
  }
  scale(t: f64): f64 {
    if (this.scaling == 0) { const s = this.sigma(t); return 1.0 / Math.sqrt(1.0 + s * s); }
    return 1.0;
  }
  scaleDeriv(t: f64): f64 {
    if (this.scaling == 0) { const s = this.sigma(t), sc = this.scale(t); return -s * this.deriv(t) * (sc * sc * sc); }
    return 0.0;
  }
}

const AB_SH2: i32 = 0; // σ̂²
const AB_A1: i32 = 1; // σ'(t̂) σ̂
const AB_A0: i32 = 2; // s'(t̂)/ŝ
const AB_R1: i32 = 3; // σ'(t̂) ŝ σ̂
const AB_SP2: i32 = 4; // σ(t')²
const AB_B1: i32 = 5; // σ'(t') σ(t')
const AB_B0: i32 = 6; // s'(t')/s(t')
const AB_Q1: i32 = 7; // σ'(t') s(t') σ(t')
const AB_H: i32 = 8;
const AB_AH: i32 = 9; // α h
const AB_KAPPA: i32 = 10; // 1/(2α)
const AB_GAIN: i32 = 11; // ŝ/s_next
const AB_INV: i32 = 12; // 1/s_next
const AB_NOISE: i32 = 13; // (σ̂² − σ²)₊ ŝ² S_noise²/s_next²
const AB_EULER: i32 = 14;
export const ABLATION_STRIDE: i32 = 15;

export function ablationPrepare(params: usize, times: usize, K: i32): usize {
  const sc = new Sched();
  sc.schedule = <i32>par(params, P_SCHEDULE);
  sc.scaling = <i32>par(params, P_SCALING);
  const lo = sigmaMinOf(params), hi = sigmaMaxOf(params), eps = par(params, P_EPSILON_S);
  // vp_beta_d, vp_beta_min from the σ range (the source's "Compute corresponding betas for VP")
  sc.bd = 2.0 * (Math.log(lo * lo + 1.0) / eps - Math.log(hi * hi + 1.0)) / (eps - 1.0);
  sc.bm = Math.log(hi * hi + 1.0) - 0.5 * sc.bd;
  const numSteps = par(params, P_NUM_STEPS);
  const heun = par(params, P_SOLVER) == 1.0;
  const alpha = par(params, P_ALPHA);
  const sChurn = par(params, P_S_CHURN), sMin = par(params, P_S_MIN), sMax = par(params, P_S_MAX), sNoise = par(params, P_S_NOISE);
  const table = heap.alloc(<usize>K * ABLATION_STRIDE * 8);
  for (let k = 0; k < K; k++) {
    // t_steps = σ⁻¹(σ_steps), then t_N = 0
    const tCur = sc.inv(load<f64>(times + (<usize>k << 3)));
    const tNext = k + 1 == K ? 0.0 : sc.inv(load<f64>(times + (<usize>(k + 1) << 3)));
    const sgCur = sc.sigma(tCur);
    const gamma = sMin <= sgCur && sgCur <= sMax ? Math.min(sChurn / numSteps, Math.SQRT2 - 1.0) : 0.0;
    const tHat = sc.inv(sgCur + gamma * sgCur);
    const sgHat = sc.sigma(tHat), sHat = sc.scale(tHat), dHat = sc.deriv(tHat);
    const h = tNext - tHat;
    const sNext = sc.scale(tNext);
    const row = table + ((<usize>k * ABLATION_STRIDE) << 3);
    store<f64>(row + (AB_SH2 << 3), sgHat * sgHat);
    store<f64>(row + (AB_A1 << 3), dHat * sgHat);
    store<f64>(row + (AB_A0 << 3), sc.scaleDeriv(tHat) / sHat);
    store<f64>(row + (AB_R1 << 3), dHat * sHat * sgHat);
    const euler = !heun || k == K - 1;
    if (!euler) {
      const tP = tHat + alpha * h;
      const sgP = sc.sigma(tP), sP = sc.scale(tP), dP = sc.deriv(tP);
      store<f64>(row + (AB_SP2 << 3), sgP * sgP);
      store<f64>(row + (AB_B1 << 3), dP * sgP);
      store<f64>(row + (AB_B0 << 3), sc.scaleDeriv(tP) / sP);
      store<f64>(row + (AB_Q1 << 3), dP * sP * sgP);
    } else {
      store<f64>(row + (AB_SP2 << 3), 1.0);
      store<f64>(row + (AB_B1 << 3), 0.0);
      store<f64>(row + (AB_B0 << 3), 0.0);
      store<f64>(row + (AB_Q1 << 3), 0.0);
    }
    store<f64>(row + (AB_H << 3), h);
    store<f64>(row + (AB_AH << 3), alpha * h);
    store<f64>(row + (AB_KAPPA << 3), 1.0 / (2.0 * alpha));
    store<f64>(row + (AB_GAIN << 3), sHat / sNext);
    store<f64>(row + (AB_INV << 3), 1.0 / sNext);
    const churn = Math.max(sgHat * sgHat - sgCur * sgCur, 0.0);
    store<f64>(row + (AB_NOISE << 3), churn * sHat * sHat * sNoise * sNoise / (sNext * sNext));
    store<f64>(row + (AB_EULER << 3), euler ? 1.0 : 0.0);
  }
  return table;
}

/** Whether every step is deterministic (S_churn = 0 or S_noise = 0). */
export function ablationDeterministic(params: usize): bool {
  return par(params, P_S_CHURN) == 0.0 || par(params, P_S_NOISE) == 0.0;
}

// @ts-ignore: decorator
@inline export function ablationCoefficients(table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * ABLATION_STRIDE) << 3);
  const one = f64x2.splat(1.0);
  const h = col(row, AB_H);
  const den = f64x2.add(L, col(row, AB_SH2));
  const P = f64x2.add(f64x2.div(col(row, AB_A1), den), col(row, AB_A0));
  const R = f64x2.div(col(row, AB_R1), den);
  let A: v128, b: v128;
  if (load<f64>(row + (AB_EULER << 3)) != 0.0) {
    A = f64x2.add(one, f64x2.mul(h, P));
    b = f64x2.neg(f64x2.mul(h, R));
  } else {
    const denP = f64x2.add(L, col(row, AB_SP2));
    const P1 = f64x2.add(f64x2.div(col(row, AB_B1), denP), col(row, AB_B0));
    const R1 = f64x2.div(col(row, AB_Q1), denP);
    const kap = col(row, AB_KAPPA), ah = col(row, AB_AH);
    const omk = f64x2.sub(one, kap);
    A = f64x2.add(one, f64x2.mul(h, f64x2.add(f64x2.mul(omk, P), f64x2.mul(f64x2.mul(kap, P1), f64x2.add(one, f64x2.mul(ah, P))))));
    b = f64x2.neg(f64x2.mul(h, f64x2.add(f64x2.mul(omk, R), f64x2.mul(kap, f64x2.add(f64x2.mul(f64x2.mul(ah, P1), R), R1)))));
  }
  setA(s, 0, 0, f64x2.mul(A, col(row, AB_GAIN)));
  if (wantB) setB(s, 0, f64x2.mul(b, col(row, AB_INV)));
  if (wantQ) setQ(s, 0, 0, f64x2.mul(f64x2.mul(A, A), col(row, AB_NOISE)));
}
