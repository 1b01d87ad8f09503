/** Align Your Steps (Sabour et al. 2024): NVIDIA's published 10-step schedules, log-linearly interpolated to other step counts. */
import type { SchedulerSpec } from './types.js';
import { interp, numpyLinspace } from './common.js';
import { badValue } from '../runtime/errors.js';
import * as dm from '../runtime/detmath.js';

/** comfy_extras/nodes_align_your_steps.py NOISE_LEVELS (commit 341667c4d59a67d3b677c6f547f13892b36662cd). */
export const NOISE_LEVELS = {
  SD1: [14.6146412293, 6.4745760956, 3.8636745985, 2.6946151520, 1.8841921177, 1.3943805092, 0.9642583904, 0.6523686016, 0.3977456272, 0.1515232662, 0.0291671582],
  SDXL: [14.6146412293, 6.3184485287, 3.7681790315, 2.1811480769, 1.3405244945, 0.8620721141, 0.5550693289, 0.3798540708, 0.2332364134, 0.1114188177, 0.0291671582],
  SVD: [700.00, 54.5, 15.886, 7.977, 4.248, 1.789, 0.981, 0.403, 0.173, 0.034, 0.002],
} as const;

/** loglinear_interp: log σ (ascending) interpolated on linspace(0, 1, ·) grids, back to descending. */
export function loglinearInterp(levels: readonly number[], n: number): Float64Array {
  const xs = numpyLinspace(0, 1, levels.length);
  const ys = levels.slice().reverse().map(dm.log);
  const out = numpyLinspace(0, 1, n).map((x) => dm.exp(interp(x, xs, ys)));
  return out.reverse();
}

export const spec: SchedulerSpec = {
  id: 'align_your_steps',
  label: 'Align Your Steps',
  source: 'comfyanonymous/ComfyUI comfy_extras/nodes_align_your_steps.py AlignYourStepsScheduler (NVIDIA, research.nvidia.com/labs/toronto-ai/AlignYourSteps)',
  processes: ['sd', 'edm'],
  unit: 'sigma',
  params: [
    { name: 'sdxl', type: 'number', default: 0, min: 0, max: 1, doc: 'model_type on sd: 0 = SD1, 1 = SDXL (on edm: SVD)' },
  ],
  /** The model's 11 levels (sd: SD1 or SDXL; edm: SVD), interpolated to steps + 1 when steps ≠ 10, last set to 0. */
  build(steps, { sdxl }, _pv, process) {
    if (sdxl !== 0 && sdxl !== 1) throw badValue('schedulerParams.sdxl', sdxl, '0 (SD1) or 1 (SDXL)');
    const levels = process.id === 'edm' ? NOISE_LEVELS.SVD : sdxl ? NOISE_LEVELS.SDXL : NOISE_LEVELS.SD1;
    const s = steps + 1 !== levels.length ? loglinearInterp(levels, steps + 1) : Float64Array.from(levels);
    s[steps] = 0;
    return s;
  },
};
