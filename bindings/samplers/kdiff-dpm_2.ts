/**
 * k-diffusion's `sample_dpm_2` (DPM-Solver-2 with a log-midpoint evaluation, Algorithm 2's churn):
 * a registry entry; its numbers are in assembly/samplers/k-diffusion.ts. The step to σ = 0 is an
 * Euler step: NFE 2N − 1 on grids that end at 0.
 */
import type { SamplerSpec } from './types.js';
import { CHURN_PARAMS, secondEvaluations } from './k-diffusion.js';

export const spec = {
  id: 'dpm_2',
  group: 'sampler',
  coreId: 11,
  source: { origin: 'crowsonkb/k-diffusion', function: 'k_diffusion/sampling.py sample_dpm_2', math: 'docs/MATH-samplers.md §5.4, §5.3' },
  kind: 'ode',
  stateSize: 1,
  nfe: (steps, _params, sigmas) => steps + secondEvaluations(steps, sigmas),
  params: CHURN_PARAMS,
  processes: ['edm'],
  defaultScheduler: 'karras',
  label: 'DPM-2 (k-diffusion)',
  colour: '#56B4E9',
} as const satisfies SamplerSpec;
