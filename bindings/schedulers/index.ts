/** The grid-builder registry (`--scheduler`): one file per entry. */
import { badValue } from '../runtime/errors.js';
import type { SchedulerSpec } from './types.js';
import { spec as uniform } from './uniform.js';
import { spec as karras } from './karras.js';
import { spec as exponential } from './exponential.js';
import { spec as polyexponential } from './polyexponential.js';
import { spec as vp } from './vp.js';
import { spec as normal } from './normal.js';
import { spec as simple } from './simple.js';
import { spec as sgmUniform } from './sgm_uniform.js';
import { spec as ddimUniform } from './ddim_uniform.js';
import { spec as beta } from './beta.js';
import { spec as linearQuadratic } from './linear_quadratic.js';
import { spec as klOptimal } from './kl_optimal.js';
import { spec as alignYourSteps } from './align_your_steps.js';
import { spec as linspace } from './linspace.js';
import { spec as leading } from './leading.js';
import { spec as trailing } from './trailing.js';
import { spec as timeUniform } from './time_uniform.js';
import { spec as logSNR } from './logSNR.js';
import { spec as timeQuadratic } from './time_quadratic.js';

export type { SchedulerSpec } from './types.js';

const LIST = [
  uniform, karras, exponential, polyexponential, vp,
  normal, simple, sgmUniform, ddimUniform, beta, linearQuadratic, klOptimal, alignYourSteps,
  linspace, leading, trailing,
  timeUniform, logSNR, timeQuadratic,
];

export const SCHEDULERS: Readonly<Record<string, SchedulerSpec>> = Object.freeze(Object.fromEntries(LIST.map((s) => [s.id, s])));

export function getScheduler(id: unknown, name = 'scheduler'): SchedulerSpec {
  if (typeof id !== 'string' || !Object.hasOwn(SCHEDULERS, id)) throw badValue(name, id, `one of ${Object.keys(SCHEDULERS).join(', ')}`);
  return SCHEDULERS[id];
}
