/** The paper's RK4 scheme (docs/MATH.md §4): a registry entry; its numbers are in assembly/samplers/paper.ts. */
import type { SamplerSpec } from './types.js';

export const spec = {
  id: 'rk4',
  group: 'scheme',
  coreId: 6,
  source: { origin: 'Pierret & Galerne, ICML 2025 (arXiv 2405.14250)', function: 'Table 3, RK4 on the probability-flow ODE', math: 'docs/MATH.md §4' },
  kind: 'ode',
  stateSize: 1,
  nfe: (steps) => 4 * steps,
  params: [],
  processes: ['vp'],
  defaultScheduler: 'uniform',
  label: 'RK4',
  colour: '#CC79A7',
} as const satisfies SamplerSpec;
