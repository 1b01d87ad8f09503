/** The paper's Euler scheme (docs/MATH.md §4): a registry entry; its numbers are in assembly/samplers/paper.ts. */
import type { SamplerSpec } from './types.js';

export const spec = {
  id: 'euler',
  group: 'scheme',
  coreId: 4,
  source: { origin: 'Pierret & Galerne, ICML 2025 (arXiv 2405.14250)', function: 'Table 3, Euler on the probability-flow ODE', math: 'docs/MATH.md §4' },
  kind: 'ode',
  stateSize: 1,
  nfe: (steps) => steps,
  params: [],
  processes: ['vp'],
  defaultScheduler: 'uniform',
  label: 'Euler',
  colour: '#0072B2',
} as const satisfies SamplerSpec;
