// diffusers' schedulers (huggingface/diffusers src/diffusers/schedulers/) per eigenvalue:
// DDIMScheduler and DDPMScheduler on the discrete VP models (ddpm-linear, sd), and the flow-matching
// Euler / Heun / midpoint steps on the rectified-flow model (docs/MATH-samplers.md §5.15, §5.20, §5.21).
// The grid's times are the model's: t = (τ + 1)/N for the integer timestep τ (ᾱ_τ exactly), t = 0
// for ᾱ = 1; on rf the flow level σ_t (α = 1 − σ).
import { setA, setB, setQ, col } from './coefficients';
import { processSignal, processNoise } from '../processes/dispatch';

// ---------------------------------------------------------------------------------------------
// DDIM and DDPM (VP coordinates x = √ᾱ x0 + √(1 − ᾱ) ε), §5.20–§5.21. With the exact ε-prediction
// the predicted x0 is the exact denoiser D(x) = c x + (1 − c √ᾱ) m, c = √ᾱ λ/(ᾱλ + 1 − ᾱ), and both
// steps are x' = r x + w D + √q ξ:
//   A = r + w √ᾱ λ/(ᾱλ + 1 − ᾱ),  b = w (1 − ᾱ)/(ᾱλ + 1 − ᾱ),  Q = q.
// DDIM:  r = dir/√(1 − ᾱ), w = √ᾱ_prev − dir √ᾱ/√(1 − ᾱ), dir = √(1 − ᾱ_prev − std²),
//        std = η √((1 − ᾱ_prev)/(1 − ᾱ) (1 − ᾱ/ᾱ_prev)); ᾱ_prev at τ − N // n (the final ᾱ
//        — 1 with set_alpha_to_one, else ᾱ_0 — where that is < 0).
// DDPM:  r = √(ᾱ/ᾱ_prev)(1 − ᾱ_prev)/(1 − ᾱ), w = √ᾱ_prev (1 − ᾱ/ᾱ_prev)/(1 − ᾱ); ᾱ_prev at the next
//        timestep (1 after the last); q = max(var, 1e-20) (fixed_small) or 1 − ᾱ/ᾱ_prev (fixed_large)
//        when τ > 0, else 0.
const VD_R: i32 = 0;
const VD_W: i32 = 1;
const VD_SA: i32 = 2; // √ᾱ
const VD_A: i32 = 3; // ᾱ
const VD_B: i32 = 4; // 1 − ᾱ
const VD_Q: i32 = 5;
export const VP_DISCRETE_STRIDE: i32 = 6;

/** The model's N (num_train_timesteps: the third process parameter of ddpm-linear and sd). */
// @ts-ignore: decorator
@inline function trainSteps(pp: usize): i32 {
  return <i32>load<f64>(pp, 16);
}

/** Integer timestep τ of grid time t = (τ + 1)/N. */
// @ts-ignore: decorator
@inline function timestepOf(t: f64, N: i32): i32 {
  return <i32>Math.round(t * <f64>N) - 1;
}

function storeVd(table: usize, k: i32, r: f64, w: f64, ab: f64, bb: f64, q: f64): void {
  const row = table + ((<usize>k * VP_DISCRETE_STRIDE) << 3);
  store<f64>(row + (VD_R << 3), r);
  store<f64>(row + (VD_W << 3), w);
  store<f64>(row + (VD_SA << 3), Math.sqrt(ab));
  store<f64>(row + (VD_A << 3), ab);
  store<f64>(row + (VD_B << 3), bb);
  store<f64>(row + (VD_Q << 3), q);
}

/** DDIMScheduler.step. Parameters: [num_inference_steps, eta, timestep_spacing, steps_offset, set_alpha_to_one, clip_sample]. */
export function ddimPrepare(params: usize, process: i32, pp: usize, times: usize, K: i32): usize {
  const n = <i32>load<f64>(params);
  const eta = load<f64>(params, 8);
  const toOne = load<f64>(params, 32) != 0.0;
  const N = trainSteps(pp);
  const ratio = N / n;
  const table = heap.alloc(<usize>K * VP_DISCRETE_STRIDE * 8);
  for (let k = 0; k < K; k++) {
    const tau = timestepOf(load<f64>(times + (<usize>k << 3)), N);
    const t = <f64>(tau + 1) / <f64>N;
    const ab = processSignal(process, pp, t), bb = processNoise(process, pp, t);
    const prev = tau - ratio;
    let abp = 1.0, bbp = 0.0;
    if (prev >= 0 || !toOne) {
      const tp = <f64>(prev >= 0 ? prev + 1 : 1) / <f64>N;
      abp = processSignal(process, pp, tp);
      bbp = processNoise(process, pp, tp);
    }
    const variance = bbp / bb * (1.0 - ab / abp);
    const std2 = eta * eta * variance;
    const dir = Math.sqrt(bbp - std2);
    const sb = Math.sqrt(bb);
    storeVd(table, k, dir / sb, Math.sqrt(abp) - dir * Math.sqrt(ab) / sb, ab, bb, std2);
  }
  return table;
}

/** DDPMScheduler.step. Parameters: [num_inference_steps, variance_type, timestep_spacing, steps_offset, clip_sample]. */
export function ddpmDiffusersPrepare(params: usize, process: i32, pp: usize, times: usize, K: i32): usize {
  const large = load<f64>(params, 8) != 0.0;
  const N = trainSteps(pp);
  const table = heap.alloc(<usize>K * VP_DISCRETE_STRIDE * 8);
  for (let k = 0; k < K; k++) {
    const t = load<f64>(times + (<usize>k << 3)), t1 = load<f64>(times + (<usize>(k + 1) << 3));
    const tau = timestepOf(t, N);
    const ab = processSignal(process, pp, t), bb = processNoise(process, pp, t);
    // the next timestep's ᾱ; 1 after the last (t = 0: ᾱ = 1, 1 − ᾱ = 0)
    const abp = processSignal(process, pp, t1), bbp = processNoise(process, pp, t1);
    const cur = 1.0 - ab / abp; // current_beta_t
    const variance = Math.max(bbp / bb * cur, 1e-20);
    const q = tau > 0 ? (large ? cur : variance) : 0.0;
    storeVd(table, k, Math.sqrt(ab / abp) * bbp / bb, Math.sqrt(abp) * cur / bb, ab, bb, q);
  }
  return table;
}

// @ts-ignore: decorator
@inline export function vpDiscreteCoefficients(table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * VP_DISCRETE_STRIDE) << 3);
  const den = f64x2.add(f64x2.mul(L, col(row, VD_A)), col(row, VD_B));
  const w = col(row, VD_W);
  setA(s, 0, 0, f64x2.add(col(row, VD_R), f64x2.div(f64x2.mul(f64x2.mul(w, col(row, VD_SA)), L), den)));
  if (wantB) setB(s, 0, f64x2.div(f64x2.mul(w, col(row, VD_B)), den));
  if (wantQ) setQ(s, 0, 0, col(row, VD_Q));
}

// ---------------------------------------------------------------------------------------------
// Flow matching on x_σ = (1 − σ) x0 + σ n (rf), §5.15. The exact velocity is affine:
//   v(x, σ) = (x − D(x))/σ = p x − q m,  p = (σ − αλ)/(α²λ + σ²),  q = σ/(α²λ + σ²),  α = 1 − σ.
// With h = σ' − σ:
//   Euler     x' = x + h v(x, σ):                                  A = 1 + h p,  b = −h q;
//   Heun      x' = x + h/2 (v(x, σ) + v(x + h v, σ'))  (Euler when σ' = 0):
//             A = 1 + h/2 (p + p'(1 + h p)),  b = −h/2 (q + q' + h p' q);
//   midpoint  x' = x + h v(x + h/2 v(x, σ), σ_m), σ_m = (σ + σ')/2:
//             A = 1 + h p_m (1 + h/2 p),  b = −h (q_m + h/2 p_m q).
// Q = 0 (ODE). Row: σ, α², σ', α'², σ_m, α_m², α, α', α_m, h, Euler flag.
const FL_S: i32 = 0;
const FL_A2: i32 = 1;
const FL_S1: i32 = 2;
const FL_A12: i32 = 3;
const FL_SM: i32 = 4;
const FL_AM2: i32 = 5;
const FL_A: i32 = 6;
const FL_A1: i32 = 7;
const FL_AM: i32 = 8;
const FL_H: i32 = 9;
const FL_EULER: i32 = 10;
export const FLOW_STRIDE: i32 = 11;

export const FLOW_EULER_METHOD: i32 = 0;
export const FLOW_HEUN_METHOD: i32 = 1;
export const FLOW_MIDPOINT_METHOD: i32 = 2;

export function flowPrepare(method: i32, process: i32, pp: usize, times: usize, K: i32): usize {
  const table = heap.alloc(<usize>K * FLOW_STRIDE * 8);
  for (let k = 0; k < K; k++) {
    const sg = Math.sqrt(processNoise(process, pp, load<f64>(times + (<usize>k << 3))));
    const sg1 = Math.sqrt(processNoise(process, pp, load<f64>(times + (<usize>(k + 1) << 3))));
    const sm = (sg + sg1) / 2.0;
    const a = 1.0 - sg, a1 = 1.0 - sg1, am = 1.0 - sm;
    const row = table + ((<usize>k * FLOW_STRIDE) << 3);
    store<f64>(row + (FL_S << 3), sg);
    store<f64>(row + (FL_A2 << 3), a * a);
    store<f64>(row + (FL_S1 << 3), sg1);
    store<f64>(row + (FL_A12 << 3), a1 * a1);
    store<f64>(row + (FL_SM << 3), sm);
    store<f64>(row + (FL_AM2 << 3), am * am);
    store<f64>(row + (FL_A << 3), a);
    store<f64>(row + (FL_A1 << 3), a1);
    store<f64>(row + (FL_AM << 3), am);
    store<f64>(row + (FL_H << 3), sg1 - sg);
    store<f64>(row + (FL_EULER << 3), method == FLOW_EULER_METHOD || (method == FLOW_HEUN_METHOD && sg1 == 0.0) ? 1.0 : 0.0);
  }
  return table;
}

// @ts-ignore: decorator
@inline function flowP(L: v128, sg: v128, a: v128, a2: v128): v128 {
  return f64x2.div(f64x2.sub(sg, f64x2.mul(a, L)), f64x2.add(f64x2.mul(a2, L), f64x2.mul(sg, sg)));
}
// @ts-ignore: decorator
@inline function flowQ(L: v128, sg: v128, a2: v128): v128 {
  return f64x2.div(sg, f64x2.add(f64x2.mul(a2, L), f64x2.mul(sg, sg)));
}

// @ts-ignore: decorator
@inline export function flowCoefficients(method: i32, table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * FLOW_STRIDE) << 3);
  const one = f64x2.splat(1.0), half = f64x2.splat(0.5);
  const h = col(row, FL_H);
  const sg = col(row, FL_S);
  const p = flowP(L, sg, col(row, FL_A), col(row, FL_A2));
  let A: v128, b: v128 = f64x2.splat(0.0);
  if (load<f64>(row + (FL_EULER << 3)) != 0.0) {
    A = f64x2.add(one, f64x2.mul(h, p));
    if (wantB) b = f64x2.neg(f64x2.mul(h, flowQ(L, sg, col(row, FL_A2))));
  } else if (method == FLOW_HEUN_METHOD) {
    const s1 = col(row, FL_S1);
    const p1 = flowP(L, s1, col(row, FL_A1), col(row, FL_A12));
    const hh = f64x2.mul(half, h);
    A = f64x2.add(one, f64x2.mul(hh, f64x2.add(p, f64x2.mul(p1, f64x2.add(one, f64x2.mul(h, p))))));
    if (wantB) {
      const q = flowQ(L, sg, col(row, FL_A2)), q1 = flowQ(L, s1, col(row, FL_A12));
      b = f64x2.neg(f64x2.mul(hh, f64x2.add(f64x2.add(q, q1), f64x2.mul(f64x2.mul(h, p1), q))));
    }
  } else {
    const sm = col(row, FL_SM);
    const pm = flowP(L, sm, col(row, FL_AM), col(row, FL_AM2));
    const hh = f64x2.mul(half, h);
    A = f64x2.add(one, f64x2.mul(f64x2.mul(h, pm), f64x2.add(one, f64x2.mul(hh, p))));
    if (wantB) {
      const q = flowQ(L, sg, col(row, FL_A2)), qm = flowQ(L, sm, col(row, FL_AM2));
      b = f64x2.neg(f64x2.mul(h, f64x2.add(qm, f64x2.mul(f64x2.mul(hh, pm), q))));
    }
  }
  setA(s, 0, 0, A);
  if (wantB) setB(s, 0, b);
  if (wantQ) setQ(s, 0, 0, f64x2.splat(0.0));
}
