/**
 * The thin binding of the core's general engine (assembly/kernels/general.ts): arrays copied in
 * and out, chunked like the fast path so that sums are added in the same order. Nothing numerical.
 */
import { callWithArrays } from '../runtime/core.js';

interface GeneralCore {
  generalRun(
    id: number, params: number, process: number, pp: number, times: number, hs: number, K: number,
    lam: number, w: number, meanSq: number, n: number,
    out: number, traj: number, vOut: number, mOut: number, generic: number,
  ): void;
  paperDdpmMaxB(pp: number, times: number, hs: number, K: number): number;
  generalSteps(
    id: number, params: number, process: number, pp: number, times: number, hs: number, K: number,
    k0: number, count: number, lam: number, n: number, out: number,
  ): void;
  processMarginals(process: number, pp: number, t: number, lam: number, n: number, out: number): void;
  samplerStateSize(id: number): number;
  generalRunScore(
    id: number, params: number, process: number, pp: number, times: number, hs: number, K: number,
    lamHat: number, lam: number, w: number, meanSq: number, n: number,
    out: number, traj: number, vOut: number, mOut: number, generic: number,
  ): void;
  generalTransfer(
    id: number, params: number, process: number, pp: number, times: number, hs: number, K: number,
    lam: number, n: number, out: number,
  ): void;
}

/** Distinct values per core call (the fast path's chunk, bindings/exact/engine.ts: lets the engine tier up). */
const CHUNK = 4096;

export interface GeneralRaw {
  /** [exact start, prior start] sums of squares against the data. */
  sums: Float64Array;
  /** 2·(K+1) sums along the grid, exact start first (empty unless asked). */
  traj: Float64Array;
  /** 2·n output variances per distinct value, exact start first (empty unless asked). */
  v: Float64Array;
  /** 2·n output means per unit data mean (empty unless asked). */
  mean: Float64Array;
}

export interface GeneralCall {
  coreId: number;
  params: Float64Array;
  processId: number;
  processParams: Float64Array;
  times: Float64Array;
  /** The grid's step sizes when its builder defines them (the paper's uniform grid), else null. */
  h: Float64Array | null;
  values: Float64Array;
  weights: Float64Array;
  /** Σ mᵢ² per distinct value, or null for centred data. */
  meanSq: Float64Array | null;
  wantTraj: boolean;
  wantV: boolean;
  wantMean: boolean;
  /** Force the memory-based kernel for every state size (tests). */
  generic?: boolean;
  /**
   * A wrong score with the same eigenvectors (docs/MATH-samplers.md §7a): the score's λ̂ paired
   * with `values` (the data's λ, the targets); the coefficients come from these. Absent: λ̂ = λ.
   */
  scoreValues?: Float64Array;
}

export function generalRunRaw(c: GeneralCall): GeneralRaw {
  const n = c.values.length;
  const K = c.times.length - 1;
  const chunks = Math.max(1, Math.ceil(n / CHUNK));
  const T = 2 * (K + 1);
  const inputs = [c.params, c.processParams, c.times, c.h ?? new Float64Array(0), c.values, c.weights, c.meanSq ?? new Float64Array(0), c.scoreValues ?? new Float64Array(0)];
  const { outputs } = callWithArrays(
    inputs,
    [2 * chunks, c.wantTraj ? T * chunks : 0, c.wantV ? 2 * n : 0, c.wantMean ? 2 * n : 0],
    (core, [p, pp, times, hs, lam, w, ms, lamHat], [out, traj, vOut, mOut]) => {
      const g = core as unknown as GeneralCore;
      for (let k = 0; k < chunks; k++) {
        const lo = k * CHUNK;
        const len = Math.min(CHUNK, n - lo);
        if (c.scoreValues) {
          g.generalRunScore(
            c.coreId, p, c.processId, pp, times, c.h ? hs : 0, K, lamHat + 8 * lo, lam + 8 * lo, w + 8 * lo, c.meanSq ? ms + 8 * lo : 0, len,
            out + 16 * k, c.wantTraj ? traj + 8 * T * k : 0, c.wantV ? vOut + 16 * lo : 0, c.wantMean ? mOut + 16 * lo : 0,
            c.generic ? 1 : 0,
          );
          continue;
        }
        g.generalRun(
          c.coreId, p, c.processId, pp, times, c.h ? hs : 0, K, lam + 8 * lo, w + 8 * lo, c.meanSq ? ms + 8 * lo : 0, len,
          out + 16 * k, c.wantTraj ? traj + 8 * T * k : 0, c.wantV ? vOut + 16 * lo : 0, c.wantMean ? mOut + 16 * lo : 0,
          c.generic ? 1 : 0,
        );
      }
    },
  );
  const [outC, trajC, vC, mC] = outputs;
  const sums = new Float64Array(2);
  const traj = new Float64Array(c.wantTraj ? T : 0);
  for (let k = 0; k < chunks; k++) {
    for (let j = 0; j < 2; j++) sums[j] += outC[2 * k + j];
    for (let j = 0; j < traj.length; j++) traj[j] += trajC[k * T + j];
  }
  // Per chunk the core wrote [exact start: len values][prior start: len values].
  const unchunk = (src: Float64Array, want: boolean): Float64Array => {
    const dst = new Float64Array(want ? 2 * n : 0);
    if (want) {
      for (let lo = 0; lo < n; lo += CHUNK) {
        const len = Math.min(CHUNK, n - lo);
        dst.set(src.subarray(2 * lo, 2 * lo + len), lo);
        dst.set(src.subarray(2 * lo + len, 2 * lo + 2 * len), n + lo);
      }
    }
    return dst;
  };
  return { sums, traj, v: unchunk(vC, c.wantV), mean: unchunk(mC, c.wantMean) };
}

/** max_k 2 h_k β(t_k) on a VP-linear grid (DDPM's constraint). */
export function ddpmMaxB(processParams: Float64Array, times: Float64Array, h: Float64Array | null): number {
  return callWithArrays([processParams, times, h ?? new Float64Array(0)], [], (core, [pp, t, hs]) =>
    (core as unknown as GeneralCore).paperDdpmMaxB(pp, t, h ? hs : 0, times.length - 1)).result;
}

/** The core's state size for a sampler id (aborts on an unknown id). */
export function coreStateSize(coreId: number): number {
  return callWithArrays([], [], (core) => (core as unknown as GeneralCore).samplerStateSize(coreId)).result;
}

/** A run's grid and coefficients source, as `stepCoefficients` needs it. */
export interface StepSource {
  coreId: number;
  stateSize: number;
  params: Float64Array;
  processId: number;
  processParams: Float64Array;
  times: Float64Array;
  h: Float64Array | null;
}

/**
 * Steps k0 .. k0 + count − 1 of a sampler for the eigenvalues `lam` (even length): per step j
 * and entry e of [A (m², row-major), b (m), Q (m², row-major)], the values for every eigenvalue
 * at out[(j·E + e)·n + i], E = 2m² + m (assembly/kernels/general.ts generalSteps).
 */
export function stepCoefficients(src: StepSource, k0: number, count: number, lam: Float64Array): Float64Array {
  const m = src.stateSize;
  const E = 2 * m * m + m;
  const n = lam.length;
  return callWithArrays(
    [src.params, src.processParams, src.times, src.h ?? new Float64Array(0), lam],
    [count * E * n],
    (core, [p, pp, t, hs, l], [out]) =>
      (core as unknown as GeneralCore).generalSteps(src.coreId, p, src.processId, pp, t, src.h ? hs : 0, src.times.length - 1, k0, count, l, n, out),
  ).outputs[0];
}

/** λ_t = α_t² λ + σ_t² for each eigenvalue (forward process `processId` at time t). */
export function processMarginals(processId: number, processParams: Float64Array, t: number, lam: Float64Array): Float64Array {
  return callWithArrays([processParams, lam], [lam.length], (core, [pp, l], [out]) =>
    (core as unknown as GeneralCore).processMarginals(processId, pp, t, l, lam.length, out)).outputs[0];
}

/** A sampler's transfer per score eigenvalue and its starts (assembly/kernels/general.ts generalTransfer). */
export interface Transfer {
  /** Signed multiplier of the start sample on the output (M). */
  M: Float64Array;
  /** Output variance from a zero start (w). */
  w: Float64Array;
  /** Output mean per unit score mean from a zero start. */
  mu: Float64Array;
  /** The process's conventional start variance at t₀ (VP: 1, EDM: σ₀²). */
  prior: number;
  /** α₀², σ₀² at t₀: the exact start is N(·, α₀² Σ + σ₀² I). */
  signal: number;
  noise: number;
}

/** The transfer (M, w, μ) of a sampler for the score eigenvalues `lam` (docs/MATH-samplers.md §1, §7b). */
export function generalTransferRaw(src: Omit<StepSource, 'stateSize'>, lam: Float64Array): Transfer {
  const n = lam.length;
  const padded = n + (n % 2);
  const l = new Float64Array(padded).fill(1);
  l.set(lam);
  const out = callWithArrays(
    [src.params, src.processParams, src.times, src.h ?? new Float64Array(0), l],
    [3 * padded + 3],
    (core, [p, pp, t, hs, lp], [o]) =>
      (core as unknown as GeneralCore).generalTransfer(src.coreId, p, src.processId, pp, t, src.h ? hs : 0, src.times.length - 1, lp, padded, o),
  ).outputs[0];
  return {
    M: out.slice(0, n),
    w: out.slice(padded, padded + n),
    mu: out.slice(2 * padded, 2 * padded + n),
    prior: out[3 * padded],
    signal: out[3 * padded + 1],
    noise: out[3 * padded + 2],
  };
}
