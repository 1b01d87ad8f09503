/** DPM-Solver skip_type='time_uniform' (bindings/schedulers/dpm-solver.ts). */
export { timeUniform as spec } from './dpm-solver.js';
