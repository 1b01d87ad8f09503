/**
 * The textbook explicit midpoint rule in σ on the flow ODE dx/dσ = v (no library defines this sampler: it is written here, on the same grid as `flow_euler`), x' = x + h v(x + h/2 v(x, σ), (σ + σ')/2), every step including the one to σ = 0. A registry entry on the rectified-flow model, with diffusers' flow-match grid
 * (bindings/samplers/diffusers.ts flowTimes: its `shift` is the model's); numbers in
 * assembly/samplers/diffusers.ts (docs/MATH-samplers.md §5.15).
 */
import type { SamplerSpec } from './types.js';
import { flowTimes } from './diffusers.js';

export const spec = {
  id: 'flow_midpoint',
  group: 'sampler',
  coreId: 36,
  source: { origin: 'textbook (midpoint rule)', function: 'explicit midpoint (RK2) in σ on the flow ODE, on the flow_euler grid (no library defines it)', math: 'docs/MATH-samplers.md §5.15' },
  kind: 'ode',
  stateSize: 1,
  nfe: (_steps, params) => 2 * (params.num_inference_steps as number),
  params: [
    { name: 'num_inference_steps', type: 'number', default: 28, min: 1, max: 2 ** 20, integer: true, doc: 'n, the steps (no default in set_timesteps; 28 is the SD3 and Flux pipelines\' default)' },
    { name: 'num_train_timesteps', type: 'number', default: 1000, min: 2, max: 2 ** 30, integer: true, doc: 'N: the grid ends at σ_min = shift(1/N) before 0' },
  ],
  processes: ['rf'],
  defaultScheduler: 'normal',
  label: 'Flow midpoint',
  colour: '#CC6677',
  stepsParam: 'num_inference_steps',
  ownGrid: (params, _process, processParams) => flowTimes(params.num_inference_steps as number, params.num_train_timesteps as number, processParams.shift),
} as const satisfies SamplerSpec;
