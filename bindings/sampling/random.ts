/**
 * Seeded random numbers that are the same on every JavaScript engine: the stream depends on the
 * seed only (no `Math.random`, no platform libm), so samples drawn in Node and in a browser agree
 * bit for bit.
 *
 * - Generator: xoshiro256** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number
 *   generators", ACM TOMS 2021; reference code prng.di.unimi.it/xoshiro256starstar.c), period
 *   2^256 − 1. The 64-bit words are held as 32-bit halves, so the hot path needs no BigInt.
 * - Seeding: the four state words are four successive outputs of splitmix64 started at the
 *   64-bit seed (the seeding the authors recommend; prng.di.unimi.it/splitmix64.c).
 * - Uniforms: `(x >>> 11) · 2^-53` for each 64-bit output x: the 53 high bits, on the grid
 *   k · 2^-53 in [0, 1).
 * - Normals: Marsaglia's polar method (Marsaglia & Bray 1964): u = 2U₁ − 1, v = 2U₂ − 1 from two
 *   successive uniforms; reject the pair while s = u² + v² ≥ 1 or s = 0; otherwise both
 *   u·√(−2 ln s / s) and v·√(−2 ln s / s) are returned, u's first. ln is the fdlibm algorithm
 *   (`logFdlibm` below = detmath's `log`, the one Node 20's V8 uses for `Math.log`) written out in IEEE arithmetic, and √ is
 *   correctly rounded, so normals too are identical everywhere.
 * The committed script test/fixtures/sampling/make_rng_fixture.py implements all of this with
 * Python integers; test/random.test.ts compares the first values for seed 42.
 */
import { badType, badValue } from '../runtime/errors.js';
import { log } from '../runtime/detmath.js';

/** A seeded stream of uniform and standard normal numbers (see the module comment). */
export interface Rng {
  /** The next uniform number in [0, 1), a multiple of 2^-53. */
  uniform(): number;
  /** The next standard normal number N(0, 1). */
  normal(): number;
  /** Fill `out` with the next `out.length` normals (the same numbers as that many `normal()` calls) and return it. */
  fillNormal(out: Float64Array): Float64Array;
  /** The next raw 64-bit output of xoshiro256** (for cross-checks with other implementations). */
  nextUint64(): bigint;
}

/** What a seed may be: an integer in [0, 2^53) as a number, or in [0, 2^64) as a bigint. */
export type Seed = number | bigint;

const TWO64 = 1n << 64n;
const MASK64 = TWO64 - 1n;

/** Validate a seed (named `name` in errors) and return it as a 64-bit bigint. */
export function checkSeed(name: string, seed: unknown): bigint {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed >= TWO64) throw badValue(name, seed.toString() + 'n', 'a bigint in [0, 2^64)');
    return seed;
  }
  if (typeof seed !== 'number') throw badType(name, seed, 'a non-negative integer (number < 2^53, or bigint < 2^64)');
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw badValue(name, seed, 'a non-negative integer below 2^53 (pass a bigint for larger seeds)');
  }
  return BigInt(seed);
}

/** splitmix64: the seeding generator (Steele, Lea & Flood 2014; Vigna's reference code). */
function splitmix64(state: { x: bigint }): bigint {
  state.x = (state.x + 0x9e3779b97f4a7c15n) & MASK64;
  let z = state.x;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

const TWO32 = 4294967296;
const TWO_M53 = 1 / 9007199254740992;
const TWO21 = 2097152;

/**
 * A seeded generator: xoshiro256** seeded by splitmix64, uniforms with 53 bits, normals by the
 * polar method (module comment). Two generators with the same seed give the same stream.
 * @param seed integer in [0, 2^53) (number) or [0, 2^64) (bigint); `42` and `42n` are the same seed
 * @example createRng(42).uniform() // → 0.0838… (the same on every engine)
 */
export function createRng(seed: Seed): Rng {
  const sm = { x: checkSeed('seed', seed) };
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    const w = splitmix64(sm);
    words.push(Number(w >> 32n), Number(w & 0xffffffffn));
  }
  // State s0..s3 as (high, low) 32-bit halves: s[0] = s0 high, s[1] = s0 low, …, s[7] = s3 low.
  // An Int32Array, not closure variables: V8 would box 32-bit values that do not fit a Smi.
  const s = new Int32Array(8);
  for (let i = 0; i < 8; i++) s[i] = words[i] | 0;
  const out = new Int32Array(2); // the last output, high and low halves

  /** One xoshiro256** step: the output into `out`, then the state update. */
  function step(): void {
    const s0h = s[0], s0l = s[1], s1h = s[2], s1l = s[3], s2h = s[4], s2l = s[5], s3h = s[6], s3l = s[7];
    // result = rotl(s1 · 5, 7) · 9, all mod 2^64 (the carries by an exact float product).
    const m5l = Math.imul(s1l, 5);
    const m5h = (Math.imul(s1h, 5) + ((((s1l >>> 0) * 5) / TWO32) | 0)) | 0;
    const rh = (m5h << 7) | (m5l >>> 25);
    const rl = (m5l << 7) | (m5h >>> 25);
    out[1] = Math.imul(rl, 9);
    out[0] = (Math.imul(rh, 9) + ((((rl >>> 0) * 9) / TWO32) | 0)) | 0;
    // t = s1 << 17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45).
    const n2h = s2h ^ s0h, n2l = s2l ^ s0l;
    const n3h = s3h ^ s1h, n3l = s3l ^ s1l;
    s[2] = s1h ^ n2h;
    s[3] = s1l ^ n2l;
    s[0] = s0h ^ n3h;
    s[1] = s0l ^ n3l;
    s[4] = n2h ^ ((s1h << 17) | (s1l >>> 15));
    s[5] = n2l ^ (s1l << 17);
    // rotl by 45 = swap the halves (32), then rotate by 13.
    s[6] = (n3l << 13) | (n3h >>> 19);
    s[7] = (n3h << 13) | (n3l >>> 19);
  }

  function uniform(): number {
    step();
    return ((out[0] >>> 0) * TWO21 + (out[1] >>> 11)) * TWO_M53;
  }

  let spare = 0;
  let hasSpare = false;

  function normal(): number {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    for (;;) {
      const u = 2 * uniform() - 1;
      const v = 2 * uniform() - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      const f = Math.sqrt((-2 * logFdlibm(s)) / s);
      spare = v * f;
      hasSpare = true;
      return u * f;
    }
  }

  return {
    uniform,
    normal,
    fillNormal(out: Float64Array): Float64Array {
      if (!(out instanceof Float64Array)) throw badType('out', out, 'a Float64Array');
      const len = out.length;
      let i = 0;
      if (len > 0 && hasSpare) {
        out[i++] = spare;
        hasSpare = false;
      }
      // The polar method inlined, two values per accepted pair (the same stream as normal()).
      while (i < len) {
        const u = 2 * uniform() - 1;
        const v = 2 * uniform() - 1;
        const q = u * u + v * v;
        if (q >= 1 || q === 0) continue;
        const f = Math.sqrt((-2 * logFdlibm(q)) / q);
        out[i++] = u * f;
        if (i < len) {
          out[i++] = v * f;
        } else {
          spare = v * f;
          hasSpare = true;
        }
      }
      return out;
    },
    nextUint64(): bigint {
      step();
      return (BigInt(out[0] >>> 0) << 32n) | BigInt(out[1] >>> 0);
    },
  };
}

/**
 * Natural logarithm by fdlibm's algorithm (argument reduction to [√2/2, √2), then a degree-14
 * minimax polynomial in s = f/(2+f)): bit-identical across engines. Used by the normal transform.
 * It is bindings/runtime/detmath.ts's `log` (docs/ARCHITECTURE.md, "Determinism across runtimes").
 * @example logFdlibm(Math.E) // → 1
 */
export function logFdlibm(x: number): number {
  return log(x);
}
