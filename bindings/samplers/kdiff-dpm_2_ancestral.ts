/**
 * k-diffusion's `sample_dpm_2_ancestral` (DPM-Solver-2 steps to σ_down, then fresh noise σ_up; no
 * noise on a step whose σ_down is 0): a registry entry; numbers in assembly/samplers/k-diffusion.ts.
 */
import type { SamplerSpec } from './types.js';
import { ETA_PARAMS, secondEvaluations } from './k-diffusion.js';

export const spec = {
  id: 'dpm_2_ancestral',
  group: 'sampler',
  coreId: 12,
  source: { origin: 'crowsonkb/k-diffusion', function: 'k_diffusion/sampling.py sample_dpm_2_ancestral', math: 'docs/MATH-samplers.md §5.4, §5.5' },
  kind: 'sde',
  stateSize: 1,
  nfe: (steps, params, sigmas) => steps + secondEvaluations(steps, sigmas, params.eta as number),
  params: ETA_PARAMS,
  processes: ['edm'],
  defaultScheduler: 'karras',
  label: 'DPM-2 ancestral (k-diffusion)',
  colour: '#CC79A7',
} as const satisfies SamplerSpec;
