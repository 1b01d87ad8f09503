/** The paper's EI scheme (docs/MATH.md §4): a registry entry; its numbers are in assembly/samplers/paper.ts. */
import type { SamplerSpec } from './types.js';

export const spec = {
  id: 'ei',
  group: 'scheme',
  coreId: 1,
  source: { origin: 'Pierret & Galerne, ICML 2025 (arXiv 2405.14250)', function: 'Table 3, exponential integrator', math: 'docs/MATH.md §4' },
  kind: 'sde',
  stateSize: 1,
  nfe: (steps) => steps,
  params: [],
  processes: ['vp'],
  defaultScheduler: 'uniform',
  label: 'EI',
  colour: '#56B4E9',
} as const satisfies SamplerSpec;
