// UniPC (wl-zhao/UniPC uni_pc.py, UniPC.sample, method 'multistep') on a VP process, per eigenvalue
// (docs/MATH-samplers.md §5.18). Model outputs are affine as in dpm-solver.ts (data or noise
// prediction). State (x, M₀, M₁, M₂): the corrected sample and the last three model outputs; the
// model output of a step is evaluated at the PREDICTED point and reused by the corrector and by
// the next predictor (NFE = steps). Per step, with M₀ the newest stored output (at the first step
// the output at the start x itself), x_ = a x + g M₀:
//   predicted  xᵖ = a x + p₀ M₀ + p₁ M₁ + p₂ M₂
//   new output Mₜ = c' xᵖ + d' m                     (c', d' at the step's end)
//   corrected  xᶜ = a x + q₀ M₀ + q₁ M₁ + q₂ M₂ + q_L Mₜ   (no corrector on the last step: x' = xᵖ)
// and the new state (xᶜ, Mₜ, M₀, M₁). `denoise_to_zero` appends a step x' = x̂0(x, t_end).
import { setA, setB, col } from './coefficients';
import { processSignal, processNoise } from '../processes/dispatch';
import { halfLogSnr, multistepOrder } from './dpm-solver';

// Parameters, in the order of the spec (bindings/samplers/unipc.ts):
// [algorithm_type, variant, steps, t_start, t_end, order, skip_type, method, lower_order_final, denoise_to_zero]
const P_ALGORITHM: i32 = 0; // 0 data_prediction, 1 noise_prediction
const P_VARIANT: i32 = 1; // 0 bh1, 1 bh2, 2 vary_coeff
const P_STEPS: i32 = 2;
const P_ORDER: i32 = 5;
const P_LOWER_ORDER_FINAL: i32 = 8;
const P_DENOISE_TO_ZERO: i32 = 9;

const U_PRED: i32 = 0; // 1 data prediction, 0 noise prediction
const U_FIRST: i32 = 1; // 1: M₀ is the output at the current x (α_s, σ_s)
const U_CORR: i32 = 2; // 1: corrector
const U_AS: i32 = 3;
const U_SS: i32 = 4;
const U_AT: i32 = 5;
const U_ST: i32 = 6;
const U_AP: i32 = 7; // x weight of the prediction
const U_P0: i32 = 8;
const U_P1: i32 = 9;
const U_P2: i32 = 10;
const U_AC: i32 = 11; // x weight of the correction
const U_Q0: i32 = 12;
const U_Q1: i32 = 13;
const U_Q2: i32 = 14;
const U_QL: i32 = 15;
export const UNIPC_STRIDE: i32 = 16;

// @ts-ignore: decorator
@inline function put(row: usize, c: i32, v: f64): void {
  store<f64>(row + (<usize>c << 3), v);
}
// @ts-ignore: decorator
@inline function at(m: usize, n: i32, i: i32, j: i32): f64 {
  return load<f64>(m + (<usize>(i * n + j) << 3));
}
// @ts-ignore: decorator
@inline function setAt(m: usize, n: i32, i: i32, j: i32, v: f64): void {
  store<f64>(m + (<usize>(i * n + j) << 3), v);
}

/** Solve the n×n system M x = b in place (Gaussian elimination, partial pivoting); x into b. */
function solveSmall(M: usize, b: usize, n: i32): void {
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(at(M, n, r, c)) > Math.abs(at(M, n, p, c))) p = r;
    if (p != c) {
      for (let j = 0; j < n; j++) {
        const tmp = at(M, n, c, j);
        setAt(M, n, c, j, at(M, n, p, j));
        setAt(M, n, p, j, tmp);
      }
      const tb = load<f64>(b + (<usize>c << 3));
      store<f64>(b + (<usize>c << 3), load<f64>(b + (<usize>p << 3)));
      store<f64>(b + (<usize>p << 3), tb);
    }
    for (let r = c + 1; r < n; r++) {
      const f = at(M, n, r, c) / at(M, n, c, c);
      for (let j = c; j < n; j++) setAt(M, n, r, j, at(M, n, r, j) - f * at(M, n, c, j));
      store<f64>(b + (<usize>r << 3), load<f64>(b + (<usize>r << 3)) - f * load<f64>(b + (<usize>c << 3)));
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let v = load<f64>(b + (<usize>r << 3));
    for (let j = r + 1; j < n; j++) v -= at(M, n, r, j) * load<f64>(b + (<usize>j << 3));
    store<f64>(b + (<usize>r << 3), v / at(M, n, r, r));
  }
}

/**
 * vary_coeff: w_j = Σ_{k<n} hφ_{k+1} (C_n⁻¹)[k][j] for the leading n×n block of C (C[i][k] = r_iᵏ/(k+1)!),
 * i.e. the solution of C_nᵀ w = (hφ₁…hφ_n)ᵀ; into w (j < n).
 */
function varyWeights(rks: usize, hphi: usize, n: i32, w: usize, M: usize): void {
  for (let i = 0; i < n; i++) {
    let c = 1.0;
    for (let k = 0; k < n; k++) {
      setAt(M, n, k, i, c); // transposed
      c = c * load<f64>(rks + (<usize>i << 3)) / <f64>(k + 2);
    }
  }
  for (let k = 0; k < n; k++) store<f64>(w + (<usize>k << 3), load<f64>(hphi + (<usize>(k + 1) << 3)));
  solveSmall(M, w, n);
}

export function unipcPrepare(params: usize, process: i32, pp: usize, times: usize, K: i32): usize {
  const data = load<f64>(params + (<usize>P_ALGORITHM << 3)) == 0.0;
  const variant = <i32>load<f64>(params + (<usize>P_VARIANT << 3));
  const steps = <i32>load<f64>(params + (<usize>P_STEPS << 3));
  const order = <i32>load<f64>(params + (<usize>P_ORDER << 3));
  const lof = load<f64>(params + (<usize>P_LOWER_ORDER_FINAL << 3)) != 0.0;
  const dtz = load<f64>(params + (<usize>P_DENOISE_TO_ZERO << 3)) != 0.0;
  const table = heap.alloc(<usize>K * UNIPC_STRIDE * 8);
  memory.fill(table, 0, <usize>K * UNIPC_STRIDE * 8);
  const work = heap.alloc(64 * 8);
  const rks = work, bvec = work + 4 * 8, hphi = work + 8 * 8, M = work + 16 * 8, wP = work + 32 * 8, wC = work + 40 * 8;
  const nSolve = dtz ? K - 1 : K;
  let l1 = 0.0, l2 = 0.0;
  for (let k = 0; k < K; k++) {
    const s = load<f64>(times + (<usize>k << 3)), t = load<f64>(times + (<usize>(k + 1) << 3));
    const as2 = processSignal(process, pp, s), ss2 = processNoise(process, pp, s);
    const row = table + ((<usize>k * UNIPC_STRIDE) << 3);
    const ls = halfLogSnr(as2, ss2);
    put(row, U_AS, Math.sqrt(as2));
    put(row, U_SS, Math.sqrt(ss2));
    if (k == nSolve) {
      // denoise_to_zero: x' = x̂0(x, t_end) = "the output at xᵖ = x", kept as the correction
      put(row, U_PRED, 1.0);
      put(row, U_CORR, 1.0);
      put(row, U_AT, Math.sqrt(as2));
      put(row, U_ST, Math.sqrt(ss2));
      put(row, U_AP, 1.0);
      put(row, U_QL, 1.0);
      continue;
    }
    put(row, U_PRED, data ? 1.0 : 0.0);
    put(row, U_FIRST, k == 0 ? 1.0 : 0.0);
    const p = multistepOrder(k, order, steps, lof, 0x7fffffff);
    const corr = k < steps - 1;
    put(row, U_CORR, corr ? 1.0 : 0.0);
    const at2 = processSignal(process, pp, t), st2 = processNoise(process, pp, t);
    const at_ = Math.sqrt(at2), st = Math.sqrt(st2);
    put(row, U_AT, at_);
    put(row, U_ST, st);
    const lt = halfLogSnr(at2, st2);
    const h = lt - ls;
    const hh = data ? -h : h;
    const F = data ? at_ : st;
    const a = data ? st / Math.sqrt(ss2) : Math.exp(0.5 * (Math.log(at2) - Math.log(as2)));
    const hphi1 = Math.expm1(hh);
    const g = -F * hphi1;
    // r_j = (ℓ_{k−j} − ℓ_k)/h, j = 1 … p−1; r_p = 1
    const nr = p - 1;
    if (nr >= 1) store<f64>(rks, (l1 - ls) / h);
    if (nr >= 2) store<f64>(rks + 8, (l2 - ls) / h);
    store<f64>(rks + (<usize>nr << 3), 1.0);
    // weights on D1s_j = (M_j − M₀)/r_j (predictor wP, corrector wC) and on Mₜ − M₀ (wL)
    for (let j = 0; j < 4; j++) { store<f64>(wP + (<usize>j << 3), 0.0); store<f64>(wC + (<usize>j << 3), 0.0); }
    let wL = 0.0;
    if (variant == 2) {
      // vary_coeff: hφ_1 = expm1(hh), hφ_{k+1} = hφ_k/hh − 1/k!
      let hp = hphi1, fact = 1.0;
      for (let kk = 1; kk <= p + 1; kk++) {
        store<f64>(hphi + (<usize>(kk - 1) << 3), hp);
        hp = hp / hh - 1.0 / fact;
        fact *= <f64>(kk + 1);
      }
      if (nr >= 1) {
        varyWeights(rks, hphi, nr, wP, M);
        for (let j = 0; j < nr; j++) store<f64>(wP + (<usize>j << 3), -F * load<f64>(wP + (<usize>j << 3)));
      }
      if (corr) {
        // C_p⁻¹ rows k < p − 1 against hφ_{k+1}; the output term uses row max(p − 2, 0) (the source's
        // loop variable after its loop) and hφ_p.
        // the full inverse C⁻¹ (p ≤ 3), column by column
        const inv = work + 48 * 8;
        for (let j = 0; j < p; j++) {
          for (let i = 0; i < p; i++) {
            let c = 1.0;
            for (let kk = 0; kk < p; kk++) {
              setAt(M, p, i, kk, c);
              c = c * load<f64>(rks + (<usize>i << 3)) / <f64>(kk + 2);
            }
          }
          for (let i = 0; i < p; i++) store<f64>(bvec + (<usize>i << 3), i == j ? 1.0 : 0.0);
          solveSmall(M, bvec, p);
          for (let i = 0; i < p; i++) setAt(inv, p, i, j, load<f64>(bvec + (<usize>i << 3)));
        }
        for (let j = 0; j < nr; j++) {
          let v = 0.0;
          for (let kk = 0; kk < p - 1; kk++) v += load<f64>(hphi + (<usize>(kk + 1) << 3)) * at(inv, p, kk, j);
          store<f64>(wC + (<usize>j << 3), -F * v);
        }
        const kl = p >= 2 ? p - 2 : 0;
        wL = -F * load<f64>(hphi + (<usize>p << 3)) * at(inv, p, kl, p - 1);
      }
    } else {
      // bh1 / bh2: B(h) = hh or expm1(hh); R_ij = r_jⁱ, b_i = hφ_{i+1}·(i+1)!/B(h)
      const Bh = variant == 0 ? hh : Math.expm1(hh);
      let hp = hphi1 / hh - 1.0, fact = 1.0;
      for (let i = 1; i <= p; i++) {
        store<f64>(bvec + (<usize>(i - 1) << 3), hp * fact / Bh);
        fact *= <f64>(i + 1);
        hp = hp / hh - 1.0 / fact;
      }
      if (nr >= 1) {
        if (p == 2) {
          store<f64>(wP, 0.5);
        } else {
          for (let i = 0; i < nr; i++) for (let j = 0; j < nr; j++) setAt(M, nr, i, j, Math.pow(load<f64>(rks + (<usize>j << 3)), <f64>i));
          for (let i = 0; i < nr; i++) store<f64>(wP + (<usize>i << 3), load<f64>(bvec + (<usize>i << 3)));
          solveSmall(M, wP, nr);
        }
        for (let j = 0; j < nr; j++) store<f64>(wP + (<usize>j << 3), -F * Bh * load<f64>(wP + (<usize>j << 3)));
      }
      if (corr) {
        if (p == 1) {
          store<f64>(wC, 0.5);
        } else {
          for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) setAt(M, p, i, j, Math.pow(load<f64>(rks + (<usize>j << 3)), <f64>i));
          for (let i = 0; i < p; i++) store<f64>(wC + (<usize>i << 3), load<f64>(bvec + (<usize>i << 3)));
          solveSmall(M, wC, p);
        }
        // the last ρᶜ weighs Mₜ − M₀
        wL = -F * Bh * load<f64>(wC + (<usize>nr << 3));
        store<f64>(wC + (<usize>nr << 3), 0.0);
        for (let j = 0; j < nr; j++) store<f64>(wC + (<usize>j << 3), -F * Bh * load<f64>(wC + (<usize>j << 3)));
      }
    }
    // to weights on the stored outputs: D1s_j = (M_j − M₀)/r_j
    let p0 = g, q0 = g - wL;
    let pj1 = 0.0, pj2 = 0.0, qj1 = 0.0, qj2 = 0.0;
    if (nr >= 1) {
      const r = load<f64>(rks);
      pj1 = load<f64>(wP) / r;
      qj1 = load<f64>(wC) / r;
    }
    if (nr >= 2) {
      const r = load<f64>(rks + 8);
      pj2 = load<f64>(wP + 8) / r;
      qj2 = load<f64>(wC + 8) / r;
    }
    p0 -= pj1 + pj2;
    q0 -= qj1 + qj2;
    put(row, U_AP, a);
    put(row, U_P0, p0);
    put(row, U_P1, pj1);
    put(row, U_P2, pj2);
    put(row, U_AC, a);
    put(row, U_Q0, q0);
    put(row, U_Q1, qj1);
    put(row, U_Q2, qj2);
    put(row, U_QL, wL);
    l2 = l1;
    l1 = ls;
  }
  heap.free(work);
  return table;
}

// @ts-ignore: decorator
@inline function gain(L: v128, a: v128, s: v128, data: bool, wantD: bool): v128 {
  const den = f64x2.add(f64x2.mul(f64x2.mul(a, a), L), f64x2.mul(s, s));
  if (wantD) return data ? f64x2.div(f64x2.mul(s, s), den) : f64x2.neg(f64x2.div(f64x2.mul(a, s), den));
  return data ? f64x2.div(f64x2.mul(a, L), den) : f64x2.div(s, den);
}

// @ts-ignore: decorator
@inline export function unipcCoefficients(table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * UNIPC_STRIDE) << 3);
  const zero = f64x2.splat(0.0), one = f64x2.splat(1.0);
  const data = load<f64>(row + (<usize>U_PRED << 3)) == 1.0;
  const first = load<f64>(row + (<usize>U_FIRST << 3)) == 1.0;
  const corr = load<f64>(row + (<usize>U_CORR << 3)) == 1.0;
  // M₀ over the state (x, M₀, M₁, M₂) and m
  let m0x = zero, m01 = one, m0b = zero;
  if (first) {
    m0x = gain(L, col(row, U_AS), col(row, U_SS), data, false);
    m01 = zero;
    m0b = gain(L, col(row, U_AS), col(row, U_SS), data, true);
  }
  const p0 = col(row, U_P0), p1 = col(row, U_P1), p2 = col(row, U_P2);
  // xᵖ
  const Px = f64x2.add(col(row, U_AP), f64x2.mul(p0, m0x));
  const P1 = f64x2.mul(p0, m01);
  const Pb = f64x2.mul(p0, m0b);
  // Mₜ = c' xᵖ + d'
  const ct = gain(L, col(row, U_AT), col(row, U_ST), data, false);
  const dt = gain(L, col(row, U_AT), col(row, U_ST), data, true);
  const Tx = f64x2.mul(ct, Px), T1 = f64x2.mul(ct, P1), T2 = f64x2.mul(ct, p1), T3 = f64x2.mul(ct, p2);
  const Tb = f64x2.add(f64x2.mul(ct, Pb), dt);
  if (corr) {
    const q0 = col(row, U_Q0), qL = col(row, U_QL);
    setA(s, 0, 0, f64x2.add(f64x2.add(col(row, U_AC), f64x2.mul(q0, m0x)), f64x2.mul(qL, Tx)));
    setA(s, 0, 1, f64x2.add(f64x2.mul(q0, m01), f64x2.mul(qL, T1)));
    setA(s, 0, 2, f64x2.add(col(row, U_Q1), f64x2.mul(qL, T2)));
    setA(s, 0, 3, f64x2.add(col(row, U_Q2), f64x2.mul(qL, T3)));
    if (wantB) setB(s, 0, f64x2.add(f64x2.mul(q0, m0b), f64x2.mul(qL, Tb)));
  } else {
    setA(s, 0, 0, Px);
    setA(s, 0, 1, P1);
    setA(s, 0, 2, p1);
    setA(s, 0, 3, p2);
    if (wantB) setB(s, 0, Pb);
  }
  setA(s, 1, 0, Tx);
  setA(s, 1, 1, T1);
  setA(s, 1, 2, T2);
  setA(s, 1, 3, T3);
  setA(s, 2, 0, m0x);
  setA(s, 2, 1, m01);
  setA(s, 2, 2, zero);
  setA(s, 2, 3, zero);
  setA(s, 3, 0, zero);
  setA(s, 3, 1, zero);
  setA(s, 3, 2, one);
  setA(s, 3, 3, zero);
  if (wantB) {
    setB(s, 1, Tb);
    setB(s, 2, m0b);
    setB(s, 3, zero);
  }
}
