/**
 * An independent dense reference for wrong scores (docs/MATH-samplers.md §7): the plain-vector
 * sampler of test/conformance/vector-samplers.ts run in data space (d × d, no eigenbasis) with the
 * score of N(0, Σ̂) — its `problem.sigma` is Σ̂ — and the start N(0, C₀) of the data. The sampler is
 * affine, so impulse runs (each column of a square root of C₀ as the start, each unit noise alone)
 * give its exact output covariance by superposition: cov = Σ_j y_j y_jᵀ. Nothing here uses the
 * core's recursion, the transfer or the Bures routine under test.
 */
import { VECTOR_SAMPLERS, vectorKey, type Ctx, type Vec } from '../conformance/vector-samplers';

export interface DenseLaw {
  /** Output covariance, row-major d × d. */
  cov: Float64Array;
  /** Score/denoiser evaluations of one run. */
  evals: number;
}

/**
 * The exact output covariance of sampler `spec` driven by the score of N(0, scoreSigma) from the
 * start N(0, R Rᵀ) (R row-major d × d, its columns the square-root factor).
 */
export function denseLaw(
  spec: { id: string; group: string }, params: Record<string, unknown>, processParams: Record<string, number>,
  times: Float64Array, scoreSigma: Float64Array, R: Float64Array, d: number, model?: string,
): DenseLaw {
  const ref = VECTOR_SAMPLERS[vectorKey(spec)];
  const problem = { d, sigma: scoreSigma, m: new Float64Array(d) };
  const runWith = (x0: Vec, impulse: number, coord: number) => {
    let count = 0;
    const evals = { n: 0 };
    const ctx: Ctx = {
      problem, times, process: processParams, processId: model, model, params: params as Record<string, any>, evals,
      noise() {
        const z = new Float64Array(d);
        if (count === impulse) z[coord] = 1;
        count++;
        return z;
      },
    };
    return { x: ref.run(ctx, x0), noises: count, evals: evals.n };
  };
  const zero = new Float64Array(d);
  const base = runWith(zero, -1, 0);
  const cov = new Float64Array(d * d);
  const addOuter = (y: Vec) => {
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) cov[r * d + c] += (y[r] - base.x[r]) * (y[c] - base.x[c]);
  };
  for (let j = 0; j < d; j++) {
    const e = new Float64Array(d);
    for (let r = 0; r < d; r++) e[r] = R[r * d + j];
    addOuter(runWith(e, -1, 0).x);
  }
  for (let k = 0; k < base.noises; k++) for (let c = 0; c < d; c++) addOuter(runWith(zero, k, c).x);
  return { cov, evals: base.evals };
}

/** U diag(v) Uᵀ for U row-major with eigenvectors as columns. */
export function fromEigen(U: Float64Array, v: ArrayLike<number>, d: number): Float64Array {
  const s = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) s[r * d + c] += v[i] * U[r * d + i] * U[c * d + i];
  return s;
}
