// ADSN Gaussian textures (docs/MATH.md §6; the paper's §5 and Appendix I): the spectrum of an RGB image,
// exact ADSN samples, the samplers of §4 run on texture vectors with the exact score, and the
// empirical W2 of a set of samples (the paper's eq. 21).
//
// Images cross the boundary as interleaved RGB, row-major (H × W × 3, like PNG pixels and numpy's
// (H, W, 3) arrays). Inside, each channel is a rows × cols plane; complex planes are interleaved.
//
// The covariance of ADSN(u) is diagonal in a real orthonormal basis made of Fourier modes times
// channel vectors. With the unitary DFT X = F x (X(ξ) ∈ C³ per frequency, X(−ξ) = conj X(ξ)):
//   e0(ξ) = t̂(ξ)/|t̂(ξ)| has eigenvalue λ(ξ) = Σ_c |t̂_c(ξ)|² (t̂: unnormalised DFT of the texton),
//   e1(ξ), e2(ξ), an orthonormal basis of the complement, have eigenvalue 0,
// and e_j(−ξ) = conj e_j(ξ). The real coordinates are, for each pair {ξ, −ξ} (ξ the one with the
// smaller index), √2 Re(e_j(ξ)* X(ξ)) and √2 Im(e_j(ξ)* X(ξ)); for a self-conjugate ξ (ξ = −ξ)
// e_j is real and the coordinate is e_j(ξ)ᵀ X(ξ). They are stored as a 3MN array: slot
// (j·MN + index of ξ) holds the Re part (or the real coordinate), slot (j·MN + index of −ξ) the
// Im part. Slot i < MN has eigenvalue λ(i) (λ(−ξ) = λ(ξ)); slots ≥ MN have eigenvalue 0.
import { fft2Interleaved, planFor, transform } from './fft';
import { seedRandom, normal, normalSlow, stateGet, stateSet, zigKn, zigWn } from './texture_random';
import { samplerStateSize, samplerPrepare, samplerCoefficients } from './samplers/dispatch';
import { SCRATCH_BYTES, getA, getQ } from './samplers/coefficients';
import { processSignal, processNoise } from './processes/dispatch';

// @ts-ignore: decorator
@inline function ld(p: usize, i: usize): f64 {
  return load<f64>(p + (i << 3));
}
// @ts-ignore: decorator
@inline function st(p: usize, i: usize, x: f64): void {
  store<f64>(p + (i << 3), x);
}

/** Index of −ξ for ξ = index i in a rows × cols grid. */
// @ts-ignore: decorator
@inline function mirror(i: i32, rows: i32, cols: i32): i32 {
  const r = i / cols;
  const c = i - r * cols;
  const rr = r == 0 ? 0 : rows - r;
  const cc = c == 0 ? 0 : cols - c;
  return rr * cols + cc;
}

/**
 * Two real planes from one complex DFT (the "two for one" trick): if Z = DFT(a + i b) then
 * Â(ξ) = (Z(ξ) + conj Z(−ξ))/2 and B̂(ξ) = (Z(ξ) − conj Z(−ξ))/(2i). Writes Â and B̂ (interleaved
 * complex planes); exact Hermitian symmetry Â(−ξ) = conj Â(ξ) holds bit for bit.
 */
function splitTwo(z: usize, rows: i32, cols: i32, outA: usize, outB: usize): void {
  const n = rows * cols;
  for (let i = 0; i < n; i++) {
    const j = mirror(i, rows, cols);
    const zr = ld(z, 2 * i);
    const zi = ld(z, 2 * i + 1);
    const wr = ld(z, 2 * j);
    const wi = -ld(z, 2 * j + 1); // conj Z(−ξ)
    st(outA, 2 * i, 0.5 * (zr + wr));
    st(outA, 2 * i + 1, 0.5 * (zi + wi));
    // (Z − conj Z(−ξ)) / (2i) = (Im, −Re) / 2
    if (outB) {
      st(outB, 2 * i, 0.5 * (zi - wi));
      st(outB, 2 * i + 1, -0.5 * (zr - wr));
    }
  }
}

/** Channel c of an interleaved RGB image into the real part of a complex plane, the imaginary part from channel d (or 0 when d < 0). */
function packChannels(img: usize, n: i32, c: i32, d: i32, shiftC: f64, shiftD: f64, scale: f64, out: usize): void {
  for (let i = 0; i < n; i++) {
    st(out, 2 * i, (ld(img, 3 * i + c) - shiftC) * scale);
    st(out, 2 * i + 1, d < 0 ? 0.0 : (ld(img, 3 * i + d) - shiftD) * scale);
  }
}

/**
 * Moisan's periodic + smooth decomposition (J. Math. Imaging Vis. 39, 2011): u = p + s, where s
 * is the smooth image solving Δs = v (v: the jumps across the periodic border) with mean 0,
 * in the Fourier domain ŝ(q, r) = v̂(q, r) / (2 cos(2πq/M) + 2 cos(2πr/N) − 4), ŝ(0, 0) = 0.
 * img and out: interleaved RGB, rows × cols. The filter is real and even, so two channels share
 * one complex FFT.
 */
export function periodicComponent(img: usize, rows: i32, cols: i32, out: usize): void {
  const n = rows * cols;
  const buf = heap.alloc(<usize>n << 4);
  const cosCols = heap.alloc(<usize>cols << 3);
  for (let pass = 0; pass < 2; pass++) {
    const c = pass == 0 ? 0 : 2;
    const d = pass == 0 ? 1 : -1;
    memory.fill(buf, 0, <usize>n << 4);
    for (let part = 0; part < 2; part++) {
      const ch = part == 0 ? c : d;
      if (ch < 0) continue;
      for (let x = 0; x < cols; x++) {
        const top = ld(img, 3 * x + ch);
        const bottom = ld(img, 3 * ((rows - 1) * cols + x) + ch);
        const jump = bottom - top;
        addAt(buf, 2 * x + part, jump);
        addAt(buf, 2 * ((rows - 1) * cols + x) + part, -jump);
      }
      for (let y = 0; y < rows; y++) {
        const left = ld(img, 3 * (y * cols) + ch);
        const right = ld(img, 3 * (y * cols + cols - 1) + ch);
        const jump = right - left;
        addAt(buf, 2 * (y * cols) + part, jump);
        addAt(buf, 2 * (y * cols + cols - 1) + part, -jump);
      }
    }
    fft2Interleaved(buf, rows, cols, false);
    for (let r = 0; r < cols; r++) st(cosCols, r, 2.0 * Math.cos(6.283185307179586 * <f64>r / <f64>cols) - 4.0);
    for (let q = 0; q < rows; q++) {
      const cq = 2.0 * Math.cos(6.283185307179586 * <f64>q / <f64>rows);
      for (let r = 0; r < cols; r++) {
        const i = q * cols + r;
        const den = cq + ld(cosCols, r);
        const f = i == 0 ? 0.0 : 1.0 / den;
        st(buf, 2 * i, ld(buf, 2 * i) * f);
        st(buf, 2 * i + 1, ld(buf, 2 * i + 1) * f);
      }
    }
    fft2Interleaved(buf, rows, cols, true);
    for (let i = 0; i < n; i++) {
      st(out, 3 * i + c, ld(img, 3 * i + c) - ld(buf, 2 * i));
      if (d >= 0) st(out, 3 * i + d, ld(img, 3 * i + d) - ld(buf, 2 * i + 1));
    }
  }
  heap.free(cosCols);
  heap.free(buf);
}

// @ts-ignore: decorator
@inline function addAt(p: usize, i: i32, x: f64): void {
  st(p, i, ld(p, i) + x);
}

/**
 * The DFTs t̂_c of an interleaved RGB image minus `mean`, times `scale`: three interleaved complex
 * planes at hat, hat + 16n, hat + 32n (two FFTs: channels 0 and 1 share one).
 */
function channelDfts(img: usize, rows: i32, cols: i32, mean: usize, scale: f64, hat: usize): void {
  const n = rows * cols;
  const planeBytes = <usize>n << 4;
  const z = heap.alloc(planeBytes);
  packChannels(img, n, 0, 1, ld(mean, 0), ld(mean, 1), scale, z);
  fft2Interleaved(z, rows, cols, false);
  splitTwo(z, rows, cols, hat, hat + planeBytes);
  packChannels(img, n, 2, -1, ld(mean, 2), 0, scale, z);
  fft2Interleaved(z, rows, cols, false);
  splitTwo(z, rows, cols, hat + 2 * planeBytes, 0);
  heap.free(z);
}

/** λ(ξ) = Σ_c |t̂_c(ξ)|² for every frequency (natural DFT order) into lam. */
function eigenvalues(hat: usize, n: i32, lam: usize): void {
  const p1 = hat + (<usize>n << 4);
  const p2 = hat + (<usize>n << 5);
  for (let i = 0; i < n; i++) {
    const a = ld(hat, 2 * i);
    const b = ld(hat, 2 * i + 1);
    const c = ld(p1, 2 * i);
    const d = ld(p1, 2 * i + 1);
    const e = ld(p2, 2 * i);
    const f = ld(p2, 2 * i + 1);
    st(lam, i, a * a + b * b + c * c + d * d + e * e + f * f);
  }
}

/**
 * The ADSN spectrum of an RGB image (docs/MATH.md §6). img: interleaved RGB in [0, 1], rows × cols.
 * Outputs: values (3·n: the n frequency eigenvalues in fftshift order, row-major, then 2n zeros,
 * as ADSN.npy), freq (n eigenvalues, natural DFT order), mean (3), texton (interleaved RGB,
 * t = (p − p̄)/√n with p the periodic component).
 */
export function adsnSpectrum(img: usize, rows: i32, cols: i32, values: usize, freq: usize, mean: usize, texton: usize): void {
  const n = rows * cols;
  const planeBytes = <usize>n << 4;
  // û_c: channels 0 and 1 share one FFT.
  const hat = heap.alloc(3 * planeBytes);
  const z = heap.alloc(planeBytes);
  packChannels(img, n, 0, 1, 0, 0, 1.0, z);
  fft2Interleaved(z, rows, cols, false);
  splitTwo(z, rows, cols, hat, hat + planeBytes);
  packChannels(img, n, 2, -1, 0, 0, 1.0, z);
  fft2Interleaved(z, rows, cols, false);
  splitTwo(z, rows, cols, hat + 2 * planeBytes, 0);
  // Moisan's periodic component in the Fourier domain (see periodicComponent): the border image v
  // is nonzero only on the border, so v̂ comes from two 1-D DFTs,
  //   v̂(q, r) = Â(r) (1 − e^{2πi q/M}) + B̂(q) (1 − e^{2πi r/N}),
  // A(x) = u(M−1, x) − u(0, x), B(y) = u(y, N−1) − u(y, 0); then p̂ = û − v̂/den, den as there.
  const eq = heap.alloc(<usize>rows << 4); // e^{2πi q/M}
  const er = heap.alloc(<usize>cols << 4); // e^{2πi r/N}
  for (let q = 0; q < rows; q++) {
    const th = 6.283185307179586 * <f64>q / <f64>rows;
    st(eq, 2 * q, Math.cos(th));
    st(eq, 2 * q + 1, Math.sin(th));
  }
  for (let r = 0; r < cols; r++) {
    const th = 6.283185307179586 * <f64>r / <f64>cols;
    st(er, 2 * r, Math.cos(th));
    st(er, 2 * r + 1, Math.sin(th));
  }
  const A = heap.alloc(<usize>cols << 4);
  const B = heap.alloc(<usize>rows << 4);
  const scale = 1.0 / Math.sqrt(<f64>n);
  for (let c = 0; c < 3; c++) {
    for (let x = 0; x < cols; x++) {
      st(A, 2 * x, ld(img, 3 * ((rows - 1) * cols + x) + c) - ld(img, 3 * x + c));
      st(A, 2 * x + 1, 0.0);
    }
    for (let y = 0; y < rows; y++) {
      st(B, 2 * y, ld(img, 3 * (y * cols + cols - 1) + c) - ld(img, 3 * (y * cols) + c));
      st(B, 2 * y + 1, 0.0);
    }
    transform(planFor(cols), A, false);
    transform(planFor(rows), B, false);
    const h = hat + <usize>c * planeBytes;
    st(mean, c, ld(h, 0) / <f64>n);
    for (let q = 0; q < rows; q++) {
      const bq = 1.0 - ld(eq, 2 * q); // 1 − e^{iθ} = (1 − cos θ) − i sin θ
      const bqi = -ld(eq, 2 * q + 1);
      const Br = ld(B, 2 * q);
      const Bi = ld(B, 2 * q + 1);
      for (let r = 0; r < cols; r++) {
        const i = q * cols + r;
        if (i == 0) {
          st(h, 0, 0.0);
          st(h, 1, 0.0);
          continue;
        }
        const ar = 1.0 - ld(er, 2 * r);
        const ai = -ld(er, 2 * r + 1);
        const Ar = ld(A, 2 * r);
        const Ai = ld(A, 2 * r + 1);
        const vr = (Ar * bq - Ai * bqi) + (Br * ar - Bi * ai);
        const vi = (Ar * bqi + Ai * bq) + (Br * ai + Bi * ar);
        const den = 2.0 * (ld(eq, 2 * q) + ld(er, 2 * r)) - 4.0;
        st(h, 2 * i, (ld(h, 2 * i) - vr / den) * scale);
        st(h, 2 * i + 1, (ld(h, 2 * i + 1) - vi / den) * scale);
      }
    }
  }
  heap.free(B);
  heap.free(A);
  heap.free(er);
  heap.free(eq);
  eigenvalues(hat, n, freq);
  // The texton t = IDFT(t̂): channels 0 and 1 (both real) share one inverse, IDFT(t̂0 + i t̂1).
  const p1 = hat + planeBytes;
  for (let i = 0; i < n; i++) {
    st(z, 2 * i, ld(hat, 2 * i) - ld(p1, 2 * i + 1));
    st(z, 2 * i + 1, ld(hat, 2 * i + 1) + ld(p1, 2 * i));
  }
  fft2Interleaved(z, rows, cols, true);
  for (let i = 0; i < n; i++) {
    st(texton, 3 * i, ld(z, 2 * i));
    st(texton, 3 * i + 1, ld(z, 2 * i + 1));
  }
  memory.copy(z, hat + 2 * planeBytes, planeBytes);
  fft2Interleaved(z, rows, cols, true);
  for (let i = 0; i < n; i++) st(texton, 3 * i + 2, ld(z, 2 * i));
  heap.free(z);
  heap.free(hat);
  // fftshift (as numpy.fft.fftshift): index k moves to (k + ⌊len/2⌋) mod len along each axis, so
  // output position p holds input (p − ⌊len/2⌋) mod len.
  const hr = rows >> 1;
  const hc = cols >> 1;
  for (let r = 0; r < rows; r++) {
    const sr = (r - hr + rows) % rows;
    for (let c = 0; c < cols; c++) {
      const sc = (c - hc + cols) % cols;
      st(values, r * cols + c, ld(freq, sr * cols + sc));
    }
  }
  memory.fill(values + (<usize>n << 3), 0, <usize>(2 * n) << 3);
}

// ---------------------------------------------------------------------------------------------
// The eigenbasis at one frequency.

const basis = new StaticArray<f64>(18); // e0, e1, e2, each 3 complex (re, im)

/**
 * e0 = v/|v| (v = t̂(ξ), or the first channel axis when v = 0), e1 and e2 by Gram–Schmidt on the
 * two channel axes where e0 is smallest. real: zero the imaginary parts (self-conjugate ξ, where
 * t̂(ξ) is real).
 */
function makeBasis(hat: usize, n: i32, i: i32, real: bool): void {
  const b = changetype<usize>(basis);
  let norm: f64 = 0;
  for (let c = 0; c < 3; c++) {
    const p = hat + (<usize>c * <usize>n << 4) + (<usize>i << 4);
    const vr = load<f64>(p);
    const vi = real ? 0.0 : load<f64>(p, 8);
    st(b, 2 * c, vr);
    st(b, 2 * c + 1, vi);
    norm += vr * vr + vi * vi;
  }
  if (norm > 0) {
    const s = 1.0 / Math.sqrt(norm);
    for (let k = 0; k < 6; k++) st(b, k, ld(b, k) * s);
  } else {
    for (let k = 0; k < 6; k++) st(b, k, k == 0 ? 1.0 : 0.0);
  }
  // Order the axes by |e0_c| ascending: the two smallest seed e1 and e2.
  let a0 = 0;
  let a1 = 1;
  let a2 = 2;
  const m0 = mag(b, 0);
  const m1 = mag(b, 1);
  const m2 = mag(b, 2);
  if (m0 <= m1 && m0 <= m2) {
    a0 = 0;
    a1 = m1 <= m2 ? 1 : 2;
  } else if (m1 <= m0 && m1 <= m2) {
    a0 = 1;
    a1 = m0 <= m2 ? 0 : 2;
  } else {
    a0 = 2;
    a1 = m0 <= m1 ? 0 : 1;
  }
  a2 = 3 - a0 - a1;
  gramSchmidt(b, 1, a0);
  gramSchmidt(b, 2, a1);
}

// @ts-ignore: decorator
@inline function mag(b: usize, c: i32): f64 {
  const r = ld(b, 2 * c);
  const i = ld(b, 2 * c + 1);
  return r * r + i * i;
}

/** e_k = axis − Σ_{j<k} e_j (e_j* axis), normalised (twice, for orthogonality to round-off). */
function gramSchmidt(b: usize, k: i32, axis: i32): void {
  const o = 6 * k;
  for (let c = 0; c < 3; c++) {
    st(b, o + 2 * c, c == axis ? 1.0 : 0.0);
    st(b, o + 2 * c + 1, 0.0);
  }
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < k; j++) {
      // coefficient = e_j* v = Σ conj(e_j,c) v_c
      let cr: f64 = 0;
      let ci: f64 = 0;
      for (let c = 0; c < 3; c++) {
        const er = ld(b, 6 * j + 2 * c);
        const ei = ld(b, 6 * j + 2 * c + 1);
        const vr = ld(b, o + 2 * c);
        const vi = ld(b, o + 2 * c + 1);
        cr += er * vr + ei * vi;
        ci += er * vi - ei * vr;
      }
      for (let c = 0; c < 3; c++) {
        const er = ld(b, 6 * j + 2 * c);
        const ei = ld(b, 6 * j + 2 * c + 1);
        st(b, o + 2 * c, ld(b, o + 2 * c) - (cr * er - ci * ei));
        st(b, o + 2 * c + 1, ld(b, o + 2 * c + 1) - (cr * ei + ci * er));
      }
    }
    let norm: f64 = 0;
    for (let c = 0; c < 6; c++) norm += ld(b, o + c) * ld(b, o + c);
    const s = 1.0 / Math.sqrt(norm);
    for (let c = 0; c < 6; c++) st(b, o + c, ld(b, o + c) * s);
  }
}

/**
 * Eigen-coordinates (the 3n slots described at the top) → interleaved RGB pixels, plus `mean`.
 * hat: the texton's channel DFTs (defines the basis). y: coordinate i at y[i·stride].
 */
function coordinatesToImage(hat: usize, rows: i32, cols: i32, y: usize, stride: i32, mean: usize, out: usize): void {
  const n = rows * cols;
  const planeBytes = <usize>n << 4;
  const X = heap.alloc(3 * planeBytes);
  const b = changetype<usize>(basis);
  const r2 = Math.SQRT1_2;
  for (let i = 0; i < n; i++) {
    const j = mirror(i, rows, cols);
    if (j < i) continue;
    const self = j == i;
    makeBasis(hat, n, i, self);
    // w_k = (y_Re + i y_Im)/√2 (pair) or y (self-conjugate)
    let xr0: f64 = 0, xi0: f64 = 0, xr1: f64 = 0, xi1: f64 = 0, xr2: f64 = 0, xi2: f64 = 0;
    for (let k = 0; k < 3; k++) {
      let wr = ld(y, <usize>(k * n + i) * <usize>stride);
      let wi: f64 = 0;
      if (!self) {
        wi = ld(y, <usize>(k * n + j) * <usize>stride) * r2;
        wr *= r2;
      }
      const o = 6 * k;
      xr0 += wr * ld(b, o) - wi * ld(b, o + 1);
      xi0 += wr * ld(b, o + 1) + wi * ld(b, o);
      xr1 += wr * ld(b, o + 2) - wi * ld(b, o + 3);
      xi1 += wr * ld(b, o + 3) + wi * ld(b, o + 2);
      xr2 += wr * ld(b, o + 4) - wi * ld(b, o + 5);
      xi2 += wr * ld(b, o + 5) + wi * ld(b, o + 4);
    }
    st(X, 2 * i, xr0);
    st(X, 2 * i + 1, xi0);
    st(X + planeBytes, 2 * i, xr1);
    st(X + planeBytes, 2 * i + 1, xi1);
    st(X + 2 * planeBytes, 2 * i, xr2);
    st(X + 2 * planeBytes, 2 * i + 1, xi2);
    if (!self) {
      st(X, 2 * j, xr0);
      st(X, 2 * j + 1, -xi0);
      st(X + planeBytes, 2 * j, xr1);
      st(X + planeBytes, 2 * j + 1, -xi1);
      st(X + 2 * planeBytes, 2 * j, xr2);
      st(X + 2 * planeBytes, 2 * j + 1, -xi2);
    } else {
      st(X, 2 * i + 1, 0);
      st(X + planeBytes, 2 * i + 1, 0);
      st(X + 2 * planeBytes, 2 * i + 1, 0);
    }
  }
  // x = √n · IDFT(X); channels 0 and 1 are real, so they share one inverse: IDFT(X0 + i X1).
  for (let i = 0; i < n; i++) {
    const ar = ld(X, 2 * i);
    const ai = ld(X, 2 * i + 1);
    const br = ld(X + planeBytes, 2 * i);
    const bi = ld(X + planeBytes, 2 * i + 1);
    st(X, 2 * i, ar - bi);
    st(X, 2 * i + 1, ai + br);
  }
  fft2Interleaved(X, rows, cols, true);
  fft2Interleaved(X + 2 * planeBytes, rows, cols, true);
  const s = Math.sqrt(<f64>n);
  for (let i = 0; i < n; i++) {
    st(out, 3 * i, ld(X, 2 * i) * s + ld(mean, 0));
    st(out, 3 * i + 1, ld(X, 2 * i + 1) * s + ld(mean, 1));
    st(out, 3 * i + 2, ld(X + 2 * planeBytes, 2 * i) * s + ld(mean, 2));
  }
  heap.free(X);
}

/**
 * Pixels (interleaved RGB, no mean) → eigen-coordinates, the transpose of coordinatesToImage:
 * X = unitary DFT per channel, then for a pair {ξ, −ξ} the slots (k, ξ) and (k, −ξ) get
 * √2 Re and √2 Im of e_k(ξ)* X(ξ); a self-conjugate ξ gets e_k(ξ)ᵀ X(ξ). y: coordinate i at y[i].
 */
function imageToCoordinates(hat: usize, rows: i32, cols: i32, x: usize, y: usize): void {
  const n = rows * cols;
  const planeBytes = <usize>n << 4;
  const X = heap.alloc(3 * planeBytes);
  const zero = heap.alloc(24);
  memory.fill(zero, 0, 24);
  channelDfts(x, rows, cols, zero, 1.0 / Math.sqrt(<f64>n), X);
  heap.free(zero);
  const b = changetype<usize>(basis);
  const r2 = Math.SQRT2;
  for (let i = 0; i < n; i++) {
    const j = mirror(i, rows, cols);
    if (j < i) continue;
    const self = j == i;
    makeBasis(hat, n, i, self);
    for (let k = 0; k < 3; k++) {
      // w = e_k* X = Σ_c conj(e_kc) X_c
      let wr: f64 = 0;
      let wi: f64 = 0;
      for (let c = 0; c < 3; c++) {
        const er = ld(b, 6 * k + 2 * c);
        const ei = ld(b, 6 * k + 2 * c + 1);
        const xr = ld(X + <usize>c * planeBytes, 2 * i);
        const xi = ld(X + <usize>c * planeBytes, 2 * i + 1);
        wr += er * xr + ei * xi;
        wi += er * xi - ei * xr;
      }
      if (self) {
        st(y, k * n + i, wr);
      } else {
        st(y, k * n + i, r2 * wr);
        st(y, k * n + j, r2 * wi);
      }
    }
  }
  heap.free(X);
}

/**
 * The eigenbasis as a linear map for `count` vectors at once (row-major count × 3n): toData
 * (inverse 0) maps coordinates to pixels (interleaved RGB, no mean), toCoords (inverse 1) the
 * transpose. Fourier-fast: O(n log n) per vector.
 */
export function textureBasisApply(texton: usize, rows: i32, cols: i32, count: i32, toCoords: i32, input: usize, out: usize): void {
  const n = rows * cols;
  const d = <usize>(3 * n);
  const zero = heap.alloc(24);
  memory.fill(zero, 0, 24);
  const hat = heap.alloc(<usize>n * 48);
  channelDfts(texton, rows, cols, zero, 1.0, hat);
  for (let s = 0; s < count; s++) {
    const from = input + ((<usize>s * d) << 3);
    const to = out + ((<usize>s * d) << 3);
    if (toCoords) imageToCoordinates(hat, rows, cols, from, to);
    else coordinatesToImage(hat, rows, cols, from, 1, zero, to);
  }
  heap.free(hat);
  heap.free(zero);
}

/**
 * Exported for tests: the orthonormal eigenbasis as a dense 3n × 3n matrix, column k = the image
 * (interleaved RGB, no mean) of coordinate k. Built by mapping unit coordinates.
 */
export function textureBasis(texton: usize, rows: i32, cols: i32, out: usize): void {
  const n = rows * cols;
  const d = 3 * n;
  const hat = heap.alloc(<usize>n * 48);
  const zero = heap.alloc(24);
  memory.fill(zero, 0, 24);
  channelDfts(texton, rows, cols, zero, 1.0, hat);
  const y = heap.alloc(<usize>d << 3);
  const img = heap.alloc(<usize>d << 3);
  for (let k = 0; k < d; k++) {
    memory.fill(y, 0, <usize>d << 3);
    st(y, k, 1.0);
    coordinatesToImage(hat, rows, cols, y, 1, zero, img);
    for (let r = 0; r < d; r++) st(out, <usize>r * <usize>d + <usize>k, ld(img, r));
  }
  heap.free(img);
  heap.free(y);
  heap.free(zero);
  heap.free(hat);
}

/**
 * Exact ADSN samples (docs/MATH.md §6): X_c = t_c ⋆ W (periodic convolution, W ~ N(0, I) shared by the
 * channels), plus the mean. By the DFT, X̂_c = t̂_c Ŵ. Two samples share each FFT: with
 * Z = DFT(W1 + i W2), IDFT(t̂_c Z) = X1_c + i X2_c (both real).
 * out: count samples, each interleaved RGB rows × cols.
 */
export function adsnSamples(texton: usize, mean: usize, rows: i32, cols: i32, count: i32, seed: f64, out: usize): void {
  const n = rows * cols;
  const planeBytes = <usize>n << 4;
  const zero = heap.alloc(24);
  memory.fill(zero, 0, 24);
  const hat = heap.alloc(3 * planeBytes);
  channelDfts(texton, rows, cols, zero, 1.0, hat);
  const z = heap.alloc(planeBytes);
  const x = heap.alloc(planeBytes);
  seedRandom(seed);
  for (let s = 0; s < count; s += 2) {
    const pair = s + 1 < count;
    for (let i = 0; i < n; i++) {
      st(z, 2 * i, normal());
      st(z, 2 * i + 1, pair ? normal() : 0.0);
    }
    fft2Interleaved(z, rows, cols, false);
    for (let c = 0; c < 3; c++) {
      const h = hat + <usize>c * planeBytes;
      for (let i = 0; i < n; i++) {
        const hr = ld(h, 2 * i);
        const hi = ld(h, 2 * i + 1);
        const zr = ld(z, 2 * i);
        const zi = ld(z, 2 * i + 1);
        st(x, 2 * i, hr * zr - hi * zi);
        st(x, 2 * i + 1, hr * zi + hi * zr);
      }
      fft2Interleaved(x, rows, cols, true);
      const o1 = out + ((<usize>s * <usize>n * 3) << 3);
      const o2 = o1 + ((<usize>n * 3) << 3);
      const m = ld(mean, c);
      for (let i = 0; i < n; i++) {
        st(o1, 3 * i + c, ld(x, 2 * i) + m);
        if (pair) st(o2, 3 * i + c, ld(x, 2 * i + 1) + m);
      }
    }
  }
  heap.free(x);
  heap.free(z);
  heap.free(hat);
  heap.free(zero);
}

// ---------------------------------------------------------------------------------------------
// The samplers of docs/MATH.md §4 on texture vectors, with the exact score −Σ_t^{-1} y.

/**
 * The samplers of the registry with state size 1 (docs/MATH-samplers.md §1) on `count` texture
 * vectors, in the eigen-coordinates described at the top: each coordinate with eigenvalue λ follows
 * y ← a_k(λ) y + √q_k z, z ~ N(0, 1) fresh at every step, with (a_k, q_k) from the sampler's own
 * coefficients (samplers/dispatch.ts samplerCoefficients: the step of the exact law, the score
 * being exact and diagonal in this basis). Three calls, so that the step function — called once
 * per step — is optimised by the engine after its first calls (WebAssembly engines do not replace
 * a running call's baseline code):
 *   textureSamplerStart: t̂ into hat (3 complex planes), λ into lam (n), the generator seeded,
 *     y_0 ~ N(0, Σ_{t_0}) (start 0) or N(0, I) (start 1) into y; returns the sampler's per-step
 *     table (samplerPrepare), freed by textureSamplerEnd;
 *   textureSamplerSteps: steps k0 ≤ k < k1;
 *   textureSamplerFinish: every sample back to pixels (one inverse FFT each) plus the mean.
 * y is coordinate-major (the count samples of a coordinate side by side). Sampler `id` with its
 * parameters, forward process `process` (parameters pp) and grid times[0..K] (hs: its step sizes
 * or 0) as in kernels/general.ts generalRun.
 */
export function textureSamplerStart(
  texton: usize, rows: i32, cols: i32, count: i32,
  id: i32, params: usize, process: i32, pp: usize, times: usize, hs: usize, K: i32, start: i32, seed: f64,
  y: usize, lam: usize, hat: usize,
): usize {
  if (samplerStateSize(id) != 1) throw new Error('gaussdiff core: textures run samplers of state size 1');
  const n = rows * cols;
  const d = 3 * n;
  const table = samplerPrepare(id, params, process, pp, times, hs, K);
  const zero = heap.alloc(24);
  memory.fill(zero, 0, 24);
  channelDfts(texton, rows, cols, zero, 1.0, hat);
  heap.free(zero);
  eigenvalues(hat, n, lam);
  const c = <usize>count;
  seedRandom(seed);
  const t0 = load<f64>(times);
  const s0 = processSignal(process, pp, t0);
  const n0 = processNoise(process, pp, t0);
  for (let i = 0; i < d; i++) {
    const l = i < n ? ld(lam, i) : 0.0;
    const sd = start == 0 ? Math.sqrt(s0 * l + n0) : 1.0;
    const p = y + ((<usize>i * c) << 3);
    for (let s: usize = 0; s < c; s++) st(p, s, sd * normal());
  }
  return table;
}

/** Free the table of textureSamplerStart. */
export function textureSamplerEnd(table: usize): void {
  heap.free(table);
}

/**
 * Steps k0 ≤ k < k1 (see textureSamplerStart); sde ≠ 0 draws the noise (a stochastic sampler).
 * Returns 1 when a coefficient is not finite (λ_t = 0 divided by), else 0.
 */
export function textureSamplerSteps(
  y: usize, lam: usize, n: i32, count: i32, id: i32, table: usize, sde_: i32, k0: i32, k1: i32,
): i32 {
  const d = 3 * n;
  const c = <usize>count;
  const pairs = c & ~(<usize>1);
  const sde = sde_ != 0;
  const kn = zigKn();
  const wn = zigWn();
  let bad = false;
  // Per step, (a, √q) of the n eigenvalues and of λ = 0 (slot n), two at a time.
  const slots = <usize>(n + 2);
  const coef = heap.alloc(slots << 4);
  const scratch = heap.alloc(SCRATCH_BYTES);
  memory.fill(scratch, 0, SCRATCH_BYTES);
  for (let k = k0; k < k1; k++) {
    for (let i = 0; i <= n; i += 2) {
      const l0 = i < n ? ld(lam, i) : 0.0;
      const l1 = i + 1 < n ? ld(lam, i + 1) : 0.0;
      samplerCoefficients(id, table, k, f64x2(l0, l1), scratch, false, sde);
      const a = getA(scratch, 0, 0);
      const q = sde ? f64x2.sqrt(getQ(scratch, 0, 0)) : f64x2.splat(0.0);
      st(coef, <usize>i, f64x2.extract_lane(a, 0));
      st(coef, <usize>i + 1, f64x2.extract_lane(a, 1));
      st(coef, slots + <usize>i, f64x2.extract_lane(q, 0));
      st(coef, slots + <usize>i + 1, f64x2.extract_lane(q, 1));
    }
    for (let i = 0; i <= n; i++) if (!isFinite(ld(coef, <usize>i)) || !isFinite(ld(coef, slots + <usize>i))) bad = true;
    for (let i = 0; i < d; i++) {
      const slot = <usize>(i < n ? i : n);
      const a = ld(coef, slot);
      const sq = ld(coef, slots + slot);
      const p = y + ((<usize>i * c) << 3);
      const av = f64x2.splat(a);
      if (sde) {
        // The generator (texture_random.ts: xoshiro256+ and the ziggurat's fast path) written out
        // here with its state in locals: the hot loop of every SDE sampler.
        let x0 = stateGet(0);
        let x1 = stateGet(1);
        let x2 = stateGet(2);
        let x3 = stateGet(3);
        for (let s: usize = 0; s < c; s++) {
          const r = x0 + x3;
          const t = x1 << 17;
          x2 ^= x0;
          x3 ^= x1;
          x1 ^= x2;
          x0 ^= x3;
          x2 ^= t;
          x3 = rotl<u64>(x3, 45);
          const iz = <usize>(r & 127) << 3;
          const hz = <f64>(<i64>r >> 8);
          let z: f64;
          if (Math.abs(hz) < load<f64>(kn + iz)) {
            z = hz * load<f64>(wn + iz);
          } else {
            stateSet(x0, x1, x2, x3);
            z = normalSlow(<i32>(iz >> 3), hz);
            x0 = stateGet(0);
            x1 = stateGet(1);
            x2 = stateGet(2);
            x3 = stateGet(3);
          }
          st(p, s, a * ld(p, s) + sq * z);
        }
        stateSet(x0, x1, x2, x3);
      } else {
        let s: usize = 0;
        for (; s < pairs; s += 2) {
          const at = p + (s << 3);
          v128.store(at, f64x2.mul(av, v128.load(at)));
        }
        if (s < c) st(p, s, a * ld(p, s));
      }
    }
  }
  heap.free(scratch);
  heap.free(coef);
  return bad ? 1 : 0;
}

/** Every sample back to pixels plus the mean (see textureSamplerStart). out: count samples, interleaved RGB. */
export function textureSamplerFinish(hat: usize, mean: usize, rows: i32, cols: i32, count: i32, y: usize, out: usize): void {
  const d = 3 * rows * cols;
  for (let s = 0; s < count; s++) {
    coordinatesToImage(hat, rows, cols, y + (<usize>s << 3), count, mean, out + ((<usize>s * <usize>d) << 3));
  }
}

/**
 * The empirical W2² of `count` samples against ADSN (the paper's eq. 21, Appendix I.3): per
 * frequency, σ̂0 = mean_j |e0* X_j|² and the residual ρ = mean_j (|X_j|² − |e0* X_j|²) with X_j the
 * unitary DFT of sample j minus the mean; W2² = Σ_ξ (√σ̂0 − √λ)² + ρ (each zero-eigenvalue
 * direction contributes its variance estimate). samples: interleaved RGB, count × 3n.
 * Writes out[0] = W2², out[1] = Σ_ξ (√σ̂0 − √λ)², out[2] = Σ_ξ ρ.
 */
export function textureEmpiricalW2sq(texton: usize, mean: usize, rows: i32, cols: i32, count: i32, samples: usize, out: usize): void {
  const n = rows * cols;
  const planeBytes = <usize>n << 4;
  const zero = heap.alloc(24);
  memory.fill(zero, 0, 24);
  const hat = heap.alloc(3 * planeBytes);
  channelDfts(texton, rows, cols, zero, 1.0, hat);
  const lam = heap.alloc(<usize>n << 3);
  eigenvalues(hat, n, lam);
  const sig = heap.alloc(<usize>n << 3);
  const tot = heap.alloc(<usize>n << 3);
  memory.fill(sig, 0, <usize>n << 3);
  memory.fill(tot, 0, <usize>n << 3);
  const xh = heap.alloc(3 * planeBytes);
  const scale = 1.0 / Math.sqrt(<f64>n);
  for (let s = 0; s < count; s++) {
    channelDfts(samples + ((<usize>s * <usize>n * 3) << 3), rows, cols, mean, scale, xh);
    for (let i = 0; i < n; i++) {
      // u = t̂/|t̂| ; proj = u* X
      let pr: f64 = 0;
      let pi: f64 = 0;
      let energy: f64 = 0;
      let norm: f64 = 0;
      for (let ch = 0; ch < 3; ch++) {
        const off = <usize>ch * planeBytes;
        const ur = ld(hat + off, 2 * i);
        const ui = ld(hat + off, 2 * i + 1);
        const xr = ld(xh + off, 2 * i);
        const xi = ld(xh + off, 2 * i + 1);
        pr += ur * xr + ui * xi;
        pi += ur * xi - ui * xr;
        energy += xr * xr + xi * xi;
        norm += ur * ur + ui * ui;
      }
      const proj = norm > 0 ? (pr * pr + pi * pi) / norm : 0.0;
      st(sig, i, ld(sig, i) + proj);
      st(tot, i, ld(tot, i) + energy);
    }
  }
  let main: f64 = 0;
  let rest: f64 = 0;
  const inv = 1.0 / <f64>count;
  for (let i = 0; i < n; i++) {
    const sv = ld(sig, i) * inv;
    const l = ld(lam, i);
    const sum = Math.sqrt(sv) + Math.sqrt(l);
    const diff = sum > 0 ? (sv - l) / sum : 0.0;
    main += diff * diff;
    rest += Math.max(0.0, ld(tot, i) * inv - sv);
  }
  st(out, 0, main + rest);
  st(out, 1, main);
  st(out, 2, rest);
  heap.free(xh);
  heap.free(tot);
  heap.free(sig);
  heap.free(lam);
  heap.free(hat);
  heap.free(zero);
}
