// The pieces behind eigvalsh/eigh, each on its own, through the emscripten glue's test hooks
// (cpp/src/linalg.cpp: gd_tridiagonalize, gd_tridiagonal_eigh, gd_eig_sym_method):
// - the blocked tridiagonalisation (cpp/src/tridiag.cpp): A = Q T Qᵀ, QᵀQ = I, at and around the
//   panel width 32;
// - divide and conquer (cpp/src/dc.cpp) on tridiagonal matrices with known spectra, deflation-heavy
//   cases (glued Wilkinson, split, clustered) and random ones, against Eigen's QR;
// - the three eigensolver paths against each other.
// Tolerances: u = 2.2e-16; residuals relative to max|λ| (or max|A|), stated per test.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import createLinalgModule from '../cpp/dist/linalg.mjs';
import { mulberry32, randomSymmetric } from './fixtures/linalg/prng.js';
import { callGlue } from './helpers/glue-call.js';

const U = 2.220446049250313e-16;
const QR = 1;
const DC = 2;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let m: any;

beforeAll(async () => {
  m = await createLinalgModule({ wasmBinary: new Uint8Array(readFileSync(new URL('../cpp/dist/linalg.wasm', import.meta.url))) });
});

/** Call a hook with Float64 buffers (inputs copied in, outputs copied out), freeing everything. */
function call(fn: string, scalarsBefore: number[], inputs: Float64Array[], outSizes: number[], scalarsAfter: number[] = []): Float64Array[] {
  return callGlue(m, fn, scalarsBefore, inputs, outSizes, scalarsAfter);
}

function tridiagEigh(d: Float64Array, e: Float64Array, method: number): { w: Float64Array; z: Float64Array } {
  const n = d.length;
  const [w, z] = call('_gd_tridiagonal_eigh', [n], [d, e.length ? e : new Float64Array(1)], [n, n * n], [method]);
  return { w, z };
}

function maxAbs(a: ArrayLike<number>): number {
  let r = 0;
  for (let i = 0; i < a.length; i++) r = Math.max(r, Math.abs(a[i]));
  return r;
}

/** max|T z_j − w_j z_j| / max|w| and max|ZᵀZ − I| for tridiagonal T (row-major Z, columns = vectors). */
function tridiagResiduals(d: Float64Array, e: Float64Array, w: Float64Array, z: Float64Array): { res: number; orth: number } {
  const n = d.length;
  let res = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let tz = d[i] * z[i * n + j];
      if (i > 0) tz += e[i - 1] * z[(i - 1) * n + j];
      if (i < n - 1) tz += e[i] * z[(i + 1) * n + j];
      res = Math.max(res, Math.abs(tz - w[j] * z[i * n + j]));
    }
  }
  let orth = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += z[i * n + a] * z[i * n + b];
      orth = Math.max(orth, Math.abs(s - (a === b ? 1 : 0)));
    }
  }
  return { res: res / Math.max(maxAbs(w), Number.MIN_VALUE), orth };
}

describe('blocked tridiagonalisation (dsytrd-style, panel 32; Q applied in blocks of 64)', () => {
  it('A = Q T Qᵀ to 10·n·u·max|A| and QᵀQ = I to 10·n·u, for n around the panel width and beyond', () => {
    for (const n of [1, 2, 3, 31, 32, 33, 64, 65, 100, 130, 257]) {
      const a = randomSymmetric(n, 500 + n) as Float64Array;
      const [d, e, q] = call('_gd_tridiagonalize', [n], [a], [n, Math.max(n - 1, 1), n * n]);
      // Q T Qᵀ
      const qt = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = q[i * n + j] * d[j];
          if (j > 0) s += q[i * n + j - 1] * e[j - 1];
          if (j < n - 1) s += q[i * n + j + 1] * e[j];
          qt[i * n + j] = s;
        }
      }
      let rec = 0;
      let orth = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          let o = 0;
          for (let k = 0; k < n; k++) {
            s += qt[i * n + k] * q[j * n + k];
            o += q[k * n + i] * q[k * n + j];
          }
          rec = Math.max(rec, Math.abs(s - a[i * n + j]));
          orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
        }
      }
      expect(rec, `n = ${n}: A − QTQᵀ`).toBeLessThanOrEqual(10 * n * U * maxAbs(a));
      expect(orth, `n = ${n}: QᵀQ − I`).toBeLessThanOrEqual(10 * n * U);
    }
  });

  it('a matrix that is already tridiagonal or diagonal passes through (zero reflectors)', () => {
    const n = 40;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) a[i * n + i] = i + 1;
    const [d, e] = call('_gd_tridiagonalize', [n], [a], [n, n - 1, n * n]);
    expect(Array.from(d)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(maxAbs(e)).toBe(0);
  });
});

describe('divide and conquer on tridiagonal matrices', () => {
  it('the 1-2-1 matrix (n = 300): eigenvalues 2 − 2cos(kπ/(n+1)) to 10·n·u, vectors orthonormal to 10·n·u', () => {
    const n = 300;
    const d = new Float64Array(n).fill(2);
    const e = new Float64Array(n - 1).fill(-1);
    const { w, z } = tridiagEigh(d, e, DC);
    let err = 0;
    for (let k = 1; k <= n; k++) err = Math.max(err, Math.abs(w[k - 1] - (2 - 2 * Math.cos((k * Math.PI) / (n + 1)))));
    expect(err).toBeLessThanOrEqual(10 * n * U * 4);
    const r = tridiagResiduals(d, e, w, z);
    expect(r.res).toBeLessThanOrEqual(10 * n * U);
    expect(r.orth).toBeLessThanOrEqual(10 * n * U);
  });

  it('random tridiagonals (n = 1, 2, 32, 33, 64, 257, 600): agree with Eigen QR to 10·n·u·max|λ|; residual and orthogonality 10·n·u', () => {
    for (const n of [1, 2, 32, 33, 64, 257, 600]) {
      const rnd = mulberry32(700 + n);
      const d = Float64Array.from({ length: n }, () => rnd());
      const e = Float64Array.from({ length: Math.max(n - 1, 0) }, () => rnd());
      const dc = tridiagEigh(d, e, DC);
      const qr = tridiagEigh(d, e, QR);
      let dw = 0;
      for (let i = 0; i < n; i++) dw = Math.max(dw, Math.abs(dc.w[i] - qr.w[i]));
      expect(dw, `n = ${n}`).toBeLessThanOrEqual(10 * n * U * maxAbs(qr.w));
      const r = tridiagResiduals(d, e, dc.w, dc.z);
      expect(r.res, `n = ${n} residual`).toBeLessThanOrEqual(10 * n * U);
      expect(r.orth, `n = ${n} orthogonality`).toBeLessThanOrEqual(10 * n * U);
    }
  });

  it('deflation-heavy inputs: glued Wilkinson W21⁺ ×10 (close pairs), split blocks (zero couplings), constant diagonal with tiny couplings, diagonal', () => {
    const cases: [string, Float64Array, Float64Array][] = [];
    {
      const blocks = 10;
      const n = 21 * blocks;
      const d = new Float64Array(n);
      const e = new Float64Array(n - 1);
      for (let b = 0; b < blocks; b++) {
        for (let i = 0; i < 21; i++) d[21 * b + i] = Math.abs(i - 10);
        for (let i = 0; i < 20; i++) e[21 * b + i] = 1;
        if (b < blocks - 1) e[21 * b + 20] = 1e-10; // the glue
      }
      cases.push(['glued Wilkinson', d, e]);
    }
    {
      const n = 150;
      const rnd = mulberry32(801);
      const d = Float64Array.from({ length: n }, () => rnd());
      const e = Float64Array.from({ length: n - 1 }, (_, i) => (i % 20 === 19 ? 0 : rnd()));
      cases.push(['split', d, e]);
    }
    {
      const n = 200;
      const d = new Float64Array(n).fill(3);
      const e = new Float64Array(n - 1).fill(1e-14);
      cases.push(['clustered', d, e]);
    }
    {
      const n = 70;
      const d = Float64Array.from({ length: n }, (_, i) => (i * 37) % 11);
      cases.push(['diagonal (repeated values)', d, new Float64Array(n - 1)]);
    }
    for (const [name, d, e] of cases) {
      const n = d.length;
      const dc = tridiagEigh(d, e, DC);
      const qr = tridiagEigh(d, e, QR);
      let dw = 0;
      for (let i = 0; i < n; i++) dw = Math.max(dw, Math.abs(dc.w[i] - qr.w[i]));
      expect(dw, name).toBeLessThanOrEqual(10 * n * U * maxAbs(qr.w));
      const r = tridiagResiduals(d, e, dc.w, dc.z);
      expect(r.res, `${name} residual`).toBeLessThanOrEqual(10 * n * U);
      expect(r.orth, `${name} orthogonality`).toBeLessThanOrEqual(10 * n * U);
      for (let i = 1; i < n; i++) expect(dc.w[i]).toBeGreaterThanOrEqual(dc.w[i - 1]);
    }
  });

  it('scale invariance: entries ×1e±200 give eigenvalues ×1e±200 (relative 10·n·u)', () => {
    const n = 80;
    const rnd = mulberry32(900);
    const d = Float64Array.from({ length: n }, () => rnd());
    const e = Float64Array.from({ length: n - 1 }, () => rnd());
    const base = tridiagEigh(d, e, DC).w;
    for (const s of [1e200, 1e-200]) {
      const w = tridiagEigh(d.map((x) => x * s), e.map((x) => x * s), DC).w;
      let err = 0;
      for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(w[i] / s - base[i]));
      expect(err).toBeLessThanOrEqual(10 * n * U * maxAbs(base));
    }
  });
});

describe('eigensolver paths agree (0: Eigen SelfAdjointEigenSolver, 1: blocked + QR, 2: blocked + D&C)', () => {
  it('values within 10·n·u·max|λ| of each other; vectors of each path satisfy A·V = V·D and VᵀV = I to 10·n·u (n = 5, 33, 150)', () => {
    for (const n of [5, 33, 150]) {
      const a = randomSymmetric(n, 950 + n) as Float64Array;
      const results = [0, 1, 2].map((method) => {
        const [w, v] = call('_gd_eig_sym_method', [n], [a], [n, n * n], [method]);
        return { w, v };
      });
      for (const { w, v } of results) {
        let dw = 0;
        for (let i = 0; i < n; i++) dw = Math.max(dw, Math.abs(w[i] - results[0].w[i]));
        expect(dw).toBeLessThanOrEqual(10 * n * U * maxAbs(w));
        let res = 0;
        let orth = 0;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let av = 0;
            let vv = 0;
            for (let k = 0; k < n; k++) {
              av += a[i * n + k] * v[k * n + j];
              vv += v[k * n + i] * v[k * n + j];
            }
            res = Math.max(res, Math.abs(av - v[i * n + j] * w[j]));
            orth = Math.max(orth, Math.abs(vv - (i === j ? 1 : 0)));
          }
        }
        expect(res / maxAbs(w)).toBeLessThanOrEqual(10 * n * U);
        expect(orth).toBeLessThanOrEqual(10 * n * U);
      }
    }
  });

  it('an invalid method is a status, not a crash', () => {
    const p = m._malloc(64);
    try {
      expect(m._gd_eig_sym_method(2, p, p, p, 7)).toBe(1);
    } finally {
      m._free(p);
    }
  });
});
