/** Stable Diffusion 1.x/2.x and SDXL: scaled_linear β (diffusers `beta_schedule="scaled_linear"`; ComfyUI's "linear"). Numbers in assembly/processes/vp-discrete.ts. */
import type { ProcessSpec } from './types.js';
import { discreteModel } from './discrete.js';
import { badValue } from '../runtime/errors.js';

export const spec: ProcessSpec = {
  id: 'sd',
  coreId: 4,
  label: 'Stable Diffusion, scaled_linear β (1000 steps)',
  source: 'Rombach et al. 2022 (CompVis/stable-diffusion); diffusers beta_schedule="scaled_linear"; ComfyUI ModelSamplingDiscrete',
  definition: 'βⱼ = linspace(√beta_start, √beta_end, N)², ᾱᵢ = Πⱼ≤ᵢ(1 − βⱼ) at tᵢ = (i + 1)/N, log α piecewise linear in t',
  params: [
    { name: 'beta_start', type: 'number', default: 0.00085, above: 0, max: 1, doc: 'β of the first training step' },
    { name: 'beta_end', type: 'number', default: 0.012, above: 0, max: 0.999, doc: 'β of the last training step' },
    { name: 'num_train_timesteps', type: 'number', default: 1000, min: 2, max: 100000, doc: 'N, the training steps (an integer)' },
  ],
  check(v, owner) {
    if (!Number.isInteger(v.num_train_timesteps)) throw badValue(`${owner}.num_train_timesteps`, v.num_train_timesteps, 'an integer');
  },
  ...discreteModel(true),
};
