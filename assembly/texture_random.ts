// Random numbers for the texture samplers: xoshiro256+ (Blackman & Vigna 2018) seeded by
// splitmix64, and standard normals by the ziggurat method (Marsaglia & Tsang 2000, 128 layers).
// Doornik (2005) showed that the original RNOR reuses the layer bits in the value; here the layer
// comes from the low 7 bits and the value from the top 56 bits of the same 64-bit draw, which
// are independent.

let s0: u64 = 1;
let s1: u64 = 2;
let s2: u64 = 3;
let s3: u64 = 4;

function splitmix(state: u64): u64 {
  let z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/** Seed the generator (any integer-valued f64; the same seed gives the same stream). */
export function seedRandom(seed: f64): void {
  const base = <u64>seed;
  const g: u64 = 0x9e3779b97f4a7c15;
  s0 = splitmix(base + g);
  s1 = splitmix(base + 2 * g);
  s2 = splitmix(base + 3 * g);
  s3 = splitmix(base + 4 * g);
  if ((s0 | s1 | s2 | s3) == 0) s0 = 1;
  if (!tablesReady) setTables();
}

// @ts-ignore: decorator
@inline function next(): u64 {
  const result = s0 + s3;
  const t = s1 << 17;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u64>(s3, 45);
  return result;
}

/** Uniform on (0, 1): 53 random bits, never 0. */
// @ts-ignore: decorator
@inline function uniform(): f64 {
  return (<f64>(next() >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

const kn = new StaticArray<f64>(128);
const wn = new StaticArray<f64>(128);
const fn = new StaticArray<f64>(128);
let tablesReady = false;
const R: f64 = 3.442619855899;
const SCALE: f64 = 36028797018963968.0; // 2^55: the value is a signed 56-bit integer

function setTables(): void {
  let dn = R;
  let tn = dn;
  const vn = 9.91256303526217e-3;
  const q = vn / Math.exp(-0.5 * dn * dn);
  unchecked((kn[0] = (dn / q) * SCALE));
  unchecked((kn[1] = 0));
  unchecked((wn[0] = q / SCALE));
  unchecked((wn[127] = dn / SCALE));
  unchecked((fn[0] = 1.0));
  unchecked((fn[127] = Math.exp(-0.5 * dn * dn)));
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2.0 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    unchecked((kn[i + 1] = (dn / tn) * SCALE));
    tn = dn;
    unchecked((fn[i] = Math.exp(-0.5 * dn * dn)));
    unchecked((wn[i] = dn / SCALE));
  }
  tablesReady = true;
}

/** A standard normal N(0, 1). */
// @ts-ignore: decorator
@inline export function normal(): f64 {
  const r = next();
  const iz = <i32>(r & 127);
  const hz = <f64>(<i64>r >> 8);
  if (Math.abs(hz) < unchecked(kn[iz])) return hz * unchecked(wn[iz]);
  return normalSlow(iz, hz);
}

/** The generator's state, for loops that keep it in locals (see texture.ts): get and set. */
// @ts-ignore: decorator
@inline export function stateGet(i: i32): u64 {
  return i == 0 ? s0 : i == 1 ? s1 : i == 2 ? s2 : s3;
}
export function stateSet(a: u64, b: u64, c: u64, e: u64): void {
  s0 = a;
  s1 = b;
  s2 = c;
  s3 = e;
}
/** Pointers to the ziggurat tables (layer bound kn, width wn), for inlined fast paths. */
export function zigKn(): usize {
  return changetype<usize>(kn);
}
export function zigWn(): usize {
  return changetype<usize>(wn);
}

export function normalSlow(iz0: i32, hz0: f64): f64 {
  let iz = iz0;
  let hz = hz0;
  while (true) {
    const x = hz * unchecked(wn[iz]);
    if (iz == 0) {
      // The tail beyond R (Marsaglia 1964).
      let xt: f64;
      let yt: f64;
      do {
        xt = -Math.log(uniform()) / R;
        yt = -Math.log(uniform());
      } while (yt + yt < xt * xt);
      return hz > 0 ? R + xt : -R - xt;
    }
    if (unchecked(fn[iz]) + uniform() * (unchecked(fn[iz - 1]) - unchecked(fn[iz])) < Math.exp(-0.5 * x * x)) return x;
    const r = next();
    iz = <i32>(r & 127);
    hz = <f64>(<i64>r >> 8);
    if (Math.abs(hz) < unchecked(kn[iz])) return hz * unchecked(wn[iz]);
  }
  return 0; // unreachable
}

/** Exported for tests: n standard normals into out. */
export function normals(seed: f64, n: i32, out: usize): void {
  seedRandom(seed);
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), normal());
}
