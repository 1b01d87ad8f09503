/** k-diffusion `get_sigmas_polyexponential`: log σ a polynomial ramp (ρ = 1: exponential). */
import type { SchedulerSpec } from './types.js';
import { ALL_MODELS, appendZero, torchLinspace, sigmaRangeDefaults } from './common.js';
import * as dm from '../runtime/detmath.js';

export const spec: SchedulerSpec = {
  id: 'polyexponential',
  label: 'polyexponential (ρ)',
  source: 'crowsonkb/k-diffusion k_diffusion/sampling.py get_sigmas_polyexponential',
  processes: ALL_MODELS,
  unit: 'sigma',
  modelDefaults: sigmaRangeDefaults,
  params: [
    { name: 'sigma_min', type: 'number', default: 0.002, above: 0, doc: 'smallest nonzero σ (default: the model\'s)' },
    { name: 'sigma_max', type: 'number', default: 80, above: 0, doc: 'first σ (default: the model\'s)' },
    { name: 'rho', type: 'number', default: 1, above: 0, doc: 'ρ: the ramp linspace(1, 0, n)^ρ' },
  ],
  /** σ_i = exp(r_i^ρ (log σmax − log σmin) + log σmin), r = linspace(1, 0, n); then 0. */
  build: (n, { sigma_min, sigma_max, rho }) =>
    appendZero(torchLinspace(1, 0, n).map((r) => dm.exp(dm.pow(r, rho) * (dm.log(sigma_max) - dm.log(sigma_min)) + dm.log(sigma_min)))),
};
