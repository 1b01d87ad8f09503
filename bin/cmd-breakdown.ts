/**
 * `gaussdiff figure --kind breakdown`: a run's error split into truncation, discretization,
 * initialization and score parts, per eigen-direction (docs/metrics.md §3; errorBreakdown).
 */
import { getSampler, SCHEMES, type SamplerRunOptions } from '../bindings/index.node.js';
import { figureBreakdownData, renderFigure, figureCsv } from '../bindings/figures.node.js';
import { parseParam } from '../bindings/samplers/params.js';
import { UsageError, Progress, parse, number, list, choice, checkOut, outputFormat, start, api, COMMON_HELP } from './common.js';
import { INPUT_FLAGS, INPUT_HELP, type Output } from './inputs.js';
import { METRIC_FLAGS, loadRunInputs } from './metrics.js';

export const BREAKDOWN_HELP = `Usage: gaussdiff figure --kind breakdown INPUT (--sampler NAME (--sigmas LIST | --steps N
         [--scheduler S]) [--param k=v]… [--model M] | --scheme S --steps K [--eps X])
         [--mean FILE] [--score-mean FILE] [--format svg|json|csv] [--out FILE]

Each eigen-direction's W2² for four cumulative runs: the exact flow to the grid's last level
(truncation), + discretization (the sampler from the exact start with the exact score),
+ initialization (its conventional start), + score (with --score-mean). The parts are the
differences of W2² between consecutive runs (in JSON/CSV "settings.parts"; they add up to the
total W2² but depend on this order, and may be negative). λ = 0 directions are not drawn.

${INPUT_HELP}
  --mean FILE, --score-mean FILE   the data's and the score's means (see gaussdiff run --help)
  --width PX, --height PX          the figure's size (default 640 × 400)
  --format F        svg (default), json or csv
  --out FILE        write there (atomically) instead of stdout: .svg, .json or .csv
${COMMON_HELP}`;

export async function cmdBreakdown(argv: string[]): Promise<Output> {
  const { values: v } = parse('figure', argv, {
    ...INPUT_FLAGS, ...METRIC_FLAGS,
    kind: { type: 'string' }, sampler: { type: 'string' }, scheme: { type: 'string' }, model: { type: 'string' },
    sigmas: { type: 'string' }, steps: { type: 'string' }, scheduler: { type: 'string' }, eps: { type: 'string' },
    param: { type: 'string', multiple: true }, width: { type: 'string' }, height: { type: 'string' }, format: { type: 'string' },
  });
  if (v.help) return { text: BREAKDOWN_HELP + '\n' };
  const format = outputFormat(v, { '.svg': 'svg', '.json': 'json', '.csv': 'csv' }, ['svg', 'json', 'csv'], 'svg');
  if ((v.sampler === undefined) === (v.scheme === undefined)) throw new UsageError('--sampler NAME or --scheme S is required (one of them)');
  const options: SamplerRunOptions = {};
  if (v.scheme !== undefined) {
    options.scheme = choice('scheme', v.scheme as string, SCHEMES)!;
    if (v.steps === undefined) throw new UsageError('--steps is required with --scheme');
    options.steps = number('steps', v.steps as string);
    options.schedulerParams = { eps: number('eps', v.eps as string | undefined) ?? 0 };
    for (const f of ['sigmas', 'scheduler', 'param', 'model']) if (v[f] !== undefined) throw new UsageError(`--${f} is for --sampler, not --scheme`);
  } else {
    let spec;
    try {
      spec = getSampler('sampler', v.sampler, 'sampler');
    } catch (e) {
      throw new UsageError(`--${(e as Error).message}`);
    }
    options.sampler = spec.id as never;
    if (v.eps !== undefined) throw new UsageError('--eps is for --scheme (give the grid with --sigmas)');
    if (v.model !== undefined) options.process = String(v.model);
    if (v.sigmas !== undefined) options.times = list('sigmas', v.sigmas as string)!.map((s) => number('sigmas', s) as number);
    if (v.steps !== undefined) options.steps = number('steps', v.steps as string);
    if (v.scheduler !== undefined) options.scheduler = String(v.scheduler);
    const params: Record<string, number | string | boolean> = {};
    for (const item of (v.param as unknown as string[] | undefined) ?? []) {
      const eq = item.indexOf('=');
      if (eq <= 0) throw new UsageError(`--param must be key=value (got ${JSON.stringify(item)})`);
      try {
        params[item.slice(0, eq)] = parseParam('params', spec.params, item.slice(0, eq), item.slice(eq + 1));
      } catch (e) {
        throw new UsageError(`--param: ${(e as Error).message}`);
      }
    }
    options.params = params;
  }
  const width = number('width', v.width as string | undefined);
  const height = number('height', v.height as string | undefined);
  for (const [flag, x] of [['width', width], ['height', height]] as const) {
    if (x !== undefined && !(Number.isInteger(x) && x >= 100 && x <= 10000)) throw new UsageError(`--${flag} must be an integer from 100 to 10000 (got ${x})`);
  }
  const progress = new Progress('figure', v);
  if (v.out !== undefined) await checkOut(v.out as string);
  await start(v);
  const { spectrum, mean, scoreMean } = await loadRunInputs(v, progress);
  progress.phase('computing the four runs of the breakdown');
  const data = await api(() => figureBreakdownData(spectrum, { ...options, mean, scoreMean }));
  const text = format === 'json'
    ? JSON.stringify(data, null, 2) + '\n'
    : format === 'csv' ? figureCsv(data) : (await renderFigure(data, { width, height })) + '\n';
  return { text, out: v.out as string | undefined, progress };
}
