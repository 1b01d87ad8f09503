// Discrete Fourier transforms of any size, 1-D and 2-D, on interleaved complex data (re, im pairs
// of f64 in raw memory).
//
// Lengths whose prime factors are all 2, 3 or 5 use a mixed-radix decimation-in-time FFT (the
// structure of Mark Borgerding's KISS FFT: recursive, out of place, radix-4/2/3/5 butterflies).
// Any other length uses Bluestein's chirp-z algorithm: the DFT of length n as a circular
// convolution of length m = the power of two ≥ 2n − 1, done with the mixed-radix FFT.
//
// Conventions: forward X[k] = Σ_j x[j] e^{−2πi jk/n} (unnormalised); inverse
// x[j] = (1/n) Σ_k X[k] e^{+2πi jk/n}. In 2-D, n = rows · cols and the exponent is
// jr·kr/rows + jc·kc/cols. The inverse is computed as conj(DFT(conj X))/n, so one twiddle table
// (the forward one) serves both directions.

// @ts-ignore: decorator
@inline const TWO_PI: f64 = 6.283185307179586;

/** A plan for one length: its factors, its twiddles, and for Bluestein the chirp and inner plan. */
class Plan {
  n: i32 = 0;
  /** (p, m) pairs: radix p, then the length m that remains; ends with m = 1. */
  factors: StaticArray<i32> = new StaticArray<i32>(64);
  nFactors: i32 = 0;
  /** e^{−2πi k/n}, k = 0..n−1, interleaved (mixed radix only). */
  twiddles: usize = 0;
  /** Bluestein: 0 when n is 2^a 3^b 5^c. */
  bluestein: bool = false;
  m: i32 = 0;
  /** w_k = e^{−πi k²/n}, k = 0..n−1. */
  chirp: usize = 0;
  /** DFT of b (b_k = conj w_|k| circularly), divided by m. */
  bHat: usize = 0;
  inner: Plan | null = null;
  /** Work space: 2 buffers of max(n, m) complex values. */
  work: usize = 0;
  work2: usize = 0;
}

// A few plans are kept (rows and columns of the current image, Bluestein inner lengths).
const cache = new Array<Plan>();
const CACHE_SIZE: i32 = 8;

function freePlan(p: Plan): void {
  if (p.twiddles) heap.free(p.twiddles);
  if (p.chirp) heap.free(p.chirp);
  if (p.bHat) heap.free(p.bHat);
  if (p.work) heap.free(p.work);
  if (p.work2) heap.free(p.work2);
  p.twiddles = 0;
  p.chirp = 0;
  p.bHat = 0;
  p.work = 0;
  p.work2 = 0;
}

/** Only factors 2, 3 and 5? */
function smooth(n: i32): bool {
  while (n % 2 == 0) n /= 2;
  while (n % 3 == 0) n /= 3;
  while (n % 5 == 0) n /= 5;
  return n == 1;
}

export function planFor(n: i32): Plan {
  for (let i = 0; i < cache.length; i++) {
    const p = unchecked(cache[i]);
    if (p.n == n) return p;
  }
  // A full cache is emptied at once: a Bluestein plan holds its inner plan, so plans are never
  // dropped one by one (a dropped inner plan would leave its outer plan dangling).
  if (cache.length >= CACHE_SIZE - 1) fftForget();
  const p = new Plan();
  p.n = n;
  if (smooth(n)) {
    // Radix 4 first (fewest operations), then 2, 3, 5.
    let rest = n;
    let radix = 4;
    let k = 0;
    if (n == 1) {
      unchecked((p.factors[0] = 1));
      unchecked((p.factors[1] = 1));
      k = 1;
    }
    while (rest > 1) {
      while (rest % radix != 0) radix = radix == 4 ? 2 : radix == 2 ? 3 : radix + 2;
      rest /= radix;
      unchecked((p.factors[2 * k] = radix));
      unchecked((p.factors[2 * k + 1] = rest));
      k++;
    }
    p.nFactors = k;
    p.twiddles = heap.alloc(<usize>n << 4);
    for (let j = 0; j < n; j++) {
      const phase = -TWO_PI * <f64>j / <f64>n;
      store<f64>(p.twiddles + (<usize>j << 4), Math.cos(phase));
      store<f64>(p.twiddles + (<usize>j << 4), Math.sin(phase), 8);
    }
    p.work = heap.alloc(<usize>n << 4);
  } else {
    p.bluestein = true;
    let m = 1;
    while (m < 2 * n - 1) m <<= 1;
    p.m = m;
    const inner = planFor(m);
    p.inner = inner;
    p.chirp = heap.alloc(<usize>n << 4);
    // k² mod 2n keeps the phase argument small (exact in integers) for large k.
    const twoN = <i64>2 * <i64>n;
    for (let k = 0; k < n; k++) {
      const k2 = (<i64>k * <i64>k) % twoN;
      const phase = -Math.PI * <f64>k2 / <f64>n;
      store<f64>(p.chirp + (<usize>k << 4), Math.cos(phase));
      store<f64>(p.chirp + (<usize>k << 4), Math.sin(phase), 8);
    }
    p.bHat = heap.alloc(<usize>m << 4);
    memory.fill(p.bHat, 0, <usize>m << 4);
    for (let k = 0; k < n; k++) {
      const c = load<f64>(p.chirp + (<usize>k << 4));
      const s = -load<f64>(p.chirp + (<usize>k << 4), 8);
      store<f64>(p.bHat + (<usize>k << 4), c);
      store<f64>(p.bHat + (<usize>k << 4), s, 8);
      if (k > 0) {
        store<f64>(p.bHat + (<usize>(m - k) << 4), c);
        store<f64>(p.bHat + (<usize>(m - k) << 4), s, 8);
      }
    }
    transform(inner, p.bHat, false);
    const scale = 1.0 / <f64>m;
    for (let k = 0; k < 2 * m; k++) store<f64>(p.bHat + (<usize>k << 3), load<f64>(p.bHat + (<usize>k << 3)) * scale);
    p.work = heap.alloc(<usize>m << 4);
    p.work2 = heap.alloc(<usize>m << 4);
  }
  cache.push(p);
  return p;
}

/** Forget every plan (frees their memory). */
export function fftForget(): void {
  for (let i = 0; i < cache.length; i++) freePlan(unchecked(cache[i]));
  cache.length = 0;
}

// ---------------------------------------------------------------------------------------------
// Mixed radix (KISS FFT structure). Complex value j of a buffer b is at b + 16 j.

// @ts-ignore: decorator
@inline function re(p: usize): f64 {
  return load<f64>(p);
}
// @ts-ignore: decorator
@inline function im(p: usize): f64 {
  return load<f64>(p, 8);
}
// @ts-ignore: decorator
@inline function put(p: usize, r: f64, i: f64): void {
  store<f64>(p, r);
  store<f64>(p, i, 8);
}

// Complex values as v128 (re, im). a·w = a·wr + (ai, ar)·(−wi, wi).
// @ts-ignore: decorator
@inline function cmul(a: v128, w: v128): v128 {
  const wr = v128.shuffle<f64>(w, w, 0, 0);
  const wi = f64x2.mul(v128.shuffle<f64>(w, w, 1, 1), f64x2(-1.0, 1.0));
  return f64x2.add(f64x2.mul(a, wr), f64x2.mul(v128.shuffle<f64>(a, a, 1, 0), wi));
}

/** −i·a = (ai, −ar). */
// @ts-ignore: decorator
@inline function minusI(a: v128): v128 {
  return f64x2.mul(v128.shuffle<f64>(a, a, 1, 0), f64x2(1.0, -1.0));
}

function bfly2(out: usize, fstride: i32, tw: usize, m: i32): void {
  const step = <usize>fstride << 4;
  const m16 = <usize>m << 4;
  let t = tw;
  for (let k = 0; k < m; k++) {
    const a = out + (<usize>k << 4);
    const b = a + m16;
    const x = v128.load(a);
    const y = cmul(v128.load(b), v128.load(t));
    v128.store(b, f64x2.sub(x, y));
    v128.store(a, f64x2.add(x, y));
    t += step;
  }
}

function bfly4(out: usize, fstride: i32, tw: usize, m: i32): void {
  const m16 = <usize>m << 4;
  const step1 = <usize>fstride << 4;
  let t1 = tw;
  let t2 = tw;
  let t3 = tw;
  for (let k = 0; k < m; k++) {
    const f0 = out + (<usize>k << 4);
    const f1 = f0 + m16;
    const f2 = f1 + m16;
    const f3 = f2 + m16;
    const s0 = cmul(v128.load(f1), v128.load(t1));
    const s1 = cmul(v128.load(f2), v128.load(t2));
    const s2 = cmul(v128.load(f3), v128.load(t3));
    const x0 = v128.load(f0);
    const s5 = f64x2.sub(x0, s1);
    const y0 = f64x2.add(x0, s1);
    const s3 = f64x2.add(s0, s2);
    const s4 = minusI(f64x2.sub(s0, s2)); // −i (s0 − s2)
    v128.store(f2, f64x2.sub(y0, s3));
    v128.store(f0, f64x2.add(y0, s3));
    v128.store(f1, f64x2.add(s5, s4));
    v128.store(f3, f64x2.sub(s5, s4));
    t1 += step1;
    t2 += step1 << 1;
    t3 += step1 * 3;
  }
}

function bfly3(out: usize, fstride: i32, tw: usize, m: i32): void {
  const m16 = <usize>m << 4;
  const epi = im(tw + ((<usize>fstride * <usize>m) << 4)); // sin(−2π/3)
  for (let k = 0; k < m; k++) {
    const f0 = out + (<usize>k << 4);
    const f1 = f0 + m16;
    const f2 = f1 + m16;
    const t1 = tw + ((<usize>k * <usize>fstride) << 4);
    const t2 = tw + ((<usize>(2 * k) * <usize>fstride) << 4);
    const s1r = re(f1) * re(t1) - im(f1) * im(t1);
    const s1i = re(f1) * im(t1) + im(f1) * re(t1);
    const s2r = re(f2) * re(t2) - im(f2) * im(t2);
    const s2i = re(f2) * im(t2) + im(f2) * re(t2);
    const s3r = s1r + s2r;
    const s3i = s1i + s2i;
    const s0r = (s1r - s2r) * epi;
    const s0i = (s1i - s2i) * epi;
    const x0r = re(f0);
    const x0i = im(f0);
    const hr = x0r - 0.5 * s3r;
    const hi = x0i - 0.5 * s3i;
    put(f0, x0r + s3r, x0i + s3i);
    put(f2, hr + s0i, hi - s0r);
    put(f1, hr - s0i, hi + s0r);
  }
}

function bfly5(out: usize, fstride: i32, tw: usize, m: i32): void {
  const m16 = <usize>m << 4;
  const ya = tw + ((<usize>fstride * <usize>m) << 4);
  const yb = tw + ((<usize>(2 * fstride) * <usize>m) << 4);
  const yar = re(ya);
  const yai = im(ya);
  const ybr = re(yb);
  const ybi = im(yb);
  for (let u = 0; u < m; u++) {
    const f0 = out + (<usize>u << 4);
    const f1 = f0 + m16;
    const f2 = f1 + m16;
    const f3 = f2 + m16;
    const f4 = f3 + m16;
    const t1 = tw + ((<usize>u * <usize>fstride) << 4);
    const t2 = tw + ((<usize>(2 * u) * <usize>fstride) << 4);
    const t3 = tw + ((<usize>(3 * u) * <usize>fstride) << 4);
    const t4 = tw + ((<usize>(4 * u) * <usize>fstride) << 4);
    const s0r = re(f0);
    const s0i = im(f0);
    const s1r = re(f1) * re(t1) - im(f1) * im(t1);
    const s1i = re(f1) * im(t1) + im(f1) * re(t1);
    const s2r = re(f2) * re(t2) - im(f2) * im(t2);
    const s2i = re(f2) * im(t2) + im(f2) * re(t2);
    const s3r = re(f3) * re(t3) - im(f3) * im(t3);
    const s3i = re(f3) * im(t3) + im(f3) * re(t3);
    const s4r = re(f4) * re(t4) - im(f4) * im(t4);
    const s4i = re(f4) * im(t4) + im(f4) * re(t4);
    const s7r = s1r + s4r;
    const s7i = s1i + s4i;
    const s10r = s1r - s4r;
    const s10i = s1i - s4i;
    const s8r = s2r + s3r;
    const s8i = s2i + s3i;
    const s9r = s2r - s3r;
    const s9i = s2i - s3i;
    put(f0, s0r + s7r + s8r, s0i + s7i + s8i);
    const s5r = s0r + s7r * yar + s8r * ybr;
    const s5i = s0i + s7i * yar + s8i * ybr;
    const s6r = s10i * yai + s9i * ybi;
    const s6i = -s10r * yai - s9r * ybi;
    put(f1, s5r - s6r, s5i - s6i);
    put(f4, s5r + s6r, s5i + s6i);
    const s11r = s0r + s7r * ybr + s8r * yar;
    const s11i = s0i + s7i * ybr + s8i * yar;
    const s12r = -s10i * ybi + s9i * yai;
    const s12i = s10r * ybi - s9r * yai;
    put(f2, s11r + s12r, s11i + s12i);
    put(f3, s11r - s12r, s11i - s12i);
  }
}

/** KISS FFT's kf_work: out[0..p·m) = DFT of in[0], in[s], in[2s], … with s = fstride. */
function work(p: Plan, out: usize, inp: usize, fstride: i32, level: i32): void {
  const radix = unchecked(p.factors[2 * level]);
  const m = unchecked(p.factors[2 * level + 1]);
  const inStep = (<usize>fstride) << 4;
  if (m == 1) {
    for (let j = 0; j < radix; j++) {
      v128.store(out + (<usize>j << 4), v128.load(inp + <usize>j * inStep));
    }
  } else {
    for (let j = 0; j < radix; j++) {
      work(p, out + ((<usize>(j * m)) << 4), inp + <usize>j * inStep, fstride * radix, level + 1);
    }
  }
  if (radix == 4) bfly4(out, fstride, p.twiddles, m);
  else if (radix == 2) bfly2(out, fstride, p.twiddles, m);
  else if (radix == 3) bfly3(out, fstride, p.twiddles, m);
  else if (radix == 5) bfly5(out, fstride, p.twiddles, m);
}

function conjugate(buf: usize, n: i32): void {
  const sign = f64x2(1.0, -1.0);
  for (let j = 0; j < n; j++) {
    const at = buf + (<usize>j << 4);
    v128.store(at, f64x2.mul(v128.load(at), sign));
  }
}

/**
 * In-place DFT of n = p.n complex values at buf (unnormalised, both directions: the caller
 * divides by n after an inverse).
 */
export function transform(p: Plan, buf: usize, inverse: bool): void {
  const n = p.n;
  if (n == 1) return;
  if (inverse) conjugate(buf, n);
  if (!p.bluestein) {
    memory.copy(p.work, buf, <usize>n << 4);
    work(p, buf, p.work, 1, 0);
  } else {
    // Bluestein: X_k = w_k Σ_j (x_j w_j) conj(w_{k−j}), a circular convolution of length m.
    const m = p.m;
    const a = p.work2;
    memory.fill(a, 0, <usize>m << 4);
    for (let k = 0; k < n; k++) {
      v128.store(a + (<usize>k << 4), cmul(v128.load(buf + (<usize>k << 4)), v128.load(p.chirp + (<usize>k << 4))));
    }
    const inner = p.inner!;
    transform(inner, a, false);
    for (let k = 0; k < m; k++) {
      const x = a + (<usize>k << 4);
      v128.store(x, cmul(v128.load(x), v128.load(p.bHat + (<usize>k << 4))));
    }
    // Inverse inner DFT (the 1/m is in bHat) by conjugation.
    conjugate(a, m);
    transform(inner, a, false);
    conjugate(a, m);
    for (let k = 0; k < n; k++) {
      v128.store(buf + (<usize>k << 4), cmul(v128.load(a + (<usize>k << 4)), v128.load(p.chirp + (<usize>k << 4))));
    }
  }
  if (inverse) conjugate(buf, n);
}

/**
 * In-place 2-D DFT of a rows × cols complex image at buf (interleaved, row-major). Forward
 * unnormalised; inverse divided by rows · cols.
 */
export function fft2Interleaved(buf: usize, rows: i32, cols: i32, inverse: bool): void {
  const rowPlan = planFor(cols);
  for (let r = 0; r < rows; r++) transform(rowPlan, buf + ((<usize>r * <usize>cols) << 4), inverse);
  if (rows > 1) {
    // Columns in blocks of up to 8: gather a block of rows × 8 values (whole cache lines) into 8
    // contiguous columns, transform them, scatter back.
    const colPlan = planFor(rows);
    const BLOCK = 8;
    const block = heap.alloc((<usize>rows * BLOCK) << 4);
    const rowBytes = <usize>cols << 4;
    const colBytes = <usize>rows << 4;
    for (let c0 = 0; c0 < cols; c0 += BLOCK) {
      const w = min(BLOCK, cols - c0);
      let src = buf + (<usize>c0 << 4);
      for (let r = 0; r < rows; r++) {
        const dst = block + (<usize>r << 4);
        for (let j = 0; j < w; j++) v128.store(dst + <usize>j * colBytes, v128.load(src + (<usize>j << 4)));
        src += rowBytes;
      }
      for (let j = 0; j < w; j++) transform(colPlan, block + <usize>j * colBytes, inverse);
      let dst = buf + (<usize>c0 << 4);
      for (let r = 0; r < rows; r++) {
        const from = block + (<usize>r << 4);
        for (let j = 0; j < w; j++) v128.store(dst + (<usize>j << 4), v128.load(from + <usize>j * colBytes));
        dst += rowBytes;
      }
    }
    heap.free(block);
  }
  if (inverse) {
    const scale = f64x2.splat(1.0 / (<f64>rows * <f64>cols));
    const n = <usize>rows * <usize>cols;
    for (let j: usize = 0; j < n; j++) {
      const at = buf + (j << 4);
      v128.store(at, f64x2.mul(v128.load(at), scale));
    }
  }
}

/**
 * Exported: the 2-D DFT of (re, im), rows × cols, row-major, into (outRe, outIm) (raw f64
 * pointers; the inputs are not modified). inverse != 0: the inverse transform, divided by
 * rows · cols.
 */
export function fft2(reIn: usize, imIn: usize, rows: i32, cols: i32, inverse: i32, outRe: usize, outIm: usize): void {
  const n = <usize>rows * <usize>cols;
  const buf = heap.alloc(n << 4);
  for (let j: usize = 0; j < n; j++) {
    put(buf + (j << 4), load<f64>(reIn + (j << 3)), load<f64>(imIn + (j << 3)));
  }
  fft2Interleaved(buf, rows, cols, inverse != 0);
  for (let j: usize = 0; j < n; j++) {
    store<f64>(outRe + (j << 3), re(buf + (j << 4)));
    store<f64>(outIm + (j << 3), im(buf + (j << 4)));
  }
  heap.free(buf);
}
