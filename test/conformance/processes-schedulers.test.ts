/**
 * Conformance of every forward-process and grid-builder registry entry (bindings/processes,
 * bindings/schedulers), picked up automatically:
 *  - processes: the core's λ_t (processMarginals) equals α_t² λ + σ_t² from the entry's definition
 *    (docs/MATH-samplers.md §2, written here independently; 1e-15 relative); parameters validated
 *    naming them;
 *  - grid builders: steps + 1 points, strictly decreasing, ≥ 0, the documented end points, the
 *    step sizes (when given) sum to t_0 − t_K to rounding; parameters validated naming them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PROCESSES, SCHEDULERS, init, resolveSamplerRun, ALL_SAMPLERS } from '../../dist/bindings/index.node.js';
import { processMarginals } from '../../dist/bindings/exact/core-general.js';
import { packParams, resolveParams } from '../../dist/bindings/samplers/params.js';
import { resolveSchedulerParams } from '../../dist/bindings/schedulers/grid.js';
import type { ProcessSpec } from '../../dist/bindings/processes/types.js';

/** α_t², σ_t² from each entry's definition (independent of the core). */
const DEFINITIONS: Record<string, (t: number, p: Record<string, number>) => [number, number]> = {
  vp: (t, p) => {
    const B = p.betaMin * t + (p.betaMax - p.betaMin) * t * t / (2 * p.T);
    return [Math.exp(-2 * B), -Math.expm1(-2 * B)];
  },
  edm: (t) => [1, t * t],
  'vp-cosine': (t, p) => {
    const th = (u: number) => (u + p.s) / (1 + p.s) * Math.PI / 2;
    const a = Math.cos(th(t)) / Math.cos(th(0));
    return [a * a, Math.sin(th(t) - th(0)) * Math.sin(th(t) + th(0)) / Math.cos(th(0)) ** 2];
  },
  'ddpm-linear': (t, p) => discreteDefinition(t, p, false),
  sd: (t, p) => discreteDefinition(t, p, true),
  ve: (t, p) => [1, (p.sigma_min * (p.sigma_max / p.sigma_min) ** t) ** 2],
  rf: (t, p) => {
    const s = p.shift * t / (1 + (p.shift - 1) * t);
    return [(1 - t) ** 2 / (1 + (p.shift - 1) * t) ** 2, s * s];
  },
};

/**
 * Discrete VP (docs/MATH-samplers.md §2): ᾱᵢ by the running sum of log1p(−βⱼ), log α piecewise linear
 * in t through (0, 0) and ((i + 1)/N, ½ log ᾱᵢ); β by the numpy.linspace formula.
 */
function discreteDefinition(t: number, p: Record<string, number>, scaled: boolean): [number, number] {
  const N = p.num_train_timesteps;
  const a = scaled ? Math.sqrt(p.beta_start) : p.beta_start;
  const b = scaled ? Math.sqrt(p.beta_end) : p.beta_end;
  const nodes = [0];
  let sum = 0;
  for (let j = 0; j < N; j++) {
    const x = j === N - 1 ? b : a + j * ((b - a) / (N - 1));
    sum += Math.log1p(-(scaled ? x * x : x));
    nodes.push(0.5 * sum);
  }
  const k = Math.min(N - 1, Math.floor(t * N));
  const L = nodes[k] + (t * N - k) * (nodes[k + 1] - nodes[k]);
  return [Math.exp(2 * L), -Math.expm1(2 * L)];
}

/**
 * The documented end points [first, last] of each builder with default parameters (the model's
 * defaults filled in) on a model; null = not a simple closed form (checked by the fixtures instead).
 */
type Ends = (p: Record<string, number>, s: Record<string, number>, model: ProcessSpec, steps: number) => [number | null, number];
const tableMax = (p: Record<string, number>, m: ProcessSpec) => { const t = m.sigmaTable!(p); return t[t.length - 1]; };
const rangeMax: Ends = (_p, s) => [s.sigma_max, 0];
const ENDS: Record<string, Ends> = {
  uniform: (p, s) => [p.T, s.eps],
  karras: rangeMax,
  exponential: rangeMax,
  polyexponential: rangeMax,
  kl_optimal: rangeMax,
  vp: (_p, s) => [Math.sqrt(Math.expm1(s.beta_d / 2 + s.beta_min)), 0],
  normal: (p, _s, m) => [tableMax(p, m), 0],
  simple: (p, _s, m) => [tableMax(p, m), 0],
  sgm_uniform: (p, _s, m) => [tableMax(p, m), 0],
  beta: (p, _s, m) => [tableMax(p, m), 0],
  ddim_uniform: () => [null, 0],
  linear_quadratic: (p, _s, m) => [m.sigmaRange(p)[1], 0],
  align_your_steps: (_p, _s, m) => [m.id === 'edm' ? 700 : 14.6146412293, 0],
  linspace: (p, _s, m, steps) => [steps === 1 ? m.sigmaTable!(p)[0] : tableMax(p, m), 0],
  leading: () => [null, 0],
  trailing: (p, _s, m) => [tableMax(p, m), 0],
  time_uniform: (_p, s) => [s.t_start, s.t_end],
  time_quadratic: (_p, s) => [s.t_start, s.t_end],
  logSNR: (_p, s) => [s.t_start, s.t_end],
};

beforeAll(async () => { await init(); });

describe.each(Object.values(PROCESSES).map((p) => [p.id, p] as const))('process %s', (id, spec) => {
  it('has an independent definition here', () => expect(DEFINITIONS[id]).toBeDefined());
  it('core λ_t = α_t² λ + σ_t²', () => {
    const values = resolveParams('processParams', spec.params, {});
    const lam = new Float64Array([0, 1e-3, 0.5, 2, 80]);
    for (const t of [0, 1e-4, 0.02, 0.3, 0.999, ...(spec.gridUnit === 'sigma' ? [5, 80] : [])]) {
      const got = processMarginals(spec.coreId, packParams(spec.params, values), t, lam);
      const [a2, s2] = DEFINITIONS[id](t, values);
      lam.forEach((l, i) => {
        const want = a2 * l + s2;
        expect(Math.abs(got[i] - want)).toBeLessThanOrEqual(1e-15 * Math.abs(want));
      });
    }
  });
  it('its σ is σ_t/α_t (rf: the flow σ_t), its time inverts it, its σ range and table are ordered', () => {
    const values = resolveParams('processParams', spec.params, {});
    const [tEnd, tStart] = spec.timeRange(values);
    expect(tEnd).toBeLessThan(tStart);
    for (const t of [tEnd, 0.01, 0.3, 0.7, tStart].filter((x) => x >= tEnd && x <= tStart)) {
      const [a2, s2] = DEFINITIONS[id](t, values);
      const want = id === 'rf' ? Math.sqrt(s2) : Math.sqrt(s2 / a2);
      const sg = spec.sigma(t, values);
      expect(Math.abs(sg - want)).toBeLessThanOrEqual(1e-13 * want);
      expect(Math.abs(spec.time(sg, values) - t)).toBeLessThanOrEqual(1e-12 * Math.max(1, t));
    }
    const [lo, hi] = spec.sigmaRange(values);
    expect(0 < lo && lo < hi).toBe(true);
    const table = spec.sigmaTable?.(values);
    if (table) {
      expect(table[0]).toBe(lo);
      expect(table[table.length - 1]).toBe(hi);
      for (let i = 1; i < table.length; i++) expect(table[i]).toBeGreaterThan(table[i - 1]);
    }
  });
  it('validates its parameters, naming them', () => {
    expect(() => resolveParams('processParams', spec.params, { nope: 1 })).toThrow(/processParams\.nope/);
    for (const p of spec.params) expect(() => resolveParams('processParams', spec.params, { [p.name]: Number.NaN })).toThrow(new RegExp(`processParams\\.${p.name}`));
    if (id === 'vp') {
      const sampler = ALL_SAMPLERS.find((s) => s.processes.includes('vp'))!;
      expect(() => resolveSamplerRun({ [sampler.group]: sampler.id, steps: 30, processParams: { betaMin: 2, betaMax: 1 } })).toThrow(/processParams\.betaMax/);
    }
  });
});

describe.each(Object.values(SCHEDULERS).map((s) => [s.id, s] as const))('grid builder %s', (id, spec) => {
  it('has documented end points here', () => expect(ENDS[id]).toBeDefined());
  for (const process of spec.processes) {
    it(`${spec.stepsMayDiffer ? 'decreasing points' : 'steps + 1 decreasing points'}, its end points, its step sizes (model ${process})`, () => {
      const model = PROCESSES[process];
      const pv = resolveParams('processParams', model.params, {});
      const sv = resolveSchedulerParams(spec, {}, model, pv);
      for (const steps of [1, 2, 7, 50]) {
        const t = spec.build(steps, sv, pv, model);
        const K = t.length - 1;
        if (spec.stepsMayDiffer) expect(Math.abs(K - steps)).toBeLessThanOrEqual(Math.max(1, steps / 2));
        else expect(K).toBe(steps);
        for (let k = 1; k <= K; k++) expect(t[k]).toBeLessThan(t[k - 1]);
        expect(t[K]).toBeGreaterThanOrEqual(0);
        const [first, last] = ENDS[id](pv, sv, model, steps);
        // kl_optimal: tan(atan σ) amplifies the rounding of atan σ by (1 + σ²)/σ ≈ σ
        if (first !== null) expect(Math.abs(t[0] - first)).toBeLessThanOrEqual(1e-14 * first * (id === 'kl_optimal' ? first : 1));
        // time_quadratic ends at (√t_end)², as DPM-Solver: equal to 1 ulp
        if (last === 0) expect(t[K]).toBe(0);
        else expect(Math.abs(t[K] - last)).toBeLessThanOrEqual(2.3e-16 * last);
        const h = spec.stepSizes?.(steps, sv, pv);
        if (h) {
          expect(h.length).toBe(steps);
          expect(Math.abs(h.reduce((a: number, x: number) => a + x, 0) - (t[0] - t[steps]))).toBeLessThanOrEqual(1e-13);
        }
      }
    });
  }
  it('validates its parameters, naming them', () => {
    expect(() => resolveParams('schedulerParams', spec.params, { nope: 1 })).toThrow(/schedulerParams\.nope/);
    for (const p of spec.params) expect(() => resolveParams('schedulerParams', spec.params, { [p.name]: -1 })).toThrow(new RegExp(`schedulerParams\\.${p.name}`));
  });
});
