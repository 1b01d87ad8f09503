/**
 * k-diffusion's `sample_dpmpp_2s_ancestral` (DPM-Solver++(2S) to σ_down, then fresh noise σ_up): a
 * registry entry; its numbers are in assembly/samplers/k-diffusion.ts.
 */
import type { SamplerSpec } from './types.js';
import { ETA_PARAMS, secondEvaluations } from './k-diffusion.js';

export const spec = {
  id: 'dpmpp_2s_ancestral',
  group: 'sampler',
  coreId: 14,
  source: { origin: 'crowsonkb/k-diffusion', function: 'k_diffusion/sampling.py sample_dpmpp_2s_ancestral', math: 'docs/MATH-samplers.md §5.7' },
  kind: 'sde',
  stateSize: 1,
  nfe: (steps, params, sigmas) => steps + secondEvaluations(steps, sigmas, params.eta as number),
  params: ETA_PARAMS,
  processes: ['edm'],
  defaultScheduler: 'karras',
  label: 'DPM-Solver++(2S) ancestral (k-diffusion)',
  colour: '#000000',
} as const satisfies SamplerSpec;
