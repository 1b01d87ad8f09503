/**
 * k-diffusion's `sample_dpm_fast` (DPM-Solver-Fast, Lu et al. 2022, fixed steps): a registry entry
 * that builds its own grid from `sigma_min`, `sigma_max` and `n` (the number of evaluations), and
 * ends at `sigma_min` (no step to σ = 0: the output keeps that noise); numbers in
 * assembly/samplers/k-diffusion.ts.
 */
import type { SamplerSpec } from './types.js';
import { badValue } from '../runtime/errors.js';
import * as dm from '../runtime/detmath.js';

export const spec = {
  id: 'dpm_fast',
  group: 'sampler',
  coreId: 18,
  source: { origin: 'crowsonkb/k-diffusion', function: 'k_diffusion/sampling.py sample_dpm_fast (DPMSolver.dpm_solver_fast)', math: 'docs/MATH-samplers.md §5.13' },
  kind: 'ode',
  stateSize: 1,
  nfe: (_steps, params) => params.n as number,
  params: [
    { name: 'sigma_min', type: 'number', default: 0.002, above: 0, doc: 'last σ (the output keeps this noise level)' },
    { name: 'sigma_max', type: 'number', default: 80, above: 0, doc: 'first σ' },
    { name: 'n', type: 'number', default: 50, min: 1, max: 2 ** 20, integer: true, doc: 'denoiser evaluations (⌊n/3⌋ + 1 steps of orders 3, …, 3, then 2, 1 or n mod 3)' },
    { name: 'eta', type: 'number', default: 0, min: 0, doc: 'η: share of each step taken as fresh noise (0 = ODE)' },
    { name: 's_noise', type: 'number', default: 1, min: 0, doc: 'scale of the added noise' },
  ],
  processes: ['edm'],
  defaultScheduler: 'karras',
  label: 'DPM-Solver-Fast (k-diffusion)',
  colour: '#AA4499',
  stepsParam: 'n',
  /** t = −log σ: torch.linspace(−log σ_max, −log σ_min, ⌊n/3⌋ + 2), σ = e^{−t}. */
  ownGrid(params) {
    const lo = params.sigma_min as number, hi = params.sigma_max as number, n = params.n as number;
    if (!(lo < hi)) throw badValue('params.sigma_min', lo, `< params.sigma_max = ${hi}`);
    const m = Math.floor(n / 3) + 1;
    const t0 = -dm.log(hi), t1 = -dm.log(lo);
    const step = (t1 - t0) / m;
    const s = new Float64Array(m + 1);
    // torch.linspace: the first half from the start, the second half from the end.
    for (let k = 0; k <= m; k++) s[k] = dm.exp(-(k < Math.floor((m + 1) / 2) ? t0 + k * step : t1 - (m - k) * step));
    return s;
  },
} as const satisfies SamplerSpec;
