/**
 * k-diffusion's `sample_dpmpp_3m_sde` (DPM-Solver++(3M) SDE): a three-state registry entry (x and
 * the two previous denoised values); its numbers are in assembly/samplers/k-diffusion.ts.
 */
import type { SamplerSpec } from './types.js';
import { ETA_PARAMS } from './k-diffusion.js';

export const spec = {
  id: 'dpmpp_3m_sde',
  group: 'sampler',
  coreId: 17,
  source: { origin: 'crowsonkb/k-diffusion', function: 'k_diffusion/sampling.py sample_dpmpp_3m_sde', math: 'docs/MATH-samplers.md §5.11' },
  kind: 'sde',
  stateSize: 3,
  nfe: (steps) => steps,
  params: ETA_PARAMS,
  processes: ['edm'],
  defaultScheduler: 'karras',
  label: 'DPM-Solver++(3M) SDE (k-diffusion)',
  colour: '#332288',
} as const satisfies SamplerSpec;
