// Forward processes by id (ids shared with bindings/processes/*.ts `coreId`). The only id → code
// switch for processes; an unknown id aborts.
import { vpSignal, vpNoise } from './vp-linear';
import { edmSignal, edmNoise } from './edm';
import { discreteSignal, discreteNoise } from './vp-discrete';
import { cosineSignal, cosineNoise } from './vp-cosine';
import { veNoise } from './ve';
import { flowSignal, flowNoise } from './rectified-flow';

export const VP_LINEAR: i32 = 0;
export const EDM: i32 = 1;
export const VP_COSINE: i32 = 2;
export const DDPM_LINEAR: i32 = 3;
export const SD_SCALED_LINEAR: i32 = 4;
export const VE: i32 = 5;
export const RECTIFIED_FLOW: i32 = 6;

function unknown(id: i32): void {
  throw new Error('gaussdiff core: unknown forward process id ' + id.toString());
}

/** α_t² (the data's weight in λ_t = α_t² λ + σ_t²). */
export function processSignal(id: i32, p: usize, t: f64): f64 {
  if (id == VP_LINEAR) return vpSignal(p, t);
  if (id == EDM) return edmSignal(t);
  if (id == VP_COSINE) return cosineSignal(p, t);
  if (id == DDPM_LINEAR) return discreteSignal(p, false, t);
  if (id == SD_SCALED_LINEAR) return discreteSignal(p, true, t);
  if (id == VE) return 1.0;
  if (id == RECTIFIED_FLOW) return flowSignal(p, t);
  unknown(id);
  return 0.0;
}

/** σ_t². */
export function processNoise(id: i32, p: usize, t: f64): f64 {
  if (id == VP_LINEAR) return vpNoise(p, t);
  if (id == EDM) return edmNoise(t);
  if (id == VP_COSINE) return cosineNoise(p, t);
  if (id == DDPM_LINEAR) return discreteNoise(p, false, t);
  if (id == SD_SCALED_LINEAR) return discreteNoise(p, true, t);
  if (id == VE) return veNoise(p, t);
  if (id == RECTIFIED_FLOW) return flowNoise(p, t);
  unknown(id);
  return 0.0;
}

/** α_t (the mean of x_t is α_t m). */
export function processAlpha(id: i32, p: usize, t: f64): f64 {
  return Math.sqrt(processSignal(id, p, t));
}

/**
 * Variance of the conventional start at the first level t0 (docs/MATH-samplers.md §6): VP starts
 * from N(0, I), EDM/k-diffusion from N(0, σ₀² I); VE (Song) from N(0, σ_{t0}² I); rectified flow from
 * N(0, I).
 */
export function processPriorVariance(id: i32, p: usize, t0: f64): f64 {
  if (id == VP_LINEAR) return 1.0;
  if (id == EDM) return t0 * t0;
  if (id == VP_COSINE || id == DDPM_LINEAR || id == SD_SCALED_LINEAR || id == RECTIFIED_FLOW) return 1.0;
  if (id == VE) return veNoise(p, t0);
  unknown(id);
  return 0.0;
}
