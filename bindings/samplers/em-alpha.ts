/** The paper's α-EM scheme (docs/MATH.md §4): a registry entry; its numbers are in assembly/samplers/paper.ts. */
import type { SamplerSpec } from './types.js';

export const spec = {
  id: 'em-alpha',
  group: 'scheme',
  coreId: 3,
  source: { origin: 'Pierret & Galerne, ICML 2025 (arXiv 2405.14250)', function: 'the slides, α-family Euler–Maruyama', math: 'docs/MATH.md §4' },
  kind: 'sde',
  stateSize: 1,
  nfe: (steps) => steps,
  params: [
    { name: 'alpha', type: 'number', default: 1, min: 0, doc: 'α ≥ 0 of the α-family: 1 = backward SDE (EM), 0 = probability-flow ODE' },
  ],
  processes: ['vp'],
  defaultScheduler: 'uniform',
  label: 'α-EM',
  colour: '#CC79A7',
} as const satisfies SamplerSpec;
