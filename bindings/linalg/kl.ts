/**
 * KL divergence between two Gaussians with dense covariances that need not commute
 * (docs/metrics.md §2): `KL(N(m1, S1) ‖ N(m2, S2)) = ½ (tr(S2⁻¹S1) + (m2 − m1)ᵀS2⁻¹(m2 − m1) − d
 * + ln det S2 − ln det S1)`, computed without that formula's cancellation from the eigenvalues ρ of
 * `S2^{-1/2} S1 S2^{-1/2}`: `½ Σ (ρ − 1 − ln ρ) + ½ Σⱼ (vⱼᵀ(m2 − m1))²/μⱼ` with `S2 = V diag(μ) Vᵀ`
 * (two symmetric eigen-decompositions in the Eigen module, two products in JavaScript: O(d³)).
 */
import { eigh, eigvalsh, defaultPsdTolerance, type MatrixInput, type VectorInput } from './linalg.js';
import { badType, badValue, checkPositiveInteger } from '../runtime/errors.js';
import { xMinusLog1p } from '../exact/metrics.js';

/** A square matrix argument as a flat row-major Float64Array (entries checked finite). */
function square(name: string, a: unknown, n?: number): { n: number; data: Float64Array } {
  if (Array.isArray(a) && a.length > 0 && typeof a[0] === 'object') {
    const size = a.length;
    if (n !== undefined && n !== size) throw badValue('n', n, `the number of rows of ${name} (${size})`);
    const data = new Float64Array(size * size);
    a.forEach((row: unknown, i: number) => {
      if (!(Array.isArray(row) || ArrayBuffer.isView(row)) || (row as ArrayLike<number>).length !== size) throw badValue(`${name}[${i}]`, row, `a row of ${size} numbers (a square matrix)`);
      for (let j = 0; j < size; j++) data[i * size + j] = (row as ArrayLike<number>)[j];
    });
    return check(name, size, data);
  }
  if (!(a instanceof Float64Array || a instanceof Float32Array || Array.isArray(a))) throw badType(name, a, 'a square matrix (rows, or row-major with n)');
  const len = (a as ArrayLike<number>).length;
  const size = n ?? Math.round(Math.sqrt(len));
  if (size * size !== len || size < 1) throw badValue(`${name}.length`, len, n === undefined ? 'a square number (or give n)' : `n² = ${n * n}`);
  return check(name, size, Float64Array.from(a as ArrayLike<number>));
}

function check(name: string, n: number, data: Float64Array): { n: number; data: Float64Array } {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw badValue(`${name}[${Math.floor(i / n)}][${i % n}]`, data[i], 'a finite number');
  }
  return { n, data };
}

function vector(name: string, v: unknown, n: number): Float64Array {
  if (v === null) return new Float64Array(n);
  if (!(v instanceof Float64Array || v instanceof Float32Array || Array.isArray(v))) throw badType(name, v, 'an array of numbers or null');
  if (v.length !== n) throw badValue(`${name}.length`, v.length, `${n} (the matrices' size)`);
  const out = Float64Array.from(v as ArrayLike<number>);
  out.forEach((x, i) => { if (!Number.isFinite(x)) throw badValue(`${name}[${i}]`, (v as ArrayLike<number>)[i], 'a finite number'); });
  return out;
}

/**
 * C = op(A) B for d × d row-major matrices, op(A) = A or Aᵀ: rows of C accumulate four rows of B
 * at a time (register blocking: 2–3× the plain i-k-j loop in V8).
 */
function multiply(A: Float64Array, transposeA: boolean, B: Float64Array, d: number): Float64Array {
  const C = new Float64Array(d * d);
  const at = transposeA ? (i: number, k: number) => A[k * d + i] : (i: number, k: number) => A[i * d + k];
  for (let i = 0; i < d; i++) {
    const ci = i * d;
    let k = 0;
    for (; k + 4 <= d; k += 4) {
      const a0 = at(i, k), a1 = at(i, k + 1), a2 = at(i, k + 2), a3 = at(i, k + 3);
      const b0 = k * d, b1 = b0 + d, b2 = b1 + d, b3 = b2 + d;
      for (let j = 0; j < d; j++) C[ci + j] += a0 * B[b0 + j] + a1 * B[b1 + j] + a2 * B[b2 + j] + a3 * B[b3 + j];
    }
    for (; k < d; k++) {
      const a0 = at(i, k), b0 = k * d;
      for (let j = 0; j < d; j++) C[ci + j] += a0 * B[b0 + j];
    }
  }
  return C;
}

/**
 * KL(N(m1, S1) ‖ N(m2, S2)) in nats, for symmetric PSD S1, S2 (d × d, row-major flat with `n`,
 * or rows) that need not commute; `null` means are zero. Returns `null` when the divergence is
 * infinite or undefined: S1 or S2 singular (an eigenvalue of S2, or of S2^{-1/2} S1 S2^{-1/2},
 * within 1e-12·d of the largest — the `defaultPsdTolerance` rule). Throws a RangeError naming
 * S1/S2 when a matrix is not PSD beyond round-off.
 * @example klGaussian(null, [[1, 0], [0, 1]], null, [[2, 0], [0, 2]]) // → 2·½(½ − 1 + ln 2) ≈ 0.193
 */
export function klGaussian(m1: VectorInput | null, S1: MatrixInput, m2: VectorInput | null, S2: MatrixInput, n?: number): number | null {
  if (n !== undefined) checkPositiveInteger('n', n);
  const a = square('S1', S1, n);
  const b = square('S2', S2, n);
  if (a.n !== b.n) throw badValue('S2', `${b.n}×${b.n}`, `the size of S1 (${a.n}×${a.n})`);
  const d = a.n;
  const x1 = vector('m1', m1, d);
  const x2 = vector('m2', m2, d);
  const tol = defaultPsdTolerance(d);
  const { values: mu, vectors: V } = eigh(b.data, d);
  const muMax = Math.max(...Array.from(mu, Math.abs));
  if (mu[0] < -tol * muMax) throw badValue('S2', `eigenvalue ${mu[0]}`, `positive semi-definite (eigenvalues ≥ −${tol}·max)`);
  if (!(mu[0] > tol * muMax)) return null; // S2 singular: infinite (or undefined)
  // B = Vᵀ S1 V, then M = D^{-1/2} B D^{-1/2} (the whitened S1).
  const T = multiply(a.data, false, V, d); // S1 V
  const M = multiply(V, true, T, d); // Vᵀ (S1 V)
  const scale = Float64Array.from(mu, (x) => 1 / Math.sqrt(x));
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const x = 0.5 * (M[i * d + j] + M[j * d + i]) * scale[i] * scale[j];
      M[i * d + j] = x;
      M[j * d + i] = x;
    }
  }
  const rho = eigvalsh(M, d);
  const rhoMax = Math.max(...Array.from(rho, Math.abs));
  if (rho[0] < -tol * rhoMax) throw badValue('S1', `eigenvalue ${rho[0]} of S2^{-1/2} S1 S2^{-1/2}`, 'positive semi-definite');
  if (!(rho[0] > tol * rhoMax)) return null; // S1 singular: KL(S1 ‖ S2) is infinite
  let kl = 0;
  for (const r of rho) kl += xMinusLog1p(r - 1);
  for (let j = 0; j < d; j++) {
    let p = 0;
    for (let k = 0; k < d; k++) p += V[k * d + j] * (x2[k] - x1[k]);
    kl += (p * p) / mu[j];
  }
  kl *= 0.5;
  return Number.isFinite(kl) ? kl : null;
}
