/**
 * The thin binding of the core's general engine (assembly/kernels/general.ts): arrays copied in
 * and out, chunked like the fast path so that sums are added in the same order. Nothing numerical.
 */
import { callWithArrays } from '../runtime/core.js';

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
  /** The start variance of the second ("prior") slot instead of the process's conventional one. */
  priorVariance?: number;
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
      const g = core;
      for (let k = 0; k < chunks; k++) {
        const lo = k * CHUNK;
        const len = Math.min(CHUNK, n - lo);
        if (c.scoreValues) {
          g.generalRunScore(
            c.coreId, p, c.processId, pp, times, c.h ? hs : 0, K, lamHat + 8 * lo, lam + 8 * lo, w + 8 * lo, c.meanSq ? ms + 8 * lo : 0, len,
            out + 16 * k, c.wantTraj ? traj + 8 * T * k : 0, c.wantV ? vOut + 16 * lo : 0, c.wantMean ? mOut + 16 * lo : 0,
            c.generic ? 1 : 0, c.priorVariance ?? -1,
          );
          continue;
        }
        g.generalRun(
          c.coreId, p, c.processId, pp, times, c.h ? hs : 0, K, lam + 8 * lo, w + 8 * lo, c.meanSq ? ms + 8 * lo : 0, len,
          out + 16 * k, c.wantTraj ? traj + 8 * T * k : 0, c.wantV ? vOut + 16 * lo : 0, c.wantMean ? mOut + 16 * lo : 0,
          c.generic ? 1 : 0, c.priorVariance ?? -1,
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
    core.paperDdpmMaxB(pp, t, h ? hs : 0, times.length - 1)).result;
}

/** The core's state size for a sampler id (aborts on an unknown id). */
export function coreStateSize(coreId: number): number {
  return callWithArrays([], [], (core) => core.samplerStateSize(coreId)).result;
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
      core.generalSteps(src.coreId, p, src.processId, pp, t, src.h ? hs : 0, src.times.length - 1, k0, count, l, n, out),
  ).outputs[0];
}

/** λ_t = α_t² λ + σ_t² for each eigenvalue (forward process `processId` at time t). */
export function processMarginals(processId: number, processParams: Float64Array, t: number, lam: Float64Array): Float64Array {
  return callWithArrays([processParams, lam], [lam.length], (core, [pp, l], [out]) =>
    core.processMarginals(processId, pp, t, l, lam.length, out)).outputs[0];
}

/**
 * Steps k0 .. k0 + count − 1 of a sampler as programs on vectors (assembly/samplers/stages.ts):
 * `stride` values per step, step k0 + j at out[j·stride]. The core aborts for a sampler without one.
 */
export function stepStages(src: StepSource, k0: number, count: number): { stride: number; records: Float64Array } {
  const { result: stride, outputs } = callWithArrays(
    [src.params, src.processParams, src.times, src.h ?? new Float64Array(0)],
    [count * stageRecord()],
    (core, [p, pp, t, hs], [out]) => {
      const g = core;
      g.generalStages(src.coreId, p, src.processId, pp, t, src.h ? hs : 0, src.times.length - 1, k0, count, out);
      return g.STAGE_RECORD.value;
    },
  );
  return { stride, records: outputs[0] };
}

function stageRecord(): number {
  return callWithArrays([], [], (core) => core.STAGE_RECORD.value).result;
}

/** [α_t², σ_t², α_t] of forward process `processId` at time t. */
export function processLevels(processId: number, processParams: Float64Array, t: number): Float64Array {
  return callWithArrays([processParams], [3], (core, [pp], [out]) =>
    core.processLevels(processId, pp, t, out)).outputs[0];
}

/** α_t of forward process `processId` at each of the times (the exact marginal's mean scale). */
export function processAlphas(processId: number, processParams: Float64Array, times: Float64Array): Float64Array {
  return callWithArrays([processParams, times], [times.length], (core, [pp, t], [out]) =>
    (core as unknown as { processAlphas(p: number, pp: number, t: number, n: number, out: number): void })
      .processAlphas(processId, pp, t, times.length, out)).outputs[0];
}

/**
 * The mean recursion of a run in the eigenbasis, from the core's per-step (A, b)
 * (docs/MATH-samplers.md §1, §8): per distinct eigenvalue i and grid point k, `phi[k·n + i]` =
 * e₁ᵀ A_{k−1}⋯A₀ e₁ (the output's response to the start's mean) and `mu[k·n + i]` = e₁ᵀ of the
 * zero-start mean μ ← A μ + b (the response to a unit score mean m̂ᵢ). Output mean after k steps:
 * phi·μ₀ + mu·m̂ᵢ. O(K·n·m²) in JavaScript, the coefficients fetched in blocks of steps.
 */
export function meanResponses(src: StepSource, lam: Float64Array): { phi: Float64Array; mu: Float64Array } {
  const m = src.stateSize;
  const E = 2 * m * m + m;
  const n = lam.length;
  const K = src.times.length - 1;
  const phi = new Float64Array((K + 1) * n);
  const mu = new Float64Array((K + 1) * n);
  const f = new Float64Array(m * n);
  const u = new Float64Array(m * n);
  const f2 = new Float64Array(m);
  const u2 = new Float64Array(m);
  for (let i = 0; i < n; i++) f[i * m] = 1;
  phi.fill(1, 0, n);
  // ≤ ~16 MB of coefficients per block.
  const block = Math.max(1, Math.min(K, Math.floor(2e6 / (E * n))));
  for (let k0 = 0; k0 < K; k0 += block) {
    const count = Math.min(block, K - k0);
    const c = stepCoefficients(src, k0, count, lam);
    for (let j = 0; j < count; j++) {
      for (let i = 0; i < n; i++) {
        const at = (e: number) => c[(j * E + e) * n + i];
        for (let r = 0; r < m; r++) {
          let a = 0, b = at(m * m + r);
          for (let q = 0; q < m; q++) {
            const A = at(r * m + q);
            a += A * f[i * m + q];
            b += A * u[i * m + q];
          }
          f2[r] = a;
          u2[r] = b;
        }
        for (let r = 0; r < m; r++) {
          f[i * m + r] = f2[r];
          u[i * m + r] = u2[r];
        }
        phi[(k0 + j + 1) * n + i] = f[i * m];
        mu[(k0 + j + 1) * n + i] = u[i * m];
      }
    }
  }
  return { phi, mu };
}

/** What `gridGradientRaw` needs: a run's sampler, process and grid, seeds and perturbed grids. */
export interface GradientCall {
  coreId: number;
  params: Float64Array;
  processId: number;
  processParams: Float64Array;
  times: Float64Array;
  /** Distinct eigenvalues and the seeds ∂J/∂v per value (any length: padded here). */
  values: Float64Array;
  vbar: Float64Array;
  /** 0 = exact start, 1 = the process's prior. */
  start: 0 | 1;
  /** P pairs of perturbed grids, each K + 1 values: [t⁺₀, t⁻₀, t⁺₁, t⁻₁, …] flattened. */
  perturbed: Float64Array;
}

/**
 * Per perturbation pair p: Σ over eigenvalues and steps of ⟨Ā_k, A_k(t⁺) − A_k(t⁻)⟩ +
 * ⟨Q̄_k, Q_k(t⁺) − Q_k(t⁻)⟩, the adjoints of the recursion seeded with v̄
 * (assembly/kernels/gradient.ts generalGradient; docs/tuning.md §2).
 */
export function gridGradientRaw(c: GradientCall): Float64Array {
  const K = c.times.length - 1;
  const P = c.perturbed.length / (2 * (K + 1));
  let lam = c.values, vbar = c.vbar;
  if (lam.length % 2 === 1) {
    // an even count for the v128 loop: the last value again, with seed 0 (adds nothing)
    const l2 = new Float64Array(lam.length + 1);
    l2.set(lam);
    l2[lam.length] = lam[lam.length - 1];
    const v2 = new Float64Array(vbar.length + 1);
    v2.set(vbar);
    lam = l2;
    vbar = v2;
  }
  const n = lam.length;
  return callWithArrays(
    [c.params, c.processParams, c.times, lam, vbar, c.perturbed],
    [P],
    (core, [p, pp, t, l, vb, pert], [out]) =>
      core.generalGradient(c.coreId, p, c.processId, pp, t, K, l, vb, n, c.start, pert, P, out),
  ).outputs[0];
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

/** The transfer at one grid point (generalTransferRaw with `levels`). */
export interface LevelTransfer {
  M: Float64Array;
  w: Float64Array;
  mu: Float64Array;
}

/**
 * The transfer (M, w, μ) of a sampler for the score eigenvalues `lam` (docs/MATH-samplers.md §1,
 * §7b); with `levels`, also at every grid point k = 0..K (`levels[k]`, k = 0 the start).
 */
export function generalTransferRaw(src: Omit<StepSource, 'stateSize'>, lam: Float64Array, options: { levels?: boolean } = {}): Transfer & { levels?: LevelTransfer[] } {
  const n = lam.length;
  const padded = n + (n % 2);
  const K = src.times.length - 1;
  const l = new Float64Array(padded).fill(1);
  l.set(lam);
  const want = options.levels === true;
  const [out, lv] = callWithArrays(
    [src.params, src.processParams, src.times, src.h ?? new Float64Array(0), l],
    [3 * padded + 3, want ? 3 * padded * (K + 1) : 1],
    (core, [p, pp, t, hs, lp], [o, lev]) =>
      core.generalTransfer(src.coreId, p, src.processId, pp, t, src.h ? hs : 0, K, lp, padded, o, want ? lev : 0),
  ).outputs;
  const result: Transfer & { levels?: LevelTransfer[] } = {
    M: out.slice(0, n),
    w: out.slice(padded, padded + n),
    mu: out.slice(2 * padded, 2 * padded + n),
    prior: out[3 * padded],
    signal: out[3 * padded + 1],
    noise: out[3 * padded + 2],
  };
  if (want) {
    result.levels = Array.from({ length: K + 1 }, (_, k) => {
      const b = 3 * padded * k;
      return { M: lv.slice(b, b + n), w: lv.slice(b + padded, b + padded + n), mu: lv.slice(b + 2 * padded, b + 2 * padded + n) };
    });
  }
  return result;
}
