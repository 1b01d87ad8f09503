/**
 * Elementary functions with the same bits on every JavaScript engine (docs/ARCHITECTURE.md
 * "Determinism across runtimes").
 *
 * `Math.exp`, `Math.log`, `Math.pow`, `Math.tan`, … are not correctly rounded and engines differ
 * in their last bit (Node 20's V8 uses fdlibm, Chromium 156's V8 partly LLVM libc), so a grid
 * built with them differs by an ulp between runtimes for ~10 % of its values. Every function here
 * is fdlibm's algorithm (Sun Microsystems 1993, the code V8 compiled into Node 20) written out in
 * IEEE double operations (+, −, ×, ÷, √, comparisons) and exact bit moves on the 32-bit halves of
 * a double: each of those is exactly specified by IEEE 754 / ECMAScript, so the result is the same
 * everywhere. Accuracy is fdlibm's (< 1 ulp). Grid builders (bindings/schedulers, processes,
 * samplers, tune) must use these, never `Math.exp` & co. (test/architecture.test.ts enforces it).
 *
 * Why TypeScript and not the WebAssembly core's math: `sigmas()`, `resolveSamplerRun()` and the
 * registries' `build` functions are synchronous and documented to work before `init()` (the core
 * may not be loaded yet), so the grid math cannot wait for the core.
 *
 * fdlibm notice (applies to the algorithms and constants below):
 * Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved. Developed at SunSoft, a Sun
 * Microsystems, Inc. business. Permission to use, copy, modify, and distribute this software is
 * freely granted, provided that this notice is preserved.
 */

const view = new DataView(new ArrayBuffer(8));

/** The high 32 bits of x's IEEE representation, as a signed int32. */
function hiWord(x: number): number {
  view.setFloat64(0, x);
  return view.getInt32(0);
}

/** The low 32 bits of x's IEEE representation, as an unsigned int32. */
function loWord(x: number): number {
  view.setFloat64(0, x);
  return view.getUint32(4);
}

/** The double with high word `hi` and low word `lo`. */
function fromWords(hi: number, lo: number): number {
  view.setInt32(0, hi | 0);
  view.setUint32(4, lo >>> 0);
  return view.getFloat64(0);
}

/** x with its low word cleared. */
function clearLow(x: number): number {
  return fromWords(hiWord(x), 0);
}

/** x with its high word replaced by `hi`. */
function withHigh(x: number, hi: number): number {
  return fromWords(hi, loWord(x));
}

const TWO54 = fromWords(0x43500000, 0);
const LN2_HI = fromWords(0x3fe62e42, 0xfee00000);
const LN2_LO = fromWords(0x3dea39ef, 0x35793c76);
const INVLN2 = fromWords(0x3ff71547, 0x652b82fe);
const LG1 = fromWords(0x3fe55555, 0x55555593);
const LG2 = fromWords(0x3fd99999, 0x9997fa04);
const LG3 = fromWords(0x3fd24924, 0x94229359);
const LG4 = fromWords(0x3fcc71c5, 0x1d8e78af);
const LG5 = fromWords(0x3fc74664, 0x96cb03de);
const LG6 = fromWords(0x3fc39a09, 0xd078c69f);
const LG7 = fromWords(0x3fc2f112, 0xdf3e5244);
const P1 = fromWords(0x3fc55555, 0x5555553e);
const P2 = fromWords(0xbf66c16c, 0x16bebd93);
const P3 = fromWords(0x3f11566a, 0xaf25de2c);
const P4 = fromWords(0xbebbbd41, 0xc5d26bf1);
const P5 = fromWords(0x3e663769, 0x72bea4d0);
const TWO_P1023 = fromWords(0x7fe00000, 0);
const TWO_M1000 = fromWords(0x01700000, 0);

/** 2^k for an integer k in [−1074, 1023] (exact). */
function pow2(k: number): number {
  if (k >= -1022) return fromWords((0x3ff + k) << 20, 0);
  return fromWords((0x3ff + k + 1000) << 20, 0) * TWO_M1000;
}

/** eˣ (fdlibm e_exp.c). */
export function exp(x: number): number {
  const O_THRESHOLD = fromWords(0x40862e42, 0xfefa39ef);
  const U_THRESHOLD = fromWords(0xc0874910, 0xd52d3051);
  if (x === 1) return Math.E; // V8's special case (fdlibm's polynomial gives e + 1 ulp)
  let hx = hiWord(x);
  const xsb = hx < 0 ? 1 : 0;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | loWord(x)) !== 0) return x + x;
      return xsb === 0 ? x : 0;
    }
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  let hi = 0, lo = 0, k = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      hi = xsb === 0 ? x - LN2_HI : x + LN2_HI;
      lo = xsb === 0 ? LN2_LO : -LN2_LO;
      k = 1 - xsb - xsb;
    } else {
      k = Math.trunc(INVLN2 * x + (xsb === 0 ? 0.5 : -0.5));
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2.0) - x);
  const y = 1 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) return k === 1024 ? y * 2.0 * TWO_P1023 : y * fromWords((0x3ff + k) << 20, 0);
  return y * fromWords((0x3ff + k + 1000) << 20, 0) * TWO_M1000;
}

/** ln x (fdlibm e_log.c). */
export function log(x: number): number {
  let hx = hiWord(x);
  const lx = loWord(x);
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    hx = hiWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = withHigh(x, hx | (i ^ 0x3ff00000));
  k += i >> 20;
  const f = x - 1.0;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - R : dk * LN2_HI - ((R - dk * LN2_LO) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  let j = hx - 0x6147a;
  const w = z * z;
  const j2 = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  j |= j2;
  const R = t2 + t1;
  if (j > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + R)) : dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f);
  }
  return k === 0 ? f - s * (f - R) : dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f);
}

/** ln(1 + x), accurate for small x (fdlibm s_log1p.c). */
export function log1p(x: number): number {
  const hx = hiWord(x);
  const ax = hx & 0x7fffffff;
  let k = 1, f = 0, c = 0, hu = 0;
  if (hx < 0x3fda827a) {
    if (ax >= 0x3ff00000) return x === -1 ? -Infinity : NaN;
    if (ax < 0x3e200000) return ax < 0x3c900000 ? x : x - x * x * 0.5;
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) {
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1.0 + x;
      hu = hiWord(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0);
      c /= u;
    } else {
      u = x;
      hu = hiWord(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u = withHigh(u, hu | 0x3ff00000);
    } else {
      k += 1;
      u = withHigh(u, hu | 0x3fe00000);
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    if (f === 0) {
      if (k === 0) return 0;
      c += k * LN2_LO;
      return k * LN2_HI + c;
    }
    const R = hfsq * (1.0 - 0.66666666666666666 * f);
    return k === 0 ? f - R : k * LN2_HI - ((R - (k * LN2_LO + c)) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const R = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * LN2_HI - ((hfsq - (s * (hfsq + R) + (k * LN2_LO + c))) - f);
}

/** eˣ − 1, accurate for small x (fdlibm s_expm1.c). */
export function expm1(x: number): number {
  const O_THRESHOLD = fromWords(0x40862e42, 0xfefa39ef);
  const Q1 = fromWords(0xbfa11111, 0x111110f4);
  const Q2 = fromWords(0x3f5a01a0, 0x19fe5585);
  const Q3 = fromWords(0xbf14ce19, 0x9eaadbb7);
  const Q4 = fromWords(0x3ed0cfca, 0x86e65239);
  const Q5 = fromWords(0xbe8afdb7, 0x6e09c32d);
  let hx = hiWord(x);
  const xsb = hx < 0 ? 1 : 0;
  hx &= 0x7fffffff;
  if (hx >= 0x4043687a) {
    if (hx >= 0x40862e42) {
      if (hx >= 0x7ff00000) {
        if (((hx & 0xfffff) | loWord(x)) !== 0) return x + x;
        return xsb === 0 ? x : -1.0;
      }
      if (x > O_THRESHOLD) return Infinity;
    }
    if (xsb !== 0) return -1.0;
  }
  let k = 0, c = 0;
  if (hx > 0x3fd62e42) {
    let hi: number, lo: number;
    if (hx < 0x3ff0a2b2) {
      if (xsb === 0) { hi = x - LN2_HI; lo = LN2_LO; k = 1; } else { hi = x + LN2_HI; lo = -LN2_LO; k = -1; }
    } else {
      k = Math.trunc(INVLN2 * x + (xsb === 0 ? 0.5 : -0.5));
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (hx < 0x3c900000) {
    return x;
  }
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  let t = 3.0 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6.0 - x * t));
  if (k === 0) return x - (x * e - hxs);
  e = x * (e - c) - c;
  e -= hxs;
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) return x < -0.25 ? -2.0 * (e - (x + 0.5)) : 1 + 2.0 * (x - e);
  if (k <= -2 || k > 56) {
    const y = 1 - (e - x);
    return (k === 1024 ? y * 2.0 * TWO_P1023 : y * pow2(k)) - 1;
  }
  if (k < 20) {
    t = fromWords(0x3ff00000 - (0x200000 >> k), 0);
    return (t - (e - x)) * pow2(k);
  }
  t = fromWords((0x3ff - k) << 20, 0);
  return (x - (e + t) + 1) * pow2(k);
}

/** xʸ with ECMAScript's special cases (fdlibm e_pow.c; ±1 ** ±∞ and x ** NaN are NaN as in JS). */
export function pow(x: number, y: number): number {
  const BP1 = 1.5;
  const DP_H1 = fromWords(0x3fe2b803, 0x40000000);
  const DP_L1 = fromWords(0x3e4cfdeb, 0x43cfd006);
  const TWO53 = fromWords(0x43400000, 0);
  const L1 = fromWords(0x3fe33333, 0x33333303);
  const L2 = fromWords(0x3fdb6db6, 0xdb6fabff);
  const L3 = fromWords(0x3fd55555, 0x518f264d);
  const L4 = fromWords(0x3fd17460, 0xa91d4101);
  const L5 = fromWords(0x3fcd864a, 0x93c9db65);
  const L6 = fromWords(0x3fca7e28, 0x4a454eef);
  const LG2C = fromWords(0x3fe62e42, 0xfefa39ef);
  const LG2_H = fromWords(0x3fe62e43, 0);
  const LG2_L = fromWords(0xbe205c61, 0x0ca86c39);
  const OVT = fromWords(0x3c971547, 0x652b82fe);
  const CP = fromWords(0x3feec709, 0xdc3a03fd);
  const CP_H = fromWords(0x3feec709, 0xe0000000);
  const CP_L = fromWords(0xbe3e2fe0, 0x145b01f5);
  const IVLN2 = fromWords(0x3ff71547, 0x652b82fe);
  const IVLN2_H = fromWords(0x3ff71547, 0x60000000);
  const IVLN2_L = fromWords(0x3e54ae0b, 0xf85ddf44);
  const HUGE = 1e300, TINY = 1e-300;

  const hx = hiWord(x), lx = loWord(x), hy = hiWord(y), ly = loWord(y);
  let ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;
  if ((iy | ly) === 0) return 1;
  if (ix > 0x7ff00000 || (ix === 0x7ff00000 && lx !== 0) || iy > 0x7ff00000 || (iy === 0x7ff00000 && ly !== 0)) return NaN;
  // yisint: 0 y not an integer, 1 odd, 2 even (only needed for x < 0)
  let yisint = 0;
  if (hx < 0) {
    if (iy >= 0x43400000) yisint = 2;
    else if (iy >= 0x3ff00000) {
      const e = (iy >> 20) - 0x3ff;
      if (e > 20) {
        const jj = ly >>> (52 - e);
        if (((jj << (52 - e)) >>> 0) === ly) yisint = 2 - (jj & 1);
      } else if (ly === 0) {
        const jj = iy >> (20 - e);
        if ((jj << (20 - e)) === iy) yisint = 2 - (jj & 1);
      }
    }
  }
  if (ly === 0) {
    if (iy === 0x7ff00000) {
      if (((ix - 0x3ff00000) | lx) === 0) return NaN;
      if (ix >= 0x3ff00000) return hy >= 0 ? y : 0;
      return hy >= 0 ? 0 : -y;
    }
    if (iy === 0x3ff00000) return hy < 0 ? 1 / x : x;
    if (hy === 0x40000000) return x * x;
    if (hy === 0x3fe00000 && hx >= 0) return Math.sqrt(x);
  }
  let ax = Math.abs(x);
  if (lx === 0 && (ix === 0x7ff00000 || ix === 0 || ix === 0x3ff00000)) {
    let z = ax;
    if (hy < 0) z = 1 / z;
    if (hx < 0) {
      if (((ix - 0x3ff00000) | yisint) === 0) z = NaN;
      else if (yisint === 1) z = -z;
    }
    return z;
  }
  let s = 1;
  if (hx < 0) {
    if (yisint === 0) return NaN;
    if (yisint === 1) s = -1;
  }
  let t1: number, t2: number;
  if (iy > 0x41e00000) {
    if (iy > 0x43f00000) {
      if (ix <= 0x3fefffff) return hy < 0 ? Infinity : 0;
      if (ix >= 0x3ff00000) return hy > 0 ? Infinity : 0;
    }
    if (ix < 0x3fefffff) return hy < 0 ? s * HUGE * HUGE : s * TINY * TINY;
    if (ix > 0x3ff00000) return hy > 0 ? s * HUGE * HUGE : s * TINY * TINY;
    const t = ax - 1;
    const w = (t * t) * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    const u = IVLN2_H * t;
    const v = t * IVLN2_L - w * IVLN2;
    t1 = clearLow(u + v);
    t2 = v - (t1 - u);
  } else {
    let n = 0;
    if (ix < 0x00100000) {
      ax *= TWO53;
      n -= 53;
      ix = hiWord(ax);
    }
    n += (ix >> 20) - 0x3ff;
    const j = ix & 0x000fffff;
    ix = j | 0x3ff00000;
    let k: number;
    if (j <= 0x3988e) k = 0;
    else if (j < 0xbb67a) k = 1;
    else {
      k = 0;
      n += 1;
      ix -= 0x00100000;
    }
    ax = withHigh(ax, ix);
    const bp = k === 0 ? 1.0 : BP1;
    let u = ax - bp;
    let v = 1 / (ax + bp);
    const ss = u * v;
    const sh = clearLow(ss);
    let th = fromWords(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0);
    let tl = ax - (th - bp);
    const sl = v * ((u - sh * th) - sh * tl);
    let s2 = ss * ss;
    let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
    r += sl * (sh + ss);
    s2 = sh * sh;
    th = clearLow(3.0 + s2 + r);
    tl = r - ((th - 3.0) - s2);
    u = sh * th;
    v = sl * th + tl * ss;
    const ph = clearLow(u + v);
    const pl = v - (ph - u);
    const zh = CP_H * ph;
    const zl = CP_L * ph + pl * CP + (k === 0 ? 0 : DP_L1);
    const t = n;
    const dph = k === 0 ? 0 : DP_H1;
    t1 = clearLow(((zh + zl) + dph) + t);
    t2 = zl - (((t1 - t) - dph) - zh);
  }
  const y1 = clearLow(y);
  const pl = (y - y1) * t1 + y * t2;
  let ph = y1 * t1;
  let z = pl + ph;
  const j = hiWord(z), i0 = loWord(z);
  if (j >= 0x40900000) {
    if (((j - 0x40900000) | i0) !== 0) return s * HUGE * HUGE;
    if (pl + OVT > z - ph) return s * HUGE * HUGE;
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    if (((j - (0xc090cc00 | 0)) | i0) !== 0) return s * TINY * TINY;
    if (pl <= z - ph) return s * TINY * TINY;
  }
  const i = j & 0x7fffffff;
  let k = (i >> 20) - 0x3ff;
  let n = 0;
  if (i > 0x3fe00000) {
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7fffffff) >> 20) - 0x3ff;
    const t = fromWords(n & ~(0x000fffff >> k), 0);
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    ph -= t;
  }
  const t = clearLow(pl + ph);
  const u = t * LG2_H;
  const v = (pl - (t - ph)) * LG2C + t * LG2_L;
  z = u + v;
  const w = v - (z - u);
  const tt = z * z;
  t1 = z - tt * (P1 + tt * (P2 + tt * (P3 + tt * (P4 + tt * P5))));
  const r = (z * t1) / (t1 - 2.0) - (w + z * w);
  z = 1 - (r - z);
  const jz = hiWord(z) + (n << 20);
  if ((jz >> 20) <= 0) z = scalbn(z, n);
  else z = withHigh(z, jz);
  return s * z;
}

/** x · 2ⁿ (fdlibm s_scalbn.c semantics: one rounding). */
function scalbn(x: number, n: number): number {
  let y = x;
  if (n > 1023) {
    y *= TWO_P1023;
    n -= 1023;
    if (n > 1023) { y *= TWO_P1023; n = Math.min(n - 1023, 1023); }
  } else if (n < -1022) {
    const f = pow2(-1022) * pow2(53);
    y *= f;
    n += 1022 - 53;
    if (n < -1022) { y *= f; n = Math.max(n + 1022 - 53, -1022); }
  }
  return y * pow2(n);
}

/** arctan x (fdlibm s_atan.c). */
export function atan(x: number): number {
  const ATANHI = [fromWords(0x3fddac67, 0x0561bb4f), fromWords(0x3fe921fb, 0x54442d18), fromWords(0x3fef730b, 0xd281f69b), fromWords(0x3ff921fb, 0x54442d18)];
  const ATANLO = [fromWords(0x3c7a2b7f, 0x222f65e2), fromWords(0x3c81a626, 0x33145c07), fromWords(0x3c700788, 0x7af0cbbd), fromWords(0x3c91a626, 0x33145c07)];
  const hx = hiWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x44100000) {
    if (x !== x) return x;
    return hx > 0 ? ATANHI[3] + ATANLO[3] : -ATANHI[3] - ATANLO[3];
  }
  let id: number;
  if (ix < 0x3fdc0000) {
    if (ix < 0x3e400000) return x;
    id = -1;
  } else {
    x = Math.abs(x);
    if (ix < 0x3ff30000) {
      if (ix < 0x3fe60000) { id = 0; x = (2.0 * x - 1.0) / (2.0 + x); } else { id = 1; x = (x - 1.0) / (x + 1.0); }
    } else if (ix < 0x40038000) {
      id = 2; x = (x - 1.5) / (1.0 + 1.5 * x);
    } else {
      id = 3; x = -1.0 / x;
    }
  }
  const z = x * x;
  const w = z * z;
  const s1 = z * (AT[0] + w * (AT[2] + w * (AT[4] + w * (AT[6] + w * (AT[8] + w * AT[10])))));
  const s2 = w * (AT[1] + w * (AT[3] + w * (AT[5] + w * (AT[7] + w * AT[9]))));
  if (id < 0) return x - x * (s1 + s2);
  const r = ATANHI[id] - ((x * (s1 + s2) - ATANLO[id]) - x);
  return hx < 0 ? -r : r;
}
const AT = [
  fromWords(0x3fd55555, 0x5555550d), fromWords(0xbfc99999, 0x9998ebc4), fromWords(0x3fc24924, 0x920083ff),
  fromWords(0xbfbc71c6, 0xfe231671), fromWords(0x3fb745cd, 0xc54c206e), fromWords(0xbfb3b0f2, 0xaf749a6d),
  fromWords(0x3fb10d66, 0xa0d03d51), fromWords(0xbfadde2d, 0x52defd9a), fromWords(0x3fa97b4b, 0x24760deb),
  fromWords(0xbfa2b444, 0x2c6a6c2f), fromWords(0x3f90ad3a, 0xe322da11),
];

const PIO2_HI = fromWords(0x3ff921fb, 0x54442d18);
const PIO2_LO = fromWords(0x3c91a626, 0x33145c07);

/** (asin(√z) − √z)/√z³ rational approximation R(z) of fdlibm's e_asin.c / e_acos.c. */
function asinR(z: number): number {
  const p = z * (fromWords(0x3fc55555, 0x55555555) + z * (fromWords(0xbfd4d612, 0x03eb6f7d) + z * (fromWords(0x3fc9c155, 0x0e884455)
    + z * (fromWords(0xbfa48228, 0xb5688f3b) + z * (fromWords(0x3f49efe0, 0x7501b288) + z * fromWords(0x3f023de1, 0x0dfdf709))))));
  const q = 1 + z * (fromWords(0xc0033a27, 0x1c8a2d4b) + z * (fromWords(0x40002ae5, 0x9c598ac8) + z * (fromWords(0xbfe6066c, 0x1b8d0159)
    + z * fromWords(0x3fb3b8c5, 0xb12e9282))));
  return p / q;
}

/** arccos x (fdlibm e_acos.c). */
export function acos(x: number): number {
  const hx = hiWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x3ff00000) {
    if (((ix - 0x3ff00000) | loWord(x)) === 0) return hx > 0 ? 0 : Math.PI + 2.0 * PIO2_LO;
    return NaN;
  }
  if (ix < 0x3fe00000) {
    if (ix <= 0x3c600000) return PIO2_HI + PIO2_LO;
    return PIO2_HI - (x - (PIO2_LO - x * asinR(x * x)));
  }
  if (hx < 0) {
    const z = (1 + x) * 0.5;
    const s = Math.sqrt(z);
    const w = asinR(z) * s - PIO2_LO;
    return Math.PI - 2.0 * (s + w);
  }
  const z = (1 - x) * 0.5;
  const s = Math.sqrt(z);
  const df = clearLow(s);
  const c = (z - df * df) / (s + df);
  const w = asinR(z) * s + c;
  return 2.0 * (df + w);
}

/** sin on [−π/4, π/4], x + y the argument with y its tail (fdlibm k_sin.c). */
function kernelSin(x: number, y: number, iy: number): number {
  const ix = hiWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && Math.trunc(x) === 0) return x;
  const z = x * x;
  const v = z * x;
  const r = fromWords(0x3f811111, 0x1110f8a6) + z * (fromWords(0xbf2a01a0, 0x19c161d5) + z * (fromWords(0x3ec71de3, 0x57b1fe7d)
    + z * (fromWords(0xbe5ae5e6, 0x8a2b9ceb) + z * fromWords(0x3de5d93a, 0x5acfd57c))));
  const S1 = fromWords(0xbfc55555, 0x55555549);
  if (iy === 0) return x + v * (S1 + z * r);
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

/** cos on [−π/4, π/4] (fdlibm k_cos.c). */
function kernelCos(x: number, y: number): number {
  const ix = hiWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && Math.trunc(x) === 0) return 1;
  const z = x * x;
  const r = z * (fromWords(0x3fa55555, 0x5555554c) + z * (fromWords(0xbf56c16c, 0x16c15177) + z * (fromWords(0x3efa01a0, 0x19cb1590)
    + z * (fromWords(0xbe927e4f, 0x809c52ad) + z * (fromWords(0x3e21ee9e, 0xbdb4b1c4) + z * fromWords(0xbda8fae9, 0xbe8838d4))))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y));
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0);
  const hz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (hz - (z * r - x * y));
}

const TAN_T = [
  0x3fd55555, 0x55555563, 0x3fc11111, 0x1110fe7a, 0x3faba1ba, 0x1bb341fe, 0x3f9664f4, 0x8406d637,
  0x3f8226e3, 0xe96e8493, 0x3f6d6d22, 0xc9560328, 0x3f57dbc8, 0xfee08315, 0x3f4344d8, 0xf2f26501,
  0x3f3026f7, 0x1a8d1068, 0x3f147e88, 0xa03792a6, 0x3f12b80f, 0x32f0a7e9, 0xbef375cb, 0xdb605373,
  0x3efb2a70, 0x74bf7ad4,
];
const T = Array.from({ length: 13 }, (_, i) => fromWords(TAN_T[2 * i], TAN_T[2 * i + 1]));

/** tan (iy = 1) or −1/tan (iy = −1) on [−π/4, π/4] (fdlibm k_tan.c, 2004 revision). */
function kernelTan(x: number, y: number, iy: number): number {
  const PIO4 = fromWords(0x3fe921fb, 0x54442d18);
  const PIO4LO = fromWords(0x3c81a626, 0x33145c07);
  const hx = hiWord(x);
  const ix = hx & 0x7fffffff;
  if (ix < 0x3e300000 && Math.trunc(x) === 0) {
    if (((ix | loWord(x)) | (iy + 1)) === 0) return 1 / Math.abs(x);
    if (iy === 1) return x;
    const w = x + y;
    const z = clearLow(w);
    const v = y - (z - x);
    const a = -1 / w;
    const t = clearLow(a);
    const s = 1 + t * z;
    return t + a * (s + t * v);
  }
  if (ix >= 0x3fe59428) {
    if (hx < 0) { x = -x; y = -y; }
    const z = PIO4 - x;
    const w = PIO4LO - y;
    x = z + w;
    y = 0.0;
  }
  const z = x * x;
  const w = z * z;
  let r = T[1] + w * (T[3] + w * (T[5] + w * (T[7] + w * (T[9] + w * T[11]))));
  let v = z * (T[2] + w * (T[4] + w * (T[6] + w * (T[8] + w * (T[10] + w * T[12])))));
  const s = z * x;
  r = y + z * (s * (r + v) + y);
  r += T[0] * s;
  const ww = x + r;
  if (ix >= 0x3fe59428) {
    v = iy;
    return (1 - ((hx >> 30) & 2)) * (v - 2.0 * (x - (ww * ww / (ww + v) - r)));
  }
  if (iy === 1) return ww;
  const zz = clearLow(ww);
  v = r - (zz - x);
  const a = -1.0 / ww;
  const t = clearLow(a);
  const ss = 1.0 + t * zz;
  return t + a * (ss + t * v);
}

/** High words of n·π/2, n = 1..32 (fdlibm e_rem_pio2.c's npio2_hw: no cancellation check needed off them). */
const NPIO2_HW = Array.from({ length: 32 }, (_, i) => hiWord((i + 1) * PIO2_HI));

/** The most |x| the trigonometric functions accept: fdlibm's medium-size reduction range, 2^19·π/2. */
export const TRIG_MAX_ARG = fromWords(0x413921fb, 0xffffffff);

/**
 * x − n·π/2 as y0 + y1 with |y0 + y1| ≤ π/4, and n (fdlibm e_rem_pio2.c, Cody–Waite with 33+53,
 * 33+33+53 and 33+33+33+53 bits of π/2). Arguments above TRIG_MAX_ARG are refused (a grid never
 * needs them; fdlibm's Payne–Hanek path is not ported).
 */
function remPio2(x: number, y: [number, number]): number {
  const PIO2_1 = fromWords(0x3ff921fb, 0x54400000), PIO2_1T = fromWords(0x3dd0b461, 0x1a626331);
  const PIO2_2 = fromWords(0x3dd0b461, 0x1a600000), PIO2_2T = fromWords(0x3ba3198a, 0x2e037073);
  const PIO2_3 = fromWords(0x3ba3198a, 0x2e000000), PIO2_3T = fromWords(0x397b839a, 0x252049c1);
  const INVPIO2 = fromWords(0x3fe45f30, 0x6dc9c883);
  const hx = hiWord(x);
  const ix = hx & 0x7fffffff;
  if (ix < 0x4002d97c) {
    if (hx > 0) {
      let z = x - PIO2_1;
      if (ix !== 0x3ff921fb) { y[0] = z - PIO2_1T; y[1] = (z - y[0]) - PIO2_1T; } else { z -= PIO2_2; y[0] = z - PIO2_2T; y[1] = (z - y[0]) - PIO2_2T; }
      return 1;
    }
    let z = x + PIO2_1;
    if (ix !== 0x3ff921fb) { y[0] = z + PIO2_1T; y[1] = (z - y[0]) + PIO2_1T; } else { z += PIO2_2; y[0] = z + PIO2_2T; y[1] = (z - y[0]) + PIO2_2T; }
    return -1;
  }
  if (ix > 0x413921fb) throw new RangeError(`detmath: trigonometric argument ${x} is beyond ±${TRIG_MAX_ARG} (not supported)`);
  const t = Math.abs(x);
  const n = Math.trunc(t * INVPIO2 + 0.5);
  const fn = n;
  let r = t - fn * PIO2_1;
  let w = fn * PIO2_1T;
  if (n < 32 && ix !== NPIO2_HW[n - 1]) {
    y[0] = r - w;
  } else {
    const j = ix >> 20;
    y[0] = r - w;
    let i = j - ((hiWord(y[0]) >> 20) & 0x7ff);
    if (i > 16) {
      let tt = r;
      w = fn * PIO2_2;
      r = tt - w;
      w = fn * PIO2_2T - ((tt - r) - w);
      y[0] = r - w;
      i = j - ((hiWord(y[0]) >> 20) & 0x7ff);
      if (i > 49) {
        tt = r;
        w = fn * PIO2_3;
        r = tt - w;
        w = fn * PIO2_3T - ((tt - r) - w);
        y[0] = r - w;
      }
    }
  }
  y[1] = (r - y[0]) - w;
  if (hx < 0) { y[0] = -y[0]; y[1] = -y[1]; return -n; }
  return n;
}

const reduced: [number, number] = [0, 0];

/** sin x for |x| ≤ TRIG_MAX_ARG (fdlibm s_sin.c); RangeError beyond. */
export function sin(x: number): number {
  const ix = hiWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelSin(x, 0, 0);
  if (ix >= 0x7ff00000) return NaN;
  const n = remPio2(x, reduced);
  switch (n & 3) {
    case 0: return kernelSin(reduced[0], reduced[1], 1);
    case 1: return kernelCos(reduced[0], reduced[1]);
    case 2: return -kernelSin(reduced[0], reduced[1], 1);
    default: return -kernelCos(reduced[0], reduced[1]);
  }
}

/** cos x for |x| ≤ TRIG_MAX_ARG (fdlibm s_cos.c); RangeError beyond. */
export function cos(x: number): number {
  const ix = hiWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0);
  if (ix >= 0x7ff00000) return NaN;
  const n = remPio2(x, reduced);
  switch (n & 3) {
    case 0: return kernelCos(reduced[0], reduced[1]);
    case 1: return -kernelSin(reduced[0], reduced[1], 1);
    case 2: return -kernelCos(reduced[0], reduced[1]);
    default: return kernelSin(reduced[0], reduced[1], 1);
  }
}

/** tan x for |x| ≤ TRIG_MAX_ARG (fdlibm s_tan.c); RangeError beyond. */
export function tan(x: number): number {
  const ix = hiWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelTan(x, 0, 1);
  if (ix >= 0x7ff00000) return NaN;
  const n = remPio2(x, reduced);
  return kernelTan(reduced[0], reduced[1], 1 - ((n & 1) << 1));
}

/** √x: IEEE-754 correctly rounded on every engine, re-exported so grid code imports one module. */
export const sqrt = Math.sqrt;
