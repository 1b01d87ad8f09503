/**
 * What every CLI command shares: flag parsing, usage errors, the `--out` file (atomic writes,
 * format from the extension), `--threads`, progress on stderr.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFileSync } from 'node:fs';
import { open, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { init, initLinalg } from '../bindings/index.node.js';
import { parseDecimal } from '../bindings/io/io.js';

/** A bad flag or value: exit code 2. */
export class UsageError extends Error {}

export const SCHEDULE_FLAGS = {
  'beta-min': { type: 'string' },
  'beta-max': { type: 'string' },
  T: { type: 'string' },
} as const;

/** Flags every command takes (the `--out` of `sample` is a folder). */
export const COMMON_FLAGS = {
  out: { type: 'string' },
  threads: { type: 'string' },
  progress: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
} as const;

export const COMMON_HELP = `  --threads N       1 or 2: threads of the ablation grid and of the eigensolver (default: the
                    environment variable GAUSSDIFF_THREADS, else chosen per call)
  --progress        progress on stderr (the default when stderr is a terminal; --no-progress: never)`;

const OPTION_TO_FLAG: Record<string, string> = {
  betaMin: '--beta-min', betaMax: '--beta-max', T: '--T', eps: '--eps', steps: '--steps',
  scheme: '--scheme', init: '--init', alpha: '--alpha', nfe: '--nfe', schemes: '--schemes',
  spectrum: '--spectrum',
  mean: '--mean', scoreMean: '--score-mean', metric: '--metric', perEigenvalue: '--per-eigenvalue',
  scoreSpectrum: '--score-spectrum', scoreCov: '--score-cov', cov: '--cov',
};

/** The API names options as in code (betaMin); the CLI's messages name the flag (--beta-min). */
function asFlagMessage(message: string): string {
  const m = /^([A-Za-z]+)/.exec(message);
  if (m && OPTION_TO_FLAG[m[1]]) return OPTION_TO_FLAG[m[1]] + message.slice(m[1].length);
  return message;
}

export type Values = Record<string, string | boolean | undefined>;

const NEGATIVE_NUMBER = /^-[\d.]/;

/**
 * Parse a command's flags (plus COMMON_FLAGS and --help). Every flag may appear once (but those
 * declared `multiple`, such as `--param`, whose values come as an array); a flag that
 * takes a value must have one (`--eps -1` is a value: negative numbers are joined to their flag).
 */
export function parse(command: string, argv: string[], options: ParseArgsConfig['options']): { values: Values } {
  const all = { ...COMMON_FLAGS, ...options, help: { type: 'boolean', short: 'h' } } as NonNullable<ParseArgsConfig['options']>;
  const takesValue = (arg: string) => arg.startsWith('--') && !arg.includes('=') && all[arg.slice(2)]?.type === 'string';
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (!takesValue(argv[i])) {
      args.push(argv[i]);
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined) throw new UsageError(`${argv[i]} needs a value (got nothing after it)`);
    if (next.startsWith('-') && !NEGATIVE_NUMBER.test(next)) throw new UsageError(`${argv[i]} needs a value (got the flag ${next})`);
    args.push(`${argv[i]}=${next}`);
    i++;
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options: all, strict: true, allowPositionals: false, tokens: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  const seen = new Map<string, string[]>();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue;
    const given = seen.get(t.name) ?? [];
    given.push(t.value === undefined ? t.rawName : JSON.stringify(t.value));
    seen.set(t.name, given);
  }
  for (const [name, given] of seen) {
    if (given.length > 1 && !(all[name] as { multiple?: boolean }).multiple) throw new UsageError(`--${name} is given ${given.length} times (${given.join(', ')}); give it once`);
  }
  if (parsed.values.progress && parsed.values['no-progress']) throw new UsageError('--progress and --no-progress cannot be combined');
  return { values: parsed.values as Values };
}

/** A number in JavaScript's syntax (`1e-3`, `.5`); empty or not a number is a usage error. */
export function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // The same strict parser as the input files: decimal or scientific, no 0x/0b/0o.
  const x = parseDecimal(value);
  if (x === undefined || Number.isNaN(x)) throw new UsageError(`--${flag} must be a number (got ${JSON.stringify(value)})`);
  return x;
}

/** An integer from `min` to `max`, checked before any work. */
export function integerFlag(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  const x = number(flag, value);
  if (x !== undefined && !(Number.isInteger(x) && x >= min && x <= max)) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
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

// --- threads ------------------------------------------------------------------------------------

function threadCount(name: string, value: string): 1 | 2 {
  if (value !== '1' && value !== '2') throw new UsageError(`${name} must be 1 or 2 (got ${JSON.stringify(value)})`);
  return Number(value) as 1 | 2;
}

/** `--threads`, else the environment's GAUSSDIFF_THREADS, else undefined (the library chooses). */
export function threads(v: Values): 1 | 2 | undefined {
  if (v.threads !== undefined) return threadCount('--threads', v.threads as string);
  const env = process.env.GAUSSDIFF_THREADS;
  return env === undefined || env === '' ? undefined : threadCount('GAUSSDIFF_THREADS', env);
}

/**
 * Start the WASM modules with the command's threads (the eigensolver's build is chosen once, at
 * its start). Returns the threads to pass to `ablation`. `core: false`: the linear-algebra module
 * only (`spectrum`: a --texture input starts the core itself, on first use); `linalg: false`: the
 * core only.
 */
export async function start(v: Values, { core = true, linalg = true }: { core?: boolean; linalg?: boolean } = {}): Promise<1 | 2 | undefined> {
  const t = threads(v);
  // linalg: false — the command needs no eigensolver for this input (compare on eigenvalues).
  if (linalg) await initLinalg(undefined, { threads: t });
  if (core) await init();
  return t;
}

// --- input --------------------------------------------------------------------------------------

/**
 * Input files larger than this are refused: a regular file before it is read, a device or pipe
 * (`/dev/zero`) once this much has come (a JavaScript string holds at most ~512 MiB of text).
 */
export const INPUT_MAX_BYTES = 500 * 2 ** 20;

/** The bytes of an input file; every failure is a usage error naming the flag and the file. */
export async function readInput(flag: string, file: string, max = INPUT_MAX_BYTES): Promise<Uint8Array> {
  const tooLarge = () => new UsageError(`--${flag} is larger than ${max / 2 ** 20} MiB, the input limit (got ${JSON.stringify(file)})`);
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    throw new UsageError(`--${flag} cannot be read (got ${JSON.stringify(file)}: ${reason(e)})`);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new UsageError(`--${flag} names a folder, not a file (got ${JSON.stringify(file)})`);
    if (info.isFile()) {
      if (info.size > max) throw tooLarge();
      return new Uint8Array(await handle.readFile());
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(1 << 20);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > max) throw tooLarge();
      chunks.push(chunk.subarray(0, bytesRead));
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return bytes;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--${flag} cannot be read (got ${JSON.stringify(file)}: ${reason(e)})`);
  } finally {
    await handle.close();
  }
}

// --- output -------------------------------------------------------------------------------------

/** ".npy, .json or .csv/.txt": the extensions of each format, in order. */
function extensionList(byExtension: Record<string, string>): string {
  const groups = new Map<string, string[]>();
  for (const [ext, format] of Object.entries(byExtension)) groups.set(format, [...(groups.get(format) ?? []), ext]);
  const items = [...groups.values()].map((exts) => exts.join('/'));
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * The output format: `--format`, or the extension of `--out`. With `--out`, an extension that is
 * not in `byExtension` is an error (nothing is written to `x.pdf`), and so is one that disagrees
 * with `--format`.
 */
export function outputFormat<F extends string>(v: Values, byExtension: Record<string, F>, formats: readonly F[], fallback: F): F {
  const given = choice('format', v.format as string | undefined, formats);
  const out = v.out as string | undefined;
  if (out === undefined) return given ?? fallback;
  const ext = path.extname(out).toLowerCase();
  const implied = byExtension[ext];
  if (implied === undefined) throw new UsageError(`--out must end in ${extensionList(byExtension)} (got ${JSON.stringify(out)})`);
  if (given !== undefined && given !== implied) {
    throw new UsageError(`--out ${JSON.stringify(out)} is a ${ext} file but --format is ${given} (make them agree, or give only --out)`);
  }
  return implied;
}

function reason(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/**
 * Check, before any work, that files can be written where `--out` says: no target is a folder,
 * and each one's folder exists.
 */
export async function checkOut(...files: string[]): Promise<void> {
  for (const file of files) {
    const target = await stat(file).catch(() => undefined);
    if (target?.isDirectory()) throw new UsageError(`--out names a folder, not a file (got ${JSON.stringify(file)})`);
    const folder = await stat(path.dirname(path.resolve(file))).catch(() => undefined);
    if (!folder?.isDirectory()) throw new UsageError(`--out cannot be written: its folder does not exist (got ${JSON.stringify(file)})`);
  }
}

/**
 * Write a set of files all or nothing: each to a temporary file beside it, then all renamed.
 * On any failure every temporary file is removed, and so is any file of the set already renamed
 * (a file it replaced is not restored). The error names `--out` and the file, never the temporary.
 */
export async function writeFilesAtomically(entries: ReadonlyArray<readonly [file: string, data: string | Uint8Array]>): Promise<void> {
  const temporary = entries.map(([file]) => path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`));
  const renamed: string[] = [];
  let failed: string | undefined;
  try {
    // A device or pipe (a link to /dev/null, a FIFO) is written to, not replaced by a rename.
    const special = await Promise.all(entries.map(([file]) => stat(file).then((s) => !s.isFile() && !s.isDirectory(), () => false)));
    for (let i = 0; i < entries.length; i++) {
      failed = entries[i][0];
      await writeFile(special[i] ? entries[i][0] : temporary[i], entries[i][1]);
    }
    for (let i = 0; i < entries.length; i++) {
      if (special[i]) continue;
      failed = entries[i][0];
      await rename(temporary[i], entries[i][0]);
      renamed.push(entries[i][0]);
    }
  } catch (e) {
    await Promise.all([...temporary, ...renamed].map((f) => rm(f, { force: true }).catch(() => undefined)));
    const written = entries.length > 1 ? ` (none of the ${entries.length} files was written)` : '';
    throw new UsageError(`--out cannot be written (got ${JSON.stringify(failed)}: ${reason(e)})${written}`);
  }
}

/** Write one file atomically (temporary file, then rename): never half-written, no leftovers. */
export function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  return writeFilesAtomically([[file, data]]);
}

// --- progress -----------------------------------------------------------------------------------

/**
 * Progress on stderr: shown when stderr is a terminal, or with `--progress` (then, when stderr is
 * not a terminal, counters print a line per tenth instead of rewriting one line); never with
 * `--no-progress`. Phases print one line each; `finish` prints the elapsed time.
 */
export class Progress {
  readonly enabled: boolean;
  private readonly tty: boolean;
  private readonly started = performance.now();

  constructor(readonly command: string, v: Values) {
    this.tty = process.stderr.isTTY === true;
    this.enabled = v['no-progress'] ? false : v.progress === true || this.tty;
  }

  /** One line: what starts now. */
  phase(text: string): void {
    if (this.enabled) process.stderr.write(`gaussdiff ${this.command}: ${text}\n`);
  }

  /** A callback `(done, total)` for the API's onProgress (undefined when progress is off). */
  counter(unit: string, label?: string): ((done: number, total: number) => void) | undefined {
    if (!this.enabled) return undefined;
    let shown = -1;
    return (done, total) => {
      const text = `gaussdiff ${this.command}: ${label ? `${label}: ` : ''}${done}/${total} ${unit}`;
      if (this.tty) {
        process.stderr.write(`\r${text}${done === total ? '\n' : ''}`);
        return;
      }
      const tenth = Math.floor((10 * done) / total);
      if (tenth > shown) {
        shown = tenth;
        process.stderr.write(`${text}\n`);
      }
    };
  }

  finish(): void {
    if (this.enabled) process.stderr.write(`gaussdiff ${this.command}: done in ${((performance.now() - this.started) / 1000).toFixed(2)} s\n`);
  }
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

/** The package's version (package.json, two folders up from dist/bin/). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Repeated `--flag key=value` items as an object: numbers, except `textKeys` (choice parameters,
 * checked by their owner); exit 2 naming the flag on a malformed or repeated item.
 */
export function keyValues(flag: string, items: unknown, textKeys: readonly string[] = []): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const item of (items as string[] | undefined) ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${flag} must be key=value (got ${JSON.stringify(item)})`);
    const key = item.slice(0, eq).trim();
    const raw = item.slice(eq + 1);
    if (Object.hasOwn(out, key)) throw new UsageError(`--${flag} ${key} is given twice`);
    // a builder's choice parameter (diffusers' final_sigmas_type) keeps its text; the builder checks it
    if (textKeys.includes(key)) { out[key] = raw; continue; }
    const x = raw.trim() === '' ? NaN : Number(raw);
    if (Number.isNaN(x)) throw new UsageError(`--${flag} ${key} must be a number (got ${JSON.stringify(raw)})`);
    out[key] = x;
  }
  return out;
}
