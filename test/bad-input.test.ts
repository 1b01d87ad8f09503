// Bad input never crashes the process or corrupts later calls: every case throws a TypeError or
// RangeError naming the argument and its value, and a good call afterwards gives the same
// numbers as before.
import { describe, expect, it, beforeAll } from 'vitest';
import {
  run, continuous, ablation, ablationSync, prepareSpectrum, init, parseDelimited, parseNpy, parseNumericFile, toNpy,
  decodePng, encodePng, sampleGaussian, sampleGaussianSync, SCHEMES, eigvalsh, spectrumFromCovariance, continuousErrorMatrix,
} from '../dist/bindings/index.node.js';
import { callWithArrays, coreMaxSteps } from '../dist/bindings/runtime/core.js';

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
    expect(() => callWithArrays([], [2], (core, _in, [out]) => core.evolve(0, 0, 0, 2, coreMaxSteps() + 1, 0, 1, 1, out, 0, 0, 0))).toThrow(
      /the WASM core failed: .*K out of range.*restarted/,
    );
    await stillGood();
    expect(() => callWithArrays([], [2], (core) => core.gridTimes(1, 3, 0, 2 ** 32 - 8))).toThrow(/the WASM core failed: out of memory or a fault/);
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

describe('limits checked before the work', () => {
  it('a PNG whose header declares 20000×20000 is rejected from its IHDR at once', async () => {
    const small = await encodePng({ width: 2, height: 2, data: new Float64Array(12).fill(0.5) });
    const huge = Uint8Array.from(small);
    const view = new DataView(huge.buffer);
    view.setUint32(16, 20000); // IHDR width
    view.setUint32(20, 20000); // IHDR height
    await expect(decodePng(huge, 'big.png')).rejects.toThrow(RangeError);
    await expect(decodePng(huge, 'big.png')).rejects.toThrow(/^big\.png size must be at most 16777216 pixels \(4096×4096\), as declared in its header \(got "20000×20000"\)$/);
    expect((await decodePng(small)).width).toBe(2);
  });

  it('sampleGaussian([[1]], 2**31 − 1) is refused by its size check (it passed it before)', async () => {
    await expect(sampleGaussian([[1]], 2 ** 31 - 1, { seed: 1 })).rejects.toThrow(/^n must be at most 134217728 samples of dimension 1 \(n · d ≤ 134217728, 1 GiB of float64\) \(got 2147483647\)$/);
    expect(() => sampleGaussianSync([[1, 0], [0, 1]], 2 ** 26 + 1, { seed: 1 })).toThrow(/n must be at most 67108864 samples of dimension 2/);
    expect(sampleGaussianSync([[1]], 3, { seed: 1 })).toHaveLength(3);
  });
});

describe('schedules whose numbers cannot be computed', () => {
  it.each([1e-300, 1e-200, 1e-155, 1e155, 1e300])('T = %s is a RangeError naming T (T = 1e-300 gave W2 = 6.8e12)', async (T) => {
    await expect(run(good, { steps: 10, T })).rejects.toThrow(/^T must be in \[1e-150, 1e\+150\] \(outside, T² under- or overflows in B_t .*\) \(got /);
    await expect(continuous(good, { T })).rejects.toThrow(/^T must be in \[1e-150, 1e\+150\]/);
    expect(() => continuousErrorMatrix([[1]], [[1]], { T })).toThrow(/^T must be in \[1e-150, 1e\+150\]/);
  });

  it('T at the small end of the range gives the small-T limit: W2 of N(0, I) to the data', async () => {
    const lam = [0.5, 1, 2, 2, 30];
    const limit = (await continuous(lam, { T: 1e-150 })).w2!;
    expect(limit).toBeCloseTo(Math.sqrt(lam.reduce((a, x) => a + (1 - Math.sqrt(x)) ** 2, 0)), 12);
    for (const scheme of ['em', 'ei', 'euler'] as const) {
      const r = await run(lam, { scheme, steps: 10, T: 1e-150 });
      expect(r.w2! / limit - 1, scheme).toBeLessThan(0.01); // was 6.8e12 at T = 1e-300
    }
  });

  it('(betaMax − betaMin)·T² must be finite', async () => {
    await expect(run(good, { T: 1e150, betaMax: 1e10 })).rejects.toThrow(/^betaMax must be small enough that \(betaMax − betaMin\)·T² is finite/);
  });

  it('β ≡ 0 with a subnormal eigenvalue: every step is the identity, so W2 is defined (it was null)', async () => {
    const lam = [5e-324, 1e-310, 0.25, 1];
    const n0 = Math.sqrt(lam.reduce((a, x) => a + (1 - Math.sqrt(x)) ** 2, 0));
    const zero = { betaMin: 0, betaMax: 0 };
    for (const scheme of SCHEMES) {
      for (const init of ['pT', 'N0'] as const) {
        const r = await run(lam, { ...zero, scheme, steps: 7, init, variances: true });
        const expected = init === 'pT' ? 0 : n0;
        expect(r.w2, `${scheme} ${init}`).toBe(expected);
        expect(r.trajectory.every((x) => x === expected), `${scheme} ${init} trajectory`).toBe(true);
        expect(Array.from(r.variances!), `${scheme} ${init} variances`).toEqual(init === 'pT' ? lam : [1, 1, 1, 1]);
      }
    }
    const table = await ablation(lam, { ...zero, nfe: [8, 16], eps: [0, 0.1] });
    expect(table.cells.every((c) => c.w2 === (c.init === 'pT' ? 0 : n0))).toBe(true);
    // λ = 0 itself keeps its undefined score: 0·(1/0) is not 0.
    expect((await run([0, 1], { ...zero, scheme: 'em', steps: 3 })).w2).toBeNull();
    await stillGood();
  });
});

describe('symmetry tolerance follows the input precision', () => {
  /** A symmetric float32 matrix with a 2-ulp (float32) asymmetry in one pair. */
  function float32Matrix(n: number): Float32Array {
    const a = new Float32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = i === j ? n : Math.cos(i * 7 + j * 3);
    a[1] = Math.fround(a[1] * (1 + 2 ** -22)); // ≈ 2.4e-7 relative: float32 round-off
    return a;
  }

  it('a Float32Array with float32-level asymmetry is accepted; the same values as float64 are not', () => {
    const a = float32Matrix(6);
    const values = eigvalsh(a, 6);
    expect(values).toHaveLength(6);
    expect(() => eigvalsh(Float64Array.from(a), 6)).toThrow(/matrix is not symmetric: .* exceeds 1e-10·max\|matrix\|/);
    expect(() => eigvalsh(Float32Array.from(a, (x, k) => (k === 1 ? x * 1.001 : x)), 6)).toThrow(/exceeds 0\.00001·max\|matrix\| = .* \(float32 input\)/);
    // Same values, same eigenvalues: only the check differs.
    const sym = Float64Array.from(a);
    sym[1] = sym[6];
    expect(Array.from(spectrumFromCovariance(Float32Array.from(sym), 6))).toEqual(Array.from(spectrumFromCovariance(sym, 6)));
  });
});
