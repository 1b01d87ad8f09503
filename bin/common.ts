/** What every CLI command shares: flag parsing, usage errors, writing files, progress. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { rename, writeFile } from 'node:fs/promises';
import { parseDecimal } from '../bindings/io.js';

/** A bad flag or value: exit code 2. */
export class UsageError extends Error {}

export const SCHEDULE_FLAGS = {
  'beta-min': { type: 'string' },
  'beta-max': { type: 'string' },
  T: { type: 'string' },
} as const;

const OPTION_TO_FLAG: Record<string, string> = {
  betaMin: '--beta-min', betaMax: '--beta-max', T: '--T', eps: '--eps', steps: '--steps',
  scheme: '--scheme', init: '--init', alpha: '--alpha', nfe: '--nfe', schemes: '--schemes',
  spectrum: '--spectrum',
};

/** The API names options as in code (betaMin); the CLI's messages name the flag (--beta-min). */
function asFlagMessage(message: string): string {
  const m = /^([A-Za-z]+)/.exec(message);
  if (m && OPTION_TO_FLAG[m[1]]) return OPTION_TO_FLAG[m[1]] + message.slice(m[1].length);
  return message;
}

export type Values = Record<string, string | boolean | undefined>;

export function parse(command: string, argv: string[], options: ParseArgsConfig['options']): { values: Values } {
  // `--eps -1` would read as two flags: join a negative number to its flag (`--eps=-1`) so the
  // value reaches validation and the message names it.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : '';
    const takesValue = (options?.[name] as { type?: string } | undefined)?.type === 'string';
    if (takesValue && i + 1 < argv.length && /^-[\d.]/.test(argv[i + 1])) args.push(`${argv[i]}=${argv[++i]}`);
    else args.push(argv[i]);
  }
  try {
    const { values } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    return { values: values as Values };
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}

export function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // The same strict parser as the input files: decimal or scientific, no 0x/0b/0o.
  const x = parseDecimal(value);
  if (x === undefined || Number.isNaN(x)) throw new UsageError(`--${flag} must be a number (got ${JSON.stringify(value)})`);
  return x;
}

export function list(flag: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${flag} must be a comma-separated list (got ${JSON.stringify(value)})`);
  return items;
}

export function choice<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be one of ${choices.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return value as T;
}

export function schedule(v: Record<string, unknown>) {
  return {
    betaMin: number('beta-min', v['beta-min'] as string | undefined),
    betaMax: number('beta-max', v['beta-max'] as string | undefined),
    T: number('T', v.T as string | undefined),
  };
}

/** Write text to a file atomically (temporary file, then rename): never half-written. */
export async function writeAtomically(file: string, text: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

export function progress(label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total) => {
    process.stderr.write(`\r${label}: ${done}/${total} cells${done === total ? '\n' : ''}`);
  };
}

/** Run an API call; its argument errors (TypeError/RangeError) are usage errors naming the flag. */
export async function api<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new UsageError(asFlagMessage(e.message));
    throw e;
  }
}

