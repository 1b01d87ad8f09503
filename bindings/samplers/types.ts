/** The shape of a sampler registry entry (one file per entry in bindings/samplers/). */
import type { AnyParamValues, ParamSpec, ParamValues } from './params.js';
import type { ProcessSpec } from '../processes/types.js';

export interface SamplerSpec {
  /** The name users type: `--scheme em` (group 'scheme') or `--sampler dpmpp_2m` (group 'sampler'). */
  readonly id: string;
  /** 'scheme': the paper's schemes (stepping in t on the VP SDE/ODE); 'sampler': a library's sampler. */
  readonly group: 'scheme' | 'sampler';
  /** Its id in the core (assembly/samplers/dispatch.ts). */
  readonly coreId: number;
  /** Where it is defined: paper or library, and the function. */
  readonly source: { readonly origin: string; readonly function: string; readonly math: string };
  readonly kind: 'ode' | 'sde';
  /** State size m ≤ 4 (docs/MATH-samplers.md §1). */
  readonly stateSize: number;
  /**
   * Score/denoiser evaluations of a run of `steps` steps; `sigmas` (the grid, when known) for
   * samplers whose count depends on it (Heun-type samplers skip the evaluation at σ = 0).
   */
  nfe(steps: number, params: AnyParamValues, sigmas?: Float64Array): number;
  /** Parameters with their defaults and constraints, in the order the core reads them. */
  readonly params: readonly ParamSpec[];
  /** Forward processes it runs on (ids of bindings/processes). */
  readonly processes: readonly string[];
  /** The grid builder used when none is given. */
  readonly defaultScheduler: string;
  /** For figures and reports. */
  readonly label: string;
  readonly colour: string;
  /**
   * For samplers that build their own grid from their parameters (k-diffusion's `dpm_fast`): the
   * grid t_0 > … > t_K. Runs of such a sampler take no `steps`, `scheduler` or `times`.
   * `processParams`: the forward process's validated parameters (diffusers' schedulers read the
   * model's `num_train_timesteps` and `shift`).
   */
  ownGrid?(params: AnyParamValues, process: ProcessSpec, processParams: ParamValues): Float64Array;
  /**
   * Defaults that come from the forward process for parameters the user did not give (DPM-Solver's
   * `t_start = T`, `t_end = 1/N`): applied before validation, reported with the other values.
   */
  modelDefaults?(process: ProcessSpec, processParams: ParamValues): Partial<AnyParamValues>;
  /**
   * For samplers with `ownGrid`: the parameter that sets the grid's size, which `compare` sets from
   * its step counts (dpm_fast: `n`). Absent: the first of `steps`, `num_steps`, `n` it has.
   */
  readonly stepsParam?: string;
  /**
   * Constraints that depend on the grid (validated once, with the parameters): throw a RangeError
   * naming `name` if the grid is not admissible.
   */
  checkGrid?(times: Float64Array, h: Float64Array | null, processParams: Float64Array, name: string): void;
}
