/** ComfyUI `sgm_uniform`: `normal` on steps + 1 timesteps without the last (Stability's sgm convention). */
import type { SchedulerSpec } from './types.js';
import { TABLE_MODELS, modelSampling } from './common.js';
import { normalScheduler } from './normal.js';
import { COMFY_SAMPLERS } from './comfy-source.js';

export const spec: SchedulerSpec = {
  id: 'sgm_uniform',
  label: 'sgm_uniform (ComfyUI)',
  source: `${COMFY_SAMPLERS} normal_scheduler(sgm=True)`,
  processes: TABLE_MODELS,
  unit: 'sigma',
  params: [],
  build: (n, _s, pv, process) => normalScheduler(modelSampling(process, pv), n, true),
};
