/** The forward-process registry (`--model`): one file per entry. */
import { badValue } from '../runtime/errors.js';
import type { ProcessSpec } from './types.js';
import { spec as vp } from './vp.js';
import { spec as edm } from './edm.js';

export type { ProcessSpec } from './types.js';

export const PROCESSES: Readonly<Record<string, ProcessSpec>> = Object.freeze({ vp, edm });

export function getProcess(id: unknown, name = 'process'): ProcessSpec {
  if (typeof id !== 'string' || !Object.hasOwn(PROCESSES, id)) throw badValue(name, id, `one of ${Object.keys(PROCESSES).join(', ')}`);
  return PROCESSES[id];
}
