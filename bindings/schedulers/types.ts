/** The shape of a grid-builder registry entry (one file per entry in bindings/schedulers/). */
import type { ParamSpec, ParamValues } from '../samplers/params.js';

export interface SchedulerSpec {
  /** The name users type (`--scheduler`). */
  readonly id: string;
  readonly label: string;
  readonly source: string;
  /** Forward processes whose grid unit it produces (ids of bindings/processes). */
  readonly processes: readonly string[];
  readonly params: readonly ParamSpec[];
  /**
   * The K + 1 = steps + 1 grid points t_0 > … > t_K (times, or σ's for a σ-unit process), from
   * validated parameters and the process's validated parameters.
   */
  build(steps: number, params: ParamValues, process: ParamValues): Float64Array;
  /**
   * The step sizes h_k when the builder defines them apart from the times (the paper's uniform grid:
   * h = (T − ε)/K, which differs from t_k − t_{k+1} by a rounding); absent: h_k = t_k − t_{k+1}.
   */
  stepSizes?(steps: number, params: ParamValues, process: ParamValues): Float64Array;
}
