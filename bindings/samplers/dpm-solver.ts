/**
 * LuChengTHU/dpm-solver's `DPM_Solver.sample` (dpm_solver_pytorch.py) as a registry entry
 * `dpm_solver`: DPM-Solver (noise prediction) and DPM-Solver++ (data prediction), multistep,
 * singlestep ("DPM-Solver-fast") or singlestep_fixed, order 1–3, on a VP process (NoiseScheduleVP
 * `linear` = model vp, `discrete` = ddpm-linear / sd, `cosine` = vp-cosine). It builds its own time
 * grid from `steps`, `skip_type`, `t_start`, `t_end` (get_time_steps, with the singlestep outer grid)
 * and reports it; `denoise_to_zero` appends t = 0. Numbers in assembly/samplers/dpm-solver.ts;
 * docs/MATH-samplers.md §5.13, §5.17. The grid and order rules here are shared with `unipc`.
 */
import type { SamplerSpec } from './types.js';
import type { AnyParamValues, ParamSpec, ParamValues } from './params.js';
import type { ProcessSpec } from '../processes/types.js';
import { timeUniform, logSNR, timeQuadratic } from '../schedulers/dpm-solver.js';
import { badValue } from '../runtime/errors.js';

/** The VP models NoiseScheduleVP covers (linear, discrete ×2, cosine). */
export const DPM_PROCESSES = ['vp', 'vp-cosine', 'ddpm-linear', 'sd'] as const;

/** get_time_steps(skip_type, t_T, t_0, N): N + 1 times. */
export function dpmTimeSteps(skip: string, tStart: number, tEnd: number, n: number, process: ProcessSpec, pv: ParamValues): Float64Array {
  const b = skip === 'logSNR' ? logSNR : skip === 'time_quadratic' ? timeQuadratic : timeUniform;
  return b.build(n, { t_end: tEnd, t_start: tStart }, pv, process);
}

/** get_orders_and_timesteps_for_singlestep_solver's orders (singlestep) or [order]·⌊steps/order⌋ (singlestep_fixed). */
export function singlestepOrders(steps: number, order: number, fixed: boolean): number[] {
  if (fixed) return Array(Math.floor(steps / order)).fill(order);
  if (order === 3) {
    const K = Math.floor(steps / 3) + 1;
    if (steps % 3 === 0) return [...Array(K - 2).fill(3), 2, 1];
    return [...Array(K - 1).fill(3), steps % 3];
  }
  if (order === 2) {
    const K = Math.floor(steps / 2) + (steps % 2);
    return steps % 2 === 0 ? Array(K).fill(2) : [...Array(K - 1).fill(2), 1];
  }
  return Array(steps).fill(1);
}

/** The parameters `DPM_Solver.sample` and `UniPC.sample` share (their own names and defaults). */
export function sampleParams(): ParamSpec[] {
  return [
    { name: 'steps', type: 'number', default: 20, min: 1, max: 2 ** 20, integer: true, doc: 'model evaluations (NFE; + 1 with denoise_to_zero)' },
    { name: 't_start', type: 'number', default: 1, above: 0, doc: 'first time t_T (default: the model\'s T; 0.9946 for vp-cosine)' },
    { name: 't_end', type: 'number', default: 1e-3, above: 0, doc: 'last time t_0 (default: the model\'s 1/N = 1e-3, DPM-Solver\'s `1. / total_N`)' },
    { name: 'order', type: 'number', default: 2, min: 1, max: 3, integer: true, doc: 'solver order' },
    { name: 'skip_type', type: 'choice', choices: ['time_uniform', 'logSNR', 'time_quadratic'], default: 'time_uniform', doc: 'spacing of the time steps (get_time_steps)' },
  ];
}

/** t_start = T, t_end = 1/N of the model (DPM-Solver: `noise_schedule.T`, `1. / noise_schedule.total_N`). */
export function timeDefaults(process: ProcessSpec, pv: ParamValues): Partial<AnyParamValues> {
  const [lo, hi] = process.timeRange(pv);
  return { t_end: lo, t_start: hi };
}

/** The time range checks both samplers share: t_end < t_start ≤ T, and t_end ≥ 1/N on a discrete model. */
export function checkTimes(params: AnyParamValues, process: ProcessSpec, pv: ParamValues): void {
  const tEnd = params.t_end as number, tStart = params.t_start as number;
  const [lo, hi] = process.timeRange(pv);
  if (!(tEnd < tStart)) throw badValue('params.t_end', tEnd, `< params.t_start = ${tStart}`);
  if (tStart > hi) throw badValue('params.t_start', tStart, `≤ the model's T = ${hi}`);
  if (process.sigmaTable && tEnd < lo) throw badValue('params.t_end', tEnd, `≥ 1/N = ${lo} on the discrete model ${process.id} (DPM-Solver's range [1/N, 1])`);
}

/** The grid with t = 0 appended (denoise_to_zero: the last step is x = x̂0(x, t_end)). */
export function appendDenoise(t: Float64Array, denoise: boolean): Float64Array {
  if (!denoise) return t;
  const out = new Float64Array(t.length + 1);
  out.set(t);
  return out;
}

export const spec = {
  id: 'dpm_solver',
  group: 'sampler',
  coreId: 40,
  source: { origin: 'LuChengTHU/dpm-solver', function: 'dpm_solver_pytorch.py DPM_Solver.sample', math: 'docs/MATH-samplers.md §5.13, §5.17' },
  kind: 'ode',
  stateSize: 3,
  nfe: (_steps, params) => {
    const steps = params.steps as number, order = params.order as number;
    const n = params.method === 'singlestep_fixed' ? Math.floor(steps / order) * order : steps;
    return n + (params.denoise_to_zero ? 1 : 0);
  },
  params: [
    { name: 'algorithm_type', type: 'choice', choices: ['dpmsolver', 'dpmsolver++'], default: 'dpmsolver++', doc: 'noise prediction (DPM-Solver) or data prediction (DPM-Solver++); DPM_Solver(…) keyword' },
    { name: 'correcting_x0_fn', type: 'choice', choices: ['none', 'dynamic_thresholding'], default: 'none', doc: 'none only: thresholding is not affine (DPM_Solver(…) keyword)' },
    ...sampleParams(),
    { name: 'method', type: 'choice', choices: ['multistep', 'singlestep', 'singlestep_fixed', 'adaptive'], default: 'multistep', doc: 'multistep, singlestep (DPM-Solver-fast) or singlestep_fixed; adaptive is rejected (its steps depend on the sample)' },
    { name: 'lower_order_final', type: 'boolean', default: true, doc: 'lower orders on the last steps (multistep, only when steps < 10)' },
    { name: 'denoise_to_zero', type: 'boolean', default: false, doc: 'a last step x = x̂0(x, t_end) (one more evaluation)' },
    { name: 'solver_type', type: 'choice', choices: ['dpmsolver', 'taylor'], default: 'dpmsolver', doc: 'form of the second/third-order terms' },
  ],
  processes: DPM_PROCESSES,
  defaultScheduler: 'time_uniform',
  label: 'DPM-Solver (dpm-solver)',
  colour: '#44AA99',
  modelDefaults: timeDefaults,
  ownGrid(params, process, pv) {
    if (params.method === 'adaptive') throw badValue('params.method', 'adaptive', 'multistep, singlestep or singlestep_fixed (adaptive step-size control depends on the sample: not an affine sampler, no exact Gaussian law)');
    if (params.correcting_x0_fn !== 'none') throw badValue('params.correcting_x0_fn', params.correcting_x0_fn, 'none (thresholding clips x̂0: not affine, no exact Gaussian law)');
    checkTimes(params, process, pv);
    const steps = params.steps as number, order = params.order as number, skip = params.skip_type as string;
    const tStart = params.t_start as number, tEnd = params.t_end as number;
    if (params.method === 'multistep') {
      if (steps < order) throw badValue('params.steps', steps, `≥ params.order = ${order} for method multistep (the source asserts steps >= order)`);
      return appendDenoise(dpmTimeSteps(skip, tStart, tEnd, steps, process, pv), params.denoise_to_zero as boolean);
    }
    const fixed = params.method === 'singlestep_fixed';
    if (fixed && steps < order) throw badValue('params.steps', steps, `≥ params.order = ${order} for method singlestep_fixed (⌊steps/order⌋ steps of order ${order})`);
    const orders = singlestepOrders(steps, order, fixed);
    let t: Float64Array;
    if (fixed || skip === 'logSNR') {
      t = dpmTimeSteps(skip, tStart, tEnd, orders.length, process, pv);
    } else {
      // the outer grid: get_time_steps(steps)[cumsum([0] + orders)]
      const all = dpmTimeSteps(skip, tStart, tEnd, steps, process, pv);
      t = new Float64Array(orders.length + 1);
      t[0] = all[0];
      let at = 0;
      orders.forEach((o, i) => { at += o; t[i + 1] = all[at]; });
    }
    return appendDenoise(t, params.denoise_to_zero as boolean);
  },
} as const satisfies SamplerSpec;
