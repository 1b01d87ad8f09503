/** ComfyUI `ddim_uniform`: every (N // steps)-th σ of the table from timestep 1 (may give one more step). */
import type { SchedulerSpec } from './types.js';
import { TABLE_MODELS, modelSampling } from './common.js';
import { COMFY_SAMPLERS } from './comfy-source.js';

export const spec: SchedulerSpec = {
  id: 'ddim_uniform',
  label: 'ddim_uniform (ComfyUI)',
  source: `${COMFY_SAMPLERS} ddim_scheduler`,
  processes: TABLE_MODELS,
  unit: 'sigma',
  stepsMayDiffer: true,
  params: [],
  /** sigmas[1], sigmas[1 + ss], … < N with ss = max(N // steps, 1), reversed, then 0. */
  build(n, _s, pv, process) {
    const { sigmas } = modelSampling(process, pv);
    const N = sigmas.length;
    let steps = n;
    const sigs: number[] = [];
    if (Math.abs(sigmas[1]) <= 1e-5) steps += 1;
    else sigs.push(0);
    const ss = Math.max(Math.floor(N / steps), 1);
    for (let x = 1; x < N; x += ss) sigs.push(sigmas[x]);
    return Float64Array.from(sigs.reverse());
  },
};
