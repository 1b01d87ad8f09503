/** Song et al.'s variance-exploding SDE (NCSN++ / score_sde). Numbers in assembly/processes/ve.ts. */
import type { ProcessSpec } from './types.js';
import { badValue } from '../runtime/errors.js';
import * as dm from '../runtime/detmath.js';

export const spec: ProcessSpec = {
  id: 've',
  coreId: 5,
  label: 'VE (Song, geometric σ)',
  source: 'Song et al. 2021 (yang-song/score_sde configs/ve: sigma_min 0.01, sigma_max 50 for CIFAR-10)',
  definition: 'α_t = 1, σ_t = σmin (σmax/σmin)^t',
  params: [
    { name: 'sigma_min', type: 'number', default: 0.01, above: 0, doc: 'σ at t = 0' },
    { name: 'sigma_max', type: 'number', default: 50, above: 0, doc: 'σ at t = 1 (> sigma_min)' },
  ],
  gridUnit: 't',
  sigma: (t, p) => p.sigma_min * dm.pow(p.sigma_max / p.sigma_min, t),
  time: (sg, p) => dm.log(sg / p.sigma_min) / dm.log(p.sigma_max / p.sigma_min),
  sigmaRange: (p) => [p.sigma_min, p.sigma_max],
  /** score_sde samples VE from t = 1 down to eps = 1e-5. */
  timeRange: () => [1e-5, 1],
  start: 'N(0, σ_{t₀}² I) (σmax² at t = 1)',
  check(v, owner) {
    if (!(v.sigma_max > v.sigma_min)) throw badValue(`${owner}.sigma_max`, v.sigma_max, `> sigma_min = ${v.sigma_min}`);
  },
};
