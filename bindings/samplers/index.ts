/**
 * The sampler registries: one file per entry. `--scheme` picks from SCHEMES (the paper's), and
 * `--sampler` from SAMPLERS (libraries'); everything that lists samplers reads these.
 */
import { badValue } from '../runtime/errors.js';
import type { SamplerSpec } from './types.js';
import { spec as em } from './em.js';
import { spec as ei } from './ei.js';
import { spec as ddpm } from './ddpm.js';
import { spec as emAlpha } from './em-alpha.js';
import { spec as euler } from './euler.js';
import { spec as heun } from './heun.js';
import { spec as rk4 } from './rk4.js';
import { spec as kdEuler } from './kdiff-euler.js';
import { spec as dpmpp2m } from './kdiff-dpmpp_2m.js';
import { spec as eulerAncestral } from './kdiff-euler_ancestral.js';
import { spec as kdHeun } from './kdiff-heun.js';
import { spec as dpm2 } from './kdiff-dpm_2.js';
import { spec as dpm2Ancestral } from './kdiff-dpm_2_ancestral.js';
import { spec as lms } from './kdiff-lms.js';
import { spec as dpmpp2sAncestral } from './kdiff-dpmpp_2s_ancestral.js';
import { spec as dpmppSde } from './kdiff-dpmpp_sde.js';
import { spec as dpmpp2mSde } from './kdiff-dpmpp_2m_sde.js';
import { spec as dpmpp3mSde } from './kdiff-dpmpp_3m_sde.js';
import { spec as dpmFast } from './kdiff-dpm_fast.js';
import { spec as dpmSolver } from './dpm-solver.js';
import { spec as unipc } from './unipc.js';
import { spec as edm } from './edm.js';
import { spec as ddim } from './diffusers-ddim.js';
import { spec as ddpmDiffusers } from './diffusers-ddpm.js';
import { spec as flowEuler } from './flow-euler.js';
import { spec as flowHeun } from './flow-heun.js';
import { spec as flowMidpoint } from './flow-midpoint.js';
import { spec as edmAblation } from './edm-ablation.js';

export type { SamplerSpec } from './types.js';

/** The paper's schemes, in the order of the fast path's ids (assembly/discrete.ts; coreId = index). */
export const SCHEME_LIST = [em, ei, ddpm, emAlpha, euler, heun, rk4] as const;
export type SchemeId = (typeof SCHEME_LIST)[number]['id'];

/** Library samplers (`--sampler`). */
export const SAMPLER_LIST = [
  kdEuler, dpmpp2m, eulerAncestral, kdHeun, dpm2, dpm2Ancestral, lms, dpmpp2sAncestral, dpmppSde, dpmpp2mSde, dpmpp3mSde, dpmFast,
  dpmSolver, unipc,
  edm, ddim, ddpmDiffusers, flowEuler, flowHeun, flowMidpoint, edmAblation,
] as const;
export type SamplerId = (typeof SAMPLER_LIST)[number]['id'];

/** Every entry (the conformance suite runs each). */
export const ALL_SAMPLERS: readonly SamplerSpec[] = [...SCHEME_LIST, ...SAMPLER_LIST];

function byId(group: SamplerSpec['group']): Readonly<Record<string, SamplerSpec>> {
  return Object.freeze(Object.fromEntries(ALL_SAMPLERS.filter((s) => s.group === group).map((s) => [s.id, s])));
}

/** The paper's schemes by id (em, ei, ddpm, em-alpha, euler, heun, rk4). */
export const SCHEMES: Readonly<Record<string, SamplerSpec>> = byId('scheme');
/** Library samplers by their source's name (k-diffusion: without `sample_`). */
export const SAMPLERS: Readonly<Record<string, SamplerSpec>> = byId('sampler');

/** The entry `id` of `group`, or a RangeError naming the option and the choices. */
export function getSampler(group: SamplerSpec['group'], id: unknown, name: string = group): SamplerSpec {
  const table = group === 'scheme' ? SCHEMES : SAMPLERS;
  if (typeof id !== 'string' || !Object.hasOwn(table, id)) throw badValue(name, id, `one of ${Object.keys(table).join(', ')}`);
  return table[id];
}
