/**
 * Parameters of registry entries (samplers, forward processes, grid builders): declared once in
 * each entry's spec with their default and constraint, validated here and nowhere else.
 */
import { badType, badValue } from '../runtime/errors.js';

export interface NumberParam {
  /** The source's own keyword name (k-diffusion `s_churn`, the paper's `alpha`, …). */
  name: string;
  type: 'number';
  default: number;
  /** Inclusive bounds (−∞ / +∞ when absent). */
  min?: number;
  max?: number;
  /** Exclusive lower bound. */
  above?: number;
  /** Whether ±Infinity is a valid value (k-diffusion's `s_tmax = inf`). */
  infinite?: boolean;
  /** One line: what it does, units. */
  doc: string;
}

export type ParamSpec = NumberParam;

export type ParamValues = Record<string, number>;

/**
 * Fill defaults and validate `given` against `specs`. Unknown keys and bad values throw a
 * RangeError/TypeError naming `${owner}.${key}` and the value.
 * @example resolveParams('params', [{ name: 'alpha', type: 'number', default: 1, min: 0, doc: '' }], {}) // → { alpha: 1 }
 */
export function resolveParams(owner: string, specs: readonly ParamSpec[], given: unknown): ParamValues {
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw badType(owner, given, 'an object of named parameters');
  }
  const g = (given ?? {}) as Record<string, unknown>;
  const names = specs.map((s) => s.name);
  for (const key of Object.keys(g)) {
    if (!names.includes(key)) {
      throw badValue(`${owner}.${key}`, g[key], names.length ? `not given: the parameters are ${names.join(', ')}` : 'not given: there are no parameters');
    }
  }
  const out: ParamValues = {};
  for (const s of specs) {
    const name = `${owner}.${s.name}`;
    const v = g[s.name] ?? s.default;
    if (typeof v !== 'number') throw badType(name, v, 'a number');
    if (Number.isNaN(v) || (!Number.isFinite(v) && !s.infinite)) throw badValue(name, v, 'a finite number');
    if (s.min !== undefined && !(v >= s.min)) throw badValue(name, v, `≥ ${s.min}`);
    if (s.max !== undefined && !(v <= s.max)) throw badValue(name, v, `≤ ${s.max}`);
    if (s.above !== undefined && !(v > s.above)) throw badValue(name, v, `> ${s.above}`);
    out[s.name] = v;
  }
  return out;
}

/** Parameters as the core reads them: a Float64Array in declaration order. */
export function packParams(specs: readonly ParamSpec[], values: ParamValues): Float64Array {
  const a = new Float64Array(Math.max(1, specs.length));
  specs.forEach((s, i) => (a[i] = values[s.name]));
  return a;
}
