/**
 * The package against an independent derivation: test/reference/fixtures.json, written by
 * test/reference/reference.py (numpy recursions typed from docs/MATH.md §4's table; the continuous
 * α-family by numerical integration of its variance ODE with scipy's Radau, not the closed form).
 *
 * Tolerances, in relative digits:
 * - grid times: 4 ulp of T.
 * - discrete schemes, per-eigenvalue final variances: relative RHO_DISCRETE = 1e-12. The reference
 *   is computed in extended precision (its own error ~K·1e-19), so this bounds the package's
 *   float64 rounding: a²v and q are ≥ 0, so v ← a²v + q itself adds ≈ K·u ≈ 1e-13 at K = 1000;
 *   forming a_k can cancel when h·c ≈ −1 (tiny λ_t). Observed worst: 5.7e-13 (Heun, K = 100,
 *   λ = 0, ε = 1e-3, βmax = 5, N(0, I) start).
 * - any W2 (final or along the trajectory): W2 = ‖√v − √λ‖₂ is a Euclidean distance, so a
 *   relative error ρ on every variance moves it by at most (ρ/2)‖√v‖₂ ≤ (ρ/2)(W2 + ‖√λ‖₂); the
 *   test allows ρ·(W2_ref + ‖√λ_target‖₂) with the same ρ. This is what makes tiny W2 values (a
 *   scheme that is nearly exact) comparable without a meaningless relative criterion.
 * - continuous α-family: RHO_CONTINUOUS = 1e-9, the integrator's tolerance: Radau at rtol 1e-12
 *   agrees with an independent integration of u = v/λ_t to 3.3e-10 (recorded in the fixture as
 *   `continuousAgreement`; the test checks it is below RHO_CONTINUOUS/2). Whole spectra: the W2
 *   rule above with ρ = 1e-9; per eigenvalue (one-eigenvalue spectra): |w2 − |√v_ref − √λ|| ≤
 *   1e-9·√v_ref, so a reference v = 0 (λ = 0 at ε = 0) demands exactly 0.
 * - a null reference (infinite/undefined: Heun and RK4 reaching λ_t = 0) must be null in the API,
 *   and the matching per-eigenvalue variance must be non-finite (never a finite number).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { continuous, run } from '../dist/bindings/index.node.js';

const here = path.dirname(fileURLToPath(import.meta.url));

type Init = 'pT' | 'N0';
interface ScheduleJson { betaMin: number; betaMax: number; T: number }
interface DiscreteResult { w2: number | null; trajectory: (number | null)[]; variances: (number | null)[] }
interface DiscreteCase {
  spectrum: string;
  schedule: string;
  scheme: string;
  steps: number;
  eps: number;
  alpha?: number;
  throws?: string;
  times?: number[];
  trajectoryIndex?: number[];
  pT?: DiscreteResult;
  N0?: DiscreteResult;
}
interface ContinuousCase {
  spectrum: string;
  schedule: string;
  alpha: number;
  eps: number;
  pT: { w2: number | null; variances: number[] };
  N0: { w2: number | null; variances: number[] };
}
interface Fixtures {
  spectra: Record<string, number[]>;
  schedules: Record<string, ScheduleJson>;
  discrete: DiscreteCase[];
  continuous: ContinuousCase[];
  continuousAgreement: number;
}

const fixtures: Fixtures = JSON.parse(readFileSync(path.join(here, 'reference', 'fixtures.json'), 'utf8'));

const RHO_DISCRETE = 1e-12;
const RHO_CONTINUOUS = 1e-9;
const INITS: Init[] = ['pT', 'N0'];

/** λ_t = e^{-2B_t} λ + 1 − e^{-2B_t} (docs/MATH.md §1), for the W2 tolerance only. */
function marginal(lam: number, t: number, s: ScheduleJson): number {
  const B = s.betaMin * t + ((s.betaMax - s.betaMin) * t * t) / (2 * s.T);
  const e = Math.exp(-2 * B);
  return e * lam + (1 - e);
}

/** ‖√λ_t‖₂ over the spectrum. */
function rootNorm(spectrum: number[], t: number, s: ScheduleJson): number {
  return Math.sqrt(spectrum.reduce((acc, l) => acc + Math.max(marginal(Math.max(l, 0), t, s), 0), 0));
}

function expectW2(ours: number | null, ref: number | null, scale: number, rho: number, what: string): void {
  if (ref === null) {
    expect(ours, `${what}: reference is infinite/undefined`).toBeNull();
    return;
  }
  expect(ours, `${what}: reference ${ref}`).not.toBeNull();
  const tol = rho * (ref + scale);
  expect(Math.abs((ours as number) - ref), `${what}: ours ${ours}, reference ${ref}, tolerance ${tol}`).toBeLessThanOrEqual(tol);
}

const caseLabel = (c: DiscreteCase): string =>
  `${c.scheme}${c.alpha !== undefined ? `(α=${c.alpha})` : ''} K=${c.steps} ε=${c.eps} ${c.spectrum}/${c.schedule}`;

describe('fixtures', () => {
  it('were generated with an integrator agreement below the continuous tolerance', () => {
    expect(fixtures.continuousAgreement).toBeLessThan(RHO_CONTINUOUS / 2);
  });
  it('cover all seven schemes, em-alpha with α ∈ {0, 0.5, 2}, steps 1–1000, T ≠ 1, both starts', () => {
    const d = fixtures.discrete;
    expect(new Set(d.map((c) => c.scheme))).toEqual(new Set(['em', 'ei', 'ddpm', 'em-alpha', 'euler', 'heun', 'rk4']));
    expect(new Set(d.filter((c) => c.scheme === 'em-alpha').map((c) => c.alpha))).toEqual(new Set([0, 0.5, 2]));
    expect(new Set(d.map((c) => c.steps))).toEqual(new Set([1, 2, 7, 100, 1000]));
    expect(new Set(d.map((c) => fixtures.schedules[c.schedule].T))).toEqual(new Set([0.5, 1, 2]));
    // -0 in the input, zeros, repeats, 1e-8 and 1e3.
    const edge = fixtures.spectra.edge;
    expect(edge.some((x) => Object.is(x, -0))).toBe(true);
    expect(edge).toContain(1e-8);
    expect(edge).toContain(1e3);
    // Some cells are undefined (null) and some DDPM grids are rejected.
    expect(d.some((c) => c.pT?.w2 === null)).toBe(true);
    expect(d.some((c) => c.throws === 'RangeError')).toBe(true);
  });
});

describe('discrete schemes against the numpy recursions', () => {
  it.each(fixtures.discrete.map((c) => [caseLabel(c), c] as const))('%s', async (_, c) => {
    const spectrum = fixtures.spectra[c.spectrum];
    const s = fixtures.schedules[c.schedule];
    const options = {
      scheme: c.scheme as never, steps: c.steps, eps: c.eps, ...s,
      ...(c.alpha !== undefined ? { alpha: c.alpha } : {}),
    };
    if (c.throws) {
      // DDPM with 2hβ_k ≥ 1 somewhere on the grid: the recursion is not defined.
      await expect(run(spectrum, options)).rejects.toThrow(RangeError);
      return;
    }
    for (const init of INITS) {
      const ref = c[init]!;
      const r = await run(spectrum, { ...options, init, variances: true });
      expect(r.steps).toBe(c.steps);
      // Grid times.
      c.trajectoryIndex!.forEach((k, j) => {
        expect(Math.abs(r.times[k] - c.times![j])).toBeLessThanOrEqual(4 * Number.EPSILON * s.T);
      });
      expect(r.times.length).toBe(c.steps + 1);
      expect(r.trajectory.length).toBe(c.steps + 1);
      // Per-eigenvalue final variances, in input order.
      const v = r.variances!;
      expect(v.length).toBe(spectrum.length);
      ref.variances.forEach((vr, i) => {
        const what = `${init} v_K(λ=${spectrum[i]})`;
        if (vr === null) {
          expect(Number.isFinite(v[i]), `${what}: reference infinite/undefined, ours ${v[i]}`).toBe(false);
        } else {
          expect(Math.abs(v[i] - vr), `${what}: ours ${v[i]}, reference ${vr}`).toBeLessThanOrEqual(RHO_DISCRETE * Math.abs(vr));
        }
      });
      // Final W2 against the data.
      expectW2(r.w2, ref.w2, rootNorm(spectrum, 0, s), RHO_DISCRETE, `${init} w2`);
      // Trajectory W2(N(0, V_k), p_{t_k}).
      c.trajectoryIndex!.forEach((k, j) => {
        expectW2(r.trajectory[k], ref.trajectory[j], rootNorm(spectrum, c.times![j], s), RHO_DISCRETE, `${init} trajectory[${k}]`);
      });
    }
  });
});

describe('continuous α-family against the integrated variance ODE', () => {
  const label = (c: ContinuousCase): string => `α=${c.alpha} ε=${c.eps} ${c.spectrum}/${c.schedule}`;
  it.each(fixtures.continuous.map((c) => [label(c), c] as const))('%s', async (_, c) => {
    const spectrum = fixtures.spectra[c.spectrum];
    const s = fixtures.schedules[c.schedule];
    for (const init of INITS) {
      const ref = c[init];
      const whole = await continuous(spectrum, { alpha: c.alpha, eps: c.eps, init, ...s });
      expect(whole.alpha).toBe(c.alpha);
      expect(whole.eps).toBe(c.eps);
      expect(whole.init).toBe(init);
      expectW2(whole.w2, ref.w2, rootNorm(spectrum, 0, s), RHO_CONTINUOUS, `${init} w2`);
      // Per eigenvalue, through a one-eigenvalue spectrum: w2 = |√v − √λ|, and
      // | |√v_ours − √λ| − |√v_ref − √λ| | ≤ |√v_ours − √v_ref| ≤ (ρ/2)√v_ref.
      for (let i = 0; i < spectrum.length; i++) {
        const lam = spectrum[i];
        const vr = ref.variances[i];
        const one = (await continuous([lam], { alpha: c.alpha, eps: c.eps, init, ...s })).w2;
        const expected = Math.abs(Math.sqrt(vr) - Math.sqrt(Math.max(lam, 0)));
        const what = `${init} λ=${lam}: ours ${one}, reference ${expected} (v_ref ${vr})`;
        expect(one, what).not.toBeNull();
        expect(Math.abs((one as number) - expected), what).toBeLessThanOrEqual(RHO_CONTINUOUS * Math.sqrt(vr));
      }
    }
  });
});
