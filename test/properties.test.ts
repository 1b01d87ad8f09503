/**
 * Properties the theory guarantees (docs/MATH.md §2–5), checked through the public API.
 *
 * Measuring a continuous error at an intermediate time t against p_t (not against the data):
 * the forward process restricted to [t, T] is the same VP SDE started from Σ_t with the shifted
 * linear schedule β'_s = β_{t+s}, s ∈ [0, T − t], i.e. βmin' = β_t, βmax' = βmax, T' = T − t (same
 * slope (βmax − βmin)/T), and its marginals are λ'_s(λ_t) = λ_{t+s}(λ) (semigroup; checked below).
 * So W2(law of the α-process at t, p_t) = continuous(λ_t, { eps: 0, betaMin: β_t, betaMax, T: T − t }).
 *
 * Tolerances are stated in each test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ablation, continuous, parseNpy, run, SCHEMES } from '../dist/bindings/index.node.js';
import { mulberry32 as uint32Stream } from './helpers/mulberry32.js';
import { readData } from './helpers/data.js';


const BMIN = 0.05;
const BMAX = 10;
const T = 1;

const beta = (t: number): number => BMIN + ((BMAX - BMIN) * t) / T;
const B = (t: number, bmin = BMIN, bmax = BMAX, horizon = T): number => bmin * t + ((bmax - bmin) * t * t) / (2 * horizon);
/** λ_t = e^{-2B_t} λ + 1 − e^{-2B_t} (docs/MATH.md §1). */
const marginal = (lam: number, t: number, bmin = BMIN, bmax = BMAX, horizon = T): number => {
  const e = Math.exp(-2 * B(t, bmin, bmax, horizon));
  return e * lam + (1 - e);
};

/** W2 of the exact α-process (started at T from N(0, I) or p_T) at time t, against p_t. */
async function errorAt(spectrum: ArrayLike<number>, t: number, alpha: number, init: 'pT' | 'N0' = 'N0'): Promise<number> {
  const shifted = Float64Array.from(spectrum, (l) => marginal(l, t));
  const r = await continuous(shifted, { eps: 0, alpha, init, betaMin: beta(t), betaMax: BMAX, T: T - t });
  if (r.w2 === null) throw new Error(`continuous error at t = ${t} is undefined`);
  return r.w2;
}

/** Seeded PRNG (mulberry32), for reproducible random spectra. */
function mulberry32(seed: number): () => number {
  const next = uint32Stream(seed);
  return () => next() / 4294967296;
}

/** 200 log-uniform eigenvalues in [1e-6, 1e3] and 10 zeros (seed 20250713). */
function randomSpectrum(): Float64Array {
  const rand = mulberry32(20250713);
  const x = new Float64Array(210);
  for (let i = 0; i < 200; i++) x[i] = 10 ** (-6 + 9 * rand());
  return x;
}

let cifar: Float64Array;
const random = randomSpectrum();
const edge = [0, 1e-8, 0.5, 1, 1, 2.5, 1e3];
beforeAll(() => {
  cifar = parseCifar();
});

function parseCifar(): Float64Array {
  return parseNpy(new Uint8Array(readData('cifar10.npy'))).data;
}

describe('time shift used to measure errors against p_t', () => {
  it('the shifted schedule reproduces the marginals: λ\'_{T−t}(λ_t) = λ_T(λ) (relative 1e-14)', () => {
    for (const t of [0, 1e-3, 0.3, 0.7, 0.99]) {
      for (const l of [0, 1e-8, 0.5, 3, 1e3]) {
        const direct = marginal(l, T);
        const shifted = marginal(marginal(l, t), T - t, beta(t), BMAX, T - t);
        expect(Math.abs(shifted - direct)).toBeLessThanOrEqual(1e-14 * direct);
      }
    }
  });

  it('at t = 0 it is exactly continuous(..., { eps: 0 }) against the data', async () => {
    for (const alpha of [0, 1, 2]) {
      expect(await errorAt(cifar, 0, alpha)).toBe((await continuous(cifar, { eps: 0, alpha, init: 'N0' })).w2);
    }
  });

  it('discrete trajectories converge to it at order 1 (EM → SDE, Euler → ODE; N(0, I) start)', async () => {
    // trajectory[k] = W2(N(0, V_k), p_{t_k}); its distance to the exact curve is ≤ W2(scheme, exact
    // process) = O(h). Band: going from K to 10K divides the largest deviation by 10 ± 2.
    const spec = [0.05, 0.5, 0.8, 1.3, 2, 3.5, 5, 40];
    for (const [scheme, alpha] of [['em', 1], ['euler', 0]] as const) {
      const deviation = async (K: number): Promise<number> => {
        const r = await run(spec, { scheme, steps: K, eps: 1e-3, init: 'N0' });
        let worst = 0;
        for (let k = K / 20; k <= K; k += K / 20) {
          worst = Math.max(worst, Math.abs((r.trajectory[k] as number) - (await errorAt(spec, r.times[k], alpha))));
        }
        return worst;
      };
      const ratio = (await deviation(1000)) / (await deviation(10000));
      expect(ratio, `${scheme}`).toBeGreaterThan(8);
      expect(ratio, `${scheme}`).toBeLessThan(12);
    }
  });
});

describe('Proposition 4: from N(0, I), the SDE error is at most the ODE error at every t', () => {
  // Exact inequality; the comparison allows 1e-15 relative for rounding where both are nearly
  // equal (t → T, where both equal the initialization error).
  const times = [0, 1e-5, 1e-4, 1e-3, ...Array.from({ length: 99 }, (_, i) => (i + 1) / 100), 0.999];
  it.each([
    ['CIFAR-10', () => cifar],
    ['random (210 eigenvalues, 10 zeros)', () => random],
    ['edge (0, 1e-8, repeated 1, 1e3)', () => edge],
  ] as const)('%s, at ε ∈ {0, 1e-5, 1e-4, 1e-3} and along t = 0.01 … 0.99', async (_, get) => {
    const spectrum = get();
    for (const t of times) {
      const sde = await errorAt(spectrum, t, 1);
      const ode = await errorAt(spectrum, t, 0);
      expect(sde, `t = ${t}`).toBeLessThanOrEqual(ode * (1 + 1e-15));
    }
    // The same at the truncation times, through continuous() against the data at ε = 0.
    const sde0 = (await continuous(spectrum, { eps: 0, alpha: 1, init: 'N0' })).w2 as number;
    const ode0 = (await continuous(spectrum, { eps: 0, alpha: 0, init: 'N0' })).w2 as number;
    expect(sde0).toBeLessThan(ode0);
  });
});

describe('α-family: the continuous error decreases with α (N(0, I) start)', () => {
  // Per eigenvalue v(t) − λ_t = [e^{-2ΔB} λ_t/λ_T]^α (λ_t/λ_T)(1 − λ_T) with a bracket < 1, so the
  // error is non-increasing in α at every t. Allowance: 1e-15 relative.
  const alphas = [0, 0.25, 0.5, 1, 2, 4, 8];
  it.each([
    ['CIFAR-10', () => cifar],
    ['random', () => random],
  ] as const)('%s', async (_, get) => {
    const spectrum = get();
    for (const t of [0, 1e-4, 1e-3, 0.1, 0.5, 0.9]) {
      let previous = Infinity;
      for (const alpha of alphas) {
        const e = await errorAt(spectrum, t, alpha);
        expect(e, `t = ${t}, α = ${alpha}`).toBeLessThanOrEqual(previous * (1 + 1e-15));
        previous = e;
      }
      // Strictly smaller from α = 0 to α = 8 (unless there is no initialization error at all).
      expect(await errorAt(spectrum, t, 8)).toBeLessThan(await errorAt(spectrum, t, 0));
    }
  });
});

describe('no initialization error: start p_T', () => {
  const alphas = [0, 0.3, 1, 2, 10];
  it.each([
    ['CIFAR-10', () => cifar],
    ['random', () => random],
    ['edge', () => edge],
  ] as const)('%s: the continuous error at ε = 0 is exactly 0 for every α', async (_, get) => {
    // v_T = λ_T gives v(t) = λ_t for every α (docs/MATH.md §2); at t = 0, λ_0 = λ exactly, so the
    // library's answer is exactly zero (not merely small).
    for (const alpha of alphas) {
      expect((await continuous(get(), { eps: 0, alpha, init: 'pT' })).w2).toBe(0);
    }
  });

  it.each([
    ['CIFAR-10', () => cifar],
    ['random', () => random],
  ] as const)('%s: at ε > 0 it is the truncation error W2(Σ_ε, Σ) for every α (relative 1e-13)', async (_, get) => {
    // Reference computed here without cancellation: λ_ε − λ = (1 − e^{-2B_ε})(1 − λ), with expm1.
    // (The naive e·λ + 1 − e − λ loses ~1e-10 relative at ε = 1e-5.)
    const spectrum = get();
    for (const eps of [1e-8, 1e-5, 1e-3, 0.1, 0.5]) {
      let sum = 0;
      for (const l of spectrum) {
        const d = -Math.expm1(-2 * B(eps)) * (1 - l);
        sum += (d / (Math.sqrt(l + d) + Math.sqrt(l))) ** 2;
      }
      const truncation = Math.sqrt(sum);
      for (const alpha of alphas) {
        const w = (await continuous(spectrum, { eps, alpha, init: 'pT' })).w2 as number;
        expect(Math.abs(w - truncation), `ε = ${eps}, α = ${alpha}`).toBeLessThanOrEqual(1e-13 * truncation);
      }
    }
  });

  it('every scheme starts with zero error, and N(0, I) starts with the initialization error', async () => {
    for (const scheme of SCHEMES) {
      const steps = scheme === 'ddpm' ? 50 : 5;
      const p = await run(random, { scheme, steps, eps: 1e-3, init: 'pT' });
      expect(p.trajectory[0]).toBe(0);
      const n = await run(random, { scheme, steps, eps: 1e-3, init: 'N0' });
      let sum = 0;
      for (const l of random) sum += (1 - Math.sqrt(marginal(l, T))) ** 2;
      expect(Math.abs((n.trajectory[0] as number) - Math.sqrt(sum))).toBeLessThanOrEqual(1e-13 * Math.sqrt(sum));
    }
  });
});

describe('observed order of convergence to the exact continuous process (p_T start)', () => {
  // With v_T = λ_T the exact α-process has marginal p_t at every t (docs/MATH.md §2), for the SDE and the
  // ODE alike, so the scheme's distance to its exact limit at ε is W2(N(0, V_K), p_ε) =
  // trajectory[K]. Spectrum bounded away from 0, ε > 0 (no stiffness). Order estimates
  // log2(err(K)/err(2K)); band: the last two estimates within ±0.1 of the order, and closer to it
  // than the first estimate (or within 0.01).
  // (The difference |W2_K − W2_exact| of distances to the data is not a usable error measure:
  // when the discretisation error dominates the truncation error it tends to ‖e_K‖ − ‖d‖ and
  // shows a fake order; the triangle inequality between the two is checked instead.)
  const spectrum = [0.5, 0.8, 1.3, 2, 3.5, 5];
  const cases = [
    ['em', 1, 1, [256, 512, 1024, 2048, 4096]],
    ['ei', 1, 1, [256, 512, 1024, 2048, 4096]],
    ['ddpm', 1, 1, [256, 512, 1024, 2048, 4096]],
    ['em-alpha', 0.5, 1, [256, 512, 1024, 2048, 4096]],
    ['em-alpha', 2, 1, [256, 512, 1024, 2048, 4096]],
    ['euler', 1, 1, [256, 512, 1024, 2048, 4096]],
    ['heun', 1, 2, [64, 128, 256, 512, 1024]],
    ['rk4', 1, 4, [16, 32, 64, 128, 256]],
  ] as const;
  for (const eps of [1e-3, 1e-2]) {
    it.each(cases.map((c) => [`${c[0]}${c[0] === 'em-alpha' ? ` α=${c[1]}` : ''} → order ${c[2]}`, c] as const))(
      `ε = ${eps}: %s`,
      async (_, [scheme, alpha, order, Ks]) => {
        const kindAlpha = scheme === 'euler' || scheme === 'heun' || scheme === 'rk4' ? 0 : alpha;
        const exact = (await continuous(spectrum, { eps, alpha: kindAlpha, init: 'pT' })).w2 as number;
        const errors: number[] = [];
        for (const K of Ks) {
          const r = await run(spectrum, { scheme, alpha, steps: K, eps, init: 'pT' });
          const err = r.trajectory[K] as number;
          // |W2(V_K, Σ) − W2(exact, Σ)| ≤ W2(V_K, exact law).
          expect(Math.abs((r.w2 as number) - exact)).toBeLessThanOrEqual(err * (1 + 1e-12) + 1e-15);
          errors.push(err);
        }
        const orders = errors.slice(1).map((e, i) => Math.log2(errors[i] / e));
        const last = orders.slice(-2);
        for (const p of last) {
          expect(p, `orders ${orders.map((x) => x.toFixed(4)).join(', ')}`).toBeGreaterThanOrEqual(order - 0.1);
          expect(p, `orders ${orders.map((x) => x.toFixed(4)).join(', ')}`).toBeLessThanOrEqual(order + 0.1);
        }
        expect(Math.abs(orders[orders.length - 1] - order)).toBeLessThanOrEqual(Math.max(Math.abs(orders[0] - order), 0.01));
      },
    );
  }
});

describe('weights: repeated eigenvalues', () => {
  // W2² = Σ_i w_i (√v_i − √λ_i)²: a spectrum with repeated values must equal the weighted sum of
  // its distinct values' one-eigenvalue results (relative 1e-13), and not depend on the order.
  const distinct = [0, 0.2, 1, 7, 300];
  const mult = [2, 3, 1, 4, 2];
  const repeated = distinct.flatMap((l, i) => Array(mult[i]).fill(l) as number[]);
  const shuffled = [...repeated];
  const rand = mulberry32(7);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const weighted = async (f: (s: number[]) => Promise<number | null>): Promise<number> => {
    let sum = 0;
    for (let i = 0; i < distinct.length; i++) sum += mult[i] * (((await f([distinct[i]])) as number) ** 2);
    return Math.sqrt(sum);
  };

  it.each(SCHEMES.map((s) => [s]))('run %s, both starts, ε = 0 and 1e-3', async (scheme) => {
    const steps = scheme === 'ddpm' ? 60 : 9;
    for (const eps of [0, 1e-3]) {
      for (const init of ['pT', 'N0'] as const) {
        const opts = { scheme, steps, eps, init, alpha: 0.7, variances: true };
        const r = await run(repeated, opts);
        const s = await run(shuffled, opts);
        expect(s.w2).toBe(r.w2);
        if ((scheme === 'heun' || scheme === 'rk4') && eps === 0) {
          expect(r.w2).toBeNull(); // the zero eigenvalue reaches λ_0 = 0
          continue;
        }
        const expected = await weighted(async (x) => (await run(x, opts)).w2);
        expect(Math.abs((r.w2 as number) - expected), `${init} ε=${eps}`).toBeLessThanOrEqual(1e-13 * expected);
        // Trajectory entries likewise, and the per-eigenvalue variances follow the input order.
        for (const k of [1, steps]) {
          const e = await weighted(async (x) => (await run(x, opts)).trajectory[k]);
          expect(Math.abs((r.trajectory[k] as number) - e)).toBeLessThanOrEqual(1e-13 * e);
        }
        for (let i = 0; i < repeated.length; i++) {
          const single = (await run([repeated[i]], opts)).variances![0];
          expect(r.variances![i]).toBe(single);
          expect(s.variances![i]).toBe((await run([shuffled[i]], opts)).variances![0]);
        }
      }
    }
  });

  it('continuous and ablation', async () => {
    for (const alpha of [0, 0.5, 1]) {
      for (const eps of [0, 1e-3]) {
        for (const init of ['pT', 'N0'] as const) {
          const r = (await continuous(repeated, { alpha, eps, init })).w2 as number;
          expect((await continuous(shuffled, { alpha, eps, init })).w2).toBe(r);
          const e = await weighted(async (x) => (await continuous(x, { alpha, eps, init })).w2);
          expect(Math.abs(r - e)).toBeLessThanOrEqual(1e-13 * e + 1e-300);
        }
      }
    }
    const a = await ablation(repeated, { nfe: [50, 100], eps: [1e-4] });
    const b = await ablation(shuffled, { nfe: [50, 100], eps: [1e-4] });
    expect(b).toEqual(a);
    for (const cell of a.cells) {
      const e = await weighted(async (x) => (await run(x, { scheme: cell.scheme, steps: cell.steps, eps: cell.eps, init: cell.init })).w2);
      expect(Math.abs((cell.w2 as number) - e), `${cell.scheme} ${cell.nfe} ${cell.init}`).toBeLessThanOrEqual(1e-13 * e);
    }
  });
});

describe('-0 and round-off negatives in the input', () => {
  // -0 (e.g. numpy's eigvalsh output, and all 9 zeros of cifar10.npy) is the eigenvalue 0: every
  // result must be identical (Object.is) to the one with +0, and never NaN.
  const plus = [0, 0.5, 2, 0];
  const minus = [-0, 0.5, 2, -0];
  it.each(SCHEMES.map((s) => [s]))('run %s', async (scheme) => {
    const steps = scheme === 'ddpm' ? 40 : 7;
    for (const eps of [0, 1e-3]) {
      for (const init of ['pT', 'N0'] as const) {
        const opts = { scheme, steps, eps, init, variances: true };
        const a = await run(plus, opts);
        const b = await run(minus, opts);
        const c = await run(Float32Array.from(minus), opts);
        expect(b.w2).toBe(a.w2);
        expect(c.w2).toBe(a.w2);
        expect(b.trajectory).toEqual(a.trajectory);
        expect(Array.from(b.variances!)).toEqual(Array.from(a.variances!));
        expect(Object.is(b.variances![0], a.variances![0])).toBe(true);
        expect(b.w2 === null || Number.isFinite(b.w2)).toBe(true);
      }
    }
  });

  it('continuous and ablation', async () => {
    for (const alpha of [0, 1]) {
      for (const eps of [0, 1e-3]) {
        for (const init of ['pT', 'N0'] as const) {
          const a = (await continuous(plus, { alpha, eps, init })).w2;
          expect(Object.is((await continuous(minus, { alpha, eps, init })).w2, a)).toBe(true);
        }
      }
    }
    expect(await ablation(minus, { nfe: [50] })).toEqual(await ablation(plus, { nfe: [50] }));
  });

  it('negatives within 1e-12·max are round-off (clamped to 0); larger ones are rejected', async () => {
    const a = await run([0, 0.5, 2], { scheme: 'em', steps: 10, eps: 1e-3 });
    const b = await run([-1e-13, 0.5, 2], { scheme: 'em', steps: 10, eps: 1e-3 });
    expect(b.w2).toBe(a.w2);
    await expect(run([-1e-3, 0.5, 2], { scheme: 'em', steps: 10 })).rejects.toThrow(RangeError);
  });
});

describe('scheme identities', () => {
  // Same formulas, possibly evaluated in a different order: K = 100 steps of rounding allow
  // K·u ≈ 1e-14 relative; the test allows 1e-13.
  it('em-alpha with α = 1 is EM and with α = 0 is Euler (relative 1e-13)', async () => {
    for (const [alpha, other] of [[1, 'em'], [0, 'euler']] as const) {
      for (const init of ['pT', 'N0'] as const) {
        const a = await run(random, { scheme: 'em-alpha', alpha, steps: 100, eps: 1e-3, init, variances: true });
        const b = await run(random, { scheme: other, steps: 100, eps: 1e-3, init, variances: true });
        expect(Math.abs((a.w2 as number) - (b.w2 as number))).toBeLessThanOrEqual(1e-13 * (b.w2 as number));
        a.variances!.forEach((v, i) => expect(Math.abs(v - b.variances![i])).toBeLessThanOrEqual(1e-13 * Math.abs(b.variances![i])));
      }
    }
  });

  it('at ε = 0 the last trajectory entry is the final error (p_0 is the data)', async () => {
    for (const scheme of ['em', 'ei', 'euler'] as const) {
      const r = await run(random, { scheme, steps: 100, eps: 0 });
      expect(Math.abs((r.trajectory[100] as number) - (r.w2 as number))).toBeLessThanOrEqual(1e-15 * (r.w2 as number));
    }
  });
});

describe('edge cases of the continuous α-family', () => {
  // Huge λ: reference values from docs/MATH.md §2's formula at ε = 0, start N(0, I), evaluated with mpmath
  // at 60 digits (mp.mp.dps = 60; B_T = 0.05 + 9.95/2; v_SDE = λ + e^{-2B_T} λ²/λ_T (1/λ_T − 1),
  // v_ODE = λ/λ_T; W2 = √λ − √v). A stable evaluation in float64 is good to a few ulp; the test
  // allows 1e-13 relative.
  const huge: [number, number, number][] = [
    // λ, W2 SDE, W2 ODE
    [1e4, 4.6565605873877119498, 16.428797452448476494],
    [1e8, 9784.8384470507686872, 9847.8473581776984022],
    [1e12, 999784.80108717209518, 999847.82974564906533],
    [1e16, 99999784.801083435278, 99999847.829743887507],
    [1e20, 9999999784.8010834349, 9999999847.8297438873],
  ];
  it.each(huge)('huge λ = %s: continuous SDE and ODE from N(0, I) (relative 1e-13)', async (lam, sde, ode) => {
    const s = (await continuous([lam], { eps: 0, alpha: 1, init: 'N0' })).w2 as number;
    const o = (await continuous([lam], { eps: 0, alpha: 0, init: 'N0' })).w2 as number;
    expect(Math.abs(s - sde) / sde, `SDE: ours ${s}, exact ${sde}`).toBeLessThanOrEqual(1e-13);
    expect(Math.abs(o - ode) / ode, `ODE: ours ${o}, exact ${ode}`).toBeLessThanOrEqual(1e-13);
  });

  // Large α: e^{-2αΔB} (λ_t/λ_T)^{1+α} = (λ_t/λ_T)·[e^{-2ΔB} λ_t/λ_T]^α with a bracket < 1, so the
  // deviation from λ_t vanishes as α grows and the error tends to the truncation error W2(Σ_ε, Σ)
  // (exactly that for every α from p_T). The value is finite for every α ≥ 0; nothing may
  // overflow into null. Tolerance: relative 1e-13 to the truncation error (at α ≥ 50 the
  // bracket^α is below 1e-100 on CIFAR-10).
  it.each([[50], [200], [1000]])('large α = %s on CIFAR-10 at ε = 1e-3: the truncation error, both starts', async (alpha) => {
    const eps = 1e-3;
    let sum = 0;
    for (const l of cifar) {
      const d = -Math.expm1(-2 * B(eps)) * (1 - l);
      sum += (d / (Math.sqrt(l + d) + Math.sqrt(l))) ** 2;
    }
    const truncation = Math.sqrt(sum);
    for (const init of ['pT', 'N0'] as const) {
      const w = (await continuous(cifar, { eps, alpha, init })).w2;
      expect(w, `α = ${alpha}, ${init}`).not.toBeNull();
      expect(Math.abs((w as number) - truncation), `α = ${alpha}, ${init}`).toBeLessThanOrEqual(1e-13 * truncation);
    }
  });
});
