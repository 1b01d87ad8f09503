/** The paper's Heun scheme (docs/MATH.md §4): a registry entry; its numbers are in assembly/samplers/paper.ts. */
import type { SamplerSpec } from './types.js';

export const spec = {
  id: 'heun',
  group: 'scheme',
  coreId: 5,
  source: { origin: 'Pierret & Galerne, ICML 2025 (arXiv 2405.14250)', function: 'Table 3, Heun on the probability-flow ODE', math: 'docs/MATH.md §4' },
  kind: 'ode',
  stateSize: 1,
  nfe: (steps) => 2 * steps,
  params: [],
  processes: ['vp'],
  defaultScheduler: 'uniform',
  label: 'Heun',
  colour: '#D55E00',
} as const satisfies SamplerSpec;
