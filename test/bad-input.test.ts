// Bad input never crashes the process or corrupts later calls: every case throws a TypeError or
// RangeError naming the argument and its value, and a good call afterwards gives the same
// numbers as before.
import { describe, expect, it, beforeAll } from 'vitest';
import {
  run, continuous, ablation, ablationSync, prepareSpectrum, init, parseDelimited, parseNpy, parseNumericFile, toNpy,
} from '../dist/bindings/index.node.js';
import { callWithArrays, coreMaxSteps } from '../dist/bindings/core.js';

const good = [0, 0.5, 1, 2, 2, 30];
let reference: number | null;

async function stillGood(): Promise<void> {
  const r = await run(good, { scheme: 'heun', steps: 20, eps: 1e-3 });
  expect(r.w2).toBe(reference); // bit-identical: the core's state is intact
}

beforeAll(async () => {
  await init();
  reference = (await run(good, { scheme: 'heun', steps: 20, eps: 1e-3 })).w2;
  expect(reference).toBeGreaterThan(0);
});

describe('spectrum validation', () => {
  it.each([
    [[1, NaN, 2], RangeError, /spectrum\[1\] must be finite \(got NaN\)/],
    [[1, 2, Infinity], RangeError, /spectrum\[2\] must be finite \(got Infinity\)/],
    [[-Infinity], RangeError, /spectrum\[0\] must be finite \(got -Infinity\)/],
    [[1, -0.5, 2], RangeError, /spectrum\[1\] must be ≥ 0 .*\(got -0\.5\)/],
    [[], RangeError, /spectrum\.length must be at least 1 .*empty/],
    ['1,2,3', TypeError, /spectrum must be a Float64Array or an array of numbers \(got "1,2,3"\)/],
    [[1, '2'], TypeError, /spectrum\[1\] must be a number \(got "2"\)/],
  ])('%j is rejected', async (input, kind, message) => {
    await expect(run(input as never, { steps: 3 })).rejects.toThrow(kind as typeof Error);
    await expect(run(input as never, { steps: 3 })).rejects.toThrow(message as RegExp);
    await stillGood();
  });

  it('clamps -0 and negative round-off (|x| ≤ 1e-12·max) to 0 and counts them', () => {
    const s = prepareSpectrum([-0, 1, -1e-13, 0]);
    expect(s.clamped).toBe(2);
    expect(Array.from(s.eigenvalues)).toEqual([0, 1, 0, 0]);
    expect(Object.is(s.eigenvalues[0], 0)).toBe(true); // +0, not -0
  });

  it('-0 gives exactly the numbers of +0', async () => {
    const a = await run([-0, 1, 4], { scheme: 'em', steps: 10 });
    const b = await run([0, 1, 4], { scheme: 'em', steps: 10 });
    expect(a).toEqual(b);
  });

  it('rejects a negative just beyond round-off, naming index and value', () => {
    expect(() => prepareSpectrum([1, -2e-12])).toThrow(/spectrum\[1\] must be ≥ 0 .*\(got -2e-12\)/);
  });
});

describe('option validation', () => {
  it.each([
    [{ steps: 0 }, RangeError, /steps must be a positive integer \(got 0\)/],
    [{ steps: -3 }, RangeError, /steps must be a positive integer \(got -3\)/],
    [{ steps: 2.5 }, RangeError, /steps must be a positive integer \(got 2\.5\)/],
    [{ steps: NaN }, RangeError, /steps must be a positive integer \(got NaN\)/],
    [{ steps: '10' }, TypeError, /steps must be a positive integer \(got "10"\)/],
    [{ eps: 1 }, RangeError, /eps must be in \[0, T\) with T = 1 \(got 1\)/],
    [{ eps: 2, T: 1 }, RangeError, /eps must be in \[0, T\) .*\(got 2\)/],
    [{ eps: -1e-3 }, RangeError, /eps must be in \[0, T\) .*\(got -0\.001\)/],
    [{ betaMin: 5, betaMax: 1 }, RangeError, /betaMax must be ≥ betaMin = 5 \(got 1\)/],
    [{ betaMin: -1 }, RangeError, /betaMin must be ≥ 0 \(got -1\)/],
    [{ T: 0 }, RangeError, /T must be > 0 \(got 0\)/],
    [{ T: Infinity }, RangeError, /T must be a finite number \(got Infinity\)/],
    [{ scheme: 'euler-maruyama' }, RangeError, /scheme must be one of em, ei, ddpm, em-alpha, euler, heun, rk4 \(got "euler-maruyama"\)/],
    [{ init: 'p_T' }, RangeError, /init must be one of pT, N0 \(got "p_T"\)/],
    [{ scheme: 'em-alpha', alpha: -1 }, RangeError, /alpha must be ≥ 0 .*\(got -1\)/],
    [{ scheme: 'ddpm', steps: 20 }, RangeError, /steps must be large enough for DDPM's constraint 2·h·β_t < 1 .*use at least 21 steps\) \(got 20\)/],
  ])('run(%j) is rejected', async (options, kind, message) => {
    const call = () => run(good, { steps: 10, ...(options as object) });
    await expect(call()).rejects.toThrow(kind as typeof Error);
    await expect(call()).rejects.toThrow(message as RegExp);
    await stillGood();
  });

  it('DDPM runs at the smallest admissible step count', async () => {
    const r = await run(good, { scheme: 'ddpm', steps: 21 });
    expect(r.w2).not.toBeNull();
  });

  it('continuous and ablation validate too', async () => {
    await expect(continuous(good, { eps: 1 })).rejects.toThrow(/eps must be in \[0, T\)/);
    await expect(continuous(good, { alpha: NaN })).rejects.toThrow(/alpha must be a finite number \(got NaN\)/);
    await expect(ablation(good, { nfe: [50, 0] })).rejects.toThrow(/nfe\[1\] must be a positive integer \(got 0\)/);
    await expect(ablation(good, { schemes: ['em', 'xx' as never] })).rejects.toThrow(/schemes\[1\] must be one of/);
    await expect(ablation(good, { eps: [0, 1.5] })).rejects.toThrow(/eps\[1\] must be in \[0, T\)/);
    await expect(ablation(good, { nfe: [] })).rejects.toThrow(/nfe\.length must be at least 1/);
    await expect(ablation(good, { nfe: [3], schemes: ['rk4'], paper: true })).rejects.toThrow(/nfe must be large enough to give rk4 at least one whole step/);
    await expect(ablation(good, { threads: 0 })).rejects.toThrow(/threads must be a positive integer \(got 0\)/);
    await stillGood();
  });
});

describe('undefined results are null, never NaN', () => {
  it('Heun and RK4 divide by λ_t = 0 at ε = 0 with a zero eigenvalue', async () => {
    for (const scheme of ['heun', 'rk4'] as const) {
      const r = await run([0, 1, 2], { scheme, steps: 10, eps: 0 });
      expect(r.w2).toBeNull();
      expect(r.trajectory[10]).toBeNull();
      expect(r.trajectory.slice(0, 10).every((x) => typeof x === 'number' && Number.isFinite(x))).toBe(true);
    }
    // Without a zero eigenvalue, or with ε > 0, they are defined.
    expect((await run([1e-3, 1, 2], { scheme: 'heun', steps: 10, eps: 0 })).w2).not.toBeNull();
    expect((await run([0, 1, 2], { scheme: 'rk4', steps: 10, eps: 1e-3 })).w2).not.toBeNull();
  });

  it('huge eigenvalues give a number or null, never NaN', async () => {
    for (const scheme of ['em', 'ei', 'ddpm', 'euler', 'heun', 'rk4'] as const) {
      const r = await run([1e300, 1], { scheme, steps: 50 });
      expect(r.w2 === null || Number.isFinite(r.w2)).toBe(true);
      expect(r.trajectory.every((x) => x === null || Number.isFinite(x))).toBe(true);
    }
  });

  it('one step, and ε = 0 with the p_T start on the continuous SDE, are exact zeros where they must be', async () => {
    const c = await continuous([0, 1, 7], { eps: 0, init: 'pT', alpha: 0.3 });
    expect(c.w2).toBe(0);
    const r = await run([0, 1, 7], { scheme: 'em', steps: 1, init: 'pT' });
    expect(r.trajectory[0]).toBe(0);
    expect(r.times).toEqual([1, 0]);
  });
});

describe('very large d', () => {
  it('d = 1e7 distinct eigenvalues: succeeds (or a clear memory error), and later calls still work', async () => {
    const d = 1e7;
    const lam = new Float64Array(d);
    for (let i = 0; i < d; i++) lam[i] = (i + 1) / d;
    try {
      const r = await run(lam, { scheme: 'euler', steps: 2 });
      expect(r.w2 === null || Number.isFinite(r.w2)).toBe(true);
      expect(r.w2).not.toBeNull();
    } catch (e) {
      expect((e as Error).message).toMatch(/memory/i);
    }
    await stillGood();
  });
});

describe('sizes the core cannot hold are rejected before any allocation', () => {
  it('the limit is the step table of K + 1 rows in one block of the allocator (< 1 GiB)', () => {
    expect(coreMaxSteps()).toBe(6710879); // ⌊(2^30 − 1024) / (20 columns · 8 bytes)⌋ − 1
  });

  it('ablation nfe = 27e6 (its table size wraps around in 32 bits): a RangeError naming nfe and the limit, and the core is intact', async () => {
    await expect(ablation(good, { nfe: [27000000], schemes: ['em'], eps: [0] })).rejects.toThrow(
      /^nfe\[0\] must be at most 6710879 \(the core's step table .*\) \(got 27000000\)$/,
    );
    expect(() => ablationSync(good, { nfe: [50, 27000000], schemes: ['heun'] })).toThrow(
      /nfe\[1\] must be small enough to give at most 6710879 steps \(it gives K = 13500000;.*\(got 27000000\)/,
    );
    await stillGood();
  });

  it('run steps = 1e7 (an allocator abort before): a RangeError naming steps and the limit', async () => {
    await expect(run(good, { steps: 10000000 })).rejects.toThrow(RangeError);
    await expect(run(good, { steps: 10000000 })).rejects.toThrow(/^steps must be at most 6710879 .*\(got 10000000\)$/);
    await stillGood();
  });

  it("run's trajectory (2·(K + 1) sums per chunk of 4096 eigenvalues) must fit too", async () => {
    const lam = Float64Array.from({ length: 100000 }, (_, i) => (i + 1) / 100000); // 25 chunks
    await expect(run(lam, { steps: 5000000 })).rejects.toThrow(/^steps must be at most 2684351 for 100000 distinct eigenvalues .*\(got 5000000\)$/);
    await stillGood();
  });

  it('a trap or abort inside the core restarts it: the failed call throws an Error, the next call is right', async () => {
    expect(() => callWithArrays([], [2], (core, _in, [out]) => core.evolve(0, 0, 2, coreMaxSteps() + 1, 0, 1, 1, out, 0, 0, 0))).toThrow(
      /the WASM core failed: .*K out of range.*restarted/,
    );
    await stillGood();
    expect(() => callWithArrays([], [2], (core) => core.gridTimes(3, 0, 2 ** 32 - 8))).toThrow(/the WASM core failed: out of memory or a fault/);
    await stillGood();
  });
});

describe('a throwing onProgress rejects the call, on one thread and on workers', () => {
  it.each([1, 2])('threads = %i', async (threads) => {
    const onProgress = () => {
      throw new Error('stop here');
    };
    await expect(ablation(good, { nfe: [50, 100], schemes: ['em', 'heun'], eps: [0], threads, onProgress })).rejects.toThrow('stop here');
    // The pool is usable afterwards, and gives the single-thread numbers.
    const a = await ablation(good, { nfe: [50, 100], schemes: ['em', 'heun'], eps: [0], threads });
    const b = ablationSync(good, { nfe: [50, 100], schemes: ['em', 'heun'], eps: [0] });
    expect(a.cells).toEqual(b.cells);
    await stillGood();
  });

  it('onProgress must be a function', async () => {
    await expect(ablation(good, { onProgress: 'x' as never })).rejects.toThrow(/onProgress must be a function \(done, total\) \(got "x"\)/);
  });
});

describe('strict parsing', () => {
  it.each(['0x10', '0b11', '0o7', '1_000', '12abc', '0x1p3'])('%s is not a number in a text file', (token) => {
    expect(() => parseDelimited(`1, ${token}, 2`, 'f.csv')).toThrow(new RegExp(`f\\.csv: line 1: '${token}' is not a decimal number`));
  });

  it('decimal and scientific notation, and nan/inf tokens (rejected later by validation), are read', () => {
    expect(Array.from(parseDelimited('1 -2.5 .5 1. +3e2 1E-3 -0').data)).toEqual([1, -2.5, 0.5, 1, 300, 0.001, -0]);
    expect(Array.from(parseDelimited('nan inf -Infinity').data)).toEqual([NaN, Infinity, -Infinity]);
  });

  it('an empty field is an error (1,,2 was read as [1, 2]); one trailing separator is allowed', () => {
    expect(() => parseDelimited('1,,2', 'f.csv')).toThrow(/f\.csv: line 1: empty field 2 \(got "1,,2"\)/);
    expect(() => parseDelimited(',1,2', 'f.csv')).toThrow(/empty field 1/);
    expect(() => parseDelimited('1;;2', 'f.csv')).toThrow(/empty field 2/);
    expect(Array.from(parseDelimited('1,\n2,\n3,\n').data)).toEqual([1, 2, 3]);
    expect(Array.from(parseDelimited('1 , 2;3\t4').data)).toEqual([1, 2, 3, 4]);
  });

  it('an npy shape must hold non-negative integers: (2.5,) is corrupt', () => {
    const good2 = toNpy({ shape: [2], data: Float64Array.of(1, 2) });
    const header = new TextDecoder('latin1').decode(good2.subarray(10, 10 + good2[8]));
    for (const shape of ['(2.5,)', '(0x2,)', '(-2,)', '(2e0,)', '(2,,)']) {
      const bytes = Uint8Array.from(good2);
      const h = header.replace('(2,)', shape.padEnd(6, ' ').slice(0, Math.max(shape.length, 4)));
      const text = h.length === header.length ? h : header.replace('(2,)', shape);
      bytes.set(new TextEncoder().encode(text.padEnd(header.length, ' ').slice(0, header.length)), 10);
      expect(() => parseNpy(bytes, 'x.npy'), shape).toThrow(/x\.npy: malformed \.npy (shape|header)/);
    }
    expect(parseNpy(good2).shape).toEqual([2]);
  });

  it('parseNpy(null) and parseNumericFile(bytes, null) are TypeErrors naming the argument', () => {
    expect(() => parseNpy(null as never)).toThrow(/npy file must be the bytes of the file \(a Uint8Array\), got null/);
    expect(() => parseNumericFile(new Uint8Array(1), null as never)).toThrow(/fileName must be a string \(got null\)/);
  });
});

describe('repeated rows or columns of an ablation are errors', () => {
  it.each([
    [{ nfe: [50, 100, 50] }, /^nfe\[2\] must be different from nfe\[0\] \(each value once\) \(got 50\)$/],
    [{ eps: [0, 1e-3, -0] }, /^eps\[2\] must be different from eps\[0\] .*\(got -0\)$/],
    [{ schemes: ['em', 'heun', 'em'] }, /^schemes\[2\] must be different from schemes\[0\] .*\(got "em"\)$/],
  ])('%j', async (options, message) => {
    await expect(ablation(good, options as never)).rejects.toThrow(message);
    await stillGood();
  });
});

describe('options must be objects', () => {
  it.each([null, 'fast', 3, [1]])('run(s, %j) is a TypeError naming options', async (options) => {
    await expect(run(good, options as never)).rejects.toThrow(TypeError);
    await expect(run(good, options as never)).rejects.toThrow(/^options must be an object of options \(or omitted\)/);
  });

  it('a string spectrum is a TypeError naming spectrum', async () => {
    await expect(run('1,2,3' as never)).rejects.toThrow(/^spectrum must be a Float64Array or an array of numbers \(got "1,2,3"\)/);
  });
});
