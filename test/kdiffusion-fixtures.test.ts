/**
 * k-diffusion's own code as the reference: test/fixtures/kdiffusion/laws.json was made by
 * test/fixtures/kdiffusion/make_fixtures.py, which runs the UNMODIFIED `sample_*` functions of
 * crowsonkb/k-diffusion k_diffusion/sampling.py (commit in the file) in float64 with the exact
 * affine denoiser of a diagonal Gaussian, and reads each sampler's exact per-eigenvalue law off
 * impulse runs: out = c + M x₀ + Σ_j G_j z_j per coordinate. Here, per eigenvalue and for both
 * starts, the law from the fixture — mean c + M μ₀, variance M² v₀ + Gᵀ C G with C the covariance
 * of the sampler's noise calls — must equal the core's (runSampler) to 1e-12 relative (floor
 * 1e-14 × the start variance for the directions where the law nearly vanishes); the NFE must equal
 * the denoiser calls the library made.
 * C: independent unit noises (torch.randn_like, default_noise_sampler), except the samplers whose
 * default noise sampler is BrownianTreeNoiseSampler (dpmpp_sde, dpmpp_2m_sde, dpmpp_3m_sde): there
 * the call for (σ, σ_next) is the normalised increment of ONE Brownian path in σ over that interval,
 * so C_ab = |I_a ∩ I_b| / √(|I_a| |I_b|) (the fixture's sign check runs the library's wrappers on
 * the path W(t) = t: both noises of a step have the same sign). A run of dpmpp_sde with independent
 * noises must then differ: the trap of docs/MATH-samplers.md §12.1.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, runSamplerSync } from '../dist/bindings/index.node.js';

interface Law {
  sampler: string; params: Record<string, number | string>; grid: string; sigmas: number[];
  c: number[]; M: number[]; G: number[][]; calls: [string, number | null, number | null][]; evals: number;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/kdiffusion/laws.json', import.meta.url), 'utf8')) as {
  commit: string; lambda: number[]; mean: number[]; brownian_sign_check: Record<string, number>; laws: Law[];
};
const BROWNIAN_DEFAULT = new Set(['dpmpp_sde', 'dpmpp_2m_sde', 'dpmpp_3m_sde']);
const REL = 1e-12;

/** Gᵀ C G for coordinate i. */
function noiseVariance(law: Law, i: number, brownian: boolean): number {
  const g = law.G.map((row) => row[i]);
  let v = 0;
  for (let a = 0; a < g.length; a++) {
    for (let b = 0; b < g.length; b++) {
      let cab = a === b ? 1 : 0;
      const [ka, sa, na] = law.calls[a], [kb, sb, nb] = law.calls[b];
      if (brownian && a !== b && ka === 'noise_sampler' && kb === 'noise_sampler') {
        const loA = Math.min(sa!, na!), hiA = Math.max(sa!, na!), loB = Math.min(sb!, nb!), hiB = Math.max(sb!, nb!);
        const overlap = Math.max(0, Math.min(hiA, hiB) - Math.max(loA, loB));
        cab = overlap / Math.sqrt((hiA - loA) * (hiB - loB));
      }
      v += g[a] * cab * g[b];
    }
  }
  return v;
}

beforeAll(async () => { await init(); });

describe(`k-diffusion's own sampling.py (commit ${fixture.commit.slice(0, 12)})`, () => {
  it('the fixture comes from the library: its BrownianTreeNoiseSampler gives both noises of a step the same sign', () => {
    expect(fixture.commit).toMatch(/^[0-9a-f]{40}$/);
    const s = fixture.brownian_sign_check;
    expect(Math.sign(s['noise(5, 2)'])).toBe(Math.sign(s['noise(5, 1)']));
    expect(Math.abs(s['noise(5, 2)'])).toBeCloseTo(Math.sqrt(3), 14);
  });

  for (const law of fixture.laws) {
    it(`${law.sampler} ${JSON.stringify(law.params)} on ${law.grid}: exact law and NFE`, () => {
      const lam = fixture.lambda, m = fixture.mean;
      const s0 = law.sigmas[0];
      const brownian = BROWNIAN_DEFAULT.has(law.sampler);
      for (const start of ['exact', 'prior'] as const) {
        // dpm_fast builds its own grid (from sigma_min, sigma_max, n): it must be the library's.
        const grid = law.grid === 'own' ? {} : { times: law.sigmas };
        const r = runSamplerSync(lam, { sampler: law.sampler as never, ...grid, params: law.params, start, means: m, variances: true });
        expect(r.nfe, 'NFE = denoiser calls of the library').toBe(law.evals);
        expect(r.times.length).toBe(law.sigmas.length);
        r.times.forEach((t, k) => expect(Math.abs(t - law.sigmas[k]), `sigmas[${k}]`).toBeLessThanOrEqual(1e-14 * law.sigmas[k]));
        lam.forEach((l, i) => {
          const v0 = start === 'exact' ? l + s0 * s0 : s0 * s0;
          const mu0 = start === 'exact' ? m[i] : 0;
          const v = law.M[i] ** 2 * v0 + noiseVariance(law, i, brownian);
          const mean = law.c[i] + law.M[i] * mu0;
          const floor = 1e-14 * v0;
          expect(Math.abs(r.variances![i] - v), `variance λ=${l} ${start}: ${r.variances![i]} vs ${v}`).toBeLessThanOrEqual(REL * v + floor);
          expect(Math.abs(r.outputMeans![i] - mean), `mean λ=${l} ${start}: ${r.outputMeans![i]} vs ${mean}`).toBeLessThanOrEqual(REL * Math.max(1, Math.abs(mean)));
        });
      }
    });
  }

  it("dpmpp_sde: with independent noises (noise_sampler: 'independent') the law is the fixture's with C = I — and differs from the default", () => {
    const lam = fixture.lambda;
    for (const law of fixture.laws.filter((l) => l.sampler === 'dpmpp_sde')) {
      const r = runSamplerSync(lam, { sampler: 'dpmpp_sde', times: law.sigmas, params: { ...law.params, noise_sampler: 'independent' }, start: 'prior', variances: true });
      const d = runSamplerSync(lam, { sampler: 'dpmpp_sde', times: law.sigmas, params: law.params, start: 'prior', variances: true });
      let differs = 0;
      lam.forEach((l, i) => {
        const v = law.M[i] ** 2 * law.sigmas[0] ** 2 + noiseVariance(law, i, false);
        expect(Math.abs(r.variances![i] - v)).toBeLessThanOrEqual(REL * v + 1e-14 * law.sigmas[0] ** 2);
        if (d.variances![i] > 0) differs = Math.max(differs, Math.abs(r.variances![i] - d.variances![i]) / d.variances![i]);
      });
      expect(differs).toBeGreaterThan(1e-3);
    }
  });
});
