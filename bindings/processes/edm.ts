/** The EDM / variance-exploding process (Karras et al. 2022): α = 1, σ_t = t. Numbers in assembly/processes/edm.ts. */
import type { ProcessSpec } from './types.js';

export const spec: ProcessSpec = {
  id: 'edm',
  coreId: 1,
  label: 'EDM (VE, σ = t)',
  source: 'Karras et al. 2022 (NVlabs/edm); k-diffusion',
  definition: 'α_t = 1, σ_t = t',
  params: [],
  gridUnit: 'sigma',
  sigma: (t) => t,
  time: (sigma) => sigma,
  /** EDM's σ range (generate.py `sigma_min = 0.002`, `sigma_max = 80`). */
  sigmaRange: () => [0.002, 80],
  timeRange: () => [0.002, 80],
  start: 'N(0, σ₀² I) (σ₀ = the first grid level)',
};
