/**
 * NVlabs/edm `generate.py edm_sampler` (Karras et al. 2022, Algorithm 2): a registry entry that
 * builds its own grid (the Karras ρ grid on [sigma_min, sigma_max] with num_steps points, then 0;
 * the network's round_sigma is the identity and its σ range unbounded). Its step is k-diffusion's
 * `sample_heun` arithmetic (assembly/samplers/k-diffusion.ts heunPrepare, read from the 5th
 * parameter on): Heun with an Euler step to σ = 0, churn γ = min(S_churn/num_steps, √2 − 1) on
 * S_min ≤ σ ≤ S_max. NFE 2 num_steps − 1. Start x = latents·t_0 (the conventional start).
 */
import type { SamplerSpec } from './types.js';
import { badValue } from '../runtime/errors.js';
import * as dm from '../runtime/detmath.js';

export const spec = {
  id: 'edm',
  group: 'sampler',
  coreId: 30,
  source: { origin: 'NVlabs/edm', function: 'generate.py edm_sampler', math: 'docs/MATH-samplers.md §5.19, §5.2, §5.3' },
  kind: 'ode',
  stateSize: 1,
  nfe: (_steps, params) => 2 * (params.num_steps as number) - 1,
  params: [
    { name: 'num_steps', type: 'number', default: 18, min: 2, max: 2 ** 20, integer: true, doc: 'N: grid points before the final 0 (N steps; N = 1 divides 0 by 0 in the source)' },
    { name: 'sigma_min', type: 'number', default: 0.002, above: 0, doc: 'last nonzero σ' },
    { name: 'sigma_max', type: 'number', default: 80, above: 0, doc: 'first σ (the start is latents·sigma_max)' },
    { name: 'rho', type: 'number', default: 7, above: 0, doc: 'ρ of the Karras grid' },
    { name: 'S_churn', type: 'number', default: 0, min: 0, doc: 'churn: γ = min(S_churn/num_steps, √2 − 1) on σ ∈ [S_min, S_max]' },
    { name: 'S_min', type: 'number', default: 0, min: 0, doc: 'lowest σ that gets churn' },
    { name: 'S_max', type: 'number', default: Infinity, min: 0, infinite: true, doc: 'highest σ that gets churn (default ∞)' },
    { name: 'S_noise', type: 'number', default: 1, min: 0, doc: 'scale of the churn noise' },
  ],
  processes: ['edm'],
  defaultScheduler: 'karras',
  label: 'EDM sampler (NVlabs/edm)',
  colour: '#332288',
  stepsParam: 'num_steps',
  /** t_i = (σmax^{1/ρ} + i/(N − 1)(σmin^{1/ρ} − σmax^{1/ρ}))^ρ, i < N (float64, as the source), then 0. */
  ownGrid(params) {
    const lo = params.sigma_min as number, hi = params.sigma_max as number, rho = params.rho as number, N = params.num_steps as number;
    if (!(lo < hi)) throw badValue('params.sigma_min', lo, `< params.sigma_max = ${hi}`);
    const a = dm.pow(hi, 1 / rho), b = dm.pow(lo, 1 / rho);
    const t = new Float64Array(N + 1);
    for (let i = 0; i < N; i++) t[i] = dm.pow(a + i / (N - 1) * (b - a), rho);
    return t;
  },
} as const satisfies SamplerSpec;
