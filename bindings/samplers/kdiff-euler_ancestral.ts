/**
 * k-diffusion's `sample_euler_ancestral` (Euler steps to σ_down, then fresh noise σ_up): a
 * registry entry; its numbers are in assembly/samplers/k-diffusion.ts. The worked example of
 * docs/adding-a-sampler.md.
 */
import type { SamplerSpec } from './types.js';

export const spec = {
  id: 'euler_ancestral',
  group: 'sampler',
  coreId: 9,
  source: { origin: 'crowsonkb/k-diffusion', function: 'k_diffusion/sampling.py sample_euler_ancestral', math: 'docs/MATH-samplers.md §5.5' },
  kind: 'sde',
  stateSize: 1,
  nfe: (steps) => steps,
  params: [
    { name: 'eta', type: 'number', default: 1, min: 0, doc: 'η: share of the step taken as fresh noise (0 = Euler, 1 = ancestral)' },
    { name: 's_noise', type: 'number', default: 1, min: 0, doc: 'scale of the added noise' },
  ],
  processes: ['edm'],
  defaultScheduler: 'karras',
  label: 'Euler ancestral (k-diffusion)',
  colour: '#D55E00',
} as const satisfies SamplerSpec;
