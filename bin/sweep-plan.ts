/**
 * Sweep plans (docs/sweeps.md): the JSON schema, its validation (every error names the JSON path
 * and the value), the cells in their fixed order, each cell's key, and which shard runs a cell.
 * The meaning of a value (a sampler's name, a parameter's range) is checked by the API's own
 * validation (resolveSamplerRun, resolveSchemeRun) against the registries: nothing here lists
 * samplers, schedulers or models.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { resolveSamplerRun, SAMPLER_RUN_OPTIONS, SCHEME_RUN_OPTIONS } from '../bindings/index.node.js';
import { resolveSchemeRun } from '../bindings/exact/engine.js';
import { UsageError, packageVersion } from './common.js';
import { INPUT_FLAGS } from './inputs.js';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Input kinds: the CLI's input flags (--spectrum FILE, --cov FILE, …, --data NAME). */
export type InputKind = keyof typeof INPUT_FLAGS;
const INPUT_KINDS = Object.keys(INPUT_FLAGS) as InputKind[];

/**
 * The axes a grid block may have: the run options of the API (bindings/exact/run-sampler.ts
 * SamplerRunOptions for `sampler` cells, bindings/exact/engine.ts RunOptions for `scheme` cells),
 * by the structural type of ONE value. `options` passes any other run option through: its keys
 * must be run options (the API's lists, bindings/options/run-options.ts), its values are checked
 * by the run itself.
 */
const AXES = {
  sampler: 'string', scheme: 'string', model: 'string', process: 'string', scheduler: 'string',
  steps: 'number', sigmas: 'grid', times: 'grid', start: 'string',
  params: 'object', schedulerParams: 'object', processParams: 'object',
  eps: 'number', init: 'string', alpha: 'number', betaMin: 'number', betaMax: 'number', T: 'number',
  options: 'object',
} as const;
type Axis = keyof typeof AXES;

/** Options of the paper's schemes (`gaussdiff run --scheme`): any other axis is an error there. */
const SCHEME_AXES: readonly Axis[] = ['scheme', 'steps', 'eps', 'init', 'alpha', 'betaMin', 'betaMax', 'T', 'options'];
/** Axes that only the schemes take. */
const SCHEME_ONLY: readonly Axis[] = ['eps', 'init', 'alpha', 'betaMin', 'betaMax', 'T'];

const PLAN_KEYS = ['inputs', 'grid', 'trajectory', 'comment'];
const INPUT_KEYS = [...INPUT_KINDS, 'name'];

/** One input of a plan. */
export interface PlanInput {
  /** Its place in `inputs` (0-based). */
  index: number;
  kind: InputKind;
  /** The value as written in the plan. */
  source: string;
  /** The file or folder (resolved against the plan's folder), or the dataset's name. */
  location: string;
  /** The label in tables: `name`, else the file's base name without extension. */
  name: string;
  /** SHA-256 of the content (for `data`: of the dataset's name; the version is in the key). */
  sha256: string;
}

/** One cell: an input and the run options of one point of a grid block's product. */
export interface PlanCell {
  /** Its place in the plan's fixed order (inputs outermost, then blocks, then each block's product). */
  index: number;
  input: number;
  block: number;
  /** The options as they go to the API's `run` (the `options` axis merged in). */
  options: JsonObject;
  /** Where each option comes from: its JSON path in the plan. */
  paths: Record<string, string>;
  /** The stable key (docs/sweeps.md "Keys"). */
  key: string;
}

export interface Plan {
  file: string;
  inputs: PlanInput[];
  cells: PlanCell[];
  trajectory: boolean;
  version: string;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 120 ? text.slice(0, 117) + '…' : text;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The canonical JSON of a value: object keys sorted at every depth, no spaces. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The key of a cell: SHA-256 of the canonical JSON of the gaussdiff version, the input's kind and
 * content hash, the cell's options and the output settings. Renaming or moving an input keeps the
 * key; changing its content, an option, or the version changes it.
 */
export function cellKey(version: string, input: { kind: string; sha256: string }, options: JsonObject, trajectory: boolean): string {
  return sha256(canonical({ gaussdiff: version, input: { kind: input.kind, sha256: input.sha256 }, options, trajectory }));
}

class PlanError extends UsageError {}

function planError(file: string, at: string, message: string): PlanError {
  return new PlanError(`${file}: ${at}: ${message}`);
}

/** Check one value of an axis by its structural type. */
function checkValue(file: string, at: string, axis: Axis, value: unknown): Json {
  const type = AXES[axis];
  const ok = type === 'string' ? typeof value === 'string'
    : type === 'number' ? typeof value === 'number' && Number.isFinite(value)
      : type === 'object' ? isObject(value)
        : Array.isArray(value) && value.every((x) => typeof x === 'number');
  if (!ok) {
    const what = { string: 'a string', number: 'a finite number', object: 'an object', grid: 'a grid: an array of numbers' }[type];
    throw planError(file, at, `must be ${what} (got ${show(value)})`);
  }
  return value as Json;
}

/** An axis: a single value or a non-empty list of values (a grid axis: a list of grids). */
function axisValues(file: string, at: string, axis: Axis, value: unknown): { values: Json[]; paths: string[] } {
  const grid = AXES[axis] === 'grid';
  const isList = Array.isArray(value) && (!grid || value.some((x) => Array.isArray(x)) || value.length === 0);
  if (!isList) {
    if (grid) throw planError(file, at, `must be a list of grids, e.g. [[80, 10, 1, 0]] (got ${show(value)})`);
    return { values: [checkValue(file, at, axis, value)], paths: [at] };
  }
  const list = value as unknown[];
  if (list.length === 0) throw planError(file, at, 'must not be empty (give at least one value)');
  return { values: list.map((x, j) => checkValue(file, `${at}[${j}]`, axis, x)), paths: list.map((_, j) => `${at}[${j}]`) };
}

/** The cells of one grid block: the product of its axes, first axis outermost. */
function blockCells(file: string, at: string, block: unknown): Array<{ options: JsonObject; paths: Record<string, string> }> {
  if (!isObject(block)) throw planError(file, at, `must be an object of axes (got ${show(block)})`);
  const axes = Object.keys(block);
  if (axes.length === 0) throw planError(file, at, 'has no axes (give at least "sampler" or "scheme")');
  for (const a of axes) {
    if (!Object.hasOwn(AXES, a)) {
      throw planError(file, `${at}.${a}`, `is not a plan axis (axes: ${Object.keys(AXES).join(', ')}; any other run option goes in "options") (got ${show(block[a])})`);
    }
  }
  const lists = axes.map((a) => axisValues(file, `${at}.${a}`, a as Axis, block[a]));
  let cells: Array<{ options: JsonObject; paths: Record<string, string> }> = [{ options: {}, paths: {} }];
  axes.forEach((a, i) => {
    const next: typeof cells = [];
    for (const c of cells) {
      lists[i].values.forEach((value, j) => {
        next.push({ options: { ...c.options, [a]: value }, paths: { ...c.paths, [a]: lists[i].paths[j] } });
      });
    }
    cells = next;
  });
  // The `options` axis: its keys join the run options (never replacing an axis).
  return cells.map(({ options, paths }) => {
    const extra = options.options as JsonObject | undefined;
    if (extra === undefined) return { options, paths };
    const { options: _drop, ...rest } = options;
    const merged: JsonObject = { ...rest };
    const mergedPaths: Record<string, string> = { ...paths };
    for (const [k, x] of Object.entries(extra)) {
      if (Object.hasOwn(AXES, k)) throw planError(file, `${paths.options}.${k}`, `is a plan axis: give it as the axis "${k}" of the block, not inside "options" (got ${show(x)})`);
      merged[k] = x;
      mergedPaths[k] = `${paths.options}.${k}`;
    }
    return { options: merged, paths: mergedPaths };
  });
}

/**
 * The JSON path of what an API error names: its message starts with the option's name
 * (`params.eta must be …`, `times[3] must be …`, `process must be …`).
 */
function pathOfMessage(message: string, options: JsonObject, paths: Record<string, string>, blockPath: string): string {
  const m = /^([A-Za-z_]+)((?:\.[A-Za-z_0-9]+|\[\d+\])*)/.exec(message);
  if (m) {
    const aliases: Record<string, string[]> = { process: ['process', 'model'], model: ['model', 'process'], times: ['times', 'sigmas'], sigmas: ['sigmas', 'times'] };
    for (const name of aliases[m[1]] ?? [m[1]]) {
      if (paths[name] !== undefined && options[name] !== undefined) return paths[name] + m[2];
    }
  }
  return blockPath;
}

/** Validate one cell with the API's own validation (the registries decide what exists). */
function checkCell(file: string, blockPath: string, options: JsonObject, paths: Record<string, string>): void {
  const isSampler = options.sampler !== undefined;
  if (!isSampler && options.scheme === undefined) {
    throw planError(file, blockPath, 'a cell needs "sampler" (a library sampler, as `gaussdiff run --sampler`) or "scheme" (a paper scheme, as `gaussdiff run --scheme`)');
  }
  for (const k of Object.keys(options)) {
    if (!Object.hasOwn(AXES, k)) {
      // A key of the `options` axis: one of the run's options (a misspelt one would be ignored).
      const known: readonly string[] = isSampler ? SAMPLER_RUN_OPTIONS : SCHEME_RUN_OPTIONS;
      if (!known.includes(k)) {
        const others = known.filter((o) => !Object.hasOwn(AXES, o));
        throw planError(file, paths[k], `is not a run option of ${isSampler ? 'library samplers (sampler cells)' : "the paper's schemes (scheme cells)"} (the options axis takes ${others.join(', ')}) (got ${show(options[k])})`);
      }
      continue;
    }
    const axis = k as Axis;
    if (isSampler && SCHEME_ONLY.includes(axis)) {
      throw planError(file, paths[k], `is an option of the paper's schemes (scheme cells), not of library samplers (got ${show(options[k])})`);
    }
    if (!isSampler && !SCHEME_AXES.includes(axis)) {
      throw planError(file, paths[k], `is not an option of the paper's schemes (they take ${SCHEME_AXES.filter((a) => a !== 'options').join(', ')}; use "sampler" for a library sampler) (got ${show(options[k])})`);
    }
  }
  try {
    if (isSampler) resolveSamplerRun(options as never);
    else resolveSchemeRun(options as never);
  } catch (e) {
    if (!(e instanceof RangeError || e instanceof TypeError)) throw e;
    throw planError(file, pathOfMessage(e.message, options, paths, blockPath), e.message);
  }
}

/** A run error of a cell (RangeError/TypeError from the API) as a usage error naming its JSON path. */
export function cellError(plan: Plan, cell: PlanCell, e: Error): UsageError {
  return planError(plan.file, pathOfMessage(e.message, cell.options, cell.paths, `$.grid[${cell.block}]`), e.message);
}

/** SHA-256 of an input's content; its errors name the JSON path. */
async function inputHash(file: string, at: string, kind: InputKind, location: string): Promise<string> {
  const fail = (e: unknown) => planError(file, at, `cannot be read (got ${show(location)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  if (kind === 'data') return sha256(`data:${location}`);
  if (kind === 'images') {
    let names: string[];
    try {
      names = (await readdir(location)).filter((n) => n.toLowerCase().endsWith('.png')).sort();
    } catch (e) {
      throw fail(e);
    }
    const h = createHash('sha256');
    for (const n of names) {
      const bytes = await readFile(path.join(location, n)).catch((e) => { throw fail(e); });
      h.update(`${n}\0${sha256(bytes)}\n`);
    }
    return h.digest('hex');
  }
  const bytes = await readFile(location).catch((e) => { throw fail(e); });
  return sha256(bytes);
}

/** Check the plan's inputs and hash their content. */
async function planInputs(file: string, dir: string, inputs: unknown): Promise<PlanInput[]> {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw planError(file, '$.inputs', `must be a non-empty list of inputs, e.g. [{"spectrum": "lam.npy"}, {"data": "mnist"}] (got ${show(inputs)})`);
  }
  const out: PlanInput[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const at = `$.inputs[${i}]`;
    const x = inputs[i] as unknown;
    if (!isObject(x)) throw planError(file, at, `must be an object such as {"spectrum": "lam.npy"} (got ${show(x)})`);
    for (const k of Object.keys(x)) {
      if (!INPUT_KEYS.includes(k)) throw planError(file, `${at}.${k}`, `is not an input key (one of ${INPUT_KINDS.join(', ')}, and an optional name) (got ${show(x[k])})`);
    }
    const kinds = INPUT_KINDS.filter((k) => x[k] !== undefined);
    if (kinds.length !== 1) throw planError(file, at, `must have exactly one of ${INPUT_KINDS.join(', ')} (got ${show(x)})`);
    const kind = kinds[0];
    const source = x[kind];
    if (typeof source !== 'string' || source === '') throw planError(file, `${at}.${kind}`, `must be a non-empty string (got ${show(source)})`);
    if (x.name !== undefined && (typeof x.name !== 'string' || x.name === '')) throw planError(file, `${at}.name`, `must be a non-empty string (got ${show(x.name)})`);
    // Files are relative to the plan's folder, so a plan and its data move together.
    const location = kind === 'data' ? source : path.resolve(dir, source);
    const name = (x.name as string | undefined) ?? (kind === 'data' ? source : path.basename(source, path.extname(source)));
    out.push({ index: i, kind, source, location, name, sha256: await inputHash(file, `${at}.${kind}`, kind, location) });
  }
  const seenName = new Map<string, number>();
  const seenContent = new Map<string, number>();
  for (const inp of out) {
    const j = seenName.get(inp.name);
    if (j !== undefined) throw planError(file, `$.inputs[${inp.index}]`, `has the same name as $.inputs[${j}] (got ${show(inp.name)}; give "name" to tell them apart)`);
    seenName.set(inp.name, inp.index);
    const c = seenContent.get(`${inp.kind}:${inp.sha256}`);
    if (c !== undefined) throw planError(file, `$.inputs[${inp.index}]`, `has the same content as $.inputs[${c}] (got ${show(inp.source)}); give each input once`);
    seenContent.set(`${inp.kind}:${inp.sha256}`, inp.index);
  }
  return out;
}

/**
 * Read and validate a plan (docs/sweeps.md "Plan"): its inputs are hashed, every cell is checked
 * by the API's validation, and duplicate cells are errors. Errors are UsageErrors (exit 2)
 * naming the plan file, the JSON path and the value.
 */
export async function loadPlan(file: string, version = packageVersion()): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`the plan cannot be read (got ${show(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw planError(file, '$', `is not JSON: ${(e as Error).message}`);
  }
  if (!isObject(raw)) throw planError(file, '$', `must be an object {"inputs": […], "grid": …} (got ${show(raw)})`);
  for (const k of Object.keys(raw)) {
    if (!PLAN_KEYS.includes(k)) throw planError(file, `$.${k}`, `is not a plan key (${PLAN_KEYS.join(', ')}) (got ${show(raw[k])})`);
  }
  if (raw.trajectory !== undefined && typeof raw.trajectory !== 'boolean') throw planError(file, '$.trajectory', `must be true or false (got ${show(raw.trajectory)})`);
  const trajectory = raw.trajectory === true;
  if (raw.grid === undefined) throw planError(file, '$.grid', 'is required: an object of axes, or a list of them (e.g. {"sampler": ["euler", "heun"], "steps": [10, 20]})');
  const blocks = Array.isArray(raw.grid) ? raw.grid : [raw.grid];
  if (blocks.length === 0) throw planError(file, '$.grid', 'must not be empty');
  const blockPath = (b: number) => (Array.isArray(raw.grid) ? `$.grid[${b}]` : '$.grid');
  const perBlock = blocks.map((block, b) => {
    const cells = blockCells(file, blockPath(b), block);
    for (const c of cells) checkCell(file, blockPath(b), c.options, c.paths);
    return cells;
  });
  const inputs = await planInputs(file, path.dirname(path.resolve(file)), raw.inputs);
  const cells: PlanCell[] = [];
  const byKey = new Map<string, PlanCell>();
  for (const input of inputs) {
    perBlock.forEach((list, block) => {
      for (const c of list) {
        const key = cellKey(version, input, c.options, trajectory);
        const cell: PlanCell = { index: cells.length, input: input.index, block, options: c.options, paths: c.paths, key };
        const twin = byKey.get(key);
        if (twin) {
          throw planError(file, blockPath(block), `cell ${show(c.options)} of $.inputs[${input.index}] is also cell ${twin.index} (from ${blockPath(twin.block)}): give each cell once`);
        }
        byKey.set(key, cell);
        cells.push(cell);
      }
    });
  }
  return { file, inputs, cells, trajectory, version };
}

// --- shards -------------------------------------------------------------------------------------

/** Shard `index` of `count` (0-based), and where that came from (flag or environment). */
export interface Shard {
  index: number;
  count: number;
  source: string;
}

/**
 * The shard of a cell: cell `i` (the plan's fixed order) belongs to shard `i mod count`. Every
 * cell is in exactly one shard, and neighbouring cells (often of different cost) spread evenly.
 */
export function shardOf(cellIndex: number, count: number): number {
  return cellIndex % count;
}

function integerText(text: string | undefined): number | undefined {
  return text !== undefined && /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
}

/**
 * The shard to run: `--shard i/n` (0 ≤ i < n) wins; else Slurm's job array
 * (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN, divided by SLURM_ARRAY_TASK_STEP when set, of
 * SLURM_ARRAY_TASK_COUNT; MIN defaults to 0); else RANK of WORLD_SIZE (torchrun, Ray, MPI
 * wrappers); else the whole plan (0/1). Bad values are UsageErrors naming the flag or variable.
 */
export function resolveShard(flag: string | undefined, env: Record<string, string | undefined>): Shard {
  const set = (name: string) => env[name] !== undefined && env[name] !== '';
  if (flag !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(flag.trim());
    const index = m ? Number(m[1]) : NaN;
    const count = m ? Number(m[2]) : NaN;
    if (!m || !(count >= 1) || !(index < count) || !Number.isSafeInteger(count)) {
      throw new UsageError(`--shard must be i/n with integers 0 ≤ i < n, e.g. 0/4 (got ${show(flag)})`);
    }
    return { index, count, source: '--shard' };
  }
  if (set('SLURM_ARRAY_TASK_ID')) {
    const need = (name: string, min: number): number => {
      const x = integerText(env[name]);
      if (x === undefined || x < min) throw new UsageError(`${name} must be an integer ≥ ${min} (got ${show(env[name])}; or give --shard i/n)`);
      return x;
    };
    const id = need('SLURM_ARRAY_TASK_ID', 0);
    if (!set('SLURM_ARRAY_TASK_COUNT')) throw new UsageError('SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not (give --shard i/n)');
    const count = need('SLURM_ARRAY_TASK_COUNT', 1);
    const min = set('SLURM_ARRAY_TASK_MIN') ? need('SLURM_ARRAY_TASK_MIN', 0) : 0;
    const step = set('SLURM_ARRAY_TASK_STEP') ? need('SLURM_ARRAY_TASK_STEP', 1) : 1;
    const index = (id - min) / step;
    if (!(Number.isInteger(index) && index >= 0 && index < count)) {
      throw new UsageError(`SLURM_ARRAY_TASK_ID ${id} is not task ${min} + ${step}·i with 0 ≤ i < SLURM_ARRAY_TASK_COUNT = ${count} (SLURM_ARRAY_TASK_MIN = ${set('SLURM_ARRAY_TASK_MIN') ? min : 'unset, taken as 0'}; use a contiguous --array such as 0-${count - 1} or 1-${count}, or give --shard i/n)`);
    }
    return { index, count, source: 'SLURM_ARRAY_TASK_ID' };
  }
  if (set('RANK') || set('WORLD_SIZE')) {
    if (!set('RANK') || !set('WORLD_SIZE')) throw new UsageError(`RANK and WORLD_SIZE must be set together (got RANK=${show(env.RANK)}, WORLD_SIZE=${show(env.WORLD_SIZE)}; or give --shard i/n)`);
    const index = integerText(env.RANK);
    const count = integerText(env.WORLD_SIZE);
    if (count === undefined || count < 1) throw new UsageError(`WORLD_SIZE must be an integer ≥ 1 (got ${show(env.WORLD_SIZE)})`);
    if (index === undefined || index >= count) throw new UsageError(`RANK must be an integer from 0 to WORLD_SIZE − 1 = ${count - 1} (got ${show(env.RANK)})`);
    return { index, count, source: 'RANK' };
  }
  return { index: 0, count: 1, source: 'no --shard, SLURM_ARRAY_TASK_ID or RANK: the whole plan' };
}
