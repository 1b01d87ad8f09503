/**
 * `gaussdiff sweep PLAN.json [--shard i/n] [--out DIR]` and `gaussdiff merge DIR… [--plan PLAN.json]`
 * (docs/sweeps.md): the cells of a plan, split over shards, run by the API's `run` (the same call
 * as `gaussdiff run`), one JSON line per finished cell; a rerun skips the finished cells.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { run, getProcess, type Spectrum } from '../bindings/index.node.js';
import { UsageError, Progress, parse, checkOut, outputFormat, start, type Values } from './common.js';
import { loadSpectrum, type Output } from './inputs.js';
import {
  loadPlan, resolveShard, shardOf, cellError, canonical, type Json, type Plan, type PlanCell, type PlanInput,
} from './sweep-plan.js';
import { ShardWriter, readRecords, type SweepRecord } from './sweep-store.js';

export const SWEEP_HELP = `Usage: gaussdiff sweep PLAN.json [--shard i/n] [--out DIR] [--dry-run]

Runs the cells of a plan (inputs × the product of each grid block's axes; docs/sweeps.md) that
belong to one shard, and appends one JSON line per finished cell to a file of its own in DIR.
A rerun skips every cell whose result is already in DIR (any shard's file), so a killed or
failed shard is simply run again.

  PLAN.json         the plan: {"inputs": [{"spectrum": "lam.npy"}, …], "grid": {"sampler":
                    ["euler", "heun"], "steps": [10, 20], …} or a list of such blocks,
                    "trajectory": false}; input files are relative to the plan's folder
  --shard i/n       run shard i of n (0 ≤ i < n): the cells whose index mod n is i. Without it:
                    SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN (÷ SLURM_ARRAY_TASK_STEP) of
                    SLURM_ARRAY_TASK_COUNT (MIN taken as 0 when unset), else RANK of WORLD_SIZE,
                    else the whole plan (0/1)
  --out DIR         the results folder (default: PLAN.results beside the plan), made if needed
  --dry-run         print the shard's cells as JSON ({index, key, done, input, options}) and
                    run nothing
  --threads N       1 or 2: threads of the eigensolver (inputs given as --cov/--samples)
  --no-progress     no progress lines on stderr (by default one line per finished cell)

Each line: {"key","gaussdiff","input":{"name","kind","sha256"},"options":{…},"trajectory",
"result":{"nfe","w2","steps",…,"sigmas"|"times"[,"trajectory"]}}: the numbers of
gaussdiff run for that cell (with "options":{"metric":"kl"|"both"} also "klForward",
"klReverse": KL(sampler‖data), KL(data‖sampler), null when infinite). key = SHA-256 of the canonical cell, the input's content hash and
the gaussdiff version. Join the shards with gaussdiff merge.`;

export const MERGE_HELP = `Usage: gaussdiff merge DIR|FILE.jsonl… [--plan PLAN.json] [--format md|csv|json] [--out FILE]

Joins the JSON lines of sweeps (every .jsonl file of the folders) into one table, one row per
cell key. The same key twice with the same result counts once; with different results it is an
error (exit 1). Incomplete last lines (a killed shard) are ignored.

  --plan PLAN.json  rows in the plan's order, only the plan's cells; the cells without a result
                    are listed on stderr (and under "missing" in json)
  --format F        md (default), csv (full precision) or json ({"rows": [{"input","options",
                    "result","key"}, …], "missing": […]})
  --out FILE        write there instead of stdout: .md, .csv or .json (the format)`;

/** Split positional arguments from flags (a string flag's value is not a positional). */
function positionals(argv: string[], stringFlags: string[]): { args: string[]; flags: string[] } {
  const args: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('-')) {
      flags.push(a);
      if (a.startsWith('--') && !a.includes('=') && stringFlags.includes(a.slice(2)) && i + 1 < argv.length) flags.push(argv[++i]);
    } else args.push(a);
  }
  return { args, flags };
}

const SWEEP_FLAGS = { shard: { type: 'string' }, 'dry-run': { type: 'boolean' } } as const;

/** The run options of a cell exactly as `gaussdiff run` passes them to the API. */
function runOptions(cell: PlanCell): Record<string, unknown> {
  return JSON.parse(JSON.stringify(cell.options)) as Record<string, unknown>;
}

/** The record of a cell from the API's result: every number, the grid, the trajectory if asked. */
function resultOf(cell: PlanCell, r: Record<string, unknown>, trajectory: boolean): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(r)) if (typeof x === 'number' || x === null) out[k] = x;
  // With options.metric kl or both: the KL pair as two numbers (null: infinite), merge's columns.
  const kl = r.kl as { forward: number | null; reverse: number | null } | undefined;
  if (kl !== undefined) {
    out.klForward = kl.forward;
    out.klReverse = kl.reverse;
  }
  // Library samplers: σ grids or times as `gaussdiff run --sampler` names them; schemes: times.
  const gridKey = cell.options.sampler !== undefined && getProcess(r.process as string).gridUnit === 'sigma' ? 'sigmas' : 'times';
  out[gridKey] = r.times as number[];
  if (trajectory) out.trajectory = r.trajectory as Json;
  return out;
}

export async function cmdSweep(argv: string[]): Promise<Output> {
  const { args, flags } = positionals(argv, ['shard', 'out', 'threads']);
  const { values: v } = parse('sweep', flags, SWEEP_FLAGS);
  if (v.help) return { text: SWEEP_HELP + '\n' };
  if (args.length !== 1) throw new UsageError(`needs exactly one plan file (got ${args.length === 0 ? 'none' : JSON.stringify(args)}; see gaussdiff sweep --help)`);
  const planFile = args[0];
  const shard = resolveShard(v.shard as string | undefined, process.env);
  const progress = new Progress('sweep', { ...v, progress: v['no-progress'] ? undefined : true } as Values);
  // The API's validation of the cells builds their grids: the core must be started.
  await start(v);
  const plan = await loadPlan(planFile);
  const dir = (v.out as string | undefined) ?? path.join(path.dirname(planFile), `${path.basename(planFile, path.extname(planFile))}.results`);
  const info = await stat(dir).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) throw new UsageError(`--out must be a folder (got ${JSON.stringify(dir)}, a file)`);
  const { records, partial } = await readRecords([dir]);
  for (const f of partial) process.stderr.write(`gaussdiff sweep: ignoring the incomplete last line of ${f} (a run killed while writing; its cell runs again)\n`);
  const done = new Set(records.map((r) => r.record.key));
  const mine = plan.cells.filter((c) => shardOf(c.index, shard.count) === shard.index);
  const pending = mine.filter((c) => !done.has(c.key));
  const tag = `shard ${shard.index}/${shard.count}`;
  progress.phase(`${tag} (${shard.source}): ${mine.length} of the plan's ${plan.cells.length} cells, ${mine.length - pending.length} already done, ${pending.length} to run`);
  if (v['dry-run']) {
    const cells = mine.map((c) => ({ index: c.index, key: c.key, done: done.has(c.key), input: plan.inputs[c.input].name, options: c.options }));
    return { text: JSON.stringify({ shard: { index: shard.index, count: shard.count, source: shard.source }, cells }, null, 2) + '\n', progress };
  }
  if (pending.length === 0) return { progress };
  await mkdir(dir, { recursive: true });
  const writer = new ShardWriter(dir, shard);
  try {
    let finished = 0;
    let loaded: { input: PlanInput; spectrum: Spectrum } | undefined;
    for (const cell of pending) {
      const input = plan.inputs[cell.input];
      // Cells come grouped by input (the plan's order): each input is loaded once per shard.
      if (loaded?.input !== input) {
        loaded = undefined; // the previous input's spectrum can go while the next one loads
        progress.phase(`${tag}: loading input ${input.name} ($.inputs[${input.index}], ${input.kind} ${input.source})`);
        loaded = { input, spectrum: await loadInput(plan, input, progress) };
      }
      let r: Record<string, unknown>;
      try {
        r = (await run(loaded.spectrum, runOptions(cell) as never)) as unknown as Record<string, unknown>;
      } catch (e) {
        if (e instanceof RangeError || e instanceof TypeError) throw cellError(plan, cell, e);
        throw new Error(`cell ${cell.index} (${canonical(cell.options)} on ${input.name}): ${(e as Error).message}`);
      }
      const record: SweepRecord = {
        key: cell.key,
        gaussdiff: plan.version,
        input: { name: input.name, kind: input.kind, sha256: input.sha256 },
        options: cell.options,
        trajectory: plan.trajectory,
        result: resultOf(cell, r, plan.trajectory),
      };
      writer.append(record);
      finished++;
      progress.phase(`${tag}: ${finished}/${pending.length} cells (cell ${cell.index}, w2 ${record.result.w2 ?? 'null'}) → ${writer.file}`);
    }
  } finally {
    writer.close();
  }
  return { progress };
}

/** An input's spectrum, through the same loader as every command's input flags. */
async function loadInput(plan: Plan, input: PlanInput, progress: Progress): Promise<Spectrum> {
  try {
    return (await loadSpectrum({ [input.kind]: input.location }, progress)).spectrum;
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${plan.file}: $.inputs[${input.index}]: ${e.message}`);
    throw e;
  }
}

// --- merge --------------------------------------------------------------------------------------

const MERGE_FORMATS = { '.md': 'md', '.csv': 'csv', '.json': 'json' } as const;

/** Column order: the plan's axes as users think of them, then anything else by name. */
const OPTION_ORDER = ['scheme', 'sampler', 'model', 'process', 'scheduler', 'steps', 'sigmas', 'times', 'start', 'params', 'schedulerParams', 'processParams', 'eps', 'init', 'alpha', 'betaMin', 'betaMax', 'T'];
const RESULT_ORDER = ['nfe', 'w2'];

function ordered(keys: Iterable<string>, first: string[]): string[] {
  const set = new Set(keys);
  return [...first.filter((k) => set.has(k)), ...[...set].filter((k) => !first.includes(k)).sort()];
}

/** One row: the input's name, the cell's options, the result (options win on a shared name). */
type Row = Record<string, Json>;

function cellText(x: Json | undefined, full: boolean): string {
  if (x === undefined) return '';
  if (x === null) return '-';
  if (typeof x === 'number') return full ? String(x) : Number.isInteger(x) ? String(x) : x.toPrecision(4);
  if (typeof x === 'string') return x;
  if (Array.isArray(x)) return x.map((y) => cellText(y, full)).join(' ');
  if (typeof x === 'boolean') return String(x);
  return Object.entries(x).map(([k, y]) => `${k}=${cellText(y, full)}`).join(' ');
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Sort rows without a plan: by each column in turn, numbers by value. */
function compareRows(columns: string[]) {
  return (a: Row, b: Row): number => {
    for (const c of columns) {
      const x = a[c];
      const y = b[c];
      if (typeof x === 'number' && typeof y === 'number') {
        if (x !== y) return x - y;
        continue;
      }
      const s = x === undefined ? '' : canonical(x);
      const t = y === undefined ? '' : canonical(y);
      if (s !== t) return s < t ? -1 : 1;
    }
    return 0;
  };
}

export async function cmdMerge(argv: string[]): Promise<Output> {
  const { args, flags } = positionals(argv, ['plan', 'format', 'out', 'threads']);
  const { values: v } = parse('merge', flags, { plan: { type: 'string' }, format: { type: 'string' } });
  if (v.help) return { text: MERGE_HELP + '\n' };
  const format = outputFormat(v, MERGE_FORMATS, ['md', 'csv', 'json'], 'md');
  if (args.length === 0) throw new UsageError('needs at least one results folder or .jsonl file (see gaussdiff merge --help)');
  for (const a of args) {
    if (!(await stat(a).catch(() => undefined))) throw new UsageError(`cannot read ${JSON.stringify(a)} (no such folder or file)`);
  }
  if (v.out !== undefined) await checkOut(v.out as string);
  const progress = new Progress('merge', v);
  if (v.plan !== undefined) await start(v);
  const plan = v.plan === undefined ? undefined : await loadPlan(v.plan as string);
  const { records, partial, files } = await readRecords(args);
  for (const f of partial) process.stderr.write(`gaussdiff merge: ignoring the incomplete last line of ${f} (a killed run)\n`);
  const versions = [...new Set(records.map((r) => r.record.gaussdiff))];
  if (versions.length > 1) process.stderr.write(`gaussdiff merge: the records come from ${versions.length} gaussdiff versions (${versions.join(', ')}): a cell run by two versions has two keys, so two rows\n`);
  const byKey = new Map<string, { record: SweepRecord; where: string }>();
  for (const { record, file, line } of records) {
    const seen = byKey.get(record.key);
    if (seen === undefined) {
      byKey.set(record.key, { record, where: `${file}:${line}` });
      continue;
    }
    if (canonical(seen.record.result) !== canonical(record.result)) {
      throw new Error(`cell ${record.key.slice(0, 12)}… has two different results: ${seen.where} and ${file}:${line} (w2 ${seen.record.result.w2} vs ${record.result.w2}); remove the wrong line`);
    }
  }
  // A table row: options as written; a column no option of this cell gives shows the result's
  // number of that name (the steps of a σ-grid cell); grids and trajectories stay in json.
  const toRow = (r: SweepRecord): Row => {
    const row: Row = { input: r.input.name, ...r.options };
    for (const [k, x] of Object.entries(r.result)) if (!(k in row) && (typeof x === 'number' || x === null)) row[k] = x;
    row.key = r.key;
    return row;
  };
  const toJson = (r: SweepRecord): Row => ({ input: r.input.name, options: r.options, result: r.result, key: r.key });
  let chosen: SweepRecord[];
  const missing: Row[] = [];
  if (plan) {
    chosen = [];
    for (const cell of plan.cells) {
      const found = byKey.get(cell.key);
      if (found) chosen.push(found.record);
      else missing.push({ index: cell.index, input: plan.inputs[cell.input].name, options: cell.options, key: cell.key });
    }
    const extra = byKey.size - chosen.length;
    if (extra > 0) process.stderr.write(`gaussdiff merge: ${extra} record(s) are not cells of ${plan.file} (left out)\n`);
    if (missing.length > 0) {
      const list = missing.slice(0, 20).map((m) => `  cell ${m.index}: ${m.input} ${canonical(m.options)}`);
      process.stderr.write(`gaussdiff merge: ${missing.length} of the plan's ${plan.cells.length} cells have no result:\n${list.join('\n')}${missing.length > 20 ? `\n  … and ${missing.length - 20} more` : ''}\n`);
    }
  } else {
    chosen = [...byKey.values()].map((x) => x.record);
  }
  const optionColumns = ordered(new Set(records.flatMap((r) => Object.keys(r.record.options))), OPTION_ORDER);
  const resultColumns = ordered(new Set(records.flatMap((r) => Object.entries(r.record.result)
    .filter(([k, x]) => (typeof x === 'number' || x === null) && !optionColumns.includes(k)).map(([k]) => k))), RESULT_ORDER);
  const columns = ['input', ...optionColumns, ...resultColumns];
  if (!plan) {
    const compare = compareRows(columns);
    chosen.sort((a, b) => compare(toRow(a), toRow(b)));
  }
  const rows = chosen.map(toRow);
  progress.phase(`${rows.length} cells from ${files.length} file(s)`);
  let text: string;
  if (format === 'json') {
    const json = chosen.map(toJson);
    text = JSON.stringify(plan ? { rows: json, missing } : { rows: json }, null, 2) + '\n';
  } else if (format === 'csv') {
    text = [[...columns, 'key'], ...rows.map((r) => [...columns.map((c) => cellText(r[c], true)), r.key as string])]
      .map((line) => line.map(csvField).join(',')).join('\n') + '\n';
  } else {
    // Options print as written, results with 4 significant digits.
    const body = rows.map((r) => `| ${columns.map((c) => cellText(r[c], !resultColumns.includes(c)).replace(/\|/g, '\\|')).join(' | ')} |`);
    text = [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`, ...body].join('\n') + '\n';
  }
  return { text, out: v.out as string | undefined, progress };
}
