/** ComfyUI `linear_quadratic` (from genmoai/models mochi_preview infer.py): linear, then quadratic in 1 − σ/σmax. */
import type { SchedulerSpec } from './types.js';
import { ALL_MODELS } from './common.js';
import { COMFY_SAMPLERS } from './comfy-source.js';
import { badValue } from '../runtime/errors.js';

export const spec: SchedulerSpec = {
  id: 'linear_quadratic',
  label: 'linear_quadratic (ComfyUI / Mochi)',
  source: `${COMFY_SAMPLERS} linear_quadratic_schedule(model_sampling, steps, threshold_noise=0.025, linear_steps=None)`,
  processes: ALL_MODELS,
  unit: 'sigma',
  params: [
    { name: 'threshold_noise', type: 'number', default: 0.025, above: 0, max: 1, doc: '1 − σ/σmax reached by the linear half' },
    { name: 'linear_steps', type: 'number', default: 0, min: 0, integer: true, doc: 'steps of the linear part, 1 … steps − 1 (0: the source\'s None = steps // 2)' },
  ],
  build(steps, { threshold_noise, linear_steps }, pv, process) {
    const sigmaMax = process.sigmaRange(pv)[1];
    let sched: number[];
    if (steps === 1) sched = [1, 0];
    else {
      // linear_steps = None → steps // 2; 0 or steps would divide by zero in the source
      if (linear_steps !== 0 && linear_steps >= steps) throw badValue('schedulerParams.linear_steps', linear_steps, `< steps = ${steps} (0 = steps // 2)`);
      const ls = linear_steps === 0 ? Math.floor(steps / 2) : linear_steps;
      const lin = Array.from({ length: ls }, (_, i) => i * threshold_noise / ls);
      const diff = ls - threshold_noise * steps;
      const qs = steps - ls;
      const qc = diff / (ls * qs ** 2);
      const lc = threshold_noise / ls - 2 * diff / qs ** 2;
      const c = qc * ls ** 2;
      const quad = Array.from({ length: steps - ls }, (_, k) => { const i = ls + k; return qc * i ** 2 + lc * i + c; });
      sched = [...lin, ...quad, 1].map((x) => 1 - x);
    }
    return Float64Array.from(sched, (x) => x * sigmaMax);
  },
};
