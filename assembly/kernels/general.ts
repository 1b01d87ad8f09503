// The general kernel (docs/MATH-samplers.md §1): for every distinct eigenvalue (two per v128),
// from a sampler's per-step (A_k, b_k, Q_k), propagate the law of its state u (size m ≤ 4):
//   start response φ ← A φ (φ₀ = e₁), zero-start covariance W ← A W Aᵀ + Q (W₀ = 0),
//   zero-start mean μ ← A μ + b (per unit data mean, μ₀ = 0),
// so that for a start N(μ₀ m, v₀) of the sample the output is mean φ[0] μ₀ + μ[0] (times the data
// mean in that direction) and variance φ[0]² v₀ + W[0,0]. Both starts come from one recursion:
// "exact" (the forward marginal at the first level: v₀ = λ_{t₀}, μ₀ = α_{t₀}) and "prior" (the
// process's conventional start: N(0, I) for VP, N(0, σ₀² I) for EDM).
// Every call carries its forward process (id + parameters) and its grid (the K + 1 times); nothing
// is kept between calls.
//
// m = 1 keeps the fast path's arithmetic (assembly/discrete.ts): a stochastic sampler tracks the
// gain G ← a² G and noise N ← a² N + q, a deterministic one the product p ← a p with G = p², and
// the sums are accumulated in the same order, so the paper's schemes give the fast path's numbers.
import { samplerStateSize, samplerDeterministic, samplerPrepare, samplerCoefficients, samplerLoops, samplerStages } from '../samplers/dispatch';
import { STAGE_RECORD } from '../samplers/stages';
import { SCRATCH_BYTES, getA, getB, getQ } from '../samplers/coefficients';
import { processSignal, processNoise, processAlpha, processPriorVariance } from '../processes/dispatch';
import { marginalFromWeights2 } from '../schedule';
import { w2Term, laneSum } from '../w2';

// Level table: per grid point k, [α², σ², α].
const LV_SIGNAL: i32 = 0;
const LV_NOISE: i32 = 1;
const LV_ALPHA: i32 = 2;
const LV_STRIDE: i32 = 3;

// @ts-ignore: decorator
@inline function lv(levels: usize, k: i32, c: i32): v128 {
  return v128.load64_splat(levels + ((<usize>(k * LV_STRIDE + c)) << 3));
}

// @ts-ignore: decorator
@inline function sq(x: v128): v128 {
  return f64x2.mul(x, x);
}

/** Add laneSum(x) to the f64 at p. */
// @ts-ignore: decorator
@inline function addAt(p: usize, x: v128): void {
  store<f64>(p, load<f64>(p) + laneSum(x));
}

/**
 * Run sampler `id` (parameters at `params`) on forward process `process` (parameters at `pp`)
 * over the grid times[0..K] (t_0 > … > t_K; hs: its step sizes when its builder defines them, else 0), for n distinct eigenvalues lam with weights w
 * (n even; padding has w = 0).
 * meanSq (0 = centred data): per distinct value, Σ mᵢ² over its directions; the mean errors
 *   (output mean − α m)² then enter every sum.
 * out: 2 sums Σ w (√v_K − √λ)² (+ mean terms), [exact start, prior start].
 * traj (0 = none): 2·(K+1) sums against the exact marginal at t_k, exact start first.
 * vOut (0 = none): 2·n output variances, exact start first. mOut (0 = none): 2·n output means per
 *   unit data mean. generic ≠ 0 forces the memory-based path for every state size (for tests).
 * priorVariance ≥ 0 replaces the process's conventional start variance in the "prior" slot (ComfyUI's
 *   start N(0, (1 + σ₀²) I), docs/MATH-samplers.md §6); negative or NaN: the process's.
 */
export function generalRun(
  id: i32, params: usize, process: i32, pp: usize, times: usize, hs: usize, K: i32,
  lam: usize, w: usize, meanSq: usize, n: i32,
  out: usize, traj: usize, vOut: usize, mOut: usize, generic: i32, priorVariance: f64,
): void {
  generalRunScore(id, params, process, pp, times, hs, K, lam, lam, w, meanSq, n, out, traj, vOut, mOut, generic, priorVariance);
}

/**
 * generalRun with a wrong score of the same eigenvectors (docs/MATH-samplers.md §7a): the
 * sampler's coefficients come from `lamHat` (the score's eigenvalues), the start's exact marginal,
 * the trajectory's targets and the final W2 from `lam` (the data's), pairwise (n values each).
 * lamHat = lam gives generalRun's numbers bit for bit (the same arithmetic).
 */
export function generalRunScore(
  id: i32, params: usize, process: i32, pp: usize, times: usize, hs: usize, K: i32,
  lamHat: usize, lam: usize, w: usize, meanSq: usize, n: i32,
  out: usize, traj: usize, vOut: usize, mOut: usize, generic: i32, priorVariance: f64,
): void {
  // The loops read the score's λ̂ at pairs[i] and the data's λ at pairs[n + i].
  const pairs = heap.alloc(<usize>n << 4);
  memory.copy(pairs, lamHat, <usize>n << 3);
  memory.copy(pairs + (<usize>n << 3), lam, <usize>n << 3);
  runPairs(id, params, process, pp, times, hs, K, pairs, w, meanSq, n, out, traj, vOut, mOut, generic, priorVariance);
  heap.free(pairs);
}

function runPairs(
  id: i32, params: usize, process: i32, pp: usize, times: usize, hs: usize, K: i32,
  lam: usize, w: usize, meanSq: usize, n: i32,
  out: usize, traj: usize, vOut: usize, mOut: usize, generic: i32, priorVariance: f64,
): void {
  const m = samplerStateSize(id);
  const det = samplerDeterministic(id, params);
  const table = samplerPrepare(id, params, process, pp, times, hs, K);
  const levels = heap.alloc(<usize>(K + 1) * LV_STRIDE * 8);
  for (let k = 0; k <= K; k++) {
    const t = load<f64>(times + (<usize>k << 3));
    const at = levels + ((<usize>(k * LV_STRIDE)) << 3);
    store<f64>(at + (LV_SIGNAL << 3), processSignal(process, pp, t));
    store<f64>(at + (LV_NOISE << 3), processNoise(process, pp, t));
    store<f64>(at + (LV_ALPHA << 3), processAlpha(process, pp, t));
  }
  const prior = priorVariance >= 0.0 ? priorVariance : processPriorVariance(process, pp, load<f64>(times));
  // Room for two coefficient blocks and two pairs' states (run1Final, run2Final, run2FinalNoise) or runN's slots.
  const scratch = heap.alloc(2 * SCRATCH_BYTES + 40 * 16);
  memory.fill(scratch, 0, 2 * SCRATCH_BYTES + 40 * 16);
  if (traj != 0) memory.fill(traj, 0, <usize>(K + 1) * 16);
  store<f64>(out, 0.0);
  store<f64>(out, 0.0, 8);
  if (generic != 0 || m > 2) runN(id, m, det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, scratch);
  else samplerLoops(id, det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, scratch);
  heap.free(scratch);
  heap.free(levels);
  heap.free(table);
}

/**
 * The step loops of sampler `id` (`lam`: 2n values, the score's λ̂ then the data's λ, see
 * generalRunScore), inlined by samplers/dispatch.ts samplerLoops with `id` a
 * constant, so that the coefficient dispatch folds away and each sampler gets its own loop (4× faster
 * than one loop testing the id every step, bench/RESULTS.md). State sizes 1 and 2 have
 * register-held loops; larger ones go through runN.
 */
// @ts-ignore: decorator
@inline export function stepLoops(
  id: i32, m: i32, det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32,
  out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, scratch: usize,
): void {
  if (m == 1) {
    // Final sums only (compare's cells, tables): two pairs in flight (run1Final).
    if (meanSq == 0 && traj == 0 && vOut == 0 && mOut == 0) {
      if (det) run1Final(id, table, levels, K, lam, w, n, out, prior, scratch, true);
      else run1Final(id, table, levels, K, lam, w, n, out, prior, scratch, false);
    } else if (det) run1(id, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, scratch, true);
    else run1(id, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, scratch, false);
  } else if (m == 2) {
    if (det && meanSq == 0 && traj == 0 && vOut == 0 && mOut == 0) run2Final(id, table, levels, K, lam, w, n, out, prior, scratch);
    else if (meanSq == 0 && traj == 0 && vOut == 0 && mOut == 0) run2FinalNoise(id, table, levels, K, lam, w, n, out, prior, scratch);
    else if (det) run2(id, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, scratch, true);
    else run2(id, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, scratch, false);
  } else {
    runN(id, m, det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, scratch);
  }
}

/**
 * The per-pair bookkeeping shared by the three paths: given the output variances for both starts
 * (vE, vP) and the output means (meanE, meanP) at level k, add the terms to the sums.
 */
// @ts-ignore: decorator
@inline function addTerms(
  at: usize, atP: usize, W: v128, MS: v128, hasMean: bool,
  vE: v128, vP: v128, target: v128, meanE: v128, meanP: v128, alphaTarget: v128,
): void {
  addAt(at, f64x2.mul(W, w2Term(vE, target)));
  addAt(atP, f64x2.mul(W, w2Term(vP, target)));
  if (hasMean) {
    addAt(at, f64x2.mul(MS, sq(f64x2.sub(meanE, alphaTarget))));
    addAt(atP, f64x2.mul(MS, sq(f64x2.sub(meanP, alphaTarget))));
  }
}

// @ts-ignore: decorator
@inline function run1(
  id: i32, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32,
  out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize, det: bool,
): void {
  const zero = f64x2.splat(0.0);
  const unit = f64x2.splat(1.0);
  const V0 = f64x2.splat(prior);
  const hasMean = meanSq != 0;
  const trajP = traj + (<usize>(K + 1) << 3);
  let sumE = zero, sumP = zero;
  for (let i = 0; i < n; i += 2) {
    const off = <usize>i << 3;
    const L = v128.load(lam + off);
    const LT = v128.load(lam + (<usize>n << 3) + off); // the data's λ (= L unless the score is wrong)
    const W = v128.load(w + off);
    const MS = hasMean ? v128.load(meanSq + off) : zero;
    const lT = marginalFromWeights2(lv(levels, 0, LV_SIGNAL), lv(levels, 0, LV_NOISE), LT);
    const a0 = lv(levels, 0, LV_ALPHA);
    let g = unit, nz = zero, p = unit, mu = zero;
    if (traj != 0) {
      // k = 0: the exact start has no error; the prior start is at distance |√prior − √λ_{t0}| (+ α₀ m).
      addAt(trajP, f64x2.mul(W, w2Term(V0, lT)));
      if (hasMean) addAt(trajP, f64x2.mul(MS, sq(a0)));
    }
    for (let k = 0; k < K; k++) {
      samplerCoefficients(id, table, k, L, s, hasMean, !det);
      const a = getA(s, 0, 0);
      if (det) {
        p = f64x2.mul(a, p);
      } else {
        const a2 = f64x2.mul(a, a);
        g = f64x2.mul(a2, g);
        nz = f64x2.add(f64x2.mul(a2, nz), getQ(s, 0, 0));
        if (hasMean) p = f64x2.mul(a, p);
      }
      if (hasMean) mu = f64x2.add(f64x2.mul(a, mu), getB(s, 0));
      if (traj != 0) {
        const G = det ? sq(p) : g;
        const lNext = marginalFromWeights2(lv(levels, k + 1, LV_SIGNAL), lv(levels, k + 1, LV_NOISE), LT);
        const atE = traj + (<usize>(k + 1) << 3);
        const atP = trajP + (<usize>(k + 1) << 3);
        addTerms(atE, atP, W, MS, hasMean, f64x2.add(f64x2.mul(G, lT), nz), f64x2.add(f64x2.mul(G, V0), nz), lNext,
          f64x2.add(f64x2.mul(p, a0), mu), mu, lv(levels, k + 1, LV_ALPHA));
      }
    }
    const G = det ? sq(p) : g;
    const vE = f64x2.add(f64x2.mul(G, lT), nz);
    const vP = f64x2.add(f64x2.mul(G, V0), nz);
    sumE = f64x2.add(sumE, f64x2.mul(W, w2Term(vE, LT)));
    sumP = f64x2.add(sumP, f64x2.mul(W, w2Term(vP, LT)));
    const meanE = f64x2.add(f64x2.mul(p, a0), mu);
    if (hasMean) {
      sumE = f64x2.add(sumE, f64x2.mul(MS, sq(f64x2.sub(meanE, unit))));
      sumP = f64x2.add(sumP, f64x2.mul(MS, sq(f64x2.sub(mu, unit))));
    }
    if (vOut != 0) {
      v128.store(vOut + off, vE);
      v128.store(vOut + (<usize>n << 3) + off, vP);
    }
    if (mOut != 0) {
      v128.store(mOut + off, meanE);
      v128.store(mOut + (<usize>n << 3) + off, mu);
    }
  }
  store<f64>(out, laneSum(sumE));
  store<f64>(out, laneSum(sumP), 8);
}

/**
 * run1, final sums only: two pairs of eigenvalues at a time, so that the two loop-carried chains
 * (and the divisions of their coefficients) overlap, as run2Final does for m = 2. The same
 * arithmetic per pair and the same order of the sums as run1: the same numbers.
 */
// @ts-ignore: decorator
@inline function run1Final(
  id: i32, table: usize, levels: usize, K: i32, lam: usize, w: usize, n: i32, out: usize, prior: f64, s: usize, det: bool,
): void {
  const zero = f64x2.splat(0.0);
  const unit = f64x2.splat(1.0);
  const V0 = f64x2.splat(prior);
  const s2 = s + 36 * 16; // a second coefficient block (the scratch has room for it)
  const sig0 = lv(levels, 0, LV_SIGNAL), noi0 = lv(levels, 0, LV_NOISE);
  let sumE = zero, sumP = zero;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 3;
    const La = v128.load(lam + off), Lb = v128.load(lam + off, 16);
    let ga = unit, gb = unit, na = zero, nb = zero, pa = unit, pb = unit;
    for (let k = 0; k < K; k++) {
      samplerCoefficients(id, table, k, La, s, false, !det);
      samplerCoefficients(id, table, k, Lb, s2, false, !det);
      const aa = getA(s, 0, 0), ab = getA(s2, 0, 0);
      if (det) {
        pa = f64x2.mul(aa, pa);
        pb = f64x2.mul(ab, pb);
      } else {
        const aa2 = f64x2.mul(aa, aa), ab2 = f64x2.mul(ab, ab);
        ga = f64x2.mul(aa2, ga);
        gb = f64x2.mul(ab2, gb);
        na = f64x2.add(f64x2.mul(aa2, na), getQ(s, 0, 0));
        nb = f64x2.add(f64x2.mul(ab2, nb), getQ(s2, 0, 0));
      }
    }
    const Wa = v128.load(w + off), Wb = v128.load(w + off, 16);
    // the data's λ (= the score's unless it is wrong, generalRunScore)
    const LTa = v128.load(lam + (<usize>n << 3) + off), LTb = v128.load(lam + (<usize>n << 3) + off, 16);
    const Ga = det ? sq(pa) : ga, Gb = det ? sq(pb) : gb;
    sumE = f64x2.add(sumE, f64x2.mul(Wa, w2Term(f64x2.add(f64x2.mul(Ga, marginalFromWeights2(sig0, noi0, LTa)), na), LTa)));
    sumP = f64x2.add(sumP, f64x2.mul(Wa, w2Term(f64x2.add(f64x2.mul(Ga, V0), na), LTa)));
    sumE = f64x2.add(sumE, f64x2.mul(Wb, w2Term(f64x2.add(f64x2.mul(Gb, marginalFromWeights2(sig0, noi0, LTb)), nb), LTb)));
    sumP = f64x2.add(sumP, f64x2.mul(Wb, w2Term(f64x2.add(f64x2.mul(Gb, V0), nb), LTb)));
  }
  for (; i < n; i += 2) {
    const off = <usize>i << 3;
    const L = v128.load(lam + off);
    let g = unit, nz = zero, p = unit;
    for (let k = 0; k < K; k++) {
      samplerCoefficients(id, table, k, L, s, false, !det);
      const a = getA(s, 0, 0);
      if (det) {
        p = f64x2.mul(a, p);
      } else {
        const a2 = f64x2.mul(a, a);
        g = f64x2.mul(a2, g);
        nz = f64x2.add(f64x2.mul(a2, nz), getQ(s, 0, 0));
      }
    }
    const W = v128.load(w + off);
    const LT = v128.load(lam + (<usize>n << 3) + off);
    const G = det ? sq(p) : g;
    sumE = f64x2.add(sumE, f64x2.mul(W, w2Term(f64x2.add(f64x2.mul(G, marginalFromWeights2(sig0, noi0, LT)), nz), LT)));
    sumP = f64x2.add(sumP, f64x2.mul(W, w2Term(f64x2.add(f64x2.mul(G, V0), nz), LT)));
  }
  store<f64>(out, laneSum(sumE));
  store<f64>(out, laneSum(sumP), 8);
}

// @ts-ignore: decorator
@inline function run2(
  id: i32, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32,
  out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize, det: bool,
): void {
  const zero = f64x2.splat(0.0);
  const unit = f64x2.splat(1.0);
  const V0 = f64x2.splat(prior);
  const hasMean = meanSq != 0;
  const trajP = traj + (<usize>(K + 1) << 3);
  let sumE = zero, sumP = zero;
  for (let i = 0; i < n; i += 2) {
    const off = <usize>i << 3;
    const L = v128.load(lam + off);
    const LT = v128.load(lam + (<usize>n << 3) + off); // the data's λ (= L unless the score is wrong)
    const W = v128.load(w + off);
    const MS = hasMean ? v128.load(meanSq + off) : zero;
    const lT = marginalFromWeights2(lv(levels, 0, LV_SIGNAL), lv(levels, 0, LV_NOISE), LT);
    const a0 = lv(levels, 0, LV_ALPHA);
    let f0 = unit, f1 = zero; // φ
    let u0 = zero, u1 = zero; // μ
    let w00 = zero, w01 = zero, w11 = zero; // W
    if (traj != 0) {
      addAt(trajP, f64x2.mul(W, w2Term(V0, lT)));
      if (hasMean) addAt(trajP, f64x2.mul(MS, sq(a0)));
    }
    for (let k = 0; k < K; k++) {
      samplerCoefficients(id, table, k, L, s, hasMean, !det);
      const A00 = getA(s, 0, 0), A01 = getA(s, 0, 1), A10 = getA(s, 1, 0), A11 = getA(s, 1, 1);
      const g0 = f64x2.add(f64x2.mul(A00, f0), f64x2.mul(A01, f1));
      f1 = f64x2.add(f64x2.mul(A10, f0), f64x2.mul(A11, f1));
      f0 = g0;
      if (hasMean) {
        const m0 = f64x2.add(f64x2.add(f64x2.mul(A00, u0), f64x2.mul(A01, u1)), getB(s, 0));
        u1 = f64x2.add(f64x2.add(f64x2.mul(A10, u0), f64x2.mul(A11, u1)), getB(s, 1));
        u0 = m0;
      }
      if (!det) {
        // T = A W; W' = T Aᵀ + Q
        const t00 = f64x2.add(f64x2.mul(A00, w00), f64x2.mul(A01, w01));
        const t01 = f64x2.add(f64x2.mul(A00, w01), f64x2.mul(A01, w11));
        const t10 = f64x2.add(f64x2.mul(A10, w00), f64x2.mul(A11, w01));
        const t11 = f64x2.add(f64x2.mul(A10, w01), f64x2.mul(A11, w11));
        w00 = f64x2.add(f64x2.add(f64x2.mul(t00, A00), f64x2.mul(t01, A01)), getQ(s, 0, 0));
        w01 = f64x2.add(f64x2.add(f64x2.mul(t00, A10), f64x2.mul(t01, A11)), getQ(s, 0, 1));
        w11 = f64x2.add(f64x2.add(f64x2.mul(t10, A10), f64x2.mul(t11, A11)), getQ(s, 1, 1));
      }
      if (traj != 0) {
        const G = sq(f0);
        const lNext = marginalFromWeights2(lv(levels, k + 1, LV_SIGNAL), lv(levels, k + 1, LV_NOISE), LT);
        addTerms(traj + (<usize>(k + 1) << 3), trajP + (<usize>(k + 1) << 3), W, MS, hasMean,
          f64x2.add(f64x2.mul(G, lT), w00), f64x2.add(f64x2.mul(G, V0), w00), lNext,
          f64x2.add(f64x2.mul(f0, a0), u0), u0, lv(levels, k + 1, LV_ALPHA));
      }
    }
    const G = sq(f0);
    const vE = f64x2.add(f64x2.mul(G, lT), w00);
    const vP = f64x2.add(f64x2.mul(G, V0), w00);
    sumE = f64x2.add(sumE, f64x2.mul(W, w2Term(vE, LT)));
    sumP = f64x2.add(sumP, f64x2.mul(W, w2Term(vP, LT)));
    const meanE = f64x2.add(f64x2.mul(f0, a0), u0);
    if (hasMean) {
      sumE = f64x2.add(sumE, f64x2.mul(MS, sq(f64x2.sub(meanE, unit))));
      sumP = f64x2.add(sumP, f64x2.mul(MS, sq(f64x2.sub(u0, unit))));
    }
    if (vOut != 0) {
      v128.store(vOut + off, vE);
      v128.store(vOut + (<usize>n << 3) + off, vP);
    }
    if (mOut != 0) {
      v128.store(mOut + off, meanE);
      v128.store(mOut + (<usize>n << 3) + off, u0);
    }
  }
  store<f64>(out, laneSum(sumE));
  store<f64>(out, laneSum(sumP), 8);
}

/**
 * run2 for a deterministic sampler, final sums only (the common case: tables and comparisons):
 * two pairs of eigenvalues at a time, so that the two loop-carried chains φ ← A φ overlap (one
 * pair alone is bound by the latency of a multiply-add per step). Same numbers as run2.
 */
// @ts-ignore: decorator
@inline function run2Final(
  id: i32, table: usize, levels: usize, K: i32, lam: usize, w: usize, n: i32, out: usize, prior: f64, s: usize,
): void {
  const zero = f64x2.splat(0.0);
  const unit = f64x2.splat(1.0);
  const V0 = f64x2.splat(prior);
  const s2 = s + 36 * 16; // a second coefficient block (the scratch has room for it)
  const sig0 = lv(levels, 0, LV_SIGNAL), noi0 = lv(levels, 0, LV_NOISE);
  let sumE = zero, sumP = zero;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 3;
    const La = v128.load(lam + off), Lb = v128.load(lam + off, 16);
    const LTa = v128.load(lam + (<usize>n << 3) + off), LTb = v128.load(lam + (<usize>n << 3) + off, 16);
    let fa0 = unit, fa1 = zero, fb0 = unit, fb1 = zero;
    for (let k = 0; k < K; k++) {
      samplerCoefficients(id, table, k, La, s, false, false);
      samplerCoefficients(id, table, k, Lb, s2, false, false);
      const ga0 = f64x2.add(f64x2.mul(getA(s, 0, 0), fa0), f64x2.mul(getA(s, 0, 1), fa1));
      const gb0 = f64x2.add(f64x2.mul(getA(s2, 0, 0), fb0), f64x2.mul(getA(s2, 0, 1), fb1));
      fa1 = f64x2.add(f64x2.mul(getA(s, 1, 0), fa0), f64x2.mul(getA(s, 1, 1), fa1));
      fb1 = f64x2.add(f64x2.mul(getA(s2, 1, 0), fb0), f64x2.mul(getA(s2, 1, 1), fb1));
      fa0 = ga0;
      fb0 = gb0;
    }
    const Wa = v128.load(w + off), Wb = v128.load(w + off, 16);
    const Ga = sq(fa0), Gb = sq(fb0);
    sumE = f64x2.add(sumE, f64x2.mul(Wa, w2Term(f64x2.mul(Ga, marginalFromWeights2(sig0, noi0, LTa)), LTa)));
    sumP = f64x2.add(sumP, f64x2.mul(Wa, w2Term(f64x2.mul(Ga, V0), LTa)));
    sumE = f64x2.add(sumE, f64x2.mul(Wb, w2Term(f64x2.mul(Gb, marginalFromWeights2(sig0, noi0, LTb)), LTb)));
    sumP = f64x2.add(sumP, f64x2.mul(Wb, w2Term(f64x2.mul(Gb, V0), LTb)));
  }
  for (; i < n; i += 2) {
    const off = <usize>i << 3;
    const L = v128.load(lam + off);
    const LT = v128.load(lam + (<usize>n << 3) + off);
    let f0 = unit, f1 = zero;
    for (let k = 0; k < K; k++) {
      samplerCoefficients(id, table, k, L, s, false, false);
      const g0 = f64x2.add(f64x2.mul(getA(s, 0, 0), f0), f64x2.mul(getA(s, 0, 1), f1));
      f1 = f64x2.add(f64x2.mul(getA(s, 1, 0), f0), f64x2.mul(getA(s, 1, 1), f1));
      f0 = g0;
    }
    const W = v128.load(w + off);
    const G = sq(f0);
    sumE = f64x2.add(sumE, f64x2.mul(W, w2Term(f64x2.mul(G, marginalFromWeights2(sig0, noi0, LT)), LT)));
    sumP = f64x2.add(sumP, f64x2.mul(W, w2Term(f64x2.mul(G, V0), LT)));
  }
  store<f64>(out, laneSum(sumE));
  store<f64>(out, laneSum(sumP), 8);
}

/** One step of run2's stochastic recursion (φ, W) for one pair, coefficients at s. */
// @ts-ignore: decorator
@inline function step2Noise(s: usize, f: usize): void {
  // f: [f0, f1, w00, w01, w11] as v128 slots (locals would be 10 names per pair; the loads and
  // stores stay in L1 and are cheaper than the divisions they overlap with).
  const A00 = getA(s, 0, 0), A01 = getA(s, 0, 1), A10 = getA(s, 1, 0), A11 = getA(s, 1, 1);
  const f0 = v128.load(f), f1 = v128.load(f, 16);
  const w00 = v128.load(f, 32), w01 = v128.load(f, 48), w11 = v128.load(f, 64);
  v128.store(f, f64x2.add(f64x2.mul(A00, f0), f64x2.mul(A01, f1)));
  v128.store(f, f64x2.add(f64x2.mul(A10, f0), f64x2.mul(A11, f1)), 16);
  const t00 = f64x2.add(f64x2.mul(A00, w00), f64x2.mul(A01, w01));
  const t01 = f64x2.add(f64x2.mul(A00, w01), f64x2.mul(A01, w11));
  const t10 = f64x2.add(f64x2.mul(A10, w00), f64x2.mul(A11, w01));
  const t11 = f64x2.add(f64x2.mul(A10, w01), f64x2.mul(A11, w11));
  v128.store(f, f64x2.add(f64x2.add(f64x2.mul(t00, A00), f64x2.mul(t01, A01)), getQ(s, 0, 0)), 32);
  v128.store(f, f64x2.add(f64x2.add(f64x2.mul(t00, A10), f64x2.mul(t01, A11)), getQ(s, 0, 1)), 48);
  v128.store(f, f64x2.add(f64x2.add(f64x2.mul(t10, A10), f64x2.mul(t11, A11)), getQ(s, 1, 1)), 64);
}

/**
 * run2 for a stochastic sampler, final sums only (compare's cells): two pairs at a time, as
 * run2Final. The same arithmetic per pair and the same order of the sums as run2: the same numbers.
 */
// @ts-ignore: decorator
@inline function run2FinalNoise(
  id: i32, table: usize, levels: usize, K: i32, lam: usize, w: usize, n: i32, out: usize, prior: f64, s: usize,
): void {
  const zero = f64x2.splat(0.0);
  const unit = f64x2.splat(1.0);
  const V0 = f64x2.splat(prior);
  const s2 = s + 36 * 16;
  // State blocks of the two pairs after the second coefficient block: 5 slots each.
  const fa = s2 + SCRATCH_BYTES, fb = fa + 5 * 16;
  const sig0 = lv(levels, 0, LV_SIGNAL), noi0 = lv(levels, 0, LV_NOISE);
  let sumE = zero, sumP = zero;
  for (let i = 0; i < n; i += 4) {
    const off = <usize>i << 3;
    const two = i + 4 <= n;
    const La = v128.load(lam + off);
    const Lb = two ? v128.load(lam + off, 16) : zero;
    for (let j = 0; j < 10; j++) v128.store(fa + (<usize>j << 4), j == 0 || j == 5 ? unit : zero);
    for (let k = 0; k < K; k++) {
      samplerCoefficients(id, table, k, La, s, false, true);
      if (two) samplerCoefficients(id, table, k, Lb, s2, false, true);
      step2Noise(s, fa);
      if (two) step2Noise(s2, fb);
    }
    const Wa = v128.load(w + off);
    const Ga = sq(v128.load(fa)), wa = v128.load(fa, 32);
    const LTa = v128.load(lam + (<usize>n << 3) + off); // the data's λ
    sumE = f64x2.add(sumE, f64x2.mul(Wa, w2Term(f64x2.add(f64x2.mul(Ga, marginalFromWeights2(sig0, noi0, LTa)), wa), LTa)));
    sumP = f64x2.add(sumP, f64x2.mul(Wa, w2Term(f64x2.add(f64x2.mul(Ga, V0), wa), LTa)));
    if (two) {
      const Wb = v128.load(w + off, 16);
      const LTb = v128.load(lam + (<usize>n << 3) + off, 16);
      const Gb = sq(v128.load(fb)), wb = v128.load(fb, 32);
      sumE = f64x2.add(sumE, f64x2.mul(Wb, w2Term(f64x2.add(f64x2.mul(Gb, marginalFromWeights2(sig0, noi0, LTb)), wb), LTb)));
      sumP = f64x2.add(sumP, f64x2.mul(Wb, w2Term(f64x2.add(f64x2.mul(Gb, V0), wb), LTb)));
    }
  }
  store<f64>(out, laneSum(sumE));
  store<f64>(out, laneSum(sumP), 8);
}

// Memory-based state for any m ≤ 4, in the second half of the scratch block:
// φ at slots 0..3, μ at 4..7, W at 8 + 4i + j, T = A W at 24 + 4i + j (slots of 16 bytes).
// @ts-ignore: decorator
@inline function slot(base: usize, i: i32): usize {
  return base + (<usize>i << 4);
}

/** The start of one pair in the memory-based state: φ = e₁, μ = 0, W = 0. */
// @ts-ignore: decorator
@inline function startN(st: usize): void {
  memory.fill(st, 0, 40 * 16);
  v128.store(slot(st, 0), f64x2.splat(1.0));
}

/**
 * One step of the memory-based recursion (docs/MATH-samplers.md §1) for one pair, coefficients at
 * s, state at st: φ ← A φ, μ ← A μ + b (when `mean`), W ← A W Aᵀ + Q (unless `det`, through
 * T = A W); tmp: 4 slots. Shared by runN and generalTransfer, inlined into their step loops.
 */
// @ts-ignore: decorator
@inline function stepN(s: usize, st: usize, tmp: usize, m: i32, mean: bool, det: bool): void {
  const zero = f64x2.splat(0.0);
  // φ ← A φ and μ ← A μ + b (through tmp)
  for (let r = 0; r < m; r++) {
    let acc = zero;
    for (let c = 0; c < m; c++) acc = f64x2.add(acc, f64x2.mul(getA(s, r, c), v128.load(slot(st, c))));
    v128.store(slot(tmp, r), acc);
  }
  for (let r = 0; r < m; r++) v128.store(slot(st, r), v128.load(slot(tmp, r)));
  if (mean) {
    for (let r = 0; r < m; r++) {
      let acc = getB(s, r);
      for (let c = 0; c < m; c++) acc = f64x2.add(acc, f64x2.mul(getA(s, r, c), v128.load(slot(st, 4 + c))));
      v128.store(slot(tmp, r), acc);
    }
    for (let r = 0; r < m; r++) v128.store(slot(st, 4 + r), v128.load(slot(tmp, r)));
  }
  if (!det) {
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < m; c++) {
        let acc = zero;
        for (let j = 0; j < m; j++) acc = f64x2.add(acc, f64x2.mul(getA(s, r, j), v128.load(slot(st, 8 + 4 * j + c))));
        v128.store(slot(st, 24 + 4 * r + c), acc);
      }
    }
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < m; c++) {
        let acc = getQ(s, r, c);
        for (let j = 0; j < m; j++) acc = f64x2.add(acc, f64x2.mul(v128.load(slot(st, 24 + 4 * r + j)), getA(s, c, j)));
        v128.store(slot(st, 8 + 4 * r + c), acc);
      }
    }
  }
}

function runN(
  id: i32, m: i32, det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32,
  out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize,
): void {
  const st = s + SCRATCH_BYTES;
  const zero = f64x2.splat(0.0);
  const unit = f64x2.splat(1.0);
  const V0 = f64x2.splat(prior);
  const hasMean = meanSq != 0;
  const trajP = traj + (<usize>(K + 1) << 3);
  const tmp = heap.alloc(4 * 16);
  let sumE = zero, sumP = zero;
  for (let i = 0; i < n; i += 2) {
    const off = <usize>i << 3;
    const L = v128.load(lam + off);
    const LT = v128.load(lam + (<usize>n << 3) + off); // the data's λ (= L unless the score is wrong)
    const W = v128.load(w + off);
    const MS = hasMean ? v128.load(meanSq + off) : zero;
    const lT = marginalFromWeights2(lv(levels, 0, LV_SIGNAL), lv(levels, 0, LV_NOISE), LT);
    const a0 = lv(levels, 0, LV_ALPHA);
    startN(st);
    if (traj != 0) {
      addAt(trajP, f64x2.mul(W, w2Term(V0, lT)));
      if (hasMean) addAt(trajP, f64x2.mul(MS, sq(a0)));
    }
    for (let k = 0; k < K; k++) {
      samplerCoefficients(id, table, k, L, s, hasMean, !det);
      stepN(s, st, tmp, m, hasMean, det);
      if (traj != 0) {
        const f0 = v128.load(slot(st, 0));
        const G = sq(f0);
        const w00 = v128.load(slot(st, 8));
        const u0 = v128.load(slot(st, 4));
        const lNext = marginalFromWeights2(lv(levels, k + 1, LV_SIGNAL), lv(levels, k + 1, LV_NOISE), LT);
        addTerms(traj + (<usize>(k + 1) << 3), trajP + (<usize>(k + 1) << 3), W, MS, hasMean,
          f64x2.add(f64x2.mul(G, lT), w00), f64x2.add(f64x2.mul(G, V0), w00), lNext,
          f64x2.add(f64x2.mul(f0, a0), u0), u0, lv(levels, k + 1, LV_ALPHA));
      }
    }
    const f0 = v128.load(slot(st, 0));
    const w00 = v128.load(slot(st, 8));
    const u0 = v128.load(slot(st, 4));
    const G = sq(f0);
    const vE = f64x2.add(f64x2.mul(G, lT), w00);
    const vP = f64x2.add(f64x2.mul(G, V0), w00);
    sumE = f64x2.add(sumE, f64x2.mul(W, w2Term(vE, LT)));
    sumP = f64x2.add(sumP, f64x2.mul(W, w2Term(vP, LT)));
    const meanE = f64x2.add(f64x2.mul(f0, a0), u0);
    if (hasMean) {
      sumE = f64x2.add(sumE, f64x2.mul(MS, sq(f64x2.sub(meanE, unit))));
      sumP = f64x2.add(sumP, f64x2.mul(MS, sq(f64x2.sub(u0, unit))));
    }
    if (vOut != 0) {
      v128.store(vOut + off, vE);
      v128.store(vOut + (<usize>n << 3) + off, vP);
    }
    if (mOut != 0) {
      v128.store(mOut + off, meanE);
      v128.store(mOut + (<usize>n << 3) + off, u0);
    }
  }
  heap.free(tmp);
  store<f64>(out, laneSum(sumE));
  store<f64>(out, laneSum(sumP), 8);
}

/** Core check for DDPM-type constraints: see samplers/paper.ts. */
export { paperDdpmMaxB } from '../samplers/paper';
export { samplerStateSize } from '../samplers/dispatch';

/**
 * The coefficients themselves, for samplers that apply them to vectors in the eigenbasis
 * (bindings/sampling/sampling.ts): steps k0 .. k0 + count − 1 of sampler `id` on the grid, for the n
 * eigenvalues lam (n even). With E = 2m² + m entries per eigenvalue and step — A row-major (m²),
 * then b (m), then Q row-major (m²) — entry e of step k0 + j for eigenvalue i is at
 * out[(j·E + e)·n + i]. Where λ_t = 0 is divided by, entries are ±∞ or NaN: the caller reports it.
 */
export function generalSteps(
  id: i32, params: usize, process: i32, pp: usize, times: usize, hs: usize, K: i32,
  k0: i32, count: i32, lam: usize, n: i32, out: usize,
): void {
  const m = samplerStateSize(id);
  const E = 2 * m * m + m;
  const table = samplerPrepare(id, params, process, pp, times, hs, K);
  const s = heap.alloc(SCRATCH_BYTES);
  memory.fill(s, 0, SCRATCH_BYTES);
  for (let j = 0; j < count; j++) {
    const k = k0 + j;
    for (let i = 0; i < n; i += 2) {
      const L = v128.load(lam + (<usize>i << 3));
      samplerCoefficients(id, table, k, L, s, true, true);
      let e = 0;
      const base = out + (<usize>i << 3);
      for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) v128.store(base + ((<usize>((j * E + e++) * n)) << 3), getA(s, r, c));
      for (let r = 0; r < m; r++) v128.store(base + ((<usize>((j * E + e++) * n)) << 3), getB(s, r));
      for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) v128.store(base + ((<usize>((j * E + e++) * n)) << 3), getQ(s, r, c));
    }
  }
  heap.free(s);
  heap.free(table);
}

/** λ_t = α_t² λ + σ_t² of forward process `process` at time t for n eigenvalues (docs/MATH-samplers.md §2). */
export function processMarginals(process: i32, pp: usize, t: f64, lam: usize, n: i32, out: usize): void {
  const a2 = processSignal(process, pp, t), s2 = processNoise(process, pp, t);
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), a2 * load<f64>(lam + (<usize>i << 3)) + s2);
}

/**
 * Steps k0 .. k0 + count − 1 of sampler `id` on the grid as programs on vectors
 * (samplers/stages.ts): record j (STAGE_RECORD values) at out + j·STAGE_RECORD. For the
 * data-space samplers with any score function (bindings/sampling/sampling.ts).
 */
export function generalStages(
  id: i32, params: usize, process: i32, pp: usize, times: usize, hs: usize, K: i32,
  k0: i32, count: i32, out: usize,
): void {
  const table = samplerPrepare(id, params, process, pp, times, hs, K);
  memory.fill(out, 0, <usize>count * STAGE_RECORD * 8);
  for (let j = 0; j < count; j++) samplerStages(id, table, k0 + j, out + ((<usize>j * STAGE_RECORD) << 3));
  heap.free(table);
}

export { STAGE_RECORD } from '../samplers/stages';

/** [α_t², σ_t², α_t] of forward process `process` at time t, into out. */
export function processLevels(process: i32, pp: usize, t: f64, out: usize): void {
  store<f64>(out, processSignal(process, pp, t));
  store<f64>(out, processNoise(process, pp, t), 8);
  store<f64>(out, processAlpha(process, pp, t), 16);
}

/**
 * α_t of forward process `process` at the n times (the data mean's scale in the exact marginal
 * N(α_t m, …), docs/MATH-samplers.md §6): the targets of a run's mean along its grid.
 */
export function processAlphas(process: i32, pp: usize, times: usize, n: i32, out: usize): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), processAlpha(process, pp, load<f64>(times + (<usize>i << 3))));
}

/** generalTransfer's per-level record: [M (n)][w (n)][μ (n)] of grid point k at levels + 3·n·k. */
// @ts-ignore: decorator
@inline function storeLevel(levels: usize, k: i32, n: i32, off: usize, st: usize): void {
  const base = levels + (<usize>(3 * n * k) << 3);
  v128.store(base + off, v128.load(slot(st, 0)));
  v128.store(base + (<usize>n << 3) + off, v128.load(slot(st, 8)));
  v128.store(base + (<usize>n << 4) + off, v128.load(slot(st, 4)));
}

/**
 * The transfer of a sampler (docs/MATH-samplers.md §1 `transfer`, §7b) for n eigenvalues lam (n
 * even) of the score: per value, M = e₁ᵀ A_{K−1}⋯A₀ e₁ (signed: the multiplier of the start sample
 * on the output), w = the output variance from a zero start, and μ = the output mean per unit
 * score mean from a zero start; out: [M (n)][w (n)][μ (n)][prior variance, α₀², σ₀²]. Then a start N(μ₀, v₀) gives the
 * output N(μ m̂ + M μ₀, M² v₀ + w) per eigen-direction of the score. With `levels` ≠ 0 the same
 * three values after every step k = 0..K (grid point k, k = 0 the start: M = 1, w = μ = 0) are
 * also written there, [M][w][μ] of n values per point (the trajectory of a scoreCov run).
 */
export function generalTransfer(
  id: i32, params: usize, process: i32, pp: usize, times: usize, hs: usize, K: i32,
  lam: usize, n: i32, out: usize, levels: usize,
): void {
  const m = samplerStateSize(id);
  const det = samplerDeterministic(id, params);
  const table = samplerPrepare(id, params, process, pp, times, hs, K);
  const s = heap.alloc(SCRATCH_BYTES + 40 * 16);
  memory.fill(s, 0, SCRATCH_BYTES + 40 * 16);
  const st = s + SCRATCH_BYTES;
  const tmp = heap.alloc(4 * 16);
  for (let i = 0; i < n; i += 2) {
    const off = <usize>i << 3;
    const L = v128.load(lam + off);
    startN(st);
    if (levels) storeLevel(levels, 0, n, off, st);
    for (let k = 0; k < K; k++) {
      samplerCoefficients(id, table, k, L, s, true, !det);
      stepN(s, st, tmp, m, true, det);
      if (levels) storeLevel(levels, k + 1, n, off, st);
    }
    v128.store(out + off, v128.load(slot(st, 0)));
    v128.store(out + (<usize>n << 3) + off, v128.load(slot(st, 8)));
    v128.store(out + (<usize>n << 4) + off, v128.load(slot(st, 4)));
  }
  // The starts at t₀: the prior's variance, and the exact marginal α₀² λ + σ₀² (its α₀², σ₀²).
  const t0 = load<f64>(times);
  const tail = out + (<usize>(3 * n) << 3);
  store<f64>(tail, processPriorVariance(process, pp, t0));
  store<f64>(tail, processSignal(process, pp, t0), 8);
  store<f64>(tail, processNoise(process, pp, t0), 16);
  heap.free(tmp);
  heap.free(s);
  heap.free(table);
}
