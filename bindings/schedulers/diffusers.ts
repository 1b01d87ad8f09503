/**
 * diffusers' timestep spacings ("linspace", "leading", "trailing" = Table 2 of Lin et al. 2024,
 * arXiv:2305.08891) as σ grids, in the convention of the scheduler class that sets them
 * (`scheduler_class`): EulerDiscreteScheduler.set_timesteps (src/diffusers/schedulers/
 * scheduling_euler_discrete.py: n timesteps, fractional for linspace) or DPMSolverMultistepScheduler /
 * UniPCMultistepScheduler.set_timesteps (scheduling_dpmsolver_multistep.py, scheduling_unipc_multistep.py:
 * n + 1 integer timesteps with the last dropped; identical for these spacings with the default
 * lambda_min_clipped = −inf). σ is interpolated linearly at the timesteps in the model's table
 * (numpy.interp), then `final_sigmas_type` appends 0 ("zero") or σ at timestep 0 ("sigma_min",
 * √((1 − ᾱ₀)/ᾱ₀)). diffusers casts the σ's to float32; these are the float64 values.
 */
import type { SchedulerSpec } from './types.js';
import type { ParamValues } from '../samplers/params.js';
import type { ProcessSpec } from '../processes/types.js';
import { appendZero, interp, modelSampling, numpyLinspace } from './common.js';
import { badValue } from '../runtime/errors.js';

const DIFFUSERS = 'huggingface/diffusers src/diffusers/schedulers/scheduling_{euler_discrete,dpmsolver_multistep,unipc_multistep}.py set_timesteps';

/** The parameters every spacing takes: the class whose convention it follows, and the last σ. */
const CLASS_PARAMS = [
  { name: 'scheduler_class', type: 'choice', choices: ['EulerDiscreteScheduler', 'DPMSolverMultistepScheduler', 'UniPCMultistepScheduler'], default: 'EulerDiscreteScheduler', doc: 'whose set_timesteps: Euler (n timesteps) or DPMSolverMultistep / UniPCMultistep (n + 1, last dropped)' },
  { name: 'final_sigmas_type', type: 'choice', choices: ['zero', 'sigma_min'], default: 'zero', doc: 'the last σ: 0, or σ at timestep 0 (the grid then ends at σ₀ = √((1 − ᾱ₀)/ᾱ₀))' },
] as const;

/** Whether the DPMSolverMultistep / UniPCMultistep convention applies. */
function multistepClass(params: ParamValues): boolean {
  return (params.scheduler_class as unknown as string) !== 'EulerDiscreteScheduler';
}

/** numpy.round: half to even. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
}

/** The σ's at the (descending) timesteps, then 0 or σ₀ (final_sigmas_type). */
function sigmasAt(timesteps: number[], pv: ParamValues, process: ProcessSpec, params: ParamValues): Float64Array {
  const { sigmas } = modelSampling(process, pv);
  const idx = Float64Array.from(sigmas, (_, i) => i);
  const out = appendZero(timesteps.map((t) => interp(t, idx, sigmas)));
  if ((params.final_sigmas_type as unknown as string) === 'sigma_min') out[out.length - 1] = sigmas[0];
  return out;
}

const MODELS = ['ddpm-linear', 'sd'] as const;

export const linspace: SchedulerSpec = {
  id: 'linspace',
  label: 'linspace (diffusers)',
  source: `${DIFFUSERS} timestep_spacing="linspace"`,
  processes: MODELS,
  unit: 'sigma',
  params: [...CLASS_PARAMS],
  /**
   * Euler: timesteps = float32(linspace(0, N − 1, n)) reversed (fractional: σ interpolated);
   * multistep classes: round(linspace(0, N − 1, n + 1)) reversed, the last (0) dropped.
   */
  build(n, s, pv, process) {
    const N = pv.num_train_timesteps;
    if (multistepClass(s)) {
      const ts = Array.from(numpyLinspace(0, N - 1, n + 1), roundHalfEven).reverse().slice(0, n);
      return sigmasAt(ts, pv, process, s);
    }
    const step = n > 1 ? (N - 1) / (n - 1) : 0;
    const ts = Array.from({ length: n }, (_, i) => Math.fround(i === n - 1 && n > 1 ? N - 1 : i * step)).reverse();
    return sigmasAt(ts, pv, process, s);
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
    ...CLASS_PARAMS,
  ],
  /** timesteps = arange(n)·(N // n) reversed + steps_offset (multistep classes: arange(n + 1)·(N // (n + 1)) reversed, last dropped). */
  build(n, s, pv, process) {
    const N = pv.num_train_timesteps;
    const { steps_offset } = s;
    if (!Number.isInteger(steps_offset)) throw badValue('schedulerParams.steps_offset', steps_offset, 'an integer');
    const multi = multistepClass(s);
    const ratio = Math.floor(N / (multi ? n + 1 : n));
    const ts = Array.from({ length: n }, (_, i) => (multi ? i + 1 : i) * ratio + steps_offset).reverse();
    if (ts[0] > N - 1) throw badValue('schedulerParams.steps_offset', steps_offset, `small enough that the first timestep ${ts[0]} ≤ ${N - 1}`);
    return sigmasAt(ts, pv, process, s);
  },
};

export const trailing: SchedulerSpec = {
  id: 'trailing',
  label: 'trailing (diffusers)',
  source: `${DIFFUSERS} timestep_spacing="trailing"`,
  processes: MODELS,
  unit: 'sigma',
  stepsMayDiffer: true,
  params: [...CLASS_PARAMS],
  /** timesteps = round(arange(N, 0, −N/n)) − 1 (numpy.arange's length: ceil(N/(N/n)), which can be n + 1); the same in every class. */
  build(n, s, pv, process) {
    const N = pv.num_train_timesteps;
    const step = -N / n;
    const len = Math.ceil((0 - N) / step);
    const ts = Array.from({ length: len }, (_, i) => roundHalfEven(N + i * step) - 1);
    return sigmasAt(ts, pv, process, s);
  },
};
