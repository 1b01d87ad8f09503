/**
 * k-diffusion's `sample_dpmpp_sde` (DPM-Solver++ SDE, two evaluations a step): a registry entry; its
 * numbers are in assembly/samplers/k-diffusion.ts. Its two noises of a step are increments of ONE
 * Brownian path (BrownianTreeNoiseSampler), correlated √((σ − σ_m)/(σ − σ')); `noise_sampler:
 * 'independent'` is the law with a caller's iid noise_sampler (k-diffusion's default_noise_sampler).
 */
import type { SamplerSpec } from './types.js';
import { ETA_PARAMS, secondEvaluations } from './k-diffusion.js';

export const spec = {
  id: 'dpmpp_sde',
  group: 'sampler',
  coreId: 15,
  source: { origin: 'crowsonkb/k-diffusion', function: 'k_diffusion/sampling.py sample_dpmpp_sde', math: 'docs/MATH-samplers.md §5.8' },
  kind: 'sde',
  stateSize: 1,
  nfe: (steps, _params, sigmas) => steps + secondEvaluations(steps, sigmas),
  params: [
    ...ETA_PARAMS,
    { name: 'r', type: 'number', default: 0.5, above: 0, max: 1, doc: 'relative position of the intermediate step in log σ (0 < r ≤ 1: the Brownian correlation assumes σ_m ≥ σ′)' },
    {
      name: 'noise_sampler', type: 'choice', choices: ['brownian', 'independent'], default: 'brownian',
      doc: "brownian: k-diffusion's default BrownianTreeNoiseSampler (the step's two noises correlated); independent: iid noises",
    },
  ],
  processes: ['edm'],
  defaultScheduler: 'karras',
  label: 'DPM-Solver++ SDE (k-diffusion)',
  colour: '#882255',
} as const satisfies SamplerSpec;
