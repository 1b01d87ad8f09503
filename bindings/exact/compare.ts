/**
 * The practitioner's ablation (docs/samplers.md "Comparing samplers"): samplers × grid builders ×
 * step counts on one forward process, each cell the exact W2 of `runSampler` with the same
 * options (bit for bit: the same validated run, the same core call). Every cell is resolved —
 * registry lookups, parameters, grids — before the first one is computed, so an invalid
 * combination fails at once, naming the sampler, the grid builder or the step count.
 */
import { badType, badValue, checkOptions, checkPositiveInteger } from '../runtime/errors.js';
import { prepareSpectrum, type SpectrumInput } from '../options/spectrum.js';
import { getSampler, type SamplerSpec } from '../samplers/index.js';
import { packParams, type AnyParamValues, type ParamValue } from '../samplers/params.js';
import { getProcess } from '../processes/index.js';
import { getScheduler } from '../schedulers/index.js';
import { resolveSamplerRun, runSamplerShared, STARTS, type SharedScoreCov, type ResolvedRun, type SamplerRunOptions, type Start } from './run-sampler.js';
import { generalRunRaw, type GeneralCall } from './core-general.js';
import { resolveMetric, type Kl, type Metric } from './metrics.js';

/**
 * The grid-builder column of samplers that build their own grid (`dpm_fast`, and any spec with
 * `ownGrid`): one cell per step count, whatever the `schedulers` list.
 */
export const OWN_GRID = 'own';

/**
 * Names of the parameter that a sampler building its own grid takes its size from, tried in
 * this order when its spec declares no `stepsParam` (k-diffusion `dpm_fast`: `n` evaluations;
 * NVlabs/edm: `num_steps`; DPM-Solver and UniPC: `steps`).
 */
const STEPS_PARAM_NAMES = ['steps', 'num_steps', 'n'] as const;

export interface CompareOptions {
  /** Library samplers by id (`SAMPLER_REGISTRY`), at least one. */
  samplers: readonly string[];
  /**
   * Grid builders by id (`SCHEDULERS`); default: the first sampler's default builder. Samplers
   * that build their own grid ignore it (their column is `'own'`).
   */
  schedulers?: readonly string[];
  /**
   * Step counts (integers ≥ 1). For samplers that build their own grid, the value of their size
   * parameter (`dpm_fast`: `n`, the number of evaluations).
   */
  steps: readonly number[];
  /** Forward process for every cell (default: the first sampler's; every sampler must run on it). */
  model?: string;
  /** The same as `model`: give one of the two. */
  process?: string;
  /** Default 'prior' (the source's conventional start, also named 'conventional'). */
  start?: Start;
  /**
   * Sampler parameters by their source's keyword names: `{ eta: 0.5 }` sets `eta` of every listed
   * sampler that has one (a key none of them has is an error); `{ 'euler.s_churn': 40 }` sets it
   * for one sampler only (and wins over the plain key).
   */
  params?: Record<string, ParamValue>;
  /** Called after each cell with (cells done, cells in all). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Worker threads of `compare` (default: 2 where there are 2 cores and the comparison is large,
   * see WORKER_MIN_WORK; 1 = this thread). The numbers are the same bits for any count.
   */
  threads?: number;
  /**
   * 'w2' (default), 'kl' or 'both': with kl, every cell also has `kl` (KL(sampler ‖ data) and
   * KL(data ‖ sampler), nats; docs/metrics.md §2). Cells keep `w2` either way.
   */
  metric?: Metric;
  /** The data mean in the eigenbasis (input order), as `runSampler`'s `mean`: cells get `meanError`. */
  mean?: readonly number[] | Float64Array;
  /** The score's mean m̂ in the eigenbasis, as `runSampler`'s `scoreMean` (default: the data mean). */
  scoreMean?: readonly number[] | Float64Array;
  /** A wrong score with the data's eigenvectors, as `runSampler`'s `scoreSpectrum` (λ̂, input order). */
  scoreSpectrum?: readonly number[] | Float64Array;
  /**
   * A wrong score of any covariance Σ̂, as `runSampler`'s `scoreCov` (with `cov`, the data's
   * covariance matrix; the spectrum argument may then be null). W2 only, centred data.
   */
  scoreCov?: import('../linalg/linalg.js').MatrixInput;
  /** The data's covariance matrix, with `scoreCov` only. */
  cov?: import('../linalg/linalg.js').MatrixInput;
}

/**
 * The options of `compare` that each cell passes on to `runSamplerSync` (docs/samplers.md
 * "Comparing samplers"): with any of them, the cells run on the calling thread.
 */
export const CELL_RUN_OPTIONS = ['metric', 'mean', 'scoreMean', 'scoreSpectrum', 'scoreCov', 'cov'] as const;

export interface CompareCell {
  sampler: string;
  /** The grid builder, or 'own' for samplers that build their own grid. */
  scheduler: string;
  steps: number;
  nfe: number;
  /** W2 to the data; null when infinite or undefined. */
  w2: number | null;
  /** With `mean` or `scoreMean`: |output mean − data mean| (null when infinite or undefined). */
  meanError?: number | null;
  /** With metric 'kl' or 'both': KL(sampler ‖ data) and KL(data ‖ sampler), nats (null: infinite). */
  kl?: Kl;
}

export interface CompareResult {
  model: string;
  start: Start;
  /** The metric asked for ('w2' by default): which numbers the tables show. */
  metric: Metric;
  /** Every parameter of every sampler, defaults filled (own-grid samplers: without their size). */
  params: Record<string, AnyParamValues>;
  /** Sampler-major, then grid builder (in the given order), then steps. */
  cells: CompareCell[];
}

/** A validated cell: the run `runSampler` would do. */
export interface PlannedCell {
  sampler: string;
  scheduler: string;
  steps: number;
  nfe: number;
  run: ResolvedRun;
  /** The options of `runSamplerSync` that give this cell (without the metric and score options). */
  options: SamplerRunOptions;
}

/** The size parameter of an own-grid sampler (docs/samplers.md "Comparing samplers"). */
export function stepsParam(spec: SamplerSpec): string {
  const declared = spec.stepsParam;
  const name = declared ?? STEPS_PARAM_NAMES.find((n) => spec.params.some((p) => p.name === n));
  if (name === undefined) throw badValue('samplers', spec.id, 'a sampler with a grid builder or a size parameter (steps, num_steps or n)');
  return name;
}

/**
 * The parameter that `compare` sets from `steps` for a sampler that builds its own grid (dpm_fast:
 * `n`), or null for samplers run on a grid builder.
 * @example ownGridStepsParam('dpm_fast') // → 'n'
 */
export function ownGridStepsParam(sampler: string): string | null {
  const spec = getSampler('sampler', sampler, 'sampler');
  return spec.ownGrid ? stepsParam(spec) : null;
}

function stringList(name: string, value: unknown): string[] {
  if (!Array.isArray(value)) throw badType(name, value, 'an array of names');
  if (value.length === 0) throw badValue(`${name}.length`, 0, 'at least 1');
  value.forEach((s, i) => {
    if (typeof s !== 'string') throw badType(`${name}[${i}]`, s, 'a name');
  });
  const seen = new Set<string>();
  for (const s of value as string[]) {
    if (seen.has(s)) throw badValue(name, s, 'names given once each');
    seen.add(s);
  }
  return value as string[];
}

/** Validate every cell of a comparison (nothing is computed). */
export function planCompare(options_: CompareOptions): { model: string; start: Start; metric: Metric; params: Record<string, AnyParamValues>; cells: PlannedCell[] } {
  const options = checkOptions(options_);
  if (options.model !== undefined && options.process !== undefined) throw badValue('model', options.model, 'absent when process is given (they are the same option)');
  const samplers = stringList('samplers', options.samplers).map((id) => getSampler('sampler', id, 'samplers'));
  if (!Array.isArray(options.steps)) throw badType('steps', options.steps, 'an array of step counts');
  if (options.steps.length === 0) throw badValue('steps.length', 0, 'at least 1');
  const steps = options.steps.map((n, i) => checkPositiveInteger(`steps[${i}]`, n));
  if (new Set(steps).size !== steps.length) throw badValue('steps', [...options.steps], 'step counts given once each');
  const schedulerIds = options.schedulers === undefined ? [samplers[0].defaultScheduler] : stringList('schedulers', options.schedulers);
  const schedulers = schedulerIds.map((id) => getScheduler(id, 'schedulers'));
  const model = getProcess(options.model ?? options.process ?? samplers[0].processes[0], options.process !== undefined ? 'process' : 'model').id;
  for (const s of samplers) {
    if (!s.processes.includes(model)) throw badValue('samplers', s.id, `a sampler of model ${model} (${s.id} runs on ${s.processes.join(', ')})`);
  }
  if (samplers.some((s) => !s.ownGrid)) {
    for (const g of schedulers) {
      if (!g.processes.includes(model)) throw badValue('schedulers', g.id, `a grid builder for model ${model} (${g.id} is for ${g.processes.join(', ')})`);
    }
  }
  // Parameters: plain keys for every sampler that has them, `sampler.key` for one.
  const given = options.params === undefined ? {} : checkOptions(options.params, 'params');
  const perSampler = new Map<string, Record<string, ParamValue>>(samplers.map((s) => [s.id, {}]));
  const used = new Set<string>();
  for (const [key, value] of Object.entries(given)) {
    const dot = key.indexOf('.');
    if (dot < 0) continue;
    const sid = key.slice(0, dot), name = key.slice(dot + 1);
    const target = perSampler.get(sid);
    if (!target) throw badValue(`params.${key}`, value, `for a listed sampler (${samplers.map((s) => s.id).join(', ')})`);
    target[name] = value;
    used.add(key);
  }
  for (const [key, value] of Object.entries(given)) {
    if (key.includes('.')) continue;
    for (const s of samplers) {
      if (s.params.some((p) => p.name === key) && !Object.hasOwn(perSampler.get(s.id)!, key)) {
        perSampler.get(s.id)![key] = value;
        used.add(key);
      }
    }
    if (!used.has(key) && !samplers.some((s) => s.params.some((p) => p.name === key))) {
      throw badValue(`params.${key}`, value, `a parameter of a listed sampler (${samplers.map((s) => `${s.id}: ${s.params.map((p) => p.name).join(', ') || 'none'}`).join('; ')})`);
    }
  }
  if (options.threads !== undefined) checkPositiveInteger('threads', options.threads);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw badType('onProgress', options.onProgress, 'a function (done, total)');
  const start = options.start ?? 'prior';
  if (!(STARTS as readonly string[]).includes(start as string)) throw badValue('start', start, `one of ${STARTS.join(', ')}`);
  const metric = resolveMetric(options.metric);
  const cells: PlannedCell[] = [];
  const params: Record<string, AnyParamValues> = {};
  for (const s of samplers) {
    const p = perSampler.get(s.id)!;
    const prefix = (message: string) => message.replace(/^params\./, `params.${s.id}.`);
    const resolve = (o: Parameters<typeof resolveSamplerRun>[0]): ResolvedRun => {
      try {
        return resolveSamplerRun(o);
      } catch (e) {
        if (e instanceof RangeError) throw new RangeError(`${prefix(e.message)} [${s.id}]`);
        if (e instanceof TypeError) throw new TypeError(`${prefix(e.message)} [${s.id}]`);
        throw e;
      }
    };
    if (s.ownGrid) {
      const size = stepsParam(s);
      if (Object.hasOwn(p, size)) throw badValue(`params.${s.id}.${size}`, p[size], `absent: compare sets ${s.id}'s ${size} from steps`);
      for (const n of steps) {
        const o: SamplerRunOptions = { sampler: s.id as never, process: model, params: { ...p, [size]: n }, start };
        const run = resolve(o);
        params[s.id] ??= Object.fromEntries(Object.entries(run.params).filter(([k]) => k !== size));
        cells.push({ sampler: s.id, scheduler: OWN_GRID, steps: n, nfe: s.nfe(run.times.length - 1, run.params, run.times), run, options: o });
      }
      continue;
    }
    for (const g of schedulers) {
      for (const n of steps) {
        const o: SamplerRunOptions = { sampler: s.id as never, process: model, scheduler: g.id, steps: n, params: p, start };
        const run = resolve(o);
        params[s.id] ??= run.params;
        cells.push({ sampler: s.id, scheduler: g.id, steps: n, nfe: s.nfe(run.times.length - 1, run.params, run.times), run, options: o });
      }
    }
  }
  return { model, start: start as Start, metric, params, cells };
}

function distance(s: number): number | null {
  return Number.isFinite(s) && s >= 0 ? Math.sqrt(s) : null;
}

/** The core call of one planned cell (final sums only). */
export function cellCall(c: PlannedCell): Omit<GeneralCall, 'values' | 'weights'> {
  const r = c.run;
  return {
    coreId: r.spec.coreId,
    params: packParams(r.spec.params, r.params),
    processId: r.process.coreId,
    processParams: packParams(r.process.params, r.processParams),
    times: r.times,
    h: r.h,
    meanSq: null,
    wantTraj: false,
    wantV: false,
    wantMean: false,
  };
}

/** A cell's result from its core sums ([exact start, prior start]). */
export function cellResult(c: PlannedCell, sums: Float64Array): CompareCell {
  return { sampler: c.sampler, scheduler: c.scheduler, steps: c.steps, nfe: c.nfe, w2: distance(sums[c.run.start === 'exact' ? 0 : 1]) };
}

/**
 * The options of `compare` that go to every cell's `runSamplerSync` (metric, means, wrong
 * scores), or null when there are none (then the cells are the final sums of one core call each,
 * which can run in worker threads).
 */
export function cellRunOptions(options: CompareOptions): Partial<SamplerRunOptions> | null {
  const extra: Partial<SamplerRunOptions> = {};
  for (const key of CELL_RUN_OPTIONS) {
    if (options[key] !== undefined) (extra as Record<string, unknown>)[key] = options[key];
  }
  const keys = Object.keys(extra);
  return keys.length === 0 || (keys.length === 1 && extra.metric === 'w2') ? null : extra;
}

/**
 * One cell with the metric and score options: `runSamplerSync(input, { …the cell's run, …extra })`
 * itself, its `w2`, `meanError` and `kl` kept.
 */
function runCell(input: SpectrumInput | null, c: PlannedCell, extra: Partial<SamplerRunOptions>, shared: SharedScoreCov): CompareCell {
  // The shared options (means, scores, metric) are checked by the first cell, before it computes;
  // with scoreCov its Σ̂ decomposition and ÛᵀΣÛ serve every cell (`shared`, same numbers).
  const r = runSamplerShared(input, { ...c.options, ...extra }, shared);
  const cell: CompareCell = { sampler: c.sampler, scheduler: c.scheduler, steps: c.steps, nfe: c.nfe, w2: r.w2 };
  if (r.meanError !== undefined) cell.meanError = r.meanError;
  if (r.kl !== undefined) cell.kl = r.kl;
  return cell;
}

/**
 * The comparison on the calling thread (after `init()`): every cell is
 * `runSamplerSync(spectrum, { sampler, model, scheduler, steps, params, start })` bit for bit —
 * its `w2`, and with `metric`, `mean`, `scoreMean`, `scoreSpectrum` or `scoreCov` + `cov` (the
 * same options of `runSamplerSync`) its `kl` and `meanError` too. The spectrum may be null only
 * with `scoreCov`.
 * @example compareSync([0.5, 2], { samplers: ['euler', 'heun'], steps: [10] }).cells.map((c) => c.nfe) // → [10, 19]
 */
export function compareSync(input: SpectrumInput | null, options: CompareOptions): CompareResult {
  const plan = planCompare(options);
  const extra = cellRunOptions(options);
  const cells: CompareCell[] = [];
  const total = plan.cells.length;
  if (extra !== null) {
    const shared: SharedScoreCov = {};
    for (const c of plan.cells) {
      cells.push(runCell(input, c, extra, shared));
      options.onProgress?.(cells.length, total);
    }
    return { model: plan.model, start: plan.start, metric: plan.metric, params: plan.params, cells };
  }
  const spectrum = prepareSpectrum(input as SpectrumInput);
  for (const c of plan.cells) {
    const raw = generalRunRaw({ ...cellCall(c), values: spectrum.values, weights: spectrum.weights });
    cells.push(cellResult(c, raw.sums));
    options.onProgress?.(cells.length, total);
  }
  return { model: plan.model, start: plan.start, metric: plan.metric, params: plan.params, cells };
}
