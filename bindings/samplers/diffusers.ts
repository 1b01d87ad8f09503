/**
 * What diffusers' scheduler entries share (huggingface/diffusers src/diffusers/schedulers/,
 * scheduling_ddim.py / scheduling_ddpm.py `set_timesteps`, scheduling_flow_match_*.py): their
 * timestep grids, in the model's times (docs/MATH-samplers.md §5.15, §5.20, §5.21). Discrete models: the integer
 * timestep τ is the time (τ + 1)/N; rectified flow: the grid time is the unshifted level.
 */
import { badValue } from '../runtime/errors.js';
import type { AnyParamValues, ParamValues } from './params.js';

/** numpy's round (half to even). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r;
}

/** numpy.linspace(a, b, n) (y = k·step + a, the last point = b). */
export function npLinspace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  const step = (b - a) / (n - 1);
  return Array.from({ length: n }, (_, k) => (k === n - 1 ? b : k * step + a));
}

export const SPACINGS = ['leading', 'trailing', 'linspace'] as const;

/**
 * DDIMScheduler/DDPMScheduler.set_timesteps: the integer timesteps τ_0 > … > τ_{n−1} of
 * `timestep_spacing` with `steps_offset` (leading only), N = the model's num_train_timesteps.
 */
export function diffusersTimesteps(params: AnyParamValues, N: number): number[] {
  const n = params.num_inference_steps as number;
  if (n > N) throw badValue('params.num_inference_steps', n, `≤ the model's num_train_timesteps = ${N} (diffusers raises ValueError)`);
  const spacing = params.timestep_spacing as string;
  let ts: number[];
  if (spacing === 'linspace') {
    ts = npLinspace(0, N - 1, n).map(roundHalfEven).reverse();
  } else if (spacing === 'leading') {
    const ratio = Math.floor(N / n);
    ts = Array.from({ length: n }, (_, k) => (n - 1 - k) * ratio + (params.steps_offset as number));
  } else {
    // np.round(np.arange(N, 0, −N/n)) − 1: arange's length is ceil(N/(N/n)) in floating point
    const r = N / n;
    const len = Math.ceil((0 - N) / -r);
    ts = Array.from({ length: len }, (_, k) => roundHalfEven(N + k * -r) - 1);
  }
  for (let k = 0; k < ts.length; k++) {
    if (!(ts[k] >= 0 && ts[k] <= N - 1)) {
      throw badValue('params.steps_offset', params.steps_offset, `such that every timestep is in [0, ${N - 1}] (timestep ${ts[k]} with timestep_spacing ${spacing})`);
    }
  }
  return ts;
}

/** The model times of timesteps τ: (τ + 1)/N. */
export function timestepTimes(ts: readonly number[], N: number): number[] {
  return ts.map((tau) => (tau + 1) / N);
}

/** clip_sample = true clamps the predicted x0 to [−1, 1]: not affine, so not exact. */
export function rejectClip(params: AnyParamValues): void {
  if (params.clip_sample !== false) {
    throw badValue('params.clip_sample', params.clip_sample, 'false (clipping the predicted x0 to [−clip_sample_range, clip_sample_range] is not affine: no exact law; SD configs set it false)');
  }
}

/** The `num_train_timesteps` of a discrete model's validated parameters. */
export function trainSteps(processParams: ParamValues): number {
  return processParams.num_train_timesteps;
}

/**
 * FlowMatchEulerDiscreteScheduler/FlowMatchHeunDiscreteScheduler.set_timesteps (no dynamic
 * shifting): u = linspace(σ_max N, σ_min N, n)/N with σ_max = shift(1) = 1, σ_min = shift(1/N), then
 * σ = shift(u) and a final 0. On the rf model with the same `shift`, σ(t) = shift(t): the grid times
 * are the u's (then t = 0).
 */
export function flowTimes(n: number, N: number, shift: number): Float64Array {
  const shifted = (s: number) => shift * s / (1 + (shift - 1) * s);
  const sMax = shifted(1), sMin = shifted(1 / N);
  const u = npLinspace(sMax * N, sMin * N, n).map((t) => t / N);
  return Float64Array.from([...u, 0]);
}
