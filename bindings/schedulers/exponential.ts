/** k-diffusion `get_sigmas_exponential`: log σ uniform (= DPM-Solver's logSNR grid in σ, docs/MATH-samplers.md §4). */
import type { SchedulerSpec } from './types.js';
import { ALL_MODELS, appendZero, torchLinspace, sigmaRangeDefaults } from './common.js';
import * as dm from '../runtime/detmath.js';

export const spec: SchedulerSpec = {
  id: 'exponential',
  label: 'exponential (log σ uniform)',
  source: 'crowsonkb/k-diffusion k_diffusion/sampling.py get_sigmas_exponential',
  processes: ALL_MODELS,
  unit: 'sigma',
  modelDefaults: sigmaRangeDefaults,
  params: [
    { name: 'sigma_min', type: 'number', default: 0.002, above: 0, doc: 'smallest nonzero σ (default: the model\'s)' },
    { name: 'sigma_max', type: 'number', default: 80, above: 0, doc: 'first σ (default: the model\'s)' },
  ],
  /** σ_i = exp(linspace(log σmax, log σmin, n))_i, then 0. */
  build: (n, { sigma_min, sigma_max }) =>
    appendZero(torchLinspace(dm.log(sigma_max), dm.log(sigma_min), n).map(dm.exp)),
};
