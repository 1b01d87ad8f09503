/**
 * k-diffusion's `sample_heun` (Karras et al. 2022, Algorithm 2 with Heun steps; with `s_churn` the
 * stochastic churn): a registry entry; its numbers are in assembly/samplers/k-diffusion.ts.
 * The step to σ = 0 is an Euler step: NFE 2N − 1 on grids that end at 0.
 */
import type { SamplerSpec } from './types.js';
import { CHURN_PARAMS, secondEvaluations } from './k-diffusion.js';

export const spec = {
  id: 'heun',
  group: 'sampler',
  coreId: 10,
  source: { origin: 'crowsonkb/k-diffusion', function: 'k_diffusion/sampling.py sample_heun', math: 'docs/MATH-samplers.md §5.2, §5.3' },
  kind: 'ode',
  stateSize: 1,
  nfe: (steps, _params, sigmas) => steps + secondEvaluations(steps, sigmas),
  params: CHURN_PARAMS,
  processes: ['edm'],
  defaultScheduler: 'karras',
  label: 'Heun (k-diffusion)',
  colour: '#E69F00',
} as const satisfies SamplerSpec;
