// Where a sampler family writes the per-step coefficients (A_k, b_k, Q_k) of one step for two
// eigenvalues (one per lane), docs/MATH-samplers.md §1: u ← A u + b m + ξ, Cov ξ = Q, state size
// m ≤ 4. The kernel (assembly/kernels/general.ts) reads them back. Layout of the scratch block
// (v128 slots): A[i][j] at slot 4i + j, b[i] at slot 16 + i, Q[i][j] at slot 20 + 4i + j.
// Entries a family does not write keep the value of the previous step: a family writes every
// entry of its state size, every step — except b when the caller passes wantB = false (centred
// data) and Q when it passes wantQ = false (a deterministic run: the kernel then never reads Q).

export const MAX_STATE: i32 = 4;
export const SCRATCH_BYTES: usize = 36 * 16;

// @ts-ignore: decorator
@inline export function setA(s: usize, i: i32, j: i32, v: v128): void {
  v128.store(s + (<usize>(4 * i + j) << 4), v);
}
// @ts-ignore: decorator
@inline export function setB(s: usize, i: i32, v: v128): void {
  v128.store(s + (<usize>(16 + i) << 4), v);
}
// @ts-ignore: decorator
@inline export function setQ(s: usize, i: i32, j: i32, v: v128): void {
  v128.store(s + (<usize>(20 + 4 * i + j) << 4), v);
}
// @ts-ignore: decorator
@inline export function getA(s: usize, i: i32, j: i32): v128 {
  return v128.load(s + (<usize>(4 * i + j) << 4));
}
// @ts-ignore: decorator
@inline export function getB(s: usize, i: i32): v128 {
  return v128.load(s + (<usize>(16 + i) << 4));
}
// @ts-ignore: decorator
@inline export function getQ(s: usize, i: i32, j: i32): v128 {
  return v128.load(s + (<usize>(20 + 4 * i + j) << 4));
}

/** Column c of a per-step table row, splatted to both lanes. */
// @ts-ignore: decorator
@inline export function col(row: usize, c: i32): v128 {
  return v128.load64_splat(row + (<usize>c << 3));
}
