/** DPM-Solver skip_type='time_quadratic' (bindings/schedulers/dpm-solver.ts). */
export { timeQuadratic as spec } from './dpm-solver.js';
