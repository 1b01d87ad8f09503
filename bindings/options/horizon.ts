/** The schedule's horizon check, shared by the engine and the linear-algebra module (no import cycle). */
import { T_RANGE } from './defaults.js';
import { badValue } from '../runtime/errors.js';

/** T within T_RANGE, and (βmax − βmin)·T² finite (see T_RANGE). */
export function checkHorizon(T: number, betaMin: number, betaMax: number): void {
  const [lo, hi] = T_RANGE;
  if (T < lo || T > hi) throw badValue('T', T, `in [${lo}, ${hi}] (outside, T² under- or overflows in B_t = βmin·t + (βmax − βmin)·t²/(2T))`);
  if (!Number.isFinite((betaMax - betaMin) * T * T)) {
    throw badValue('betaMax', betaMax, `small enough that (betaMax − betaMin)·T² is finite (T = ${T}, betaMin = ${betaMin})`);
  }
}
