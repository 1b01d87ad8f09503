/** The grid-builder registry (`--scheduler`): one file per entry. */
import { badValue } from '../runtime/errors.js';
import type { SchedulerSpec } from './types.js';
import { spec as uniform } from './uniform.js';
import { spec as karras } from './karras.js';

export type { SchedulerSpec } from './types.js';

export const SCHEDULERS: Readonly<Record<string, SchedulerSpec>> = Object.freeze({ uniform, karras });

export function getScheduler(id: unknown, name = 'scheduler'): SchedulerSpec {
  if (typeof id !== 'string' || !Object.hasOwn(SCHEDULERS, id)) throw badValue(name, id, `one of ${Object.keys(SCHEDULERS).join(', ')}`);
  return SCHEDULERS[id];
}
