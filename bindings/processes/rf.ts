/** Rectified flow / flow matching with the SD3/Flux time shift. Numbers in assembly/processes/rectified-flow.ts. */
import type { ProcessSpec } from './types.js';

const level = (t: number, shift: number) => shift * t / (1 + (shift - 1) * t);

export const spec: ProcessSpec = {
  id: 'rf',
  coreId: 6,
  label: 'rectified flow (shift)',
  source: 'Liu et al. 2023; Esser et al. 2024 (shift); diffusers FlowMatchEulerDiscreteScheduler, ComfyUI ModelSamplingDiscreteFlow',
  definition: 'x_t = (1 − σ) x0 + σ n, σ = shift·t/(1 + (shift − 1) t)',
  params: [
    { name: 'shift', type: 'number', default: 1, above: 0, doc: 'time shift (SD3: 3, Flux: about 1.15–3); 1 = plain α = 1 − t, σ = t' },
  ],
  gridUnit: 't',
  /** The flow level σ_t (not σ_t/α_t): the σ of ComfyUI's and diffusers' flow schedulers. */
  sigma: (t, p) => level(t, p.shift),
  time: (sg, p) => sg / (p.shift - (p.shift - 1) * sg),
  /** ComfyUI ModelSamplingDiscreteFlow: sigmas = σ((1..1000)/1000). */
  sigmaRange: (p) => [level(1e-3, p.shift), 1],
  timeRange: () => [1e-3, 1],
  sigmaTable: (p) => Float64Array.from({ length: 1000 }, (_, i) => level((i + 1) / 1000, p.shift)),
  start: 'N(0, I) at t = 1',
};
