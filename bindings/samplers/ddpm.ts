/** The paper's DDPM scheme (docs/MATH.md §4): a registry entry; its numbers are in assembly/samplers/paper.ts. */
import type { SamplerSpec } from './types.js';
import { ddpmMaxB } from '../exact/core-general.js';
import { badValue } from '../runtime/errors.js';

export const spec = {
  id: 'ddpm',
  group: 'scheme',
  coreId: 2,
  source: { origin: 'Pierret & Galerne, ICML 2025 (arXiv 2405.14250)', function: 'Table 3, DDPM (ancestral) step', math: 'docs/MATH.md §4' },
  kind: 'sde',
  stateSize: 1,
  nfe: (steps) => steps,
  params: [],
  processes: ['vp'],
  defaultScheduler: 'uniform',
  label: 'DDPM',
  colour: '#009E73',
  checkGrid(times, h, processParams, name) {
    // DDPM needs b = 2 h_k β(t_k) < 1 at every step (docs/MATH.md §4).
    const worst = ddpmMaxB(processParams, times, h);
    if (!(worst < 1)) throw badValue(name, times.length - 1, `large enough for DDPM's constraint 2·h·β_t < 1 (the largest 2·h·β_t on this grid is ${worst.toPrecision(4)})`);
  },
} as const satisfies SamplerSpec;
