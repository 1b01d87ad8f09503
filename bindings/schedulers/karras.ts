/** The Karras et al. (2022) ρ-grid, k-diffusion `get_sigmas_karras` (docs/MATH-samplers.md §4). */
import type { SchedulerSpec } from './types.js';

export const spec: SchedulerSpec = {
  id: 'karras',
  label: 'Karras (ρ)',
  source: 'crowsonkb/k-diffusion k_diffusion/sampling.py get_sigmas_karras; NVlabs/edm generate.py',
  processes: ['edm'],
  params: [
    { name: 'sigma_min', type: 'number', default: 0.002, above: 0, doc: 'smallest nonzero σ' },
    { name: 'sigma_max', type: 'number', default: 80, above: 0, doc: 'first σ' },
    { name: 'rho', type: 'number', default: 7, above: 0, doc: 'ρ' },
  ],
  /** σ_i = (σmax^{1/ρ} + i/(n−1)(σmin^{1/ρ} − σmax^{1/ρ}))^ρ, i < n = steps, then σ_n = 0. */
  build(n, { sigma_min, sigma_max, rho }) {
    const s = new Float64Array(n + 1);
    const lo = sigma_min ** (1 / rho);
    const hi = sigma_max ** (1 / rho);
    for (let i = 0; i < n; i++) s[i] = (hi + (n === 1 ? 0 : i / (n - 1)) * (lo - hi)) ** rho;
    s[n] = 0;
    return s;
  },
};
