/** The paper's EM scheme (docs/MATH.md §4): a registry entry; its numbers are in assembly/samplers/paper.ts. */
import type { SamplerSpec } from './types.js';

export const spec = {
  id: 'em',
  group: 'scheme',
  coreId: 0,
  source: { origin: 'Pierret & Galerne, ICML 2025 (arXiv 2405.14250)', function: 'Table 3, Euler–Maruyama', math: 'docs/MATH.md §4' },
  kind: 'sde',
  stateSize: 1,
  nfe: (steps) => steps,
  params: [],
  processes: ['vp'],
  defaultScheduler: 'uniform',
  label: 'EM',
  colour: '#E69F00',
} as const satisfies SamplerSpec;
