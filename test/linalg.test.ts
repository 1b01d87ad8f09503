// Tests of the Eigen/WASM linear-algebra module through its public bindings (compiled dist/).
// References: NumPy/SciPy (LAPACK) values from test/fixtures/linalg/make_fixtures.py on inputs
// rebuilt bit-for-bit from the same seeds, and closed forms computed here in plain JS.
// Tolerances are stated per test, relative to the natural scale (max|λ|, √tr S) and to
// u = 2.2e-16 (double-precision unit round-off).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  continuousErrorMatrix,
  covariance,
  eigh,
  eigvalsh,
  initLinalg,
  matrixFromFile,
  spectrumFromCovariance,
  w2Gaussian,
} from '../dist/bindings/linalg/linalg.js';
import { toNpy } from '../dist/bindings/io/io.js';
// plain JS helper mirrored by the Python fixture generator
import { gridPsd, mulberry32, randomGrid, randomMatrix, randomSymmetric } from './fixtures/linalg/prng.js';

const U = 2.220446049250313e-16;
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/linalg/fixtures.json', import.meta.url), 'utf8'));

beforeAll(async () => {
  await initLinalg(new Uint8Array(readFileSync(new URL('../cpp/dist/linalg.wasm', import.meta.url))));
});

// --- small dense helpers (row-major) ------------------------------------------------------------
type Mat = Float64Array;
function matmul(a: Mat, b: Mat, n: number, k: number, m: number): Mat {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < k; l++) {
      const x = a[i * k + l];
      if (x === 0) continue;
      for (let j = 0; j < m; j++) c[i * m + j] += x * b[l * m + j];
    }
  }
  return c;
}
function transpose(a: Mat, n: number, m: number): Mat {
  const t = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = a[i * m + j];
  return t;
}
function trace(a: ArrayLike<number>, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += a[i * n + i];
  return t;
}
function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
/** Orthogonal Q = I − 2vvᵀ/(vᵀv) (a Householder reflection), from a seeded v. */
function householder(n: number, seed: number): Mat {
  const v = randomMatrix(n, 1, seed) as Float64Array;
  let vv = 0;
  for (const x of v) vv += x * x;
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q[i * n + j] = (i === j ? 1 : 0) - (2 * v[i] * v[j]) / vv;
  return q;
}
/** Q diag(d) Qᵀ, symmetrised. */
function fromSpectrum(q: Mat, d: ArrayLike<number>, n: number): Mat {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k] * d[k] * q[j * n + k];
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  }
  return a;
}
/** S = G Gᵀ / k with G n×k from a seed (as psd_from in make_fixtures.py). */
function psdFrom(n: number, k: number, seed: number): Mat {
  const g = randomMatrix(n, k, seed) as Float64Array;
  const s = matmul(g, transpose(g, n, k), n, k, n);
  for (let i = 0; i < s.length; i++) s[i] /= k;
  return s;
}
/** Residuals of an eigen-decomposition: max|AV − VD| / max|λ| and max|VᵀV − I|. */
function residuals(a: Mat, n: number, values: Mat, vectors: Mat): { av: number; orth: number } {
  const av = matmul(a, vectors, n, n, n);
  let r = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r = Math.max(r, Math.abs(av[i * n + j] - vectors[i * n + j] * values[j]));
  const vtv = matmul(transpose(vectors, n, n), vectors, n, n, n);
  let o = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) o = Math.max(o, Math.abs(vtv[i * n + j] - (i === j ? 1 : 0)));
  return { av: r / Math.max(maxAbs(values), Number.MIN_VALUE), orth: o };
}

// --- eigensolvers --------------------------------------------------------------------------------
describe('eigvalsh / eigh', () => {
  it('eigvalsh matches numpy.linalg.eigvalsh on seeded random symmetric matrices (n = 1 … 512): |Δλ| ≤ 10·n·u·max|λ|', () => {
    for (const f of fixtures.eigvalsh) {
      const a = randomSymmetric(f.n, f.seed) as Float64Array;
      const w = eigvalsh(a, f.n);
      const scale = maxAbs(f.values);
      expect(maxDiff(w, f.values), `n = ${f.n}`).toBeLessThanOrEqual(10 * f.n * U * scale);
      for (let i = 1; i < w.length; i++) expect(w[i]).toBeGreaterThanOrEqual(w[i - 1]);
    }
  });

  it('eigh: A·V ≈ V·D to 10·n·u·max|λ| and VᵀV ≈ I to 10·n·u (n = 1, 7, 64, 512), values equal eigvalsh', () => {
    for (const [n, seed] of [[1, 40], [7, 41], [64, 42], [512, 43]]) {
      const a = randomSymmetric(n, seed) as Float64Array;
      const { values, vectors } = eigh(a);
      expect(vectors.length).toBe(n * n);
      const r = residuals(a, n, values, vectors);
      expect(r.av, `n = ${n} AV-VD`).toBeLessThanOrEqual(10 * n * U);
      expect(r.orth, `n = ${n} VtV-I`).toBeLessThanOrEqual(10 * n * U);
      expect(maxDiff(values, eigvalsh(a))).toBeLessThanOrEqual(10 * n * U * maxAbs(values));
    }
  });

  it('layout: column j of vectors is the eigenvector of values[j] (2×2 closed form)', () => {
    const { values, vectors } = eigh([[2, 1], [1, 2]]);
    expect(maxDiff(values, [1, 3])).toBeLessThanOrEqual(4 * U);
    // eigenvector of 1 is ±(1, −1)/√2: column 0 = (vectors[0], vectors[2])
    expect(Math.abs(vectors[0] + vectors[2])).toBeLessThanOrEqual(4 * U);
    expect(Math.abs(vectors[1] - vectors[3])).toBeLessThanOrEqual(4 * U);
    expect(Math.abs(Math.abs(vectors[0]) - Math.SQRT1_2)).toBeLessThanOrEqual(4 * U);
  });

  it('accepts number[][], flat number[] and Float64Array alike, and does not modify the input', () => {
    const rows = [[4, 1, 0], [1, 3, 1], [0, 1, 2]];
    const flat = rows.flat();
    const f64 = Float64Array.from(flat);
    const w = eigvalsh(rows);
    expect(Array.from(eigvalsh(flat))).toEqual(Array.from(w));
    expect(Array.from(eigvalsh(f64, 3))).toEqual(Array.from(w));
    expect(Array.from(f64)).toEqual(flat);
  });

  it('1×1, including 0 and −0', () => {
    expect(Array.from(eigvalsh([[-3.5]]))).toEqual([-3.5]);
    const { values, vectors } = eigh([[7]]);
    expect(Array.from(values)).toEqual([7]);
    expect(Math.abs(vectors[0])).toBe(1);
    expect(eigvalsh([[0]])[0]).toBe(0);
    expect(Math.abs(eigvalsh([[-0]])[0])).toBe(0);
    expect(Object.is(spectrumFromCovariance([[-0]])[0], 0) || spectrumFromCovariance([[-0]])[0] === 0).toBe(true);
  });

  it('diagonal input: the sorted diagonal to within 2u relative, eigenvectors a signed permutation', () => {
    const d = [5, -2, 0, 1e-3, 3, 3];
    const n = d.length;
    const a = new Float64Array(n * n);
    d.forEach((x, i) => (a[i * n + i] = x));
    const { values, vectors } = eigh(a, n);
    const sorted = [...d].sort((x, y) => x - y);
    expect(maxDiff(values, sorted)).toBeLessThanOrEqual(2 * U * 5);
    for (const v of vectors) expect(Math.min(Math.abs(v), Math.abs(Math.abs(v) - 1))).toBeLessThanOrEqual(2 * U);
  });

  it('repeated eigenvalues (multiplicities 3, 2, 1, n = 6): values to 10·n·u, orthonormal basis of each eigenspace', () => {
    const n = 6;
    const q = householder(n, 50);
    const d = [1, 2, 5, 1, 2, 1];
    const a = fromSpectrum(q, d, n);
    const { values, vectors } = eigh(a, n);
    expect(maxDiff(values, [1, 1, 1, 2, 2, 5])).toBeLessThanOrEqual(10 * n * U * 5);
    const r = residuals(a, n, values, vectors);
    expect(r.av).toBeLessThanOrEqual(10 * n * U);
    expect(r.orth).toBeLessThanOrEqual(10 * n * U);
  });

  it('singular and rank-deficient (G Gᵀ, rank 5 of 40): 35 eigenvalues within 10·n·u·max|λ| of 0; spectrumFromCovariance clamps them to ≥ 0', () => {
    const n = 40;
    const s = psdFrom(n, 5, 60);
    const w = eigvalsh(s, n);
    const scale = maxAbs(w);
    for (let i = 0; i < n - 5; i++) expect(Math.abs(w[i])).toBeLessThanOrEqual(10 * n * U * scale);
    for (let i = n - 5; i < n; i++) expect(w[i]).toBeGreaterThan(1e-3 * scale);
    const spec = spectrumFromCovariance(s, n);
    for (const x of spec) expect(x).toBeGreaterThanOrEqual(0);
    expect(maxDiff(spec, w)).toBeLessThanOrEqual(10 * n * U * scale);
    // The zero matrix is singular too.
    expect(Array.from(eigvalsh(new Float64Array(9)))).toEqual([0, 0, 0]);
  });

  it('extreme scales: entries ~1e±300 without overflow or underflow (relative 10·n·u)', () => {
    for (const scale of [1e300, 1e-300]) {
      const n = 5;
      const q = householder(n, 70);
      const d = [-2, -1, 0.5, 1, 3].map((x) => x * scale);
      const w = eigvalsh(fromSpectrum(q, d, n), n);
      expect(maxDiff(w.map((x) => x / scale), [-2, -1, 0.5, 1, 3])).toBeLessThanOrEqual(10 * n * U * 3);
    }
  });
});

// --- covariance ----------------------------------------------------------------------------------
describe('covariance', () => {
  it('matches numpy.cov (ddof 1 and 0) and mean to 10·count·u relative', () => {
    for (const f of fixtures.covariance) {
      const x = randomMatrix(f.count, f.dim, f.seed) as Float64Array;
      const r1 = covariance(x, f.count, f.dim);
      const r0 = covariance(x, f.count, f.dim, { ddof: 0 });
      const tol = 10 * f.count * U;
      expect(maxDiff(r1.mean, f.mean)).toBeLessThanOrEqual(tol);
      expect(maxDiff(r1.cov, f.cov_ddof1)).toBeLessThanOrEqual(tol * maxAbs(f.cov_ddof1));
      expect(maxDiff(r0.cov, f.cov_ddof0)).toBeLessThanOrEqual(tol * maxAbs(f.cov_ddof0));
      expect(Array.from(r1.cov)).toEqual(Array.from(transpose(r1.cov, f.dim, f.dim)));
    }
  });

  it('closed form: two samples (0,0), (2,2) → mean (1,1), cov [[2,2],[2,2]]; one sample with ddof 0 → 0', () => {
    const r = covariance(Float64Array.of(0, 0, 2, 2), 2, 2);
    expect(Array.from(r.mean)).toEqual([1, 1]);
    expect(Array.from(r.cov)).toEqual([2, 2, 2, 2]);
    expect(Array.from(covariance([3, 4], 1, 2, { ddof: 0 }).cov)).toEqual([0, 0, 0, 0]);
  });
});

// --- Bures W2 -------------------------------------------------------------------------------------
describe('w2Gaussian (Bures)', () => {
  it('matches 40-digit mpmath values on exact (and exactly singular) inputs: |W2² − ref²| ≤ 4·n·u·(tr S1 + tr S2 + |m1 − m2|²)', () => {
    for (const f of fixtures.bures) {
      const s1 = gridPsd(f.n, f.k1, f.seed) as Float64Array;
      const s2 = gridPsd(f.n, f.k2, f.seed + 100) as Float64Array;
      const m1 = randomGrid(f.n, 1, f.seed + 200) as Float64Array;
      const m2 = randomGrid(f.n, 1, f.seed + 300) as Float64Array;
      let dm = 0;
      for (let i = 0; i < f.n; i++) dm += (m1[i] - m2[i]) ** 2;
      const scale = 4 * f.n * U * (trace(s1, f.n) + trace(s2, f.n) + dm);
      const w = w2Gaussian(m1, s1, m2, s2, f.n);
      const w0 = w2Gaussian(null, s1, null, s2, f.n);
      expect(Math.abs(w * w - f.w2 ** 2), `n = ${f.n}`).toBeLessThanOrEqual(scale);
      expect(Math.abs(w0 * w0 - f.w2_centred ** 2), `n = ${f.n} centred`).toBeLessThanOrEqual(scale);
    }
  });

  it('is symmetric (to 1e-10 relative) and zero on equal inputs (to 10·n·u·√tr S: the Procrustes form does not cancel)', () => {
    const n = 30;
    const a = psdFrom(n, 10, 80);
    const b = psdFrom(n, 40, 81);
    const ab = w2Gaussian(null, a, null, b);
    const ba = w2Gaussian(null, b, null, a);
    expect(Math.abs(ab - ba)).toBeLessThanOrEqual(1e-10 * ab);
    for (const s of [a, b]) {
      let tr = 0;
      for (let i = 0; i < n; i++) tr += s[i * n + i];
      expect(w2Gaussian(null, s, null, s)).toBeLessThanOrEqual(10 * n * U * Math.sqrt(tr));
    }
  });

  it('equals the commuting formula Σ(√a − √b)² when S1, S2 share eigenvectors (relative 1e-10), and adds |m1 − m2|²', () => {
    const n = 8;
    const q = householder(n, 90);
    const a = [0, 1e-6, 0.1, 1, 2, 3, 10, 50];
    const b = [0.5, 0, 0.1, 4, 2, 1e-3, 12, 49];
    let w2sq = 0;
    for (let i = 0; i < n; i++) w2sq += (Math.sqrt(a[i]) - Math.sqrt(b[i])) ** 2;
    const s1 = fromSpectrum(q, a, n);
    const s2 = fromSpectrum(q, b, n);
    const w = w2Gaussian(null, s1, null, s2);
    expect(Math.abs(w - Math.sqrt(w2sq))).toBeLessThanOrEqual(1e-10 * Math.sqrt(w2sq));
    const m1 = new Float64Array(n).fill(1);
    const m2 = new Float64Array(n).fill(-1); // |m1 − m2|² = 4n
    const wm = w2Gaussian(m1, s1, m2, s2);
    expect(Math.abs(wm - Math.sqrt(w2sq + 4 * n))).toBeLessThanOrEqual(1e-10 * wm);
    // Equal covariances: exactly the mean distance (relative 10·n·u).
    expect(Math.abs(w2Gaussian(m1, s1, m2, s1) - Math.sqrt(4 * n))).toBeLessThanOrEqual(10 * n * U * Math.sqrt(4 * n));
  });

  it('satisfies the triangle inequality on 20 random triples (slack 1e-9)', () => {
    const rnd = mulberry32(99);
    for (let trial = 0; trial < 20; trial++) {
      const n = 2 + Math.floor((rnd() + 1) * 6);
      const ks = [1, 2, 3].map(() => 1 + Math.floor((rnd() + 1) * n));
      const [a, b, c] = ks.map((k, i) => psdFrom(n, k, 1000 + 3 * trial + i));
      const ms = [0, 1, 2].map((i) => randomMatrix(n, 1, 2000 + 3 * trial + i) as Float64Array);
      const ab = w2Gaussian(ms[0], a, ms[1], b);
      const bc = w2Gaussian(ms[1], b, ms[2], c);
      const ac = w2Gaussian(ms[0], a, ms[2], c);
      expect(ac).toBeLessThanOrEqual(ab + bc + 1e-9);
    }
  });
});

// --- continuous SDE / ODE matrix forms -----------------------------------------------------------
describe('continuousErrorMatrix', () => {
  const betaMin = 0.05;
  const betaMax = 10;
  const T = 1;
  const B = (t: number): number => betaMin * t + ((betaMax - betaMin) * t * t) / (2 * T);
  const lam = (l: number, t: number): number => Math.exp(-2 * B(t)) * l + 1 - Math.exp(-2 * B(t));
  /** Per-eigenvalue variance at t (docs/MATH.md §2): v = λ_t + e^{−2α(B_T−B_t)} (λ_t/λ_T)^{1+α} (c − λ_T). */
  const perEigenvalue = (l: number, c: number, alpha: number, t: number): number =>
    lam(l, t) + Math.exp(-2 * alpha * (B(T) - B(t))) * (lam(l, t) / lam(l, T)) ** (1 + alpha) * (c - lam(l, T));

  it('agrees with the per-eigenvalue formula when C commutes with Σ (SDE and ODE, ε ∈ {0, 1e-3, 0.1}): cov to 1e-11·max|cov|, W2 to 1e-9 relative', () => {
    const n = 7;
    const q = householder(n, 110);
    const lambdas = [0, 1e-4, 0.01, 0.5, 1, 3, 20];
    const cs = [1, 1, 0.3, 2, 1, 0.1, 5];
    const sigma = fromSpectrum(q, lambdas, n);
    const c = fromSpectrum(q, cs, n);
    for (const alpha of [1, 0]) {
      for (const eps of [0, 1e-3, 0.1]) {
        const v = lambdas.map((l, i) => perEigenvalue(l, cs[i], alpha, eps));
        let w2sq = 0;
        lambdas.forEach((l, i) => (w2sq += (Math.sqrt(v[i]) - Math.sqrt(l)) ** 2));
        const ref = fromSpectrum(q, v, n);
        const r = continuousErrorMatrix(sigma, c, { alpha, eps });
        expect(maxDiff(r.cov, ref), `α = ${alpha}, ε = ${eps}`).toBeLessThanOrEqual(1e-11 * maxAbs(ref));
        expect(Math.abs(r.w2 - Math.sqrt(w2sq)), `α = ${alpha}, ε = ${eps}`).toBeLessThanOrEqual(1e-9 * Math.sqrt(w2sq));
      }
    }
  });

  it('matches the literal matrix forms at 40 digits (mpmath) for C not commuting with Σ (Σ singular or not): cov to 10·n·u·max|cov|, |W2² − ref²| ≤ 4·n·u·(tr Σ + tr cov)', () => {
    for (const f of fixtures.continuous) {
      const sigma = gridPsd(f.n, f.k, f.seed) as Float64Array;
      const c = gridPsd(f.n, f.kc, f.seed + 100) as Float64Array;
      for (let i = 0; i < f.n; i++) c[i * f.n + i] += 0.5;
      const r = continuousErrorMatrix(sigma, c, { alpha: f.alpha, eps: f.eps });
      const what = `n = ${f.n}, α = ${f.alpha}, ε = ${f.eps}`;
      expect(maxDiff(r.cov, f.cov), what).toBeLessThanOrEqual(10 * f.n * U * maxAbs(f.cov));
      expect(Math.abs(r.w2 ** 2 - f.w2 ** 2), what).toBeLessThanOrEqual(4 * f.n * U * (trace(sigma, f.n) + trace(r.cov, f.n)));
    }
  });

  it('C = Σ_T leaves only the truncation error W2(N(0, Σ_ε), N(0, Σ)) for both α (Σ singular): relative 1e-9; at ε = 0, cov = Σ to 10·n·u·max λ', () => {
    const n = 5;
    const q = householder(n, 120);
    const lambdas = [0, 0, 0.3, 1, 2];
    const sigma = fromSpectrum(q, lambdas, n);
    for (const eps of [0, 1e-3, 0.05]) {
      const sigmaT = fromSpectrum(q, lambdas.map((l) => lam(l, T)), n);
      let trunc = 0;
      for (const l of lambdas) trunc += (Math.sqrt(lam(l, eps)) - Math.sqrt(l)) ** 2;
      for (const alpha of [0, 1]) {
        const r = continuousErrorMatrix(sigma, sigmaT, { alpha, eps });
        const what = `α = ${alpha}, ε = ${eps}`;
        if (eps === 0) {
          expect(r.w2, what).toBeLessThanOrEqual(1e-7);
          expect(maxDiff(r.cov, sigma), what).toBeLessThanOrEqual(10 * n * U * 2);
        } else {
          expect(Math.abs(r.w2 - Math.sqrt(trunc)), what).toBeLessThanOrEqual(1e-9 * Math.sqrt(trunc));
        }
      }
    }
  });

  it('Proposition 4: with C = I the SDE error is at most the ODE error', () => {
    const n = 10;
    const sigma = psdFrom(n, 6, 130);
    const I = new Float64Array(n * n);
    for (let i = 0; i < n; i++) I[i * n + i] = 1;
    for (const eps of [0, 1e-3, 1e-2]) {
      const sde = continuousErrorMatrix(sigma, I, { alpha: 1, eps });
      const ode = continuousErrorMatrix(sigma, I, { alpha: 0, eps });
      expect(sde.w2).toBeLessThanOrEqual(ode.w2 + 1e-12);
    }
  });

  it('honours the schedule options (βmin, βmax, T) — per-eigenvalue check at T = 2, β ∈ [0.1, 20]', () => {
    const o = { betaMin: 0.1, betaMax: 20, T: 2 };
    const Bo = (t: number): number => o.betaMin * t + ((o.betaMax - o.betaMin) * t * t) / (2 * o.T);
    const lt = (l: number, t: number): number => Math.exp(-2 * Bo(t)) * l + 1 - Math.exp(-2 * Bo(t));
    const l = 0.3;
    const eps = 0.05;
    const v = lt(l, eps) + Math.exp(-2 * (Bo(o.T) - Bo(eps))) * (lt(l, eps) / lt(l, o.T)) ** 2 * (1 - lt(l, o.T));
    const r = continuousErrorMatrix([[l]], [[1]], { alpha: 1, eps, ...o });
    expect(Math.abs(r.cov[0] - v)).toBeLessThanOrEqual(1e-14);
  });
});

// --- files ---------------------------------------------------------------------------------------
describe('matrixFromFile', () => {
  it('reads .csv, .json and .npy 2-D arrays and a single number as 1×1', () => {
    const enc = new TextEncoder();
    expect(matrixFromFile(enc.encode('1,2\n3,4\n'), 'a.csv')).toEqual({ rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, 4) });
    expect(matrixFromFile(enc.encode('[[1,2,3],[4,5,6]]'), 'a.json')).toEqual({ rows: 2, cols: 3, data: Float64Array.of(1, 2, 3, 4, 5, 6) });
    const npy = toNpy({ shape: [2, 2], data: Float64Array.of(2, 1, 1, 2) });
    const m = matrixFromFile(npy, 's.npy');
    expect(m.rows).toBe(2);
    expect(Array.from(eigvalsh(m.data, m.rows))).toEqual(Array.from(eigvalsh([[2, 1], [1, 2]])));
    expect(matrixFromFile(enc.encode('5'), 'x.txt')).toEqual({ rows: 1, cols: 1, data: Float64Array.of(5) });
  });

  it('rejects 1-D and 3-D arrays, naming the file and the shape', () => {
    const enc = new TextEncoder();
    expect(() => matrixFromFile(enc.encode('1,2,3'), 'v.csv')).toThrow(/v\.csv.*2-D.*\[3\]/);
    expect(() => matrixFromFile(toNpy({ shape: [2, 2, 2], data: new Float64Array(8) }), 'c.npy')).toThrow(RangeError);
    expect(() => matrixFromFile('1,2' as unknown as Uint8Array, 'a.csv')).toThrow(TypeError);
  });
});

// --- bad input -----------------------------------------------------------------------------------
describe('bad input', () => {
  it('not square / wrong length: RangeError naming the argument and its length', () => {
    expect(() => eigvalsh([[1, 2], [2]])).toThrow(RangeError);
    expect(() => eigvalsh([[1, 2], [2]])).toThrow(/matrix is not square: row 1 has 1 entries/);
    expect(() => eigvalsh(new Float64Array(10))).toThrow(/matrix has length 10, which is not a perfect square/);
    expect(() => eigh(new Float64Array(9), 4)).toThrow(/matrix has length 9, expected n² = 16 for n = 4/);
    expect(() => eigvalsh([])).toThrow(RangeError);
    expect(() => eigvalsh(new Float64Array(4), 0)).toThrow(/n must be a positive integer/);
    expect(() => w2Gaussian(null, [[1]], null, [[1, 0], [0, 1]])).toThrow(/S1 is 1×1 but S2 is 2×2/);
    expect(() => w2Gaussian([1, 2, 3], [[1, 0], [0, 1]], null, [[1, 0], [0, 1]])).toThrow(/m1 has length 3, expected 2/);
    expect(() => continuousErrorMatrix([[1]], [[1, 0], [0, 1]], { alpha: 1, eps: 0 })).toThrow(/sigma is 1×1 but C is 2×2/);
  });

  it('wrong types: TypeError naming the argument', () => {
    expect(() => eigvalsh('abc' as unknown as number[][])).toThrow(TypeError);
    expect(() => eigvalsh(null as unknown as number[][])).toThrow(/matrix must be a Float64Array or an array of rows/);
    expect(() => eigvalsh([[1, '2'], [2, 1]] as unknown as number[][])).toThrow(/matrix\[0\]\[1\] must be a number/);
    expect(() => continuousErrorMatrix([[1]], [[1]], { alpha: '1' as unknown as number, eps: 0 })).toThrow(TypeError);
  });

  it('NaN / ±Inf: RangeError naming row and column', () => {
    expect(() => eigvalsh([[1, 2], [2, NaN]])).toThrow(/matrix\[1\]\[1\] is NaN/);
    expect(() => eigh(Float64Array.of(1, Infinity, Infinity, 1))).toThrow(/matrix\[0\]\[1\] is Infinity/);
    expect(() => w2Gaussian(null, [[1]], null, [[-Infinity]])).toThrow(/S2\[0\]\[0\] is -Infinity/);
    expect(() => w2Gaussian([NaN], [[1]], null, [[1]])).toThrow(/m1\[0\] is NaN/);
    expect(() => covariance(Float64Array.of(1, 2, 3, NaN), 2, 2)).toThrow(/sample 1, coordinate 1 is NaN/);
  });

  it('asymmetric beyond 1e-10·max|A|: RangeError with the largest asymmetry and its place; round-off asymmetry passes', () => {
    const a = [[1, 2, 3], [2, 1, 5], [3, 5.5, 1]];
    expect(() => eigvalsh(a)).toThrow(/matrix is not symmetric: \|matrix\[1\]\[2\] − matrix\[2\]\[1\]\| = 0\.5/);
    expect(() => continuousErrorMatrix([[1, 0], [1, 1]], [[1, 0], [0, 1]], { alpha: 1, eps: 0 })).toThrow(/sigma is not symmetric/);
    const b = [[1, 2 + 1e-14], [2, 1]];
    expect(eigvalsh(b).length).toBe(2);
  });

  it('not positive semi-definite: RangeError naming the argument and the eigenvalue', () => {
    expect(() => spectrumFromCovariance([[1, 2], [2, 1]])).toThrow(/cov is not positive semi-definite: eigenvalue 0 \(ascending\) is -0\.99999/);
    expect(() => w2Gaussian(null, [[1, 0], [0, -0.5]], null, [[1, 0], [0, 1]])).toThrow(/S1 is not positive semi-definite: eigenvalue 0 \(ascending\) is -0\.5/);
    expect(() => w2Gaussian(null, [[1, 0], [0, 1]], null, [[1, 0], [0, -2]])).toThrow(/S2 is not positive semi-definite.*-2/);
    expect(() => continuousErrorMatrix([[-1]], [[1]], { alpha: 1, eps: 0 })).toThrow(/sigma is not positive semi-definite/);
    expect(() => continuousErrorMatrix([[1]], [[-1]], { alpha: 0, eps: 0 })).toThrow(/C is not positive semi-definite/);
    // round-off negatives are clamped (relTol default 1e-12·n) and relTol can be tightened
    expect(Array.from(spectrumFromCovariance([[1, 0], [0, -1e-14]]))).toEqual([0, 1]);
    expect(() => spectrumFromCovariance([[1, 0], [0, -1e-14]], undefined, { relTol: 0 })).toThrow(/-1e-14/);
  });

  it('bad options: RangeError naming the option and its value', () => {
    expect(() => continuousErrorMatrix([[1]], [[1]], { alpha: -1, eps: 0 })).toThrow(/alpha must be .*\(got -1\)/);
    expect(() => continuousErrorMatrix([[1]], [[1]], { alpha: 1, eps: 2 })).toThrow(/eps must be in \[0, T = 1\] \(got 2\)/);
    expect(() => continuousErrorMatrix([[1]], [[1]], { alpha: 1, eps: 0, T: 0 })).toThrow(/T must be > 0/);
    expect(() => continuousErrorMatrix([[1]], [[1]], { alpha: 1, eps: 0, betaMin: 0, betaMax: 0 })).toThrow(/betaMin \+ betaMax must be > 0/);
    expect(() => covariance([1, 2], 1, 2)).toThrow(/ddof must be ≥ 0 and < count = 1 \(got 1\)/);
    expect(() => covariance([1, 2, 3], 2, 2)).toThrow(/samples has length 3, expected count·dim = 2·2 = 4/);
    expect(() => covariance([1, 2], 2.5, 1)).toThrow(/count must be a positive integer/);
  });

  it('the module is unharmed after errors: 300 failures inside WASM, then identical results', () => {
    const a = randomSymmetric(50, 140) as Float64Array;
    const before = eigh(a);
    for (let i = 0; i < 300; i++) {
      expect(() => w2Gaussian(null, a, null, a)).toThrow(/not positive semi-definite/); // detected inside WASM
      expect(() => eigvalsh([[NaN]])).toThrow(RangeError); // detected in TS
    }
    const after = eigh(a);
    expect(Array.from(after.values)).toEqual(Array.from(before.values));
    expect(Array.from(after.vectors)).toEqual(Array.from(before.vectors));
  });

  it('out of WASM memory (eigh of 6000×6000 needs ≈ 2.3 GB > the 2 GB cap) is an Error, and the module stays usable', () => {
    const n = 6000;
    const a = new Float64Array(n * n); // zero matrix: validation passes quickly
    expect(() => eigh(a, n)).toThrow(/eigh: out of (WebAssembly )?memory/);
    expect(Array.from(eigvalsh([[2, 0], [0, 1]]))).toEqual([1, 2]);
  });

  it('memory growth: a 1024×1024 problem after small ones, then small ones again (views re-read)', () => {
    const small = eigvalsh([[2, 1], [1, 2]]);
    const n = 1024;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) a[i * n + i] = i;
    const w = eigvalsh(a, n);
    expect(w[n - 1]).toBe(n - 1);
    expect(Array.from(eigvalsh([[2, 1], [1, 2]]))).toEqual(Array.from(small));
  });
});
