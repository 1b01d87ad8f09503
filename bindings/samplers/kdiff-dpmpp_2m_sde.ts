/**
 * k-diffusion's `sample_dpmpp_2m_sde` (DPM-Solver++(2M) SDE; `solver_type` midpoint|heun): a
 * two-state registry entry (x, previous denoised); numbers in assembly/samplers/k-diffusion.ts.
 */
import type { SamplerSpec } from './types.js';
import { ETA_PARAMS } from './k-diffusion.js';

export const spec = {
  id: 'dpmpp_2m_sde',
  group: 'sampler',
  coreId: 16,
  source: { origin: 'crowsonkb/k-diffusion', function: 'k_diffusion/sampling.py sample_dpmpp_2m_sde', math: 'docs/MATH-samplers.md §5.10' },
  kind: 'sde',
  stateSize: 2,
  nfe: (steps) => steps,
  params: [
    ...ETA_PARAMS,
    { name: 'solver_type', type: 'choice', choices: ['midpoint', 'heun'], default: 'midpoint', doc: 'second-order correction: midpoint (1 − e^{−H})/(2r) or heun ψ(H)/r' },
  ],
  processes: ['edm'],
  defaultScheduler: 'karras',
  label: 'DPM-Solver++(2M) SDE (k-diffusion)',
  colour: '#117733',
} as const satisfies SamplerSpec;
