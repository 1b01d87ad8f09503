/**
 * k-diffusion's `sample_euler` (Karras et al. 2022, Algorithm 2 with Euler steps; with `s_churn`
 * the stochastic churn): a registry entry; its numbers are in assembly/samplers/k-diffusion.ts.
 */
import type { SamplerSpec } from './types.js';

export const spec = {
  id: 'euler',
  group: 'sampler',
  coreId: 7,
  source: { origin: 'crowsonkb/k-diffusion', function: 'k_diffusion/sampling.py sample_euler', math: 'docs/MATH-samplers.md §5.1, §5.3' },
  kind: 'ode',
  stateSize: 1,
  nfe: (steps) => steps,
  params: [
    { name: 's_churn', type: 'number', default: 0, min: 0, doc: 'churn: γ_i = min(s_churn/N, √2 − 1) on σ_i ∈ [s_tmin, s_tmax]' },
    { name: 's_tmin', type: 'number', default: 0, min: 0, doc: 'lowest σ that gets churn' },
    { name: 's_tmax', type: 'number', default: Infinity, min: 0, infinite: true, doc: 'highest σ that gets churn (default ∞)' },
    { name: 's_noise', type: 'number', default: 1, min: 0, doc: 'scale of the churn noise' },
  ],
  processes: ['edm'],
  defaultScheduler: 'karras',
  label: 'Euler (k-diffusion)',
  colour: '#0072B2',
} as const satisfies SamplerSpec;
