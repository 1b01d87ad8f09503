/** Argument errors, made in one place so every message names the argument and its value. */

function show(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (value === undefined || value === null) return String(value);
  return typeof value === 'object' ? Object.prototype.toString.call(value) : String(value);
}

/** `name` has the right type but a bad value: RangeError "name must be … (got value)". */
export function badValue(name: string, value: unknown, requirement: string): RangeError {
  return new RangeError(`${name} must be ${requirement} (got ${show(value)})`);
}

/** `name` has the wrong type: TypeError "name must be … (got value)". */
export function badType(name: string, value: unknown, requirement: string): TypeError {
  return new TypeError(`${name} must be ${requirement} (got ${show(value)})`);
}

export function checkFinite(name: string, value: unknown): number {
  if (typeof value !== 'number') throw badType(name, value, 'a number');
  if (!Number.isFinite(value)) throw badValue(name, value, 'a finite number');
  return value;
}

export function checkPositiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number') throw badType(name, value, 'a positive integer');
  if (!Number.isInteger(value) || value < 1) throw badValue(name, value, 'a positive integer');
  if (value > 2 ** 31 - 1) throw badValue(name, value, 'at most 2147483647');
  return value;
}

export function checkChoice<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw badValue(name, value, `one of ${choices.join(', ')}`);
  }
  return value as T;
}

/**
 * An options argument: undefined (every default) or an object. Anything else (null, a string, an
 * array) is a TypeError naming it, before any of its fields is read.
 */
export function checkOptions<T extends object>(value: T | undefined, name = 'options'): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw badType(name, value, 'an object of options (or omitted)');
  }
  return value;
}
