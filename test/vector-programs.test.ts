/**
 * The vector programs of the samplers (assembly/samplers/stages.ts, docs/MATH-samplers.md §1.1):
 * what the data-space samplers run with any score. With the exact affine score
 * s(τ, y) = −(y − α_τ m)/λ_τ a program must give back, per eigenvalue, the step (a, b, q) of the
 * exact law (the same table, two expressions of one step): checked here on the core's own numbers,
 * to 1e-13 relative (a few roundings of different order), for every scheme, several grids and
 * parameters. A sampler without a program aborts by name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../dist/bindings/index.node.js';
import { stepCoefficients, stepStages, type StepSource } from '../dist/bindings/exact/core-general.js';
import { ALL_SAMPLERS, SCHEME_LIST } from '../dist/bindings/samplers/index.js';
import { packParams } from '../dist/bindings/samplers/params.js';
import { PROCESSES } from '../dist/bindings/processes/index.js';

beforeAll(() => init());

const LAMBDAS = [1e-3, 0.05, 0.7, 1, 3.5, 40];

/** Run step k's program on one scalar per eigenvalue: x' = program(x) with the affine score, no noise. */
function programStep(rec: Float64Array, at: number, lam: number, x: number, m: number): number {
  const S = rec[at], a = rec[at + 1], w = rec[at + 2];
  const g: number[] = [];
  let sum = 0;
  for (let j = 0; j < S; j++) {
    const st = at + 4 + 10 * j;
    let y = x;
    for (let i = 0; i < j; i++) y += rec[st + 6 + i] * g[i];
    const [signal, noise] = [rec[st + 1], rec[st + 2]];
    const s = -(y - Math.sqrt(signal) * m) / (signal * lam + noise);
    const gj = rec[st + 4] * (rec[st + 3] * y + s);
    g.push(gj);
    sum += rec[st + 5] * gj;
  }
  return a * x + w * sum;
}

function source(id: string, K: number, eps: number, params: Record<string, number>, uniformH: boolean): StepSource {
  const spec = SCHEME_LIST.find((s) => s.id === id)!;
  const pp = { betaMin: 0.1, betaMax: 12, T: 1 };
  // A uniform grid (the paper's, with its step sizes) or a non-uniform one (h_k = t_k − t_{k+1}).
  const times = Float64Array.from({ length: K + 1 }, (_, k) => (k === K ? eps : uniformH ? 1 - (1 - eps) * k / K : eps + (1 - eps) * ((K - k) / K) ** 2));
  return {
    coreId: spec.coreId, stateSize: spec.stateSize, params: packParams(spec.params, params),
    processId: PROCESSES.vp.coreId, processParams: packParams(PROCESSES.vp.params, pp), times,
    h: uniformH ? new Float64Array(K).fill((1 - eps) / K) : null,
  };
}

describe('vector programs = exact coefficients (the paper\'s schemes)', () => {
  for (const spec of SCHEME_LIST) {
    for (const uniformH of [true, false]) {
      it(`${spec.id}, ${uniformH ? 'uniform' : 'quadratic'} grid: a, b from the program with the exact score; R = q`, () => {
        const K = spec.id === 'ddpm' ? 80 : 9; // DDPM needs 2 h_k β(t_k) < 1
        const src = source(spec.id, K, 1e-3, spec.id === 'em-alpha' ? { alpha: 0.6 } : {}, uniformH);
        const lam = Float64Array.from(LAMBDAS);
        const coef = stepCoefficients(src, 0, K, lam);
        const { stride, records } = stepStages(src, 0, K);
        const n = lam.length;
        let worst = 0;
        for (let k = 0; k < K; k++) {
          for (let i = 0; i < n; i++) {
            const a = coef[(3 * k) * n + i], b = coef[(3 * k + 1) * n + i], q = coef[(3 * k + 2) * n + i];
            const aProgram = programStep(records, k * stride, lam[i], 1, 0);
            const bProgram = programStep(records, k * stride, lam[i], 0, 1);
            worst = Math.max(worst, Math.abs(aProgram - a) / Math.abs(a), Math.abs(bProgram - b) / Math.max(Math.abs(b), 1e-300));
            expect(records[k * stride + 3], `R at step ${k}`).toBe(spec.kind === 'sde' ? q : 0);
          }
        }
        expect(worst).toBeLessThan(1e-13);
      });
    }
  }

  it('a sampler without a vector program aborts by name (no fall-through)', () => {
    const lib = ALL_SAMPLERS.find((s) => s.group === 'sampler')!;
    const src: StepSource = {
      coreId: lib.coreId, stateSize: lib.stateSize, params: packParams(lib.params, {}),
      processId: PROCESSES.edm.coreId, processParams: new Float64Array(0), times: Float64Array.of(10, 1, 0), h: null,
    };
    expect(() => stepStages(src, 0, 2)).toThrow(new RegExp(`sampler ${lib.coreId} has no vector program`));
  });
});
