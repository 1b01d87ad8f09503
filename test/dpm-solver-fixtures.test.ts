/**
 * DPM-Solver's and UniPC's own code as the reference: test/fixtures/dpm-solver/laws.json was made by
 * test/fixtures/dpm-solver/make_fixtures.py, which runs the UNMODIFIED `DPM_Solver.sample`
 * (LuChengTHU/dpm-solver dpm_solver_pytorch.py) and `UniPC.sample` (wl-zhao/UniPC uni_pc.py) in
 * float64 with the exact noise-prediction model of a diagonal Gaussian on the library's
 * NoiseScheduleVP, and reads each run's law off impulse runs: out = c + M x₀ per coordinate.
 * Here, per eigenvalue and for both starts (prior N(0, I) at t_start: mean c, variance M²; exact:
 * mean c + M α m, variance M²(α²λ + σ²)), the core's law (runSampler) must equal the fixture's to
 * 1e-11 relative (floor 1e-14 × the start variance): the libraries compute σ_t as √(1 − e^{2 log α})
 * and the core as √(−expm1(2 log α)), which differ by up to 1e-16/σ_t² ≈ 1e-12 relative at
 * t_end = 1e-3 (σ² ≈ 1e-4). The NFE must equal the model calls the library made, and every grid
 * point the core reports (except an appended t = 0) must be a time the library evaluated the model at
 * (to 1e-12 relative: logSNR grids go through λ⁻¹, computed differently).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, runSamplerSync } from '../dist/bindings/index.node.js';

interface Law {
  sampler: string; model: string; params: Record<string, number | string | boolean>;
  c: number[]; M: number[]; evals: number; eval_times: number[]; alpha_start: number; sigma_start: number;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/dpm-solver/laws.json', import.meta.url), 'utf8')) as {
  sources: Record<string, { repo: string; file: string; commit: string }>; lambda: number[]; mean: number[]; laws: Law[];
};
const REL = 1e-11;

beforeAll(async () => { await init(); });

describe(`DPM-Solver (${fixture.sources.dpm_solver.commit.slice(0, 7)}) and UniPC (${fixture.sources.unipc.commit.slice(0, 7)}): their own sample()`, () => {
  it('the fixture names the commits it was made from', () => {
    for (const s of Object.values(fixture.sources)) expect(s.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(fixture.laws.length).toBeGreaterThan(20);
  });

  for (const law of fixture.laws) {
    it(`${law.sampler} on ${law.model} ${JSON.stringify(law.params)}: exact law, NFE, grid`, () => {
      const lam = fixture.lambda, m = fixture.mean;
      for (const start of ['exact', 'prior'] as const) {
        const r = runSamplerSync(lam, { sampler: law.sampler as never, model: law.model, params: law.params, start, means: m, variances: true });
        expect(r.nfe, 'NFE = model calls of the library').toBe(law.evals);
        const K = r.times.length - 1;
        const solved = r.times[K] === 0 ? K : K + 1; // t = 0 appended by denoise_to_zero
        for (let k = 0; k < solved - 1; k++) {
          const near = law.eval_times.some((t) => Math.abs(t - r.times[k]) <= 1e-12 * r.times[k]);
          expect(near, `grid point t[${k}] = ${r.times[k]} is a time the library evaluated at`).toBe(true);
        }
        lam.forEach((l, i) => {
          const a = law.alpha_start, s = law.sigma_start;
          const v0 = start === 'exact' ? a * a * l + s * s : 1;
          const mu0 = start === 'exact' ? a * m[i] : 0;
          const v = law.M[i] ** 2 * v0;
          const mean = law.c[i] + law.M[i] * mu0;
          expect(Math.abs(r.variances![i] - v), `variance λ=${l} ${start}: ${r.variances![i]} vs ${v}`).toBeLessThanOrEqual(REL * v + 1e-14 * v0);
          expect(Math.abs(r.outputMeans![i] - mean), `mean λ=${l} ${start}: ${r.outputMeans![i]} vs ${mean}`).toBeLessThanOrEqual(REL * Math.max(1, Math.abs(mean)));
        });
      }
    });
  }
});
