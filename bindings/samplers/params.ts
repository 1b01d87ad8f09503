/**
 * Parameters of registry entries (samplers, forward processes, grid builders): declared once in
 * each entry's spec with their default and constraint, validated here and nowhere else.
 */
import { badType, badValue } from '../runtime/errors.js';
import { parseDecimal } from '../io/io.js';

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
  /** Whether only integers are valid (k-diffusion's `order`). */
  integer?: boolean;
  /** One line: what it does, units. */
  doc: string;
}

/** One of a list of strings (k-diffusion's `solver_type`); the core reads its index in `choices`. */
export interface ChoiceParam {
  name: string;
  type: 'choice';
  choices: readonly string[];
  default: string;
  doc: string;
}

/** true | false; the core reads 1 | 0. */
export interface BooleanParam {
  name: string;
  type: 'boolean';
  default: boolean;
  doc: string;
}

export type ParamSpec = NumberParam | ChoiceParam | BooleanParam;

export type ParamValue = number | string | boolean;
/** Values of numeric parameters (forward processes, grid builders). */
export type ParamValues = Record<string, number>;
/** Values of any parameters (samplers: numbers, choices, booleans). */
export type AnyParamValues = Record<string, ParamValue>;

/**
 * Fill defaults and validate `given` against `specs`. Unknown keys and bad values throw a
 * RangeError/TypeError naming `${owner}.${key}` and the value.
 * @example resolveParams('params', [{ name: 'alpha', type: 'number', default: 1, min: 0, doc: '' }], {}) // → { alpha: 1 }
 */
export function resolveParams<V extends AnyParamValues = ParamValues>(owner: string, specs: readonly ParamSpec[], given: unknown): V {
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw badType(owner, given, 'an object of named parameters');
  }
  const g = (given ?? {}) as Record<string, unknown>;
  const names = specs.map((s) => s.name);
  for (const key of Object.keys(g)) {
    if (!names.includes(key)) {
      throw unknownParam(owner, key, g[key], names);
    }
  }
  const out: AnyParamValues = {};
  for (const s of specs) {
    const name = `${owner}.${s.name}`;
    const v = g[s.name] ?? s.default;
    if (s.type === 'choice') {
      if (typeof v !== 'string' || !s.choices.includes(v)) throw badValue(name, v, `one of ${s.choices.join(', ')}`);
    } else if (s.type === 'boolean') {
      if (typeof v !== 'boolean') throw badType(name, v, 'true or false');
    } else {
      if (typeof v !== 'number') throw badType(name, v, 'a number');
      if (Number.isNaN(v) || (!Number.isFinite(v) && !s.infinite)) throw badValue(name, v, 'a finite number');
      if (s.integer && Number.isFinite(v) && !Number.isInteger(v)) throw badValue(name, v, 'an integer');
      if (s.min !== undefined && !(v >= s.min)) throw badValue(name, v, `≥ ${s.min}`);
      if (s.max !== undefined && !(v <= s.max)) throw badValue(name, v, `≤ ${s.max}`);
      if (s.above !== undefined && !(v > s.above)) throw badValue(name, v, `> ${s.above}`);
    }
    out[s.name] = v;
  }
  return out as V;
}

/**
 * A parameter's value from its text (the CLI's `--param key=value`): decimal or scientific numbers
 * (`inf` and `-inf` too, where infinite values are valid; not `0x10`), booleans `true|false`, choices
 * as they are. Unknown keys and unreadable values throw a RangeError naming `${owner}.${key}`.
 * @example parseParam('params', [{ name: 'eta', type: 'number', default: 1, doc: '' }], 'eta', '0.5') // → 0.5
 */
export function parseParam(owner: string, specs: readonly ParamSpec[], key: string, text: string): ParamValue {
  const s = specs.find((p) => p.name === key);
  const names = specs.map((p) => p.name);
  if (!s) throw unknownParam(owner, key, text, names);
  if (s.type === 'choice') return text;
  if (s.type === 'boolean') {
    if (text === 'true') return true;
    if (text === 'false') return false;
    throw badValue(`${owner}.${key}`, text, 'true or false');
  }
  // The CLI's and the input files' strict parser: decimal or scientific, inf; no 0x/0b/0o.
  const x = parseDecimal(text);
  if (x === undefined || Number.isNaN(x)) throw badValue(`${owner}.${key}`, text, 'a number');
  return x;
}

/** Parameters as the core reads them: a Float64Array in declaration order. */
export function packParams(specs: readonly ParamSpec[], values: AnyParamValues): Float64Array {
  const a = new Float64Array(Math.max(1, specs.length));
  specs.forEach((s, i) => {
    const v = values[s.name];
    a[i] = s.type === 'choice' ? s.choices.indexOf(v as string) : s.type === 'boolean' ? (v ? 1 : 0) : (v as number);
  });
  return a;
}

/** A key that names no parameter: a RangeError naming it, its value and the real parameters. */
function unknownParam(owner: string, key: string, value: unknown, names: readonly string[]): RangeError {
  const known = names.length ? `the parameters are ${names.join(', ')}` : 'there are no parameters';
  return new RangeError(`${owner}.${key} is not a parameter (${known}; got ${key} = ${JSON.stringify(value)})`);
}
