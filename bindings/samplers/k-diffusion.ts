/**
 * What k-diffusion's registry entries share for their NFE rules (crowsonkb/k-diffusion
 * k_diffusion/sampling.py): `get_ancestral_step` and the count of steps that take a second
 * evaluation (second-order samplers skip it on a step to σ = 0, the ancestral ones on a step whose
 * σ_down is 0).
 */
import * as dm from '../runtime/detmath.js';

/** get_ancestral_step(σ, σ', η) → [σ_down, σ_up]. */
export function ancestralStep(s: number, s1: number, eta: number): [number, number] {
  if (!eta) return [s1, 0];
  const up = Math.min(s1, eta * dm.pow(s1 ** 2 * (s ** 2 - s1 ** 2) / s ** 2, 0.5));
  return [dm.pow(s1 ** 2 - up ** 2, 0.5), up];
}

/** Steps of the grid whose target (σ' or σ_down) is not 0: the ones with a second evaluation. */
export function secondEvaluations(steps: number, sigmas: Float64Array | undefined, eta?: number): number {
  // Without the grid: a grid that ends at σ = 0 (every grid builder's) with η ≤ 1.
  if (sigmas === undefined) return steps - 1;
  let n = 0;
  for (let i = 0; i + 1 < sigmas.length; i++) {
    const to = eta === undefined ? sigmas[i + 1] : ancestralStep(sigmas[i], sigmas[i + 1], eta)[0];
    if (to !== 0) n++;
  }
  return n;
}

/** Algorithm 2's churn parameters (sample_euler, sample_heun, sample_dpm_2), in the core's order. */
export const CHURN_PARAMS = [
  { name: 's_churn', type: 'number', default: 0, min: 0, doc: 'churn: γ_i = min(s_churn/N, √2 − 1) on σ_i ∈ [s_tmin, s_tmax]' },
  { name: 's_tmin', type: 'number', default: 0, min: 0, doc: 'lowest σ that gets churn' },
  { name: 's_tmax', type: 'number', default: Infinity, min: 0, infinite: true, doc: 'highest σ that gets churn (default ∞)' },
  { name: 's_noise', type: 'number', default: 1, min: 0, doc: 'scale of the churn noise' },
] as const;

/** η and s_noise of the ancestral/SDE samplers, in the core's order. */
export const ETA_PARAMS = [
  { name: 'eta', type: 'number', default: 1, min: 0, doc: 'η: share of the step taken as fresh noise (0 = deterministic)' },
  { name: 's_noise', type: 'number', default: 1, min: 0, doc: 'scale of the added noise' },
] as const;
