// The gradient of a separable objective of the output variances with respect to the grid
// (docs/tuning.md §2): reverse-mode differentiation of the general kernel's recursion
// (kernels/general.ts, docs/MATH-samplers.md §1), per eigenvalue (two per v128):
//   forward   φ_{k+1} = A_k φ_k (φ₀ = e₁),  W_{k+1} = A_k W_k A_kᵀ + Q_k (W₀ = 0),
//             v = φ_K[0]² V₀ + W_K[0,0]   (V₀: the start's variance, fixed with t₀);
//   backward  φ̄_K = 2 φ_K[0] V₀ v̄ e₁,  W̄_K = v̄ e₁e₁ᵀ, then for k = K−1 … 0
//             Ā_k = φ̄_{k+1} φ_kᵀ + 2 W̄_{k+1} A_k W_k,  Q̄_k = W̄_{k+1},
//             φ̄_k = A_kᵀ φ̄_{k+1},  W̄_k = A_kᵀ W̄_{k+1} A_k,
// where v̄ = ∂J/∂v is the caller's seed (the metric lives in the bindings). The derivative of
// (A_k, Q_k) along a direction of the grid comes from the sampler's own coefficient code run on two
// perturbed grids (central difference of the coefficients only, never of J): the caller passes P
// pairs of grids (t⁺, t⁻) and receives, per pair, Σ_k Σ_λ w-free ⟨Ā_k, A_k(t⁺) − A_k(t⁻)⟩ +
// ⟨Q̄_k, Q_k(t⁺) − Q_k(t⁻)⟩ (divide by t⁺ − t⁻'s step to get the derivative). Steps whose
// coefficients do not depend on a pair's direction are found once per call (probe eigenvalues)
// and skipped. No module-level state.
import { samplerStateSize, samplerDeterministic, samplerPrepare, samplerCoefficients } from '../samplers/dispatch';
import { SCRATCH_BYTES, getA, getQ } from '../samplers/coefficients';
import { processSignal, processNoise, processPriorVariance } from '../processes/dispatch';
import { laneSum } from '../w2';

// @ts-ignore: decorator
@inline function ld(base: usize, i: i32): v128 {
  return v128.load(base + (<usize>i << 4));
}
// @ts-ignore: decorator
@inline function st(base: usize, i: i32, x: v128): void {
  v128.store(base + (<usize>i << 4), x);
}

/** True when step k's A or Q differ between the scratch blocks a and b in either lane. */
function differs(a: usize, b: usize, m: i32, det: bool): bool {
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < m; c++) {
      if (v128.any_true(f64x2.ne(getA(a, r, c), getA(b, r, c)))) return true;
      if (!det && v128.any_true(f64x2.ne(getQ(a, r, c), getQ(b, r, c)))) return true;
    }
  }
  return false;
}

/**
 * Sampler `id` (parameters at `params`) on process `process` (parameters at `pp`) over the grid
 * times[0..K] (no builder step sizes: h_k = t_k − t_{k+1}); n distinct eigenvalues lam (n even,
 * padding with vbar = 0) with seeds vbar = ∂J/∂v per value; start 0 = exact (V₀ = λ_{t₀}),
 * 1 = the process's prior. pert: P pairs of perturbed grids, pair p at pert + 2p(K+1)·8 (t⁺)
 * and pert + (2p+1)(K+1)·8 (t⁻). out[p] = the pair's difference of J to first order (see above).
 */
export function generalGradient(
  id: i32, params: usize, process: i32, pp: usize, times: usize, K: i32,
  lam: usize, vbar: usize, n: i32, start: i32, pert: usize, P: i32, out: usize,
): void {
  const m = samplerStateSize(id);
  const det = samplerDeterministic(id, params);
  const table = samplerPrepare(id, params, process, pp, times, 0, K);
  const tables = heap.alloc(<usize>(2 * P) << 3);
  for (let q = 0; q < 2 * P; q++) {
    store<usize>(tables + (<usize>q << 3), samplerPrepare(id, params, process, pp, pert + ((<usize>(q * (K + 1))) << 3), 0, K));
  }
  const t0 = load<f64>(times);
  const sig0 = f64x2.splat(processSignal(process, pp, t0));
  const noi0 = f64x2.splat(processNoise(process, pp, t0));
  const prior = f64x2.splat(processPriorVariance(process, pp, t0));
  const sP = heap.alloc(SCRATCH_BYTES);
  const sM = heap.alloc(SCRATCH_BYTES);
  const s = heap.alloc(SCRATCH_BYTES);
  memory.fill(sP, 0, SCRATCH_BYTES);
  memory.fill(sM, 0, SCRATCH_BYTES);
  memory.fill(s, 0, SCRATCH_BYTES);
  // Which steps depend on which pair: probed with the smallest, largest, middle values and 1.
  const deps = heap.alloc(<usize>(P * K));
  memory.fill(deps, 0, <usize>(P * K));
  const probes = heap.alloc(32);
  st(probes, 0, f64x2.replace_lane(f64x2.splat(load<f64>(lam)), 1, load<f64>(lam + (<usize>(n - 1) << 3))));
  st(probes, 1, f64x2.replace_lane(f64x2.splat(load<f64>(lam + (<usize>(n >> 1) << 3))), 1, 1.0));
  for (let p = 0; p < P; p++) {
    const tp = load<usize>(tables + (<usize>(2 * p) << 3)), tm = load<usize>(tables + (<usize>(2 * p + 1) << 3));
    for (let k = 0; k < K; k++) {
      let d = false;
      for (let pr = 0; pr < 2 && !d; pr++) {
        samplerCoefficients(id, tp, k, ld(probes, pr), sP, false, !det);
        samplerCoefficients(id, tm, k, ld(probes, pr), sM, false, !det);
        d = differs(sP, sM, m, det);
      }
      store<u8>(deps + <usize>(p * K + k), d ? 1 : 0);
    }
  }
  // Per pair of eigenvalues: φ_k (m slots), W_k (16 slots) for k = 0..K, A_k (16 slots), adjoints.
  const PHI = 0;
  const WS = (K + 1) * 4;
  const AS = WS + (K + 1) * 16;
  const fwd = heap.alloc(<usize>(AS + K * 16) << 4);
  const adj = heap.alloc(<usize>(4 + 16 + 16 + 16 + 4) << 4); // φ̄ (0..3), W̄ (4..19), Ā (20..35), T (36..51), tmp (52..55)
  const acc = heap.alloc(<usize>P << 4);
  memory.fill(acc, 0, <usize>P << 4);
  const zero = f64x2.splat(0.0);
  const two = f64x2.splat(2.0);
  for (let i = 0; i < n; i += 2) {
    const off = <usize>i << 3;
    const L = v128.load(lam + off);
    const VB = v128.load(vbar + off);
    const V0 = start == 0 ? f64x2.add(f64x2.mul(sig0, L), noi0) : prior;
    // φ₀ = e₁ and W₀ = 0; later φ_k, W_k are written in full (r, c < m) before they are read.
    memory.fill(fwd + (<usize>PHI << 4), 0, 4 << 4);
    memory.fill(fwd + (<usize>WS << 4), 0, 16 << 4);
    st(fwd, PHI, f64x2.splat(1.0));
    for (let k = 0; k < K; k++) {
      samplerCoefficients(id, table, k, L, s, false, !det);
      const ph = fwd + (<usize>(PHI + 4 * k) << 4), phN = fwd + (<usize>(PHI + 4 * (k + 1)) << 4);
      const Ak = fwd + (<usize>(AS + 16 * k) << 4);
      for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) st(Ak, 4 * r + c, getA(s, r, c));
      for (let r = 0; r < m; r++) {
        let a = zero;
        for (let c = 0; c < m; c++) a = f64x2.add(a, f64x2.mul(getA(s, r, c), ld(ph, c)));
        st(phN, r, a);
      }
      if (!det) {
        const Wk = fwd + (<usize>(WS + 16 * k) << 4), WN = fwd + (<usize>(WS + 16 * (k + 1)) << 4);
        const T = adj + (36 << 4);
        for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) {
          let a = zero;
          for (let j = 0; j < m; j++) a = f64x2.add(a, f64x2.mul(getA(s, r, j), ld(Wk, 4 * j + c)));
          st(T, 4 * r + c, a);
        }
        for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) {
          let a = getQ(s, r, c);
          for (let j = 0; j < m; j++) a = f64x2.add(a, f64x2.mul(ld(T, 4 * r + j), getA(s, c, j)));
          st(WN, 4 * r + c, a);
        }
      }
    }
    // seeds
    memory.fill(adj, 0, <usize>(4 + 16) << 4);
    const phiK0 = ld(fwd, PHI + 4 * K);
    st(adj, 0, f64x2.mul(f64x2.mul(two, phiK0), f64x2.mul(V0, VB)));
    if (!det) st(adj, 4, VB);
    for (let k = K - 1; k >= 0; k--) {
      const ph = fwd + (<usize>(PHI + 4 * k) << 4);
      const Ak = fwd + (<usize>(AS + 16 * k) << 4);
      const Wk = fwd + (<usize>(WS + 16 * k) << 4);
      const Wb = adj + (4 << 4), Ab = adj + (20 << 4), T = adj + (36 << 4), tmp = adj + (52 << 4);
      // Ā = φ̄ φᵀ (+ 2 W̄ A W)
      for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) st(Ab, 4 * r + c, f64x2.mul(ld(adj, r), ld(ph, c)));
      if (!det) {
        for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) { // T = A W
          let a = zero;
          for (let j = 0; j < m; j++) a = f64x2.add(a, f64x2.mul(ld(Ak, 4 * r + j), ld(Wk, 4 * j + c)));
          st(T, 4 * r + c, a);
        }
        for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) {
          let a = zero;
          for (let j = 0; j < m; j++) a = f64x2.add(a, f64x2.mul(ld(Wb, 4 * r + j), ld(T, 4 * j + c)));
          st(Ab, 4 * r + c, f64x2.add(ld(Ab, 4 * r + c), f64x2.mul(two, a)));
        }
      }
      for (let p = 0; p < P; p++) {
        if (load<u8>(deps + <usize>(p * K + k)) == 0) continue;
        samplerCoefficients(id, load<usize>(tables + (<usize>(2 * p) << 3)), k, L, sP, false, !det);
        samplerCoefficients(id, load<usize>(tables + (<usize>(2 * p + 1) << 3)), k, L, sM, false, !det);
        let g = zero;
        for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) {
          g = f64x2.add(g, f64x2.mul(ld(Ab, 4 * r + c), f64x2.sub(getA(sP, r, c), getA(sM, r, c))));
          if (!det) g = f64x2.add(g, f64x2.mul(ld(Wb, 4 * r + c), f64x2.sub(getQ(sP, r, c), getQ(sM, r, c))));
        }
        st(acc, p, f64x2.add(ld(acc, p), g));
      }
      // φ̄ ← Aᵀ φ̄
      for (let c = 0; c < m; c++) {
        let a = zero;
        for (let r = 0; r < m; r++) a = f64x2.add(a, f64x2.mul(ld(Ak, 4 * r + c), ld(adj, r)));
        st(tmp, c, a);
      }
      for (let c = 0; c < m; c++) st(adj, c, ld(tmp, c));
      if (!det) { // W̄ ← Aᵀ W̄ A
        for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) { // T = W̄ A
          let a = zero;
          for (let j = 0; j < m; j++) a = f64x2.add(a, f64x2.mul(ld(Wb, 4 * r + j), ld(Ak, 4 * j + c)));
          st(T, 4 * r + c, a);
        }
        for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) {
          let a = zero;
          for (let j = 0; j < m; j++) a = f64x2.add(a, f64x2.mul(ld(Ak, 4 * j + r), ld(T, 4 * j + c)));
          st(Wb, 4 * r + c, a);
        }
      }
    }
  }
  for (let p = 0; p < P; p++) store<f64>(out + (<usize>p << 3), laneSum(ld(acc, p)));
  heap.free(acc);
  heap.free(adj);
  heap.free(fwd);
  heap.free(probes);
  heap.free(deps);
  heap.free(s);
  heap.free(sM);
  heap.free(sP);
  for (let q = 0; q < 2 * P; q++) heap.free(load<usize>(tables + (<usize>q << 3)));
  heap.free(tables);
  heap.free(table);
}
