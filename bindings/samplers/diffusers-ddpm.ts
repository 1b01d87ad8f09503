/**
 * diffusers `DDPMScheduler` (Ho et al. 2020) with an ε-prediction model: a registry entry on the
 * discrete VP models, with its own timesteps (bindings/samplers/diffusers.ts). Each step goes to
 * the next timestep (ᾱ = 1 after the last: the output is the predicted x0 plus the last step's
 * noise, which the source adds whenever the timestep is > 0); numbers in
 * assembly/samplers/diffusers.ts. Not the paper's `--scheme ddpm` (a different group).
 */
import type { SamplerSpec } from './types.js';
import { SPACINGS, diffusersTimesteps, rejectClip, timestepTimes, trainSteps } from './diffusers.js';

export const spec = {
  id: 'ddpm',
  group: 'sampler',
  coreId: 33,
  source: { origin: 'huggingface/diffusers', function: 'src/diffusers/schedulers/scheduling_ddpm.py DDPMScheduler.step', math: 'docs/MATH-samplers.md §5.21' },
  kind: 'sde',
  stateSize: 1,
  nfe: (steps) => steps, // one ε evaluation per timestep of its grid (trailing's np.arange may give another count)
  params: [
    { name: 'num_inference_steps', type: 'number', default: 1000, min: 1, max: 100000, integer: true, doc: 'n, the steps (no default in set_timesteps; 1000 is DDPMPipeline\'s)' },
    { name: 'variance_type', type: 'choice', choices: ['fixed_small', 'fixed_large'], default: 'fixed_small', doc: 'fixed_small: β̃ = (1 − ᾱ_prev)/(1 − ᾱ) β (at least 1e-20); fixed_large: β = 1 − ᾱ/ᾱ_prev' },
    { name: 'timestep_spacing', type: 'choice', choices: SPACINGS, default: 'leading', doc: 'as DDIMScheduler' },
    { name: 'steps_offset', type: 'number', default: 0, min: 0, max: 100000, integer: true, doc: 'added to the leading timesteps' },
    { name: 'clip_sample', type: 'boolean', default: false, doc: 'must be false: clipping is not affine (the class default is true)' },
  ],
  processes: ['ddpm-linear', 'sd'],
  defaultScheduler: 'leading',
  label: 'DDPM (diffusers)',
  colour: '#44AA99',
  stepsParam: 'num_inference_steps',
  ownGrid(params, _process, processParams) {
    rejectClip(params);
    const N = trainSteps(processParams);
    return Float64Array.from([...timestepTimes(diffusersTimesteps(params, N), N), 0]);
  },
} as const satisfies SamplerSpec;
