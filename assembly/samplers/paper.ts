// The paper's seven schemes (docs/MATH.md §4, the α-family EM from the slides) in the general
// format (docs/MATH-samplers.md §5.16): per eigenvalue one state, u ← a u + b m + √q z, on any
// decreasing time grid of the VP process (step k has h_k = t_k − t_{k+1}; on the uniform grid
// h_k = (T − ε)/K up to one rounding). The gains reuse the inline functions of assembly/schemes.ts,
// so on the paper's grid the numbers are those of the fast path (assembly/discrete.ts).
// Mean (score −(x − α_t m)/λ_t): SDE schemes b = −Q_col · α_k / λ_k; the ODE schemes integrate the
// affine drift F(t, y) = β_t (1 − 1/λ_t) y + β_t α_t m / λ_t with their stages composed exactly.
import { halfStepDrift, eulerGain, heunGain, rk4Gain } from '../schemes';
import { marginalFromWeights2 } from '../schedule';
import { vpBeta, vpIntegratedBeta, vpSignal, vpNoise } from '../processes/vp-linear';
import { setA, setB, setQ, col } from './coefficients';
import { setStep, setStage, setPoint } from './stages';

export const EM: i32 = 0;
export const EI: i32 = 1;
export const DDPM: i32 = 2;
export const EM_ALPHA: i32 = 3;
export const EULER: i32 = 4;
export const HEUN: i32 = 5;
export const RK4: i32 = 6;

// Row k of the per-step table (k = 0..K; the last row holds the level columns only).
const SIGNAL: i32 = 0; // α²(t_k)
const NOISE: i32 = 1; // σ²(t_k)
const ALPHA: i32 = 2; // α(t_k)
const E0: i32 = 3; // (h_k/2) β(t_k)
const E1: i32 = 4; // (h_k/2) β(t_{k+1})
const EMID: i32 = 5; // (h_k/2) β(t_k − h_k/2)
const MID_SIGNAL: i32 = 6;
const MID_NOISE: i32 = 7;
const MID_ALPHA: i32 = 8;
const P: i32 = 9; // SDE schemes: a = P + Q/λ_k, q = R
const Q: i32 = 10;
const R: i32 = 11;
// For the vector program (paperStages): t_k and β(t_k) on every row, h_k, t_k − h_k/2, β there.
const TIME: i32 = 12;
const BETA: i32 = 13;
const H: i32 = 14;
const TMID: i32 = 15;
const BETAMID: i32 = 16;
export const PAPER_STRIDE: i32 = 17;

/** α of 'em-alpha' is params[0]; the others take no parameter. */
/**
 * The per-step table. hs: the grid's step sizes h_k if its builder defines them (the paper's uniform
 * grid: h = (T − ε)/K, exactly as the fast path), else 0: h_k = t_k − t_{k+1}.
 */
export function paperPrepare(scheme: i32, params: usize, pp: usize, times: usize, hs: usize, K: i32): usize {
  const table = heap.alloc(<usize>(K + 1) * PAPER_STRIDE * 8);
  memory.fill(table, 0, <usize>(K + 1) * PAPER_STRIDE * 8);
  const alpha = scheme == EM_ALPHA ? load<f64>(params) : 0.0;
  for (let k = 0; k <= K; k++) {
    const row = table + ((<usize>k * PAPER_STRIDE) << 3);
    const t = load<f64>(times + (<usize>k << 3));
    store<f64>(row + (SIGNAL << 3), vpSignal(pp, t));
    store<f64>(row + (NOISE << 3), vpNoise(pp, t));
    store<f64>(row + (ALPHA << 3), Math.exp(-vpIntegratedBeta(pp, t)));
    store<f64>(row + (TIME << 3), t);
    store<f64>(row + (BETA << 3), vpBeta(pp, t));
    if (k == K) break;
    const tNext = load<f64>(times + (<usize>(k + 1) << 3));
    const h = hs != 0 ? load<f64>(hs + (<usize>k << 3)) : t - tNext;
    const tMid = t - 0.5 * h;
    store<f64>(row + (E0 << 3), 0.5 * h * vpBeta(pp, t));
    store<f64>(row + (E1 << 3), 0.5 * h * vpBeta(pp, tNext));
    store<f64>(row + (EMID << 3), 0.5 * h * vpBeta(pp, tMid));
    store<f64>(row + (MID_SIGNAL << 3), vpSignal(pp, tMid));
    store<f64>(row + (MID_NOISE << 3), vpNoise(pp, tMid));
    store<f64>(row + (MID_ALPHA << 3), Math.exp(-vpIntegratedBeta(pp, tMid)));
    store<f64>(row + (H << 3), h);
    store<f64>(row + (TMID << 3), tMid);
    store<f64>(row + (BETAMID << 3), vpBeta(pp, tMid));
    const hb = h * vpBeta(pp, t);
    const dB = vpIntegratedBeta(pp, t) - vpIntegratedBeta(pp, tNext);
    let p = 0.0, q = 0.0, r = 0.0;
    if (scheme == EM) { p = 1.0 + hb; q = -2.0 * hb; r = 2.0 * hb; }
    else if (scheme == EI) { const g1 = Math.expm1(dB); const g2 = 0.5 * Math.expm1(2.0 * dB); p = 1.0 + g1; q = -2.0 * g1; r = 2.0 * g2; }
    else if (scheme == DDPM) { const b = 2.0 * hb; const s = 1.0 / Math.sqrt(1.0 - b); p = s; q = -b * s; r = b; }
    else if (scheme == EM_ALPHA) { p = 1.0 + hb; q = -(1.0 + alpha) * hb; r = 2.0 * alpha * hb; }
    store<f64>(row + (P << 3), p);
    store<f64>(row + (Q << 3), q);
    store<f64>(row + (R << 3), r);
  }
  return table;
}

/** max over the steps of DDPM's b = 2 h_k β(t_k) (DDPM needs b < 1; the bindings check it). */
export function paperDdpmMaxB(pp: usize, times: usize, hs: usize, K: i32): f64 {
  let worst: f64 = 0.0;
  for (let k = 0; k < K; k++) {
    const t = load<f64>(times + (<usize>k << 3));
    const h = hs != 0 ? load<f64>(hs + (<usize>k << 3)) : t - load<f64>(times + (<usize>(k + 1) << 3));
    worst = Math.max(worst, 2.0 * h * vpBeta(pp, t));
  }
  return worst;
}

/** Step k's (a, b, q) for the eigenvalues L (model λ in the coefficients), into scratch s. */
// @ts-ignore: decorator
@inline export function paperCoefficients(scheme: i32, table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const unit = f64x2.splat(1.0);
  const row = table + ((<usize>k * PAPER_STRIDE) << 3);
  const next = row + (<usize>PAPER_STRIDE << 3);
  const r = f64x2.div(unit, marginalFromWeights2(col(row, SIGNAL), col(row, NOISE), L));
  if (scheme <= EM_ALPHA) {
    const q = col(row, Q);
    setA(s, 0, 0, f64x2.add(col(row, P), f64x2.mul(q, r)));
    if (wantB) setB(s, 0, f64x2.mul(f64x2.neg(q), f64x2.mul(col(row, ALPHA), r)));
    if (wantQ) setQ(s, 0, 0, col(row, R));
    return;
  }
  if (wantQ) setQ(s, 0, 0, f64x2.splat(0.0));
  const e0 = halfStepDrift(col(row, E0), r);
  const m0 = f64x2.mul(col(row, E0), f64x2.mul(col(row, ALPHA), r)); // (h/2) β α m / λ at t_k
  const euler = eulerGain(e0);
  if (scheme == EULER) {
    setA(s, 0, 0, euler);
    if (wantB) setB(s, 0, f64x2.add(m0, m0));
    return;
  }
  const r1 = f64x2.div(unit, marginalFromWeights2(col(next, SIGNAL), col(next, NOISE), L));
  const e1 = halfStepDrift(col(row, E1), r1);
  const m1 = f64x2.mul(col(row, E1), f64x2.mul(col(next, ALPHA), r1));
  if (scheme == HEUN) {
    setA(s, 0, 0, heunGain(e0, e1, euler));
    if (wantB) setB(s, 0, f64x2.add(f64x2.add(m0, f64x2.mul(e1, f64x2.add(m0, m0))), m1));
    return;
  }
  // RK4 (scheme == RK4; dispatch sends no other id here)
  const rm = f64x2.div(unit, marginalFromWeights2(col(row, MID_SIGNAL), col(row, MID_NOISE), L));
  const em = halfStepDrift(col(row, EMID), rm);
  const mm = f64x2.mul(col(row, EMID), f64x2.mul(col(row, MID_ALPHA), rm));
  setA(s, 0, 0, rk4Gain(e0, em, e1));
  if (!wantB) return;
  const H1 = m0;
  const H2 = f64x2.add(f64x2.mul(em, H1), mm);
  const H3 = f64x2.add(f64x2.mul(em, H2), mm);
  const H4 = f64x2.add(f64x2.mul(e1, f64x2.add(H3, H3)), m1);
  const inner = f64x2.add(H2, H3);
  setB(s, 0, f64x2.mul(f64x2.add(f64x2.add(H1, H4), f64x2.add(inner, inner)), f64x2.splat(1.0 / 3.0)));
}

// @ts-ignore: decorator
@inline function at(row: usize, c: i32): f64 {
  return load<f64>(row + (<usize>c << 3));
}

/**
 * Step k as a program on vectors (stages.ts), from the same table as paperCoefficients; with the
 * exact score s = −(y − α m)/λ_t it gives back (a, b, q) above (docs/MATH.md §4):
 *   SDE schemes  x' = P x − Q s(t_k, x) + √R z            (a = P + Q/λ_k)
 *   ODE schemes  the drift f(t, y) = β_t (y + s(t, y)) in reverse time, stages added with +h:
 *     Euler x + h f(t_k, x); Heun x + (h/2)(f_0 + f(t_{k+1}, x + h f_0));
 *     RK4 x + (h/6)(f_1 + 2 f_2 + 2 f_3 + f_4) at t_k, t_k − h/2, t_k − h/2, t_{k+1}.
 */
export function paperStages(scheme: i32, table: usize, k: i32, out: usize): void {
  const row = table + ((<usize>k * PAPER_STRIDE) << 3);
  const next = row + (<usize>PAPER_STRIDE << 3);
  const t = at(row, TIME);
  if (scheme <= EM_ALPHA) {
    setStep(out, 1, at(row, P), 1.0, at(row, R));
    setStage(out, 0, t, at(row, SIGNAL), at(row, NOISE), 0.0, 1.0, -at(row, Q));
    return;
  }
  const h = at(row, H);
  if (scheme == EULER) {
    setStep(out, 1, 1.0, h, 0.0);
    setStage(out, 0, t, at(row, SIGNAL), at(row, NOISE), 1.0, at(row, BETA), 1.0);
    return;
  }
  if (scheme == HEUN) {
    setStep(out, 2, 1.0, 0.5 * h, 0.0);
    setStage(out, 0, t, at(row, SIGNAL), at(row, NOISE), 1.0, at(row, BETA), 1.0);
    setStage(out, 1, at(next, TIME), at(next, SIGNAL), at(next, NOISE), 1.0, at(next, BETA), 1.0);
    setPoint(out, 1, 0, h);
    return;
  }
  // RK4 (dispatch sends no other id here)
  const tm = at(row, TMID), bm = at(row, BETAMID);
  setStep(out, 4, 1.0, h / 6.0, 0.0);
  setStage(out, 0, t, at(row, SIGNAL), at(row, NOISE), 1.0, at(row, BETA), 1.0);
  setStage(out, 1, tm, at(row, MID_SIGNAL), at(row, MID_NOISE), 1.0, bm, 2.0);
  setPoint(out, 1, 0, 0.5 * h);
  setStage(out, 2, tm, at(row, MID_SIGNAL), at(row, MID_NOISE), 1.0, bm, 2.0);
  setPoint(out, 2, 1, 0.5 * h);
  setStage(out, 3, at(next, TIME), at(next, SIGNAL), at(next, NOISE), 1.0, at(next, BETA), 1.0);
  setPoint(out, 3, 2, h);
}
