// The core's 2-D DFT (assembly/fft.ts through bindings/texture/fft.ts) against a direct O(n²) DFT written
// here in plain JS, by round trips, and by its algebraic properties (Parseval, Hermitian symmetry
// of real input). Tolerances relative to the natural scale Σ|x| (the bound of every |X[k]|) and
// u = 2.2e-16.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, fft2, fft2Sync } from '../dist/bindings/index.node.js';
import { mulberry32 } from './fixtures/linalg/prng.js';

const U = 2.220446049250313e-16;

beforeAll(async () => {
  await init();
});

/** Direct 2-D DFT, sign −1 (forward) or +1 (inverse, then divided by n); twiddles by exact integer phase reduction. */
function directDft(re: Float64Array, im: Float64Array, rows: number, cols: number, inverse = false) {
  const outRe = new Float64Array(rows * cols);
  const outIm = new Float64Array(rows * cols);
  const sign = inverse ? 1 : -1;
  for (let kr = 0; kr < rows; kr++) {
    for (let kc = 0; kc < cols; kc++) {
      let sr = 0;
      let si = 0;
      for (let jr = 0; jr < rows; jr++) {
        for (let jc = 0; jc < cols; jc++) {
          // phase 2π (jr kr / rows + jc kc / cols), reduced exactly in integers
          const num = ((jr * kr) % rows) * cols + ((jc * kc) % cols) * rows;
          const phase = (sign * 2 * Math.PI * num) / (rows * cols);
          const c = Math.cos(phase);
          const s = Math.sin(phase);
          const xr = re[jr * cols + jc];
          const xi = im[jr * cols + jc];
          sr += xr * c - xi * s;
          si += xr * s + xi * c;
        }
      }
      const n = inverse ? rows * cols : 1;
      outRe[kr * cols + kc] = sr / n;
      outIm[kr * cols + kc] = si / n;
    }
  }
  return { re: outRe, im: outIm };
}

function random(n: number, seed: number): Float64Array {
  const rnd = mulberry32(seed);
  return Float64Array.from({ length: n }, () => rnd());
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function l1(re: Float64Array, im: Float64Array): number {
  let s = 0;
  for (let i = 0; i < re.length; i++) s += Math.hypot(re[i], im[i]);
  return s;
}

// Sizes: trivial, odd mixed radix (3·5), radix 2·3 and 4, pure Bluestein (7, 11, 13, 97 prime),
// powers of two, mixed radix × Bluestein (14 = 2·7, 49 = 7²).
const SIZES: [number, number][] = [
  [1, 1], [1, 2], [2, 1], [3, 5], [6, 4], [7, 11], [16, 16], [1, 13], [13, 1], [5, 25], [14, 9], [8, 49], [12, 10],
];

describe('fft2 = direct DFT', () => {
  for (const [rows, cols] of SIZES) {
    it(`${rows}×${cols}, forward and inverse: max error ≤ 40·u·log2(n+1)·Σ|x|`, () => {
      const n = rows * cols;
      const re = random(n, 1000 + n);
      const im = random(n, 2000 + n);
      const scale = l1(re, im);
      const tol = 40 * U * Math.log2(n + 1) * scale + 1e-300;
      const ref = directDft(re, im, rows, cols);
      const got = fft2Sync(re, im, rows, cols);
      expect(maxAbsDiff(got.re, ref.re)).toBeLessThanOrEqual(tol);
      expect(maxAbsDiff(got.im, ref.im)).toBeLessThanOrEqual(tol);
      const refInv = directDft(re, im, rows, cols, true);
      const inv = fft2Sync(re, im, rows, cols, { inverse: true });
      expect(maxAbsDiff(inv.re, refInv.re)).toBeLessThanOrEqual(tol / n);
      expect(maxAbsDiff(inv.im, refInv.im)).toBeLessThanOrEqual(tol / n);
    });
  }

  it('1×4 example of the doc comment, exactly', () => {
    const r = fft2Sync([1, 2, 3, 4], undefined, 1, 4);
    expect(Array.from(r.re)).toEqual([10, -2, -2, -2]);
    expect(Array.from(r.im)).toEqual([0, 2, 0, -2]);
  });

  it('a unit impulse at (1, 2) of 6×10 gives e^{−2πi(k/6 + 2l/10)} (to 16u)', () => {
    const re = new Float64Array(60);
    re[1 * 10 + 2] = 1;
    const r = fft2Sync(re, undefined, 6, 10);
    for (let k = 0; k < 6; k++) {
      for (let l = 0; l < 10; l++) {
        const phase = (-2 * Math.PI * ((10 * k + 12 * l) % 60)) / 60;
        expect(Math.abs(r.re[k * 10 + l] - Math.cos(phase))).toBeLessThanOrEqual(16 * U);
        expect(Math.abs(r.im[k * 10 + l] - Math.sin(phase))).toBeLessThanOrEqual(16 * U);
      }
    }
  });
});

describe('fft2 round trips and properties', () => {
  const BIG: [number, number][] = [[256, 256], [97, 100], [3, 1000], [243, 125], [101, 103], [1, 4099]];
  for (const [rows, cols] of BIG) {
    it(`${rows}×${cols}: inverse(forward(x)) = x to 30·u·log2(n)·max|x|; Parseval to 1e-13 relative`, () => {
      const n = rows * cols;
      const re = random(n, 7 + n);
      const im = random(n, 9 + n);
      const f = fft2Sync(re, im, rows, cols);
      const back = fft2Sync(f.re, f.im, rows, cols, { inverse: true });
      const tol = 30 * U * Math.log2(n);
      expect(maxAbsDiff(back.re, re)).toBeLessThanOrEqual(tol);
      expect(maxAbsDiff(back.im, im)).toBeLessThanOrEqual(tol);
      let ex = 0;
      let eX = 0;
      for (let i = 0; i < n; i++) {
        ex += re[i] * re[i] + im[i] * im[i];
        eX += f.re[i] * f.re[i] + f.im[i] * f.im[i];
      }
      expect(Math.abs(eX / n - ex) / ex).toBeLessThanOrEqual(1e-13);
    });
  }

  it('real input has a Hermitian spectrum X(−ξ) = conj X(ξ) (to 1e-12 · Σ|x|), 9×14', async () => {
    const rows = 9;
    const cols = 14;
    const re = random(rows * cols, 5);
    const f = await fft2(re, undefined, rows, cols);
    const scale = l1(re, new Float64Array(re.length));
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const j = ((rows - r) % rows) * cols + ((cols - c) % cols);
        expect(Math.abs(f.re[i] - f.re[j])).toBeLessThanOrEqual(1e-14 * scale);
        expect(Math.abs(f.im[i] + f.im[j])).toBeLessThanOrEqual(1e-14 * scale);
      }
    }
  });

  it('plan cache: cycling through 20 lengths (Bluestein plans and their inner plans) and back gives the same bits', () => {
    const lengths = [7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 8, 9, 10, 12, 15, 16, 7];
    const x = random(7, 77);
    const first = fft2Sync(x, undefined, 1, 7);
    for (const n of lengths) fft2Sync(random(n, n), undefined, 1, n);
    for (const n of lengths) fft2Sync(random(2 * n, n), undefined, 2, n);
    const again = fft2Sync(x, undefined, 1, 7);
    expect(Array.from(again.re)).toEqual(Array.from(first.re));
    expect(Array.from(again.im)).toEqual(Array.from(first.im));
    const ref = directDft(x, new Float64Array(7), 1, 7);
    expect(maxAbsDiff(again.re, ref.re)).toBeLessThanOrEqual(1e-14 * 7);
  });

  it('inputs are not modified and outputs are fresh arrays', () => {
    const re = random(12, 1);
    const im = random(12, 2);
    const copy = re.slice();
    const a = fft2Sync(re, im, 3, 4);
    const b = fft2Sync(re, im, 3, 4);
    expect(Array.from(re)).toEqual(Array.from(copy));
    expect(a.re).not.toBe(b.re);
    expect(Array.from(a.re)).toEqual(Array.from(b.re));
  });

  it('accepts plain arrays and Float32Array', () => {
    const a = fft2Sync([1, 0, 0, 0], [0, 0, 0, 0], 2, 2);
    expect(Array.from(a.re)).toEqual([1, 1, 1, 1]);
    const b = fft2Sync(Float32Array.of(1, 1), undefined, 1, 2);
    expect(Array.from(b.re)).toEqual([2, 0]);
  });
});

describe('fft2 bad input', () => {
  it('sizes: zero, negative, non-integer rows/cols are RangeErrors naming the argument', () => {
    expect(() => fft2Sync([], [], 0, 1)).toThrow(/rows must be a positive integer \(got 0\)/);
    expect(() => fft2Sync([1], [0], 1, -1)).toThrow(/cols must be a positive integer \(got -1\)/);
    expect(() => fft2Sync([1, 2], [0, 0], 1.5, 2)).toThrow(/rows must be a positive integer \(got 1.5\)/);
    expect(() => fft2Sync([1], undefined, 1, '1' as unknown as number)).toThrow(TypeError);
  });
  it('length mismatch names the array and the expected length', () => {
    expect(() => fft2Sync([1, 2, 3], undefined, 2, 2)).toThrow(/re\.length must be rows · cols = 4 \(got 3\)/);
    expect(() => fft2Sync([1, 2, 3, 4], [0], 2, 2)).toThrow(/im\.length must be rows · cols = 4 \(got 1\)/);
  });
  it('NaN and Infinity name the index', () => {
    expect(() => fft2Sync([1, NaN], undefined, 1, 2)).toThrow(/re\[1\] must be finite \(got NaN\)/);
    expect(() => fft2Sync([1, 2], [Infinity, 0], 1, 2)).toThrow(/im\[0\] must be finite \(got Infinity\)/);
  });
  it('not an array: TypeError', () => {
    expect(() => fft2Sync('abc' as unknown as number[], undefined, 1, 3)).toThrow(/re must be a Float64Array/);
  });
});
