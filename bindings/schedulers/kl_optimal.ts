/** ComfyUI `kl_optimal` (AUTOMATIC1111 PR 15608): atan σ uniform. */
import type { SchedulerSpec } from './types.js';
import { ALL_MODELS, appendZero, sigmaRangeDefaults } from './common.js';
import { COMFY_SAMPLERS } from './comfy-source.js';
import * as dm from '../runtime/detmath.js';

export const spec: SchedulerSpec = {
  id: 'kl_optimal',
  label: 'KL-optimal (ComfyUI)',
  source: `${COMFY_SAMPLERS} kl_optimal_scheduler`,
  processes: ALL_MODELS,
  unit: 'sigma',
  modelDefaults: sigmaRangeDefaults,
  params: [
    { name: 'sigma_min', type: 'number', default: 0.002, above: 0, doc: 'smallest nonzero σ (default: the model\'s)' },
    { name: 'sigma_max', type: 'number', default: 80, above: 0, doc: 'first σ (default: the model\'s)' },
  ],
  /** σ_i = tan(r atan σmin + (1 − r) atan σmax), r = i/(n − 1); then 0. */
  build: (n, { sigma_min, sigma_max }) =>
    appendZero(Array.from({ length: n }, (_, i) => {
      const r = n === 1 ? 0 : i / (n - 1);
      return dm.tan(r * dm.atan(sigma_min) + (1 - r) * dm.atan(sigma_max));
    })),
};
