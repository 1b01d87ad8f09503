/**
 * diffusers `FlowMatchHeunDiscreteScheduler` (s_churn 0): Heun in σ on the flow ODE, an Euler step to σ = 0 (its interleaved timesteps: 2n − 1 evaluations). A registry entry on the rectified-flow model, with diffusers' flow-match grid
 * (bindings/samplers/diffusers.ts flowTimes: its `shift` is the model's); numbers in
 * assembly/samplers/diffusers.ts (docs/MATH-samplers.md §5.15).
 */
import type { SamplerSpec } from './types.js';
import { flowTimes } from './diffusers.js';

export const spec = {
  id: 'flow_heun',
  group: 'sampler',
  coreId: 35,
  source: { origin: 'huggingface/diffusers', function: 'src/diffusers/schedulers/scheduling_flow_match_heun_discrete.py FlowMatchHeunDiscreteScheduler.step', math: 'docs/MATH-samplers.md §5.15' },
  kind: 'ode',
  stateSize: 1,
  nfe: (_steps, params) => 2 * (params.num_inference_steps as number) - 1,
  params: [
    { name: 'num_inference_steps', type: 'number', default: 28, min: 1, max: 2 ** 20, integer: true, doc: 'n, the steps (no default in set_timesteps; 28 is the SD3 and Flux pipelines\' default)' },
    { name: 'num_train_timesteps', type: 'number', default: 1000, min: 2, max: 2 ** 30, integer: true, doc: 'N: the grid ends at σ_min = shift(1/N) before 0' },
  ],
  processes: ['rf'],
  defaultScheduler: 'normal',
  label: 'Flow Heun (diffusers)',
  colour: '#DDCC77',
  stepsParam: 'num_inference_steps',
  ownGrid: (params, _process, processParams) => flowTimes(params.num_inference_steps as number, params.num_train_timesteps as number, processParams.shift),
} as const satisfies SamplerSpec;
