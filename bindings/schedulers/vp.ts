/** k-diffusion `get_sigmas_vp`: the continuous VP schedule's σ on t uniform (docs/MATH-samplers.md §2). */
import type { SchedulerSpec } from './types.js';
import { ALL_MODELS, appendZero, torchLinspace } from './common.js';
import { badValue } from '../runtime/errors.js';
import * as dm from '../runtime/detmath.js';

export const spec: SchedulerSpec = {
  id: 'vp',
  label: 'VP (k-diffusion)',
  source: 'crowsonkb/k-diffusion k_diffusion/sampling.py get_sigmas_vp',
  processes: ALL_MODELS,
  unit: 'sigma',
  params: [
    { name: 'beta_d', type: 'number', default: 19.9, above: 0, doc: 'β(1) − β(0) (Song\'s 20 − 0.1)' },
    { name: 'beta_min', type: 'number', default: 0.1, min: 0, doc: 'β(0)' },
    { name: 'eps_s', type: 'number', default: 1e-3, above: 0, max: 1, doc: 'the last time (< 1)' },
  ],
  /** σ = sqrt(exp(beta_d t²/2 + beta_min t) − 1) on t = linspace(1, eps_s, n); then 0. */
  build(n, { beta_d, beta_min, eps_s }) {
    if (!(eps_s < 1)) throw badValue('schedulerParams.eps_s', eps_s, '< 1');
    return appendZero(torchLinspace(1, eps_s, n).map((t) => Math.sqrt(dm.exp(beta_d * (t * t) / 2 + beta_min * t) - 1)));
  },
};
