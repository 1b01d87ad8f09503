/** The paper's forward process: VP with linear β (docs/MATH.md §1). Numbers in assembly/processes/vp-linear.ts. */
import type { ProcessSpec } from './types.js';
import { badValue } from '../runtime/errors.js';
import * as dm from '../runtime/detmath.js';

/** B_t = βmin t + (βmax − βmin) t²/(2T). */
function integratedBeta(t: number, p: Record<string, number>): number {
  return p.betaMin * t + (p.betaMax - p.betaMin) * t * t / (2 * p.T);
}

export const spec: ProcessSpec = {
  id: 'vp',
  coreId: 0,
  label: 'VP, linear β',
  source: 'Song et al. 2021 (β halved: the SDE carries the factor 2); Pierret & Galerne 2025 §2',
  definition: 'α_t = e^{−B_t}, σ_t² = 1 − e^{−2B_t}, B_t = βmin t + (βmax − βmin) t²/(2T)',
  params: [
    { name: 'betaMin', type: 'number', default: 0.05, min: 0, doc: 'β at t = 0' },
    { name: 'betaMax', type: 'number', default: 10, min: 0, doc: 'β at t = T (≥ betaMin)' },
    { name: 'T', type: 'number', default: 1, above: 0, doc: 'time horizon' },
  ],
  gridUnit: 't',
  /** VE σ = sqrt(expm1(2B_t)) (k-diffusion get_sigmas_vp with beta_d = 2(βmax − βmin), beta_min = 2βmin). */
  sigma: (t, p) => Math.sqrt(dm.expm1(2 * integratedBeta(t, p))),
  /** B = ½ log1p(σ²), t = 2B/(βmin + sqrt(βmin² + 2(βmax − βmin)B/T)) (docs/MATH-samplers.md §4). */
  time(sigma, p) {
    const B = 0.5 * dm.log1p(sigma * sigma);
    return 2 * B / (p.betaMin + Math.sqrt(p.betaMin * p.betaMin + 2 * (p.betaMax - p.betaMin) * B / p.T));
  },
  /** k-diffusion's get_sigmas_vp range: σ at t = 1e-3·T (its eps_s) and at T. */
  sigmaRange(p) { return [this.sigma(1e-3 * p.T, p), this.sigma(p.T, p)]; },
  /** DPM-Solver's default t_end = 1/N with N = 1000, scaled to T. */
  timeRange: (p) => [1e-3 * p.T, p.T],
  start: 'N(0, I) at t = T',
  check(v, owner) {
    if (v.betaMax < v.betaMin) throw badValue(`${owner}.betaMax`, v.betaMax, `≥ betaMin = ${v.betaMin}`);
  },
};
