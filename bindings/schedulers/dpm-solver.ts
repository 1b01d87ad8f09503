/**
 * DPM-Solver's time grids (LuChengTHU/dpm-solver dpm_solver_pytorch.py DPM_Solver.get_time_steps,
 * docs/MATH-samplers.md §4): N + 1 diffusion times from t_start (default the model's T) down to t_end
 * (default 1/N = 1e-3 for the discrete models, DPM-Solver's `1. / total_N`; the model's ε otherwise).
 */
import type { SchedulerSpec } from './types.js';
import type { ParamValues } from '../samplers/params.js';
import type { ProcessSpec } from '../processes/types.js';
import { VP_MODELS, torchLinspace } from './common.js';
import { badValue } from '../runtime/errors.js';
import * as dm from '../runtime/detmath.js';

const DPM = 'LuChengTHU/dpm-solver dpm_solver_pytorch.py DPM_Solver.get_time_steps';

const PARAMS = [
  { name: 't_end', type: 'number', default: 1e-3, above: 0, doc: 't_0, the last time (default: the model\'s: 1/N, or 1e-3)' },
  { name: 't_start', type: 'number', default: 1, above: 0, doc: 't_T, the first time (default: the model\'s T)' },
] as const;

function timeDefaults(process: ProcessSpec, pv: ParamValues): Partial<ParamValues> {
  const [lo, hi] = process.timeRange(pv);
  return { t_end: lo, t_start: hi };
}

function check(t_end: number, t_start: number): void {
  if (!(t_end < t_start)) throw badValue('schedulerParams.t_end', t_end, `< t_start = ${t_start}`);
}

function grid(id: string, label: string, skip: string, build: SchedulerSpec['build']): SchedulerSpec {
  return {
    id, label, source: `${DPM} skip_type='${skip}'`, processes: VP_MODELS, unit: 't',
    modelDefaults: timeDefaults, params: PARAMS.map((p) => ({ ...p })), build,
  };
}

/** t = linspace(t_T, t_0, N + 1). */
export const timeUniform = grid('time_uniform', 'time uniform (DPM-Solver)', 'time_uniform', (n, { t_end, t_start }) => {
  check(t_end, t_start);
  return torchLinspace(t_start, t_end, n + 1);
});

/** t = linspace(√t_T, √t_0, N + 1)². */
export const timeQuadratic = grid('time_quadratic', 'time quadratic (DPM-Solver)', 'time_quadratic', (n, { t_end, t_start }) => {
  check(t_end, t_start);
  return torchLinspace(dm.pow(t_start, 0.5), dm.pow(t_end, 0.5), n + 1).map((x) => x ** 2);
});

/** λ = log α − log σ uniform between λ(t_T) and λ(t_0), t = λ⁻¹ (the model's σ ↔ t). */
export const logSNR = grid('logSNR', 'uniform log-SNR (DPM-Solver)', 'logSNR', (n, { t_end, t_start }, pv, process) => {
  check(t_end, t_start);
  const lam = (t: number) => -dm.log(process.sigma(t, pv));
  const t = torchLinspace(lam(t_start), lam(t_end), n + 1).map((l) => process.time(dm.exp(-l), pv));
  // λ⁻¹(λ(t)) returns the ends to rounding; keep them exact
  t[0] = t_start;
  t[n] = t_end;
  return t;
});
