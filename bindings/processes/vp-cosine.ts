/** The continuous VP cosine schedule (Nichol & Dhariwal 2021). Numbers in assembly/processes/vp-cosine.ts. */
import type { ProcessSpec } from './types.js';
import type { ParamValues } from '../samplers/params.js';
import { badValue } from '../runtime/errors.js';
import * as dm from '../runtime/detmath.js';

const theta = (t: number, s: number) => (t + s) / (1 + s) * (Math.PI / 2);

/** VE σ² = σ_t²/α_t² = (cos²θ₀ − cos²θ_t)/cos²θ_t = sin(θ_t − θ₀) sin(θ_t + θ₀)/cos²θ_t. */
function sigma(t: number, p: ParamValues): number {
  const th = theta(t, p.s);
  const th0 = theta(0, p.s);
  return Math.sqrt(dm.sin(th - th0) * dm.sin(th + th0)) / dm.cos(th);
}

export const spec: ProcessSpec = {
  id: 'vp-cosine',
  coreId: 2,
  label: 'VP, cosine (continuous)',
  source: 'Nichol & Dhariwal 2021 (openai/improved-diffusion); DPM-Solver NoiseScheduleVP("cosine")',
  definition: 'α_t = cos θ_t / cos θ₀, θ_t = (t + s)/(1 + s)·π/2, σ_t² = 1 − α_t²',
  params: [
    { name: 's', type: 'number', default: 0.008, above: 0, max: 1, doc: 'offset s of θ_t' },
    { name: 'T', type: 'number', default: 0.9946, above: 0, max: 1, doc: 'the last time (α(1) = 0; DPM-Solver\'s NoiseScheduleVP("cosine") sets T = 0.9946: "T = 1 will have numerical issues")' },
  ],
  gridUnit: 't',
  sigma,
  /** α² = 1/(1 + σ²): cos θ_t = cos θ₀/sqrt(1 + σ²). */
  time(sg, p) {
    const th = dm.acos(dm.cos(theta(0, p.s)) / Math.sqrt(1 + sg * sg));
    return th * 2 * (1 + p.s) / Math.PI - p.s;
  },
  sigmaRange(p) { return [sigma(1e-3, p), sigma(p.T, p)]; },
  timeRange: (p) => [1e-3, p.T],
  start: 'N(0, I) at t = T',
  check(v, owner) {
    if (!(v.T < 1)) throw badValue(`${owner}.T`, v.T, '< 1 (α(1) = 0)');
  },
};
