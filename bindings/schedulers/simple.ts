/** ComfyUI `simple`: every (N/steps)-th σ of the model's table, from the top. */
import type { SchedulerSpec } from './types.js';
import { TABLE_MODELS, appendZero, modelSampling } from './common.js';
import { COMFY_SAMPLERS } from './comfy-source.js';

export const spec: SchedulerSpec = {
  id: 'simple',
  label: 'simple (ComfyUI)',
  source: `${COMFY_SAMPLERS} simple_scheduler`,
  processes: TABLE_MODELS,
  unit: 'sigma',
  params: [],
  /** σ_x = sigmas[N − 1 − int(x·N/steps)], x < steps; then 0. */
  build(n, _s, pv, process) {
    const { sigmas } = modelSampling(process, pv);
    const ss = sigmas.length / n;
    return appendZero(Array.from({ length: n }, (_, x) => sigmas[sigmas.length - 1 - Math.trunc(x * ss)]));
  },
};
