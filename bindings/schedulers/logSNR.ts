/** DPM-Solver skip_type='logSNR' (bindings/schedulers/dpm-solver.ts). */
export { logSNR as spec } from './dpm-solver.js';
