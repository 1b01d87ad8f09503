/**
 * k-diffusion's `sample_lms` (linear multistep in σ on the slopes d = (x − D)/σ, order ≤ 4): a
 * registry entry; its numbers are in assembly/samplers/k-diffusion.ts. Its last step integrates the
 * extrapolating polynomial down to σ = 0 (no Euler or denoising special case).
 */
import type { SamplerSpec } from './types.js';

export const spec = {
  id: 'lms',
  group: 'sampler',
  coreId: 13,
  source: { origin: 'crowsonkb/k-diffusion', function: 'k_diffusion/sampling.py sample_lms', math: 'docs/MATH-samplers.md §5.12' },
  kind: 'ode',
  stateSize: 4,
  nfe: (steps) => steps,
  params: [
    { name: 'order', type: 'number', default: 4, min: 1, max: 4, integer: true, doc: 'number of slopes combined (1 = Euler); at most 4 here' },
  ],
  processes: ['edm'],
  defaultScheduler: 'karras',
  label: 'LMS (k-diffusion)',
  colour: '#F0E442',
} as const satisfies SamplerSpec;
