/**
 * Arithmetic shared by the grid builders: the libraries' linspace formulas (so the grids match their
 * float64 runs to the last bits), ComfyUI's model_sampling (σ ↔ timestep of a model's σ table), and
 * numpy.interp.
 */
import type { ProcessSpec } from '../processes/types.js';
import type { ParamValues } from '../samplers/params.js';
import { badValue } from '../runtime/errors.js';
import * as dm from '../runtime/detmath.js';

/** torch.linspace(a, b, n) (CPU kernel: the first half from a, the second half from b). */
export function torchLinspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 1) { out[0] = a; return out; }
  const step = (b - a) / (n - 1);
  const half = Math.floor(n / 2);
  for (let i = 0; i < n; i++) out[i] = i < half ? a + step * i : b - step * (n - 1 - i);
  return out;
}

/** numpy.linspace(a, b, n) (endpoint=True): a + i·step, the last point b exactly. */
export function numpyLinspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const step = n > 1 ? (b - a) / (n - 1) : 0;
  for (let i = 0; i < n; i++) out[i] = i * step + a;
  if (n > 1) out[n - 1] = b;
  return out;
}

/** numpy.interp(x, xs, ys) for increasing xs (clamped at the ends). */
export function interp(x: number, xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const n = xs.length;
  if (x <= xs[0]) return ys[0];
  if (x >= xs[n - 1]) return ys[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid; else hi = mid;
  }
  const slope = (ys[hi] - ys[lo]) / (xs[hi] - xs[lo]);
  return slope * (x - xs[lo]) + ys[lo];
}

/** σ_0 > … > σ_{n−1}, then 0 (k-diffusion append_zero). */
export function appendZero(s: ArrayLike<number>): Float64Array {
  const out = new Float64Array(s.length + 1);
  out.set(s as ArrayLike<number>);
  return out;
}

/** ComfyUI's model_sampling of a model with a σ table (comfy/model_sampling.py). */
export interface ModelSampling {
  /** The table σ_0 < … < σ_{N−1}. */
  sigmas: Float64Array;
  sigmaMin: number;
  sigmaMax: number;
  /** σ of a (fractional) timestep. */
  sigma(ts: number): number;
  /** The timestep of σ. */
  timestep(sigma: number): number;
}

/**
 * ModelSamplingDiscrete (VP tables): sigma(ts) interpolates log σ linearly between the integer
 * timesteps; timestep(σ) is the nearest timestep in log σ. ModelSamplingDiscreteFlow (rf):
 * sigma(ts) = the shifted level of ts/1000, timestep(σ) = 1000 σ.
 */
export function modelSampling(process: ProcessSpec, pv: ParamValues, owner = 'model'): ModelSampling {
  if (!process.sigmaTable) throw badValue(owner, process.id, 'a model with a σ table (ddpm-linear, sd, rf)');
  const sigmas = process.sigmaTable(pv);
  const N = sigmas.length;
  if (process.id === 'rf') {
    return {
      sigmas, sigmaMin: sigmas[0], sigmaMax: sigmas[N - 1],
      sigma: (ts) => process.sigma(ts / 1000, pv),
      timestep: (s) => s * 1000,
    };
  }
  const logs = sigmas.map(dm.log);
  return {
    sigmas, sigmaMin: sigmas[0], sigmaMax: sigmas[N - 1],
    sigma(ts) {
      const t = Math.min(N - 1, Math.max(0, ts));
      const lo = Math.floor(t);
      const hi = Math.ceil(t);
      const w = t - lo;
      return dm.exp((1 - w) * logs[lo] + w * logs[hi]);
    },
    timestep(s) {
      const l = dm.log(s);
      let best = 0;
      for (let i = 1; i < N; i++) if (Math.abs(l - logs[i]) < Math.abs(l - logs[best])) best = i;
      return best;
    },
  };
}

/** Ids of the models with a σ table (ComfyUI's table-based schedulers, diffusers' spacings). */
export const TABLE_MODELS = ['ddpm-linear', 'sd', 'rf'] as const;
/** Every model: σ-grid builders take the model's σ range. */
export const ALL_MODELS = ['edm', 'vp', 'vp-cosine', 'ddpm-linear', 'sd', 've', 'rf'] as const;
/** The VP models (DPM-Solver's time grids). */
export const VP_MODELS = ['vp', 'vp-cosine', 'ddpm-linear', 'sd'] as const;

/** Model defaults of sigma_min/sigma_max: the model's σ range. */
export function sigmaRangeDefaults(process: ProcessSpec, pv: ParamValues): Partial<ParamValues> {
  const [lo, hi] = process.sigmaRange(pv);
  return { sigma_min: lo, sigma_max: hi };
}
