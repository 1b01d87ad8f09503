/** The paper's forward process: VP with linear β (docs/MATH.md §1). Numbers in assembly/processes/vp-linear.ts. */
import type { ProcessSpec } from './types.js';
import { badValue } from '../runtime/errors.js';

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
  check(v, owner) {
    if (v.betaMax < v.betaMin) throw badValue(`${owner}.betaMax`, v.betaMax, `≥ betaMin = ${v.betaMin}`);
  },
};
