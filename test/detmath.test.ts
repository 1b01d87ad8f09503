/**
 * bindings/runtime/detmath.ts: accuracy against correctly rounded references (mpmath, 200 bits:
 * test/fixtures/detmath/make_fixtures.py) and ECMAScript's special values. That the bits are the
 * same on every engine is tested by the parity suite's `grids` section (test/browser/parity.js,
 * run in Chromium, Deno, Bun and workerd) and test/architecture.test.ts keeps grid code on it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as dm from '../bindings/runtime/detmath.js';

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/detmath/reference.json', import.meta.url), 'utf8')) as {
  cases: Record<string, string[][]>;
};

/** A float.hex string ("0x1.8p+1", "-0x0.0p+0", "inf") as a number (exact). */
function fromHex(s: string): number {
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  const m = /^(-?)0x([01])\.([0-9a-f]*)p([+-]\d+)$/.exec(s);
  if (!m) throw new Error(`not a float.hex string: ${s}`);
  const mant = BigInt('0x' + m[2] + m[3].padEnd(13, '0'));
  let e = Number(m[4]) - 52;
  // mant · 2^e exactly: scale by powers of two in exact steps.
  let v = Number(mant);
  while (e > 0) { const k = Math.min(e, 1000); v *= 2 ** k; e -= k; }
  while (e < 0) { const k = Math.min(-e, 1000); v /= 2 ** k; e += k; }
  return m[1] === '-' ? -v : v;
}

/** Distance in ulps of `got` from `want` (0 = equal; both finite). */
function ulps(got: number, want: number): number {
  if (Object.is(got, want)) return 0;
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, got);
  view.setFloat64(8, want);
  const order = (b: bigint) => (b >> 63n ? -(b & 0x7fffffffffffffffn) : b);
  const d = order(view.getBigUint64(0)) - order(view.getBigUint64(8));
  return Number(d < 0n ? -d : d);
}

const UNARY = ['exp', 'log', 'log1p', 'expm1', 'atan', 'acos', 'sin', 'cos', 'tan'] as const;

describe('detmath: fdlibm in IEEE arithmetic', () => {
  for (const name of UNARY) {
    it(`${name}: within 1 ulp of the correctly rounded value at ${FIXTURE.cases[name].length} points, mostly exact`, () => {
      const f = dm[name] as (x: number) => number;
      let exact = 0;
      for (const [xs, ys] of FIXTURE.cases[name]) {
        const x = fromHex(xs), want = fromHex(ys);
        const got = f(x);
        expect(ulps(got, want), `${name}(${xs}) = ${got}, want ${want}`).toBeLessThanOrEqual(1);
        if (Object.is(got, want)) exact++;
      }
      // fdlibm's documented error is < 1 ulp; in practice > 90 % of results are correctly rounded.
      expect(exact / FIXTURE.cases[name].length).toBeGreaterThan(0.9);
    });
  }

  it(`pow: within 1 ulp of the correctly rounded value at ${FIXTURE.cases.pow.length} points (incl. ρ = 7, 1/7)`, () => {
    let exact = 0;
    for (const [xs, ys, zs] of FIXTURE.cases.pow) {
      const got = dm.pow(fromHex(xs), fromHex(ys));
      const want = fromHex(zs);
      expect(ulps(got, want), `pow(${xs}, ${ys}) = ${got}, want ${want}`).toBeLessThanOrEqual(1);
      if (Object.is(got, want)) exact++;
    }
    // fdlibm's pow is correctly rounded for 88 % of these points (Node 20's own Math.pow: 89 %).
    expect(exact / FIXTURE.cases.pow.length).toBeGreaterThan(0.85);
  });

  it('the fixture reader is exact', () => {
    expect(fromHex('0x1.8000000000000p+1')).toBe(3);
    expect(fromHex('-0x1.0000000000000p-1074')).toBe(-5e-324);
    expect(fromHex('0x1.fffffffffffffp+1023')).toBe(Number.MAX_VALUE);
    expect(ulps(1, 1 + 2 ** -52)).toBe(1);
    expect(ulps(-0, 5e-324)).toBe(1);
  });

  it('special values are ECMAScript\'s (the same as Math.*)', () => {
    const args = [0, -0, 1, -1, 0.5, 2, Infinity, -Infinity, NaN, 5e-324, -5e-324, 1e-310, 709.8, -745.2, 710, -746, 1e-20];
    for (const name of UNARY) {
      const f = dm[name] as (x: number) => number;
      for (const x of args) expect(Object.is(f(x), (Math[name] as (x: number) => number)(x)), `${name}(${x})`).toBe(true);
    }
    const pows: [number, number][] = [[2, NaN], [NaN, 0], [NaN, -0], [1, Infinity], [-1, -Infinity], [1, NaN], [0, -1], [-0, -1], [-0, -2], [-0, 3],
      [Infinity, -1], [-Infinity, 3], [-Infinity, 2], [-Infinity, -3], [0.5, -Infinity], [0.5, Infinity], [2, Infinity], [-2, 3], [-2, 0.5], [-8, 1 / 3],
      [2, 1024], [2, -1074], [2, -1075], [10, 308], [10, 309], [-10, 309], [4, 0.5], [-0, 0.5], [-Infinity, 0.5], [1e300, 2], [1e-300, 3]];
    for (const [x, y] of pows) expect(Object.is(dm.pow(x, y), Math.pow(x, y)), `pow(${x}, ${y}) = ${dm.pow(x, y)}`).toBe(true);
    expect(dm.exp(1)).toBe(Math.E);
  });

  it('refuses trigonometric arguments beyond 2^19·π/2 (no Payne–Hanek reduction) with a RangeError', () => {
    expect(dm.sin(dm.TRIG_MAX_ARG)).toBeTypeOf('number');
    expect(() => dm.sin(1e7)).toThrow(RangeError);
    expect(() => dm.tan(-2e6)).toThrow(/trigonometric argument/);
    expect(dm.cos(Infinity)).toBeNaN();
  });
});
