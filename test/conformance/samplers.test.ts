/**
 * Conformance: EVERY sampler registry entry (bindings/samplers/index.ts ALL_SAMPLERS) against the
 * same checks, so a new entry is picked up automatically:
 *  1. its exact law (per-eigenvalue output mean and variance, both starts, and the W2) from the
 *     core's general kernel equals the law of an independent plain-vector implementation
 *     (vector-samplers.ts) in a random rotated basis (d = 6, nonzero mean), obtained by impulse
 *     runs — unit start vectors and unit noises give the exact law of an affine sampler by
 *     superposition (docs/MATH-samplers.md §13). Tolerance: 1e-12 relative on variances and means
 *     (an entry may state a looser one, with its reason, in vector-samplers.ts `rel`)
 *     (plus an absolute floor 1e-13 × the largest variance: the vector side rounds in a rotated
 *     basis), off-diagonal covariance entries in the eigenbasis ≤ 1e-12 · √(v_i v_j) + the floor
 *     (the law is diagonal there), and 1e-9 relative on W2 (from the exact start it is the small
 *     discretisation error, and the reference's √v − √λ cancels; observed ≤ 6e-11);
 *  2. the memory-based kernel path (any state size) equals the specialised one to 1e-11 (the two
 *     evaluate the same recursion in a different order — m = 1 keeps G = Π a², the generic path
 *     (Π a)² — and W2 terms amplify that rounding where v ≈ λ; observed ≤ 5e-13), plus an absolute
 *     1e-18 for W2² sums that are themselves ~1e-13 (the first steps of diffusers' 1000-step DDPM
 *     from the exact start: (√v − √λ)² with v ≈ λ, rounding 2e-22 there);
 *  3. determinism (two runs, identical bits), and the final-sums-only call = the full call (bits);
 *  4. NFE: the spec's rule equals the evaluations counted in the vector run;
 *  5. parameter validation: an unknown key and each bad value throw a RangeError naming it;
 *  6. the core's state size equals the spec's, and an unknown id aborts loudly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_SAMPLERS, PROCESSES, SCHEDULERS, SCHEMES, SCHEME_REGISTRY, init, resolveSamplerRun, runSamplerSync,
  type SamplerSpec,
} from '../../dist/bindings/index.node.js';
import { generalRunRaw, coreStateSize } from '../../dist/bindings/exact/core-general.js';
import { packParams } from '../../dist/bindings/samplers/params.js';
import { randomOrthogonal } from '../helpers/orthogonal.js';
import { VECTOR_SAMPLERS, startLevels, vectorKey, type Ctx, type Vec } from './vector-samplers';

const D = 6;
const LAMBDA = [0, 2e-3, 0.05, 0.7, 3, 40];
const U = randomOrthogonal(D, 20261127) as Float64Array;
/** Data mean in the eigenbasis (m_i = u_iᵀ m). */
const M_EIG = [0.3, -1.2, 0.8, 2.0, -0.5, 1.5];
const REL = 1e-12;
const GENERIC_REL = 1e-11;
/** Absolute floor of that comparison (W2² sums of ~1e-13, all cancellation). */
const GENERIC_ABS = 1e-18;
/** W2 from the exact start is small (≈ the discretisation error): the reference's (√v − √λ) loses digits. */
const W2_REL = 1e-9;
/** Absolute floor, relative to the largest variance (rounding of the rotated-basis vector runs). */
const ABS = 1e-13;

function col(i: number): Vec {
  const v = new Float64Array(D);
  for (let r = 0; r < D; r++) v[r] = U[r * D + i];
  return v;
}
const SIGMA = (() => {
  const s = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let r = 0; r < D; r++) for (let c = 0; c < D; c++) s[r * D + c] += LAMBDA[i] * U[r * D + i] * U[c * D + i];
  return s;
})();
const MEAN = (() => {
  const m = new Float64Array(D);
  for (let i = 0; i < D; i++) for (let r = 0; r < D; r++) m[r] += M_EIG[i] * U[r * D + i];
  return m;
})();

/** The grid each process is checked on: small, stepping through the interesting range. */
const GRIDS: Record<string, { steps: number; scheduler: string; schedulerParams?: Record<string, number> }> = {
  vp: { steps: 40, scheduler: 'uniform', schedulerParams: { eps: 1e-3 } },
  edm: { steps: 9, scheduler: 'karras' },
};

/** VP models besides the paper's (their start law is read from the model's σ). */
const VP_OTHERS = ['vp-cosine', 'ddpm-linear', 'sd'];

/** The grid options of a run: none for a sampler that builds its own grid (dpm_fast). */
function gridOf(spec: SamplerSpec, process: string) {
  return spec.ownGrid ? {} : GRIDS[process];
}

interface Law { mean: Float64Array; cov: Float64Array; evals: number }

/** The exact law of the vector sampler from the start N(mu0, C0), by impulses. */
function vectorLaw(spec: SamplerSpec, params: Record<string, number>, processParams: Record<string, number>, times: Float64Array, mu0: Vec, C0: Float64Array, processId?: string): Law {
  const ref = VECTOR_SAMPLERS[vectorKey(spec)];
  const problem = { d: D, sigma: SIGMA, m: MEAN };
  const runWith = (x0: Vec, impulse: number, coord: number) => {
    let count = 0;
    const evals = { n: 0 };
    const ctx: Ctx = {
      problem, times, process: processParams, processId, model: processId, params, evals,
      noise() {
        const z = new Float64Array(D);
        if (count === impulse) z[coord] = 1;
        count++;
        return z;
      },
    };
    return { x: ref.run(ctx, x0), noises: count, evals: evals.n };
  };
  const base = runWith(mu0, -1, 0);
  const cov = new Float64Array(D * D);
  const addOuter = (v: Vec) => { for (let r = 0; r < D; r++) for (let c = 0; c < D; c++) cov[r * D + c] += v[r] * v[c]; };
  // Φ C0 Φᵀ with C0 = Σ_j c_j c_jᵀ (C0's columns of its square root: C0 is diagonal in U here).
  for (let j = 0; j < D; j++) {
    const e = new Float64Array(D);
    for (let r = 0; r < D; r++) e[r] = mu0[r] + C0[j] * U[r * D + j];
    const y = runWith(e, -1, 0).x;
    addOuter(y.map((v, r) => v - base.x[r]));
  }
  for (let k = 0; k < base.noises; k++) {
    for (let c = 0; c < D; c++) {
      const y = runWith(mu0, k, c).x;
      addOuter(y.map((v, r) => v - base.x[r]));
    }
  }
  return { mean: base.x, cov, evals: base.evals };
}

function rel(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

beforeAll(async () => { await init(); });

/**
 * The defaults, then the entry's extra sets. Own-grid samplers with long default grids (diffusers'
 * DDPM: 1000 steps; impulse runs cost K² vector steps, a minute) are checked at 100 steps here (their
 * defaults run through every other check, and against the library in edm-diffusers-fixtures.test.ts).
 */
function paramSets(spec: SamplerSpec): Record<string, number | string | boolean>[] {
  const long = spec.stepsParam !== undefined && resolveSamplerRun({ [spec.group]: spec.id, process: spec.processes[0] }).times.length > 101;
  return [long ? { [spec.stepsParam!]: 100 } : {}, ...(VECTOR_SAMPLERS[vectorKey(spec)]?.paramSets ?? [])];
}

describe.each(ALL_SAMPLERS.map((s) => [`${s.group} ${s.id}`, s] as const))('%s', (_name, spec) => {
  it('has a plain-vector reference in test/conformance/vector-samplers.ts', () => {
    expect(VECTOR_SAMPLERS[vectorKey(spec)], `add VECTOR_SAMPLERS['${vectorKey(spec)}']`).toBeDefined();
  });

  for (const process of spec.processes) {
    for (const given of paramSets(spec)) {
      it(`exact law = impulse law of the vector sampler (process ${process}, params ${JSON.stringify(given)}), both starts, NFE`, () => {
        const grid = gridOf(spec, process);
        const opts = { [spec.group]: spec.id, process, params: given, ...grid };
        const r = resolveSamplerRun(opts);
        for (const start of ['exact', 'prior'] as const) {
          const out = runSamplerSync(LAMBDA, { ...opts, start, means: M_EIG, variances: true });
          expect(out.nfe).toBe(spec.nfe(out.steps, out.params, r.times));
          // Start law in the eigenbasis: exact = forward marginal at t0; prior = the convention.
          const t0 = r.times[0];
          const { a2, s2, prior } = startLevels(process, r.processParams, t0);
          const mu0 = start === 'exact' ? MEAN.map((v) => Math.sqrt(a2) * v) : new Float64Array(D);
          const sd0 = Float64Array.from(LAMBDA, (l) => Math.sqrt(start === 'exact' ? a2 * l + s2 : prior));
          const law = vectorLaw(spec, out.params, r.processParams, r.times, mu0, sd0, process);
          expect(law.evals, 'NFE rule vs evaluations of the vector run').toBe(out.nfe);
          let w2sq = 0;
          // The vector side works in a rotated basis: its rounding is absolute, of the size of the
          // largest variance in play (hence the floor ABS · scale for λ = 0 directions).
          let scale = 1;
          for (let q = 0; q < D; q++) scale = Math.max(scale, Math.abs(law.cov[q * D + q]));
          for (let i = 0; i < D; i++) {
            const u = col(i);
            const mean = u.reduce((a, x, q) => a + x * law.mean[q], 0);
            const cu = new Float64Array(D);
            for (let q = 0; q < D; q++) for (let c = 0; c < D; c++) cu[q] += law.cov[q * D + c] * u[c];
            const v = u.reduce((a, x, q) => a + x * cu[q], 0);
            expect(Math.abs(out.variances![i] - v), `variance λ=${LAMBDA[i]} ${start}: ${out.variances![i]} vs ${v}`).toBeLessThanOrEqual((VECTOR_SAMPLERS[vectorKey(spec)].rel ?? REL) * Math.abs(v) + ABS * scale);
            expect(Math.abs(out.outputMeans![i] - mean), `mean λ=${LAMBDA[i]} ${start}: ${out.outputMeans![i]} vs ${mean}`).toBeLessThanOrEqual((VECTOR_SAMPLERS[vectorKey(spec)].rel ?? REL) * Math.max(1, Math.abs(mean)));
            for (let j = i + 1; j < D; j++) {
              const uj = col(j);
              const off = uj.reduce((a, x, q) => a + x * cu[q], 0);
              const vj = uj.reduce((a, x, q) => a + x * law.cov.slice(q * D, q * D + D).reduce((b, y, c) => b + y * uj[c], 0), 0);
              expect(Math.abs(off)).toBeLessThanOrEqual((VECTOR_SAMPLERS[vectorKey(spec)].rel ?? REL) * Math.sqrt(Math.max(v * vj, 0)) + ABS * scale);
            }
            w2sq += (Math.sqrt(Math.max(v, 0)) - Math.sqrt(LAMBDA[i])) ** 2 + (mean - M_EIG[i]) ** 2;
          }
          expect(rel(out.w2!, Math.sqrt(w2sq)), `w2 ${start}`).toBeLessThanOrEqual(W2_REL);
        }
      });
    }

    it(`generic kernel path = specialised path; deterministic (process ${process})`, () => {
      const r = resolveSamplerRun({ [spec.group]: spec.id, process, ...gridOf(spec, process) });
      const values = new Float64Array([0, 2e-3, 0.05, 0.7, 3, 40]);
      const call = (generic: boolean) => generalRunRaw({
        coreId: spec.coreId, params: packParams(spec.params, r.params), processId: PROCESSES[process].coreId,
        processParams: packParams(PROCESSES[process].params, r.processParams), times: r.times, h: r.h,
        values, weights: new Float64Array(6).fill(1), meanSq: new Float64Array(6).fill(0.5),
        wantTraj: true, wantV: true, wantMean: true, generic,
      });
      const a = call(false), b = call(false), g = call(true);
      // The final-sums-only call (its own loops for deterministic samplers) gives the same sums.
      const finalOnly = generalRunRaw({
        coreId: spec.coreId, params: packParams(spec.params, r.params), processId: PROCESSES[process].coreId,
        processParams: packParams(PROCESSES[process].params, r.processParams), times: r.times, h: r.h,
        values, weights: new Float64Array(6).fill(1), meanSq: null, wantTraj: false, wantV: false, wantMean: false,
      });
      const centred = generalRunRaw({
        coreId: spec.coreId, params: packParams(spec.params, r.params), processId: PROCESSES[process].coreId,
        processParams: packParams(PROCESSES[process].params, r.processParams), times: r.times, h: r.h,
        values, weights: new Float64Array(6).fill(1), meanSq: null, wantTraj: true, wantV: true, wantMean: false,
      });
      expect(Array.from(finalOnly.sums)).toEqual(Array.from(centred.sums));
      for (const key of ['sums', 'traj', 'v', 'mean'] as const) {
        expect(Array.from(b[key])).toEqual(Array.from(a[key]));
        a[key].forEach((x, i) => {
          if (Number.isFinite(x)) expect(Math.abs(x - g[key][i]), `${key}[${i}]: ${x} vs ${g[key][i]}`).toBeLessThanOrEqual(GENERIC_REL * Math.abs(x) + GENERIC_ABS);
          else expect(Number.isFinite(g[key][i])).toBe(false);
        });
      }
    });
  }

  it('the core agrees on the state size', () => {
    expect(coreStateSize(spec.coreId)).toBe(spec.stateSize);
  });

  it('validates its parameters once, naming them', () => {
    const base = { [spec.group]: spec.id, ...gridOf(spec, spec.processes[0]), process: spec.processes[0] };
    expect(() => resolveSamplerRun({ ...base, params: { no_such_param: 1 } })).toThrow(/params\.no_such_param/);
    for (const p of spec.params) {
      expect(() => resolveSamplerRun({ ...base, params: { [p.name]: Number.NaN } })).toThrow(new RegExp(`params\\.${p.name}`));
      if (p.type === 'choice') {
        // A choice is a string: one outside the list is a bad value.
        expect(() => resolveSamplerRun({ ...base, params: { [p.name]: 'x' } })).toThrow(RangeError);
        expect(() => resolveSamplerRun({ ...base, params: { [p.name]: 'x' } })).toThrow(new RegExp(`params\\.${p.name} must be one of ${p.choices.join(', ').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        continue;
      }
      expect(() => resolveSamplerRun({ ...base, params: { [p.name]: 'x' as unknown as number } })).toThrow(TypeError);
      if (p.type === 'boolean') continue;
      if (p.min !== undefined) expect(() => resolveSamplerRun({ ...base, params: { [p.name]: p.min - 1 } })).toThrow(RangeError);
      if (p.max !== undefined) expect(() => resolveSamplerRun({ ...base, params: { [p.name]: p.max + 1 } })).toThrow(RangeError);
      if (p.integer) expect(() => resolveSamplerRun({ ...base, params: { [p.name]: (p.min ?? 0) + 0.5 } })).toThrow(/an integer/);
    }
    const defaults = resolveSamplerRun(base).params;
    expect(Object.keys(defaults)).toEqual(spec.params.map((p) => p.name));
  });
});

describe('registries', () => {
  it('ids are unique per group and core ids are unique', () => {
    const keys = ALL_SAMPLERS.map((s) => `${s.group}:${s.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    const ids = ALL_SAMPLERS.map((s) => s.coreId);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it("the schemes' registry order is the fast path's id order (defaults.SCHEMES = core ids)", () => {
    SCHEMES.forEach((id, i) => expect(SCHEME_REGISTRY[id].coreId).toBe(i));
    expect(Object.keys(SCHEME_REGISTRY)).toEqual([...SCHEMES]);
  });
  it('every sampler names existing processes and a default scheduler that fits them', () => {
    for (const s of ALL_SAMPLERS) {
      for (const p of s.processes) expect(PROCESSES[p], `${s.id}: process ${p}`).toBeDefined();
      expect(SCHEDULERS[s.defaultScheduler].processes).toContain(s.processes[0]);
    }
  });
  it('an unknown id aborts loudly: core (sampler, process) and registry', () => {
    const base = {
      params: new Float64Array(1), processParams: new Float64Array([0.05, 10, 1]), times: new Float64Array([1, 0.5, 0]), h: null,
      values: new Float64Array([1, 2]), weights: new Float64Array([1, 1]), meanSq: null, wantTraj: false, wantV: false, wantMean: false,
    };
    expect(() => generalRunRaw({ ...base, coreId: 99, processId: 0 })).toThrow(/unknown sampler id 99/);
    expect(() => generalRunRaw({ ...base, coreId: 0, processId: 7 })).toThrow(/unknown forward process id 7|does not run on forward process 7/);
    expect(() => generalRunRaw({ ...base, coreId: 8, processId: 0 })).toThrow(/does not run on forward process 0/);
    expect(() => resolveSamplerRun({ sampler: 'nope', steps: 3 })).toThrow(/sampler must be one of/);
    expect(() => resolveSamplerRun({ scheme: 'nope', steps: 3 })).toThrow(/scheme must be one of/);
    expect(() => resolveSamplerRun({ scheme: 'em', steps: 3, process: 'nope' })).toThrow(/process must be one of/);
    expect(() => resolveSamplerRun({ scheme: 'em', steps: 3, scheduler: 'nope' })).toThrow(/scheduler must be one of/);
  });
  it('grid options: exactly one of times and steps; times decreasing', () => {
    expect(() => resolveSamplerRun({ scheme: 'em' })).toThrow(/exactly one of times and steps/);
    expect(() => resolveSamplerRun({ scheme: 'em', steps: 3, times: [1, 0] })).toThrow(/exactly one of times and steps/);
    expect(() => resolveSamplerRun({ scheme: 'em', times: [1, 1, 0] })).toThrow(/times\[1\]/);
    expect(() => resolveSamplerRun({ scheme: 'ddpm', steps: 5 })).toThrow(/DDPM/);
    expect(resolveSamplerRun({ scheme: 'em', times: [1, 0.5, 0] }).h).toBeNull();
    expect(() => resolveSamplerRun({ sampler: 'dpmpp_2m', steps: 2 ** 20 + 1 })).toThrow(/steps must be at most 1048576/);
    expect(() => resolveSamplerRun({ scheme: 'em', times: [1, -0.5] })).toThrow(/times\[1\]/);
    expect(() => resolveSamplerRun({ scheme: 'em', times: [1, Number.NaN] })).toThrow(/times\[1\]/);
  });
});
