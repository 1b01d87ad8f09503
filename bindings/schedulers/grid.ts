/**
 * One grid from a builder and a model (the CLI's `gaussdiff sigmas`, the API's `sigmas`, and runs):
 * the builder's parameters are validated with the model's defaults filled in (its σ range, its time
 * range), and σ grids can be mapped to the model's times.
 */
import { badValue, checkOptions, checkPositiveInteger } from '../runtime/errors.js';
import { resolveParams, type ParamValues } from '../samplers/params.js';
import { getProcess } from '../processes/index.js';
import type { ProcessSpec } from '../processes/types.js';
import { getScheduler } from './index.js';
import type { SchedulerSpec } from './types.js';

/** The most steps a builder is asked for (as runs: MAX_SAMPLER_STEPS). */
export const MAX_GRID_STEPS = 2 ** 20;

/** A builder's validated parameters: given ones over the model's defaults over the spec's. */
export function resolveSchedulerParams(spec: SchedulerSpec, given: unknown, process: ProcessSpec, processParams: ParamValues): ParamValues {
  const fromModel = spec.modelDefaults?.(process, processParams) ?? {};
  const g = given === undefined ? {} : given;
  if (typeof g !== 'object' || g === null || Array.isArray(g)) return resolveParams('schedulerParams', spec.params, g);
  return resolveParams('schedulerParams', spec.params, { ...fromModel, ...(g as Record<string, unknown>) });
}

/** Build `spec`'s grid for `process` (already validated parameters). */
export function buildGrid(spec: SchedulerSpec, steps: number, params: ParamValues, process: ProcessSpec, processParams: ParamValues): Float64Array {
  if (!spec.processes.includes(process.id)) throw badValue('model', process.id, `one of ${spec.processes.join(', ')} for scheduler ${spec.id}`);
  return spec.build(steps, params, processParams, process);
}

export interface GridOptions {
  scheduler: string;
  steps: number;
  /** The model (forward process); default: edm for σ grids, vp for time grids. */
  model?: string;
  modelParams?: Record<string, number>;
  /** The builder's parameters (its source's names: sigma_min, sigma_max, rho, t_end, …; choices as strings: final_sigmas_type). */
  params?: Record<string, number | string>;
}

export interface Grid {
  scheduler: string;
  model: string;
  /** The builder's parameters, defaults filled. */
  params: ParamValues;
  /** σ grids (the model's noise levels, ending at 0) … */
  sigmas?: number[];
  /** … or time grids (DPM-Solver's, in the model's t). */
  times?: number[];
}

/**
 * A builder's grid: `{ sigmas }` for σ builders, `{ times }` for VP time builders
 * (docs/MATH-samplers.md §4, docs/samplers.md).
 * @example sigmas({ scheduler: 'karras', steps: 2 }).sigmas // → [80, 0.002, 0]
 */
export function sigmas(given: GridOptions): Grid {
  const options = checkOptions(given);
  const spec = getScheduler(options.scheduler, 'scheduler');
  const steps = checkPositiveInteger('steps', options.steps);
  if (steps > MAX_GRID_STEPS) throw badValue('steps', steps, `at most ${MAX_GRID_STEPS}`);
  const process = getProcess(options.model ?? (spec.processes.includes('edm') ? 'edm' : spec.processes[0]), 'model');
  const pv = resolveParams('modelParams', process.params, options.modelParams);
  process.check?.(pv, 'modelParams');
  const params = resolveSchedulerParams(spec, options.params, process, pv);
  const grid = Array.from(buildGrid(spec, steps, params, process, pv));
  return { scheduler: spec.id, model: process.id, params, ...(spec.unit === 'sigma' ? { sigmas: grid } : { times: grid }) };
}
