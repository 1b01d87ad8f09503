/** The Karras et al. (2022) ρ-grid, k-diffusion `get_sigmas_karras` (docs/MATH-samplers.md §4). */
import type { SchedulerSpec } from './types.js';
import { ALL_MODELS, appendZero, torchLinspace, sigmaRangeDefaults } from './common.js';
import * as dm from '../runtime/detmath.js';

export const spec: SchedulerSpec = {
  id: 'karras',
  label: 'Karras (ρ)',
  source: 'crowsonkb/k-diffusion k_diffusion/sampling.py get_sigmas_karras; NVlabs/edm generate.py',
  processes: ALL_MODELS,
  unit: 'sigma',
  modelDefaults: sigmaRangeDefaults,
  params: [
    { name: 'sigma_min', type: 'number', default: 0.002, above: 0, doc: 'smallest nonzero σ (default: the model\'s)' },
    { name: 'sigma_max', type: 'number', default: 80, above: 0, doc: 'first σ (default: the model\'s)' },
    { name: 'rho', type: 'number', default: 7, above: 0, doc: 'ρ' },
  ],
  /** σ_i = (σmax^{1/ρ} + i/(n−1)(σmin^{1/ρ} − σmax^{1/ρ}))^ρ, i < n = steps, then σ_n = 0. */
  build(n, { sigma_min, sigma_max, rho }) {
    const lo = dm.pow(sigma_min, 1 / rho);
    const hi = dm.pow(sigma_max, 1 / rho);
    return appendZero(torchLinspace(0, 1, n).map((r) => dm.pow(hi + r * (lo - hi), rho)));
  },
};
