/** The shape of a grid-builder registry entry (one file per entry in bindings/schedulers/). */
import type { ParamSpec, ParamValues } from '../samplers/params.js';
import type { ProcessSpec } from '../processes/types.js';

export interface SchedulerSpec {
  /** The name users type (`--scheduler`). */
  readonly id: string;
  readonly label: string;
  readonly source: string;
  /** Forward processes whose grid unit it produces (ids of bindings/processes). */
  readonly processes: readonly string[];
  readonly params: readonly ParamSpec[];
  /**
   * What it builds: noise levels σ (the model's `sigma`, ending at 0) or diffusion times t (VP time
   * grids such as DPM-Solver's). A σ grid for a model whose grid unit is t is mapped through the
   * model's `time` before a run.
   */
  readonly unit: 'sigma' | 't';
  /**
   * Defaults that come from the model (its σ range, its time range) for parameters the user did not
   * give: ComfyUI and k-diffusion take sigma_min/sigma_max from `model_sampling`.
   */
  modelDefaults?(process: ProcessSpec, processParams: ParamValues): Partial<ParamValues>;
  /**
   * Whether the source's grid may have a different number of steps than asked (ComfyUI's
   * `ddim_uniform` and `beta` skip or merge timesteps): the grid's length tells.
   */
  readonly stepsMayDiffer?: boolean;
  /**
   * The K + 1 = steps + 1 grid points t_0 > … > t_K (times, or σ's for a σ-unit process), from
   * validated parameters and the process's validated parameters.
   */
  build(steps: number, params: ParamValues, processParams: ParamValues, process: ProcessSpec): Float64Array;
  /**
   * The step sizes h_k when the builder defines them apart from the times (the paper's uniform grid:
   * h = (T − ε)/K, which differs from t_k − t_{k+1} by a rounding); absent: h_k = t_k − t_{k+1}.
   */
  stepSizes?(steps: number, params: ParamValues, process: ParamValues): Float64Array;
}
