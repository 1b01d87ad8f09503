/**
 * diffusers' timestep spacings (EulerDiscreteScheduler.set_timesteps, src/diffusers/schedulers/
 * scheduling_euler_discrete.py; "linspace", "leading", "trailing" = Table 2 of Lin et al. 2024,
 * arXiv:2305.08891), as σ grids: σ interpolated linearly at the timesteps in the model's table
 * (numpy.interp), then final_sigmas_type "zero".
 */
import type { SchedulerSpec } from './types.js';
import type { ParamValues } from '../samplers/params.js';
import type { ProcessSpec } from '../processes/types.js';
import { appendZero, interp, modelSampling } from './common.js';
import { badValue } from '../runtime/errors.js';

const DIFFUSERS = 'huggingface/diffusers src/diffusers/schedulers/scheduling_euler_discrete.py set_timesteps';

/** numpy.round: half to even. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
}

/** The σ's at the (descending) timesteps, then 0. */
function sigmasAt(timesteps: number[], pv: ParamValues, process: ProcessSpec): Float64Array {
  const { sigmas } = modelSampling(process, pv);
  const idx = Float64Array.from(sigmas, (_, i) => i);
  return appendZero(timesteps.map((t) => interp(t, idx, sigmas)));
}

const MODELS = ['ddpm-linear', 'sd'] as const;

export const linspace: SchedulerSpec = {
  id: 'linspace',
  label: 'linspace (diffusers)',
  source: `${DIFFUSERS} timestep_spacing="linspace"`,
  processes: MODELS,
  unit: 'sigma',
  params: [],
  /** timesteps = float32(linspace(0, N − 1, n)) reversed (fractional: σ interpolated). */
  build(n, _s, pv, process) {
    const N = pv.num_train_timesteps;
    const step = n > 1 ? (N - 1) / (n - 1) : 0;
    const ts = Array.from({ length: n }, (_, i) => Math.fround(i === n - 1 && n > 1 ? N - 1 : i * step)).reverse();
    return sigmasAt(ts, pv, process);
  },
};

export const leading: SchedulerSpec = {
  id: 'leading',
  label: 'leading (diffusers)',
  source: `${DIFFUSERS} timestep_spacing="leading"`,
  processes: MODELS,
  unit: 'sigma',
  params: [
    { name: 'steps_offset', type: 'number', default: 0, min: 0, doc: 'added to every timestep (Stable Diffusion\'s config: 1)' },
  ],
  /** timesteps = round(arange(n)·(N // n)) reversed + steps_offset. */
  build(n, { steps_offset }, pv, process) {
    const N = pv.num_train_timesteps;
    if (!Number.isInteger(steps_offset)) throw badValue('schedulerParams.steps_offset', steps_offset, 'an integer');
    const ratio = Math.floor(N / n);
    const ts = Array.from({ length: n }, (_, i) => i * ratio + steps_offset).reverse();
    if (ts[0] > N - 1) throw badValue('schedulerParams.steps_offset', steps_offset, `small enough that the first timestep ${ts[0]} ≤ ${N - 1}`);
    return sigmasAt(ts, pv, process);
  },
};

export const trailing: SchedulerSpec = {
  id: 'trailing',
  label: 'trailing (diffusers)',
  source: `${DIFFUSERS} timestep_spacing="trailing"`,
  processes: MODELS,
  unit: 'sigma',
  stepsMayDiffer: true,
  params: [],
  /** timesteps = round(arange(N, 0, −N/n)) − 1 (numpy.arange's length: ceil(N/(N/n)), which can be n + 1). */
  build(n, _s, pv, process) {
    const N = pv.num_train_timesteps;
    const step = -N / n;
    const len = Math.ceil((0 - N) / step);
    const ts = Array.from({ length: len }, (_, i) => roundHalfEven(N + i * step) - 1);
    return sigmasAt(ts, pv, process);
  },
};
