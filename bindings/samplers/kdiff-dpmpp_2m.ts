/**
 * k-diffusion's `sample_dpmpp_2m` (DPM-Solver++(2M), Lu et al. 2022): a two-state registry entry
 * (x, previous denoised); its numbers are in assembly/samplers/k-diffusion.ts.
 */
import type { SamplerSpec } from './types.js';

export const spec = {
  id: 'dpmpp_2m',
  group: 'sampler',
  coreId: 8,
  source: { origin: 'crowsonkb/k-diffusion', function: 'k_diffusion/sampling.py sample_dpmpp_2m', math: 'docs/MATH-samplers.md §5.9' },
  kind: 'ode',
  stateSize: 2,
  nfe: (steps) => steps,
  params: [],
  processes: ['edm'],
  defaultScheduler: 'karras',
  label: 'DPM-Solver++(2M)',
  colour: '#009E73',
} as const satisfies SamplerSpec;
