/** ComfyUI `normal`: timesteps uniform between the model's σmax and σmin, σ interpolated in log σ. */
import type { SchedulerSpec } from './types.js';
import type { ModelSampling } from './common.js';
import { TABLE_MODELS, modelSampling, torchLinspace } from './common.js';
import { COMFY_SAMPLERS } from './comfy-source.js';

/** normal_scheduler(model_sampling, steps, sgm): shared with `sgm_uniform`. */
export function normalScheduler(ms: ModelSampling, steps: number, sgm: boolean): Float64Array {
  const start = ms.timestep(ms.sigmaMax);
  const end = ms.timestep(ms.sigmaMin);
  let appendZero = true;
  let ts: Float64Array;
  if (sgm) ts = torchLinspace(start, end, steps + 1).subarray(0, steps);
  else {
    // a model whose last σ is ≈ 0 gets one more timestep instead of the appended 0
    if (Math.abs(ms.sigma(end)) <= 1e-5) { steps += 1; appendZero = false; }
    ts = torchLinspace(start, end, steps);
  }
  const out = new Float64Array(ts.length + (appendZero ? 1 : 0));
  ts.forEach((t, i) => (out[i] = ms.sigma(t)));
  return out;
}

export const spec: SchedulerSpec = {
  id: 'normal',
  label: 'normal (ComfyUI)',
  source: `${COMFY_SAMPLERS} normal_scheduler`,
  processes: TABLE_MODELS,
  unit: 'sigma',
  params: [],
  build: (n, _s, pv, process) => normalScheduler(modelSampling(process, pv), n, false),
};
