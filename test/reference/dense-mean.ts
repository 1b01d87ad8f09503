/**
 * An independent dense d × d reference for means, W2 and KL (docs/metrics.md §4), for small d:
 *  - the exact law of a sampler in DATA coordinates from its plain-vector implementation
 *    (test/conformance/vector-samplers.ts, written from the libraries' sources, dense solves with
 *    Σ, no eigenbasis) driven by impulses: the noise-free run from the start mean gives the output
 *    mean, runs from the start mean ± square-root columns of the start covariance and unit noises
 *    give the covariance by superposition (the sampler is affine). The score uses the mean m̂
 *    (`problem.m`), the start law is the true one (mean α₀ m for the exact start);
 *  - W2 by the Bures formula with matrix square roots from a cyclic Jacobi eigensolver (plain JS);
 *  - KL by the textbook formula ½(tr(C2⁻¹C1) + Δᵀ C2⁻¹ Δ − d + ln det C2 − ln det C1) with
 *    Cholesky factors (plain JS).
 * Nothing here calls the core or the Eigen module.
 */
import { VECTOR_SAMPLERS, type Ctx, type Vec } from '../conformance/vector-samplers';

export interface DenseLaw {
  mean: Float64Array;
  /** Row-major d × d. */
  cov: Float64Array;
}

/**
 * The output law of sampler `key` (a VECTOR_SAMPLERS key) from the start N(mu0, C0) (C0 dense,
 * PSD) with the score of N(scoreMean, sigma).
 */
export function denseSamplerLaw(
  key: string, d: number, sigma: Float64Array, scoreMean: Float64Array, times: Float64Array,
  processParams: Record<string, number>, params: Record<string, unknown>, mu0: Float64Array, C0: Float64Array,
  model?: string,
): DenseLaw {
  const ref = VECTOR_SAMPLERS[key];
  if (!ref) throw new Error(`no vector sampler ${key}`);
  const problem = { d, sigma, m: scoreMean };
  const runWith = (x0: Vec, impulse: number, coord: number) => {
    let count = 0;
    const ctx: Ctx = {
      problem, times, process: processParams, processId: model, model, params, evals: { n: 0 },
      noise() {
        const z = new Float64Array(d);
        if (count === impulse) z[coord] = 1;
        count++;
        return z;
      },
    };
    return { x: ref.run(ctx, Float64Array.from(x0)), noises: count };
  };
  const base = runWith(mu0, -1, 0);
  const cov = new Float64Array(d * d);
  const addOuter = (y: Vec) => {
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) cov[r * d + c] += (y[r] - base.x[r]) * (y[c] - base.x[c]);
  };
  const { values, vectors } = jacobiEigen(C0, d);
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(Math.max(values[j], 0));
    const x0 = Float64Array.from(mu0, (m, r) => m + s * vectors[r * d + j]);
    addOuter(runWith(x0, -1, 0).x);
  }
  for (let k = 0; k < base.noises; k++) for (let c = 0; c < d; c++) addOuter(runWith(mu0, k, c).x);
  return { mean: base.x, cov };
}

/** Cyclic Jacobi: A = V diag(values) Vᵀ (column j of V = vector j), A symmetric row-major. */
export function jacobiEigen(A: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] ** 2;
    if (off === 0) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (apq === 0) continue;
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p], akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k], aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p], vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: d }, (_, i) => a[i * d + i]), vectors: v };
}

function matMul(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) for (let j = 0; j < d; j++) c[i * d + j] += a[i * d + k] * b[k * d + j];
  return c;
}

/** Symmetric PSD square root (negative round-off clamped). */
export function sqrtm(A: Float64Array, d: number): Float64Array {
  const { values, vectors } = jacobiEigen(A, d);
  const r = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const s = Math.sqrt(Math.max(values[k], 0));
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) r[i * d + j] += s * vectors[i * d + k] * vectors[j * d + k];
  }
  return r;
}

/** W2²(N(m1, C1), N(m2, C2)) by the Bures formula. */
export function denseW2sq(m1: Float64Array, C1: Float64Array, m2: Float64Array, C2: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += (m1[i] - m2[i]) ** 2 + C1[i * d + i] + C2[i * d + i];
  const r = sqrtm(C1, d);
  const cross = sqrtm(matMul(matMul(r, C2, d), r, d), d);
  for (let i = 0; i < d; i++) s -= 2 * cross[i * d + i];
  return s;
}

/** Lower Cholesky factor (throws on a non-positive pivot). */
export function cholesky(A: Float64Array, d: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let s = A[j * d + j];
    for (let k = 0; k < j; k++) s -= L[j * d + k] ** 2;
    if (!(s > 0)) throw new Error('not positive definite');
    L[j * d + j] = Math.sqrt(s);
    for (let i = j + 1; i < d; i++) {
      let t = A[i * d + j];
      for (let k = 0; k < j; k++) t -= L[i * d + k] * L[j * d + k];
      L[i * d + j] = t / L[j * d + j];
    }
  }
  return L;
}

/** x = L⁻¹ b (forward substitution). */
function lowerSolve(L: Float64Array, b: Float64Array, d: number): Float64Array {
  const x = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * d + k] * x[k];
    x[i] = s / L[i * d + i];
  }
  return x;
}

/** KL(N(m1, C1) ‖ N(m2, C2)) by the textbook formula (C1, C2 positive definite). */
export function denseKl(m1: Float64Array, C1: Float64Array, m2: Float64Array, C2: Float64Array, d: number): number {
  const L2 = cholesky(C2, d);
  const L1 = cholesky(C1, d);
  // tr(C2⁻¹ C1) = ‖L2⁻¹ L1‖_F²
  let tr = 0;
  for (let j = 0; j < d; j++) {
    const col = Float64Array.from({ length: d }, (_, i) => L1[i * d + j]);
    const y = lowerSolve(L2, col, d);
    for (const x of y) tr += x * x;
  }
  const y = lowerSolve(L2, Float64Array.from(m2, (x, i) => x - m1[i]), d);
  let maha = 0;
  for (const x of y) maha += x * x;
  let logdet = 0;
  for (let i = 0; i < d; i++) logdet += 2 * Math.log(L2[i * d + i]) - 2 * Math.log(L1[i * d + i]);
  return 0.5 * (tr + maha - d + logdet);
}
