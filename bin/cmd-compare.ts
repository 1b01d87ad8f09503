/**
 * `gaussdiff compare`: the practitioner's ablation (issue 11 item 5, docs/samplers.md "Comparing
 * samplers"): samplers × grid builders × step counts on one model, each cell the W2 of
 * `gaussdiff run --sampler` with the same flags (and its KL and mean error with --metric, --mean,
 * --score-mean, --score-spectrum, --score-cov: issue 12 item 7).
 *   gaussdiff compare INPUT --samplers LIST --schedulers LIST --steps LIST [--model M]
 *     [--start conventional|exact] [--param [sampler.]key=value]... [--mean F] [--score-mean F]
 *     [--score-spectrum F | --score-cov F] [--metric w2|kl|both] [--format md|csv|json|latex] [--out F]
 */
import {
  compare, planCompare, SAMPLER_REGISTRY, SCHEDULERS, PROCESSES, getSampler, OWN_GRID, type CompareOptions,
} from '../bindings/index.node.js';
import { parseParam } from '../bindings/samplers/params.js';
import { renderCompare, type TableFormat } from '../bindings/figures/tables.js';
import { UsageError, Progress, parse, list, number, checkOut, outputFormat, start as startCore, COMMON_HELP, type Values } from './common.js';
import { INPUT_FLAGS, INPUT_HELP, fitMeta, type Output } from './inputs.js';
import { CLI_STARTS } from './cmd-sampler.js';
import { METRIC_FLAGS, metricOptions } from './metrics.js';
import { SCORE_FLAGS, loadScoredInputs, scoreFlagMessage } from './score.js';

export const COMPARE_FLAGS = {
  samplers: { type: 'string' },
  schedulers: { type: 'string' },
  steps: { type: 'string' },
  model: { type: 'string' },
  start: { type: 'string' },
  param: { type: 'string', multiple: true },
  format: { type: 'string' },
} as const;

/**
 * The flags of `run --sampler` that `compare` passes on to every cell (bin/metrics.ts,
 * bin/score.ts): not --per-eigenvalue (a table per cell) nor --score-samples (a Monte Carlo per cell).
 */
const CELL_FLAGS = {
  mean: METRIC_FLAGS.mean,
  'score-mean': METRIC_FLAGS['score-mean'],
  metric: METRIC_FLAGS.metric,
  'score-spectrum': SCORE_FLAGS['score-spectrum'],
  'score-cov': SCORE_FLAGS['score-cov'],
} as const;

const COMPARE_FORMATS = { '.md': 'md', '.tex': 'latex', '.csv': 'csv', '.json': 'json' } as const;

export const COMPARE_HELP = () => `Usage: gaussdiff compare INPUT --samplers LIST --schedulers LIST --steps LIST [options]

${INPUT_HELP}
  --samplers LIST   library samplers, comma-separated: ${Object.keys(SAMPLER_REGISTRY).join(', ')}
  --schedulers LIST grid builders, comma-separated (default: the first sampler's):
                    ${Object.keys(SCHEDULERS).join(', ')}
  --steps LIST      step counts, comma-separated integers ≥ 1
  --model M         forward process of every cell (default: the first sampler's):
                    ${Object.keys(PROCESSES).join(', ')}
  --start S         conventional (the source's initial noise, default) or exact
  --param K=V       a sampler parameter by its source's name, for every listed sampler that has
                    it (--param eta=0.5), or for one (--param euler.s_churn=40); repeatable
  --mean F, --score-mean F, --score-spectrum F, --score-cov F
                    the data's mean, the score's mean, a wrong score: as for \`run --sampler\`
                    (gaussdiff run --help); every cell then carries "meanError" (with a mean)
  --metric M        w2 (default), kl (KL(sampler‖data) and KL(data‖sampler), nats) or both:
                    every cell carries "kl":{"forward","reverse"} (null: infinite)
  --format F        md (default), latex, csv or json
  --out FILE        write there instead of stdout: .md, .tex, .csv or .json (the format)
${COMMON_HELP}

Every cell is the W2 of \`gaussdiff run INPUT --sampler S --scheduler G --steps N\` with the same
--model, --start and parameters. Samplers that build their own grid (${Object.values(SAMPLER_REGISTRY).filter((s) => s.ownGrid).map((s) => s.id).join(', ')}) get one
row, scheduler "${OWN_GRID}": each step count N is their size parameter (dpm_fast: n = N evaluations).
Every combination is checked before anything is computed.
JSON: {"model","start","params":{sampler:{…}},"cells":[{"sampler","scheduler","steps","nfe","w2"}]}
(+ "metric" with kl or both; cells + "meanError", "kl"; no "w2" with --metric kl, as \`run\`);
md and latex: a row per sampler and scheduler, a column per step count, cells "W2 (NFE)"
(--metric kl: "KL (NFE)", both: "W2 / KL (NFE)", KL = KL(sampler‖data), 4 digits); csv: a line
per cell, columns sampler,scheduler,steps,nfe,w2[,mean_error][,kl_forward,kl_reverse].`;

/** The API names options as in code; the messages here name the flags. */
function flagMessage(message: string): string {
  return scoreFlagMessage(message)
    .replace(/^params\./, '--param ')
    .replace(/^steps\[\d+\]/, '--steps')
    .replace(/^(samplers|schedulers|steps|model|start)\b(\.length)?/, '--$1');
}

/**
 * `--param key=value` (every listed sampler that has `key`) and `--param sampler.key=value` (one
 * sampler), read by the samplers' declarations: `compare`'s `params`.
 */
export function samplerParams(v: Values, samplers: readonly string[]): Record<string, number | string | boolean> {
  const params: Record<string, number | string | boolean> = {};
  for (const item of (v.param as unknown as string[] | undefined) ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param must be key=value or sampler.key=value (got ${JSON.stringify(item)})`);
    const key = item.slice(0, eq);
    if (Object.hasOwn(params, key)) throw new UsageError(`--param ${key} is given twice; give it once`);
    const dot = key.indexOf('.');
    const owners = dot >= 0 ? samplers.filter((s) => s === key.slice(0, dot)) : samplers.filter((s) => SAMPLER_REGISTRY[s].params.some((p) => p.name === key));
    if (dot >= 0 && owners.length === 0) throw new UsageError(`--param ${key}: ${key.slice(0, dot)} is not one of --samplers (${samplers.join(', ')})`);
    const name = dot >= 0 ? key.slice(dot + 1) : key;
    if (owners.length === 0) throw new UsageError(`--param ${key} is not a parameter of any of --samplers (${samplers.map((s) => `${s}: ${SAMPLER_REGISTRY[s].params.map((p) => p.name).join(', ') || 'none'}`).join('; ')})`);
    try {
      // The text is read by the first owner's declaration (every owner then validates the value).
      params[key] = parseParam(`params.${owners[0]}`, SAMPLER_REGISTRY[owners[0]].params, name, item.slice(eq + 1));
    } catch (e) {
      throw new UsageError(flagMessage((e as Error).message));
    }
  }
  return params;
}

/**
 * The comparison's flags (--samplers, --schedulers, --steps, --model, --start, --param) as
 * `compare`'s options, every cell validated (planCompare) before any input is read. Shared by
 * `compare`, `figure --kind nfe|eigen --samplers` and `report --samplers`.
 */
export function compareOptionsFromFlags(v: Values, defaultSteps?: readonly number[]): CompareOptions {
  if (v.samplers === undefined) throw new UsageError(`--samplers is required (comma-separated: ${Object.keys(SAMPLER_REGISTRY).join(', ')})`);
  if (v.steps === undefined && defaultSteps === undefined) throw new UsageError('--steps is required (comma-separated integers ≥ 1)');
  const samplers = list('samplers', v.samplers as string)!;
  for (const s of samplers) {
    try {
      getSampler('sampler', s, 'samplers');
    } catch (e) {
      throw new UsageError(flagMessage((e as Error).message));
    }
  }
  const steps = v.steps === undefined ? [...defaultSteps!] : list('steps', v.steps as string)!.map((s) => {
    const n = number('steps', s) as number;
    if (!(Number.isInteger(n) && n >= 1)) throw new UsageError(`--steps must be integers ≥ 1 (got ${JSON.stringify(s)})`);
    return n;
  });
  const params = samplerParams(v, samplers);
  const startFlag = v.start === undefined ? 'conventional' : String(v.start);
  if (!(CLI_STARTS as readonly string[]).includes(startFlag)) throw new UsageError(`--start must be one of ${CLI_STARTS.join(', ')} (got ${JSON.stringify(startFlag)})`);
  const options: CompareOptions = { samplers, steps, params, start: startFlag === 'exact' ? 'exact' : 'prior' };
  if (v.schedulers !== undefined) options.schedulers = list('schedulers', v.schedulers as string);
  if (v.model !== undefined) options.model = String(v.model);
  try {
    planCompare(options);
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new UsageError(flagMessage(e.message));
    throw e;
  }
  return options;
}

/** The start as the CLI names it (the API's 'prior' is the source's conventional start). */
export function startName(options: CompareOptions): string {
  return options.start === 'exact' ? 'exact' : 'conventional';
}

export async function cmdCompare(argv: string[]): Promise<Output> {
  const { values: v } = parse('compare', argv, { ...INPUT_FLAGS, ...COMPARE_FLAGS, ...CELL_FLAGS });
  if (v.help) return { text: COMPARE_HELP() + '\n' };
  const format = outputFormat(v, COMPARE_FORMATS, ['md', 'latex', 'csv', 'json'], 'md') as TableFormat;
  // Every cell checked before any input is read or anything computed.
  const options = compareOptionsFromFlags(v);
  const { metric } = metricOptions(v);
  if (metric !== 'w2') options.metric = metric;
  const progress = new Progress('compare', v);
  options.onProgress = progress.counter('cells');
  if (v.out !== undefined) await checkOut(v.out as string);
  // The eigensolver only for inputs that need one (a covariance, samples, images).
  const threads = await startCore(v, { linalg: v.cov !== undefined || v.samples !== undefined || v.images !== undefined });
  if (threads !== undefined) options.threads = threads;
  // The data, means and wrong score exactly as `run --sampler` reads them (bin/score.ts).
  const { spectrum, label, fit, scoreLabel, options: scored } = await loadScoredInputs(v, progress);
  Object.assign(options, scored);
  const cells = planCompare(options).cells.length;
  progress.phase(spectrum ? `${cells} cells on ${spectrum.distinct} distinct eigenvalues` : `${cells} cells, score of ${v['score-cov']}`);
  let r;
  try {
    r = await compare(spectrum, options);
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new UsageError(flagMessage(e.message));
    throw e;
  }
  const meta = format === 'json' ? { ...fitMeta(fit) } : { spectrum: label, ...(scoreLabel !== undefined && scoreLabel !== label ? { score: scoreLabel } : {}) };
  return { text: renderCompare({ ...r, start: startName(options) }, format, meta), out: v.out as string | undefined, progress };
}
