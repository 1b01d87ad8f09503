/**
 * diffusers `DDIMScheduler` (Song et al. 2021) with an ε-prediction model, as the pipelines drive it
 * (set_timesteps(num_inference_steps), then step(…, eta) at each timestep): a registry entry on the
 * discrete VP models, with its own timesteps (bindings/samplers/diffusers.ts). Each step goes from
 * τ to τ − N // n (diffusers' prev_timestep, whatever the spacing), to the final ᾱ (1 with
 * set_alpha_to_one, else ᾱ_0) below 0; numbers in assembly/samplers/diffusers.ts.
 */
import type { SamplerSpec } from './types.js';
import { badValue } from '../runtime/errors.js';
import { SPACINGS, diffusersTimesteps, rejectClip, timestepTimes, trainSteps } from './diffusers.js';

export const spec = {
  id: 'ddim',
  group: 'sampler',
  coreId: 32,
  source: { origin: 'huggingface/diffusers', function: 'src/diffusers/schedulers/scheduling_ddim.py DDIMScheduler.step', math: 'docs/MATH-samplers.md §5.20' },
  kind: 'ode',
  stateSize: 1,
  nfe: (steps) => steps, // one ε evaluation per timestep of its grid (trailing's np.arange may give another count)
  params: [
    { name: 'num_inference_steps', type: 'number', default: 50, min: 1, max: 100000, integer: true, doc: 'n, the steps (no default in set_timesteps; 50 is DDIMPipeline\'s)' },
    { name: 'eta', type: 'number', default: 0, min: 0, max: 1, doc: 'η: weight of the fresh noise (0 = DDIM, 1 = DDPM-like; above 1 the source takes √ of a negative number)' },
    { name: 'timestep_spacing', type: 'choice', choices: SPACINGS, default: 'leading', doc: 'leading: (N // n)·k + steps_offset; trailing: round(N − k N/n) − 1; linspace: round(linspace(0, N − 1, n))' },
    { name: 'steps_offset', type: 'number', default: 0, min: 0, max: 100000, integer: true, doc: 'added to the leading timesteps (class default 0; Stable Diffusion configs: 1)' },
    { name: 'set_alpha_to_one', type: 'boolean', default: true, doc: 'the last step goes to ᾱ = 1 (σ = 0); false: to ᾱ_0 (Stable Diffusion configs)' },
    { name: 'clip_sample', type: 'boolean', default: false, doc: 'must be false: clipping is not affine (the class default is true; SD configs set false)' },
  ],
  processes: ['ddpm-linear', 'sd'],
  defaultScheduler: 'leading',
  label: 'DDIM (diffusers)',
  colour: '#117733',
  stepsParam: 'num_inference_steps',
  ownGrid(params, _process, processParams) {
    rejectClip(params);
    const N = trainSteps(processParams);
    const ts = diffusersTimesteps(params, N);
    const last = params.set_alpha_to_one ? 0 : 1 / N;
    if (ts[ts.length - 1] === 0 && !params.set_alpha_to_one) {
      throw badValue('params.set_alpha_to_one', false, 'true when the last timestep is 0 (its step would go from ᾱ_0 to ᾱ_0: give steps_offset ≥ 1, as Stable Diffusion configs do)');
    }
    return Float64Array.from([...timestepTimes(ts, N), last]);
  },
} as const satisfies SamplerSpec;
