/**
 * Shared arithmetic of the discrete-time VP models (ddpm-linear, sd): docs/MATH-samplers.md §2 and
 * assembly/processes/vp-discrete.ts (the same formulas, the core's copy).
 */
import type { ParamValues } from '../samplers/params.js';
import * as dm from '../runtime/detmath.js';

/** βⱼ = numpy.linspace(a, b, N)[j], or its square on the √-scale for scaled_linear. */
function betas(p: ParamValues, scaled: boolean): Float64Array {
  const N = p.num_train_timesteps;
  let a = p.beta_start;
  let b = p.beta_end;
  if (scaled) { a = Math.sqrt(a); b = Math.sqrt(b); }
  const out = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    const x = j === N - 1 ? b : a + j * ((b - a) / (N - 1));
    out[j] = scaled ? x * x : x;
  }
  return out;
}

const cache = new Map<string, Float64Array>();

/** log ᾱᵢ = Σⱼ≤ᵢ log1p(−βⱼ), i < N (the stable cumulative product). */
export function logAlphasCumprod(p: ParamValues, scaled: boolean): Float64Array {
  const key = `${scaled}:${p.beta_start}:${p.beta_end}:${p.num_train_timesteps}`;
  let out = cache.get(key);
  if (!out) {
    const beta = betas(p, scaled);
    out = new Float64Array(beta.length);
    let s = 0;
    for (let j = 0; j < beta.length; j++) out[j] = s += dm.log1p(-beta[j]);
    if (cache.size > 16) cache.clear();
    cache.set(key, out);
  }
  return out;
}

/** log α(t): piecewise linear through (0, 0) and ((i + 1)/N, ½ log ᾱᵢ) (DPM-Solver's interpolation). */
export function logAlpha(t: number, p: ParamValues, scaled: boolean): number {
  const S = logAlphasCumprod(p, scaled);
  const N = S.length;
  const u = t * N;
  const k = Math.min(N - 1, Math.max(0, Math.floor(u)));
  const lo = k === 0 ? 0 : 0.5 * S[k - 1];
  const hi = 0.5 * S[k];
  return lo + (u - k) * (hi - lo);
}

/** The time of a log α value (the inverse of `logAlpha`; DPM-Solver's inverse_lambda). */
export function timeOfLogAlpha(L: number, p: ParamValues, scaled: boolean): number {
  const S = logAlphasCumprod(p, scaled);
  const N = S.length;
  // first node k with ½ S[k − 1] ≤ L … (log α decreases along the nodes)
  let lo = 0;
  let hi = N - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (0.5 * S[mid] > L) lo = mid + 1;
    else hi = mid;
  }
  const a = lo === 0 ? 0 : 0.5 * S[lo - 1];
  const b = 0.5 * S[lo];
  return (lo + (L - a) / (b - a)) / N;
}

/** VE σᵢ = sqrt((1 − ᾱᵢ)/ᾱᵢ) = sqrt(expm1(−log ᾱᵢ)), ascending. */
export function sigmaTable(p: ParamValues, scaled: boolean): Float64Array {
  return logAlphasCumprod(p, scaled).map((s) => Math.sqrt(dm.expm1(-s)));
}

export function discreteModel(scaled: boolean) {
  return {
    gridUnit: 't' as const,
    sigma: (t: number, p: ParamValues) => Math.sqrt(dm.expm1(-2 * logAlpha(t, p, scaled))),
    time: (sigma: number, p: ParamValues) => timeOfLogAlpha(-0.5 * dm.log1p(sigma * sigma), p, scaled),
    /** ComfyUI ModelSamplingDiscrete: sigma_min = sigmas[0], sigma_max = sigmas[N − 1]. */
    sigmaRange(p: ParamValues) {
      const s = sigmaTable(p, scaled);
      return [s[0], s[s.length - 1]] as const;
    },
    /** DPM-Solver's discrete convention: t ∈ [1/N, 1]. */
    timeRange: (p: ParamValues) => [1 / p.num_train_timesteps, 1] as const,
    sigmaTable: (p: ParamValues) => sigmaTable(p, scaled),
    start: 'N(0, I) at t = 1 (timestep N − 1)',
  };
}
