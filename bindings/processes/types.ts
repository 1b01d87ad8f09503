/** The shape of a forward-process registry entry (one file per entry in bindings/processes/). */
import type { ParamSpec, ParamValues } from '../samplers/params.js';

export interface ProcessSpec {
  /** The name users type (`--model`). */
  readonly id: string;
  /** Its id in the core (assembly/processes/dispatch.ts). */
  readonly coreId: number;
  readonly label: string;
  readonly source: string;
  /** α_t, σ_t in words (docs/MATH-samplers.md §2). */
  readonly definition: string;
  /** Parameters in the order the core reads them. */
  readonly params: readonly ParamSpec[];
  /** Whether grid times are noise levels σ (EDM: σ_t = t) or diffusion times t. */
  readonly gridUnit: 't' | 'sigma';
  /**
   * The model's noise level at time t, the unit of σ grids: VE σ = σ_t/α_t (k-diffusion's and
   * ComfyUI's σ), for rectified flow the flow level σ_t itself (ComfyUI's CONST sampling).
   */
  sigma(t: number, p: ParamValues): number;
  /** The time of noise level σ (the inverse of `sigma`). */
  time(sigma: number, p: ParamValues): number;
  /** The conventional σ range [σmin, σmax] (k-diffusion / ComfyUI `model_sampling.sigma_min/max`). */
  sigmaRange(p: ParamValues): readonly [number, number];
  /** The conventional time interval [t_end, t_start] of time grids (DPM-Solver's ε and T). */
  timeRange(p: ParamValues): readonly [number, number];
  /**
   * Discrete models: the N training noise levels σ_0 < … < σ_{N−1} (ComfyUI `model_sampling.sigmas`,
   * the σ of diffusers' integer timesteps), for the table-based grid builders.
   */
  sigmaTable?(p: ParamValues): Float64Array;
  /** The conventional start in words (docs/MATH-samplers.md §6): the core's `processPriorVariance`. */
  readonly start: string;
  /** Constraints between parameters (after each was validated): throw naming `${owner}.<name>`. */
  check?(values: ParamValues, owner: string): void;
}
