// The variance recursions of the discretised samplers (docs/MATH.md §4–5), per eigenvalue, two lanes at a
// time. All requested schemes that share a grid (same K and ε) run in one pass, so 1/λ_k is
// computed once per eigenvalue and step for all of them.
//
// Both starts share every coefficient: after k steps v_k = G_k v_0 + N_k with the gain
// G_k = Π a_j² and the noise N_k (the variance reached from v_0 = 0), so one recursion serves the
// start p_T (v_0 = λ_T) and the start N(0, I) (v_0 = 1). ODE schemes have q = 0, hence N = 0.
import {
  EM, EI, DDPM, EM_ALPHA, EULER, HEUN, RK4, SCHEME_COUNT,
  COL_SIGNAL, COL_NOISE, COL_MID_SIGNAL, COL_MID_NOISE, COL_SDE, COL_HALF_STEP_BETA, COL_MID_HALF_STEP_BETA,
  TABLE_STRIDE, MAX_STEPS, fillStepTable, halfStepDrift, eulerGain, heunGain, rk4Gain,
} from './schemes';
import { marginalFromWeights2, betaIsZero } from './schedule';
import { w2Term, laneSum } from './w2';

// @ts-ignore: decorator
@inline function has(mask: i32, scheme: i32): bool {
  return (mask & (1 << scheme)) != 0;
}

/** a² for an SDE step, a = P + Q r (P, Q from the step table). */
// @ts-ignore: decorator
@inline function sdeGain(P: v128, Q: v128, r: v128): v128 {
  const a = f64x2.add(P, f64x2.mul(Q, r));
  return f64x2.mul(a, a);
}

// Byte offsets of P, Q, R of each SDE scheme in a table row. Table reads use constant offsets
// (load immediates): an address computed as row + c costs an extra add per read in the engine.
const AT_EM: i32 = (COL_SDE + 3 * EM) << 3;
const AT_EI: i32 = (COL_SDE + 3 * EI) << 3;
const AT_DDPM: i32 = (COL_SDE + 3 * DDPM) << 3;
const AT_EM_ALPHA: i32 = (COL_SDE + 3 * EM_ALPHA) << 3;

/**
 * Run K steps from T down to eps for every scheme in `mask` (bit s = scheme id s), on the
 * schedule at pp ([βmin, βmax, T], schedule.ts: every call carries it).
 *
 * lam, w: eigenvalues and their multiplicities (weights), n of each, n even (padding has w = 0).
 * out: 2·SCHEME_COUNT sums Σ w (√v_K − √λ)² against the data, out[2s] for start p_T,
 *      out[2s + 1] for start N(0, I); non-finite where some λ_t = 0 was divided by.
 * traj (optional, 0 = none): 2·(K+1) sums Σ w (√v_k − √λ_{t_k})² for scheme `one`,
 *      start p_T first then N(0, I).
 * vOut (optional, 0 = none): 2·n final variances v_K of scheme `one`, start p_T then N(0, I).
 */
export function evolve(
  pp: usize, lam: usize, w: usize, n: i32, K: i32, eps: f64, alpha: f64, mask: i32,
  out: usize, traj: usize, vOut: usize, one: i32,
): void {
  evolveMasked(pp, lam, w, n, K, eps, alpha, mask, out, traj, vOut, one);
}

// Specialised copies for the common passes: with a constant mask and no trajectory the scheme
// tests in the step loop fold away. Each is its own exported function (the bindings pick it by
// mask), so the engine compiles small loops rather than one function holding every copy.
export const PAPER_GROUP: i32 = (1 << EM) | (1 << EI) | (1 << DDPM) | (1 << EULER) | (1 << HEUN);

export function evolvePaperGroup(pp: usize, lam: usize, w: usize, n: i32, K: i32, eps: f64, alpha: f64, out: usize): void {
  evolveMasked(pp, lam, w, n, K, eps, alpha, PAPER_GROUP, out, 0, 0, 0);
}

/** `evolve` of one scheme, final sums only. */
export function evolveOne(pp: usize, lam: usize, w: usize, n: i32, K: i32, eps: f64, alpha: f64, scheme: i32, out: usize): void {
  if (scheme == EM) evolveMasked(pp, lam, w, n, K, eps, alpha, 1 << EM, out, 0, 0, 0);
  else if (scheme == EI) evolveMasked(pp, lam, w, n, K, eps, alpha, 1 << EI, out, 0, 0, 0);
  else if (scheme == DDPM) evolveMasked(pp, lam, w, n, K, eps, alpha, 1 << DDPM, out, 0, 0, 0);
  else if (scheme == EM_ALPHA) evolveMasked(pp, lam, w, n, K, eps, alpha, 1 << EM_ALPHA, out, 0, 0, 0);
  else if (scheme == EULER) evolveMasked(pp, lam, w, n, K, eps, alpha, 1 << EULER, out, 0, 0, 0);
  else if (scheme == HEUN) evolveMasked(pp, lam, w, n, K, eps, alpha, 1 << HEUN, out, 0, 0, 0);
  else evolveMasked(pp, lam, w, n, K, eps, alpha, 1 << RK4, out, 0, 0, 0);
}

// @ts-ignore: decorator
@inline function evolveMasked(
  pp: usize, lam: usize, w: usize, n: i32, K: i32, eps: f64, alpha: f64, mask: i32,
  out: usize, traj: usize, vOut: usize, one: i32,
): void {
  // Checked before any allocation (the bindings reject such K with a message naming steps/nfe).
  if (K < 1 || K > MAX_STEPS) throw new Error('evolve: K out of range [1, MAX_STEPS]');
  const table = heap.alloc(<usize>(K + 1) * TABLE_STRIDE * 8);
  fillStepTable(table, pp, K, eps, alpha);
  const zero = f64x2.splat(0.0);
  const unit = f64x2.splat(1.0);
  const rowStride = <usize>TABLE_STRIDE << 3;
  let sums = heap.alloc(<usize>SCHEME_COUNT * 2 * 16);
  memory.fill(sums, 0, <usize>SCHEME_COUNT * 2 * 16);
  const trajN = traj + (<usize>(K + 1) << 3);
  if (traj != 0) memory.fill(traj, 0, <usize>(K + 1) * 16);
  // With β ≡ 0 every coefficient that multiplies 1/λ_t is 0 and λ_t = λ, so a subnormal λ > 0
  // (whose reciprocal overflows, and 0·∞ is NaN) is raised to the smallest normal number for the
  // steps: the identity steps stay the identity. λ = 0 keeps its undefined score. Per eigenvalue,
  // outside the step loop; for β > 0 or normal λ, Lr = λ.
  const zeroBeta = betaIsZero(pp);
  const smallestNormal = f64x2.splat(2.2250738585072014e-308);

  for (let i = 0; i < n; i += 2) {
    const off = <usize>i << 3;
    const L0 = v128.load(lam + off);
    const L = zeroBeta ? v128.bitselect(f64x2.max(L0, smallestNormal), L0, f64x2.ne(L0, zero)) : L0;
    const W = v128.load(w + off);
    let row = table;
    const lT = marginalFromWeights2(v128.load64_splat(row, COL_SIGNAL << 3), v128.load64_splat(row, COL_NOISE << 3), L);
    // λ_T of the data's eigenvalue itself: the start p_T of the final variances (= lT unless raised above).
    const lT0 = zeroBeta ? L0 : lT;
    let rPrev = f64x2.div(unit, lT);
    let ePrev = halfStepDrift(v128.load64_splat(row, COL_HALF_STEP_BETA << 3), rPrev);
    // SDE schemes: gain G and noise N; ODE schemes: the product of the gains a (G = (Π a)²).
    let gEM = unit, nEM = zero, gEI = unit, nEI = zero, gDD = unit, nDD = zero, gEA = unit, nEA = zero;
    let pEU = unit, pHE = unit, pRK = unit;
    if (traj != 0) {
      // k = 0: the start p_T has no error; N(0, I) is at distance |1 − √λ_T|.
      store<f64>(trajN, load<f64>(trajN) + laneSum(f64x2.mul(W, w2Term(unit, lT))));
    }
    for (let k = 0; k < K; k++) {
      const next = row + rowStride;
      const lNext = marginalFromWeights2(v128.load64_splat(next, COL_SIGNAL << 3), v128.load64_splat(next, COL_NOISE << 3), L);
      const rNext = f64x2.div(unit, lNext);
      const eNext = halfStepDrift(v128.load64_splat(next, COL_HALF_STEP_BETA << 3), rNext);
      if (has(mask, EM)) { const a2 = sdeGain(v128.load64_splat(row, AT_EM), v128.load64_splat(row, AT_EM + 8), rPrev); gEM = f64x2.mul(a2, gEM); nEM = f64x2.add(f64x2.mul(a2, nEM), v128.load64_splat(row, AT_EM + 16)); }
      if (has(mask, EI)) { const a2 = sdeGain(v128.load64_splat(row, AT_EI), v128.load64_splat(row, AT_EI + 8), rPrev); gEI = f64x2.mul(a2, gEI); nEI = f64x2.add(f64x2.mul(a2, nEI), v128.load64_splat(row, AT_EI + 16)); }
      if (has(mask, DDPM)) { const a2 = sdeGain(v128.load64_splat(row, AT_DDPM), v128.load64_splat(row, AT_DDPM + 8), rPrev); gDD = f64x2.mul(a2, gDD); nDD = f64x2.add(f64x2.mul(a2, nDD), v128.load64_splat(row, AT_DDPM + 16)); }
      if (has(mask, EM_ALPHA)) { const a2 = sdeGain(v128.load64_splat(row, AT_EM_ALPHA), v128.load64_splat(row, AT_EM_ALPHA + 8), rPrev); gEA = f64x2.mul(a2, gEA); nEA = f64x2.add(f64x2.mul(a2, nEA), v128.load64_splat(row, AT_EM_ALPHA + 16)); }
      if (has(mask, EULER) || has(mask, HEUN)) {
        const euler = eulerGain(ePrev);
        if (has(mask, EULER)) pEU = f64x2.mul(euler, pEU);
        if (has(mask, HEUN)) pHE = f64x2.mul(heunGain(ePrev, eNext, euler), pHE);
      }
      if (has(mask, RK4)) {
        const lMid = marginalFromWeights2(v128.load64_splat(row, COL_MID_SIGNAL << 3), v128.load64_splat(row, COL_MID_NOISE << 3), L);
        const eMid = halfStepDrift(v128.load64_splat(row, COL_MID_HALF_STEP_BETA << 3), f64x2.div(unit, lMid));
        pRK = f64x2.mul(rk4Gain(ePrev, eMid, eNext), pRK);
      }
      if (traj != 0) {
        const g = pickGain(one, gEM, gEI, gDD, gEA, pEU, pHE, pRK);
        const nz = pickNoise(one, nEM, nEI, nDD, nEA);
        const vP = f64x2.add(f64x2.mul(g, lT), nz);
        const vN = f64x2.add(g, nz);
        const atP = traj + (<usize>(k + 1) << 3);
        const atN = trajN + (<usize>(k + 1) << 3);
        store<f64>(atP, load<f64>(atP) + laneSum(f64x2.mul(W, w2Term(vP, lNext))));
        store<f64>(atN, load<f64>(atN) + laneSum(f64x2.mul(W, w2Term(vN, lNext))));
      }
      rPrev = rNext;
      ePrev = eNext;
      row = next;
    }
    accumulate(sums, EM, gEM, nEM, lT0, L0, W);
    accumulate(sums, EI, gEI, nEI, lT0, L0, W);
    accumulate(sums, DDPM, gDD, nDD, lT0, L0, W);
    accumulate(sums, EM_ALPHA, gEA, nEA, lT0, L0, W);
    accumulate(sums, EULER, square(pEU), zero, lT0, L0, W);
    accumulate(sums, HEUN, square(pHE), zero, lT0, L0, W);
    accumulate(sums, RK4, square(pRK), zero, lT0, L0, W);
    if (vOut != 0) {
      const g = pickGain(one, gEM, gEI, gDD, gEA, pEU, pHE, pRK);
      const nz = pickNoise(one, nEM, nEI, nDD, nEA);
      v128.store(vOut + off, f64x2.add(f64x2.mul(g, lT0), nz));
      v128.store(vOut + (<usize>n << 3) + off, f64x2.add(g, nz));
    }
  }
  for (let s = 0; s < SCHEME_COUNT; s++) {
    const at = sums + (<usize>s << 5);
    store<f64>(out + (<usize>s << 4), laneSum(v128.load(at)));
    store<f64>(out + (<usize>s << 4), laneSum(v128.load(at, 16)), 8);
  }
  heap.free(sums);
  heap.free(table);
}

/** sums[s] += W (√v_K − √λ)² for v_K = G λ_T + N (p_T) and v_K = G + N (N(0, I)). */
// @ts-ignore: decorator
@inline function accumulate(sums: usize, s: i32, g: v128, nz: v128, lT: v128, L: v128, W: v128): void {
  const at = sums + (<usize>s << 5);
  const vP = f64x2.add(f64x2.mul(g, lT), nz);
  const vN = f64x2.add(g, nz);
  v128.store(at, f64x2.add(v128.load(at), f64x2.mul(W, w2Term(vP, L))));
  v128.store(at, f64x2.add(v128.load(at, 16), f64x2.mul(W, w2Term(vN, L))), 16);
}

/** The gain G of scheme `one`: G itself for the SDE schemes, (Π a)² for the ODE schemes. */
// @ts-ignore: decorator
@inline function pickGain(one: i32, em: v128, ei: v128, dd: v128, ea: v128, eu: v128, he: v128, rk: v128): v128 {
  return one == EI ? ei : one == DDPM ? dd : one == EM_ALPHA ? ea : one == EULER ? square(eu) : one == HEUN ? square(he) : one == RK4 ? square(rk) : em;
}

// @ts-ignore: decorator
@inline function square(x: v128): v128 {
  return f64x2.mul(x, x);
}

// @ts-ignore: decorator
@inline function pickNoise(one: i32, em: v128, ei: v128, dd: v128, ea: v128): v128 {
  return one == EI ? ei : one == DDPM ? dd : one == EM_ALPHA ? ea : one == EM ? em : f64x2.splat(0.0);
}
