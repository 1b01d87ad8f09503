/**
 * wl-zhao/UniPC's `UniPC.sample` (uni_pc.py, method 'multistep') as a registry entry `unipc`: the
 * unified predictor (UniP) – corrector (UniC), variants bh1, bh2 and vary_coeff, data or noise
 * prediction, order 1–3, on the VP models. Its own time grid as DPM-Solver's multistep
 * (get_time_steps); the corrector reuses the model output at the predicted point, which the next
 * predictor reuses too (NFE = steps, no corrector on the last step). Numbers in
 * assembly/samplers/uni-pc.ts; docs/MATH-samplers.md §5.18.
 */
import type { SamplerSpec } from './types.js';
import { badValue } from '../runtime/errors.js';
import { DPM_PROCESSES, appendDenoise, checkTimes, dpmTimeSteps, sampleParams, timeDefaults } from './dpm-solver.js';

export const spec = {
  id: 'unipc',
  group: 'sampler',
  coreId: 41,
  source: { origin: 'wl-zhao/UniPC', function: 'uni_pc.py UniPC.sample', math: 'docs/MATH-samplers.md §5.18' },
  kind: 'ode',
  stateSize: 4,
  nfe: (_steps, params) => (params.steps as number) + (params.denoise_to_zero ? 1 : 0),
  params: [
    { name: 'algorithm_type', type: 'choice', choices: ['data_prediction', 'noise_prediction'], default: 'data_prediction', doc: 'UniPC(…) keyword: the model output the solver extrapolates' },
    { name: 'variant', type: 'choice', choices: ['bh1', 'bh2', 'vary_coeff'], default: 'bh1', doc: 'UniPC(…) keyword: B(h) = h (bh1), e^h − 1 (bh2), or the varying-coefficient form' },
    ...sampleParams(),
    { name: 'method', type: 'choice', choices: ['multistep'], default: 'multistep', doc: 'multistep (the only method of UniPC.sample)' },
    { name: 'lower_order_final', type: 'boolean', default: true, doc: 'order min(order, steps + 1 − step) on the last steps (any steps)' },
    { name: 'denoise_to_zero', type: 'boolean', default: false, doc: 'a last step x = x̂0(x, t_end) (one more evaluation)' },
  ],
  processes: DPM_PROCESSES,
  defaultScheduler: 'time_uniform',
  label: 'UniPC (UniPC)',
  colour: '#882255',
  modelDefaults: timeDefaults,
  ownGrid(params, process, pv) {
    checkTimes(params, process, pv);
    const steps = params.steps as number, order = params.order as number;
    if (steps < order) throw badValue('params.steps', steps, `≥ params.order = ${order} (the source asserts steps >= order)`);
    return appendDenoise(dpmTimeSteps(params.skip_type as string, params.t_start as number, params.t_end as number, steps, process, pv), params.denoise_to_zero as boolean);
  },
} as const satisfies SamplerSpec;
