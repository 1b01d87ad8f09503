// Forward processes by id (ids shared with bindings/processes/*.ts `coreId`). The only id → code
// switch for processes; an unknown id aborts.
import { vpSignal, vpNoise } from './vp-linear';
import { edmSignal, edmNoise } from './edm';

export const VP_LINEAR: i32 = 0;
export const EDM: i32 = 1;

function unknown(id: i32): void {
  throw new Error('gaussdiff core: unknown forward process id ' + id.toString());
}

/** α_t² (the data's weight in λ_t = α_t² λ + σ_t²). */
export function processSignal(id: i32, p: usize, t: f64): f64 {
  if (id == VP_LINEAR) return vpSignal(p, t);
  if (id == EDM) return edmSignal(t);
  unknown(id);
  return 0.0;
}

/** σ_t². */
export function processNoise(id: i32, p: usize, t: f64): f64 {
  if (id == VP_LINEAR) return vpNoise(p, t);
  if (id == EDM) return edmNoise(t);
  unknown(id);
  return 0.0;
}

/** α_t (the mean of x_t is α_t m). */
export function processAlpha(id: i32, p: usize, t: f64): f64 {
  return Math.sqrt(processSignal(id, p, t));
}

/**
 * Variance of the conventional start at the first level t0 (docs/MATH-samplers.md §6): VP starts
 * from N(0, I), EDM/k-diffusion from N(0, σ₀² I).
 */
export function processPriorVariance(id: i32, p: usize, t0: f64): f64 {
  if (id == VP_LINEAR) return 1.0;
  if (id == EDM) return t0 * t0;
  unknown(id);
  return 0.0;
}
