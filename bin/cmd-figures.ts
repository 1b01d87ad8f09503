/**
 * The `figure` and `report` commands: the paper's figures as SVG (or their numbers as JSON/CSV),
 * and a one-file report (HTML, or Markdown with the SVGs beside it).
 */
import path from 'node:path';
import { ablation, SCHEMES, INITS, DEFAULTS, type Scheme, type Spectrum } from '../bindings/index.node.js';
import {
  figureEigenData, figureEpsData, figureTimeData, checkFigureCommon, renderFigure, figureCsv, spectrumSummary,
  reportHtml, reportMarkdown, renderAblation, FIGURE_DEFAULTS, type FigureData, type ReportFigure, type ReportContent,
} from '../bindings/figures.node.js';
import {
  UsageError, SCHEDULE_FLAGS, COMMON_HELP, Progress, parse, number, integerFlag, list, choice, schedule, start, checkOut,
  outputFormat, writeFilesAtomically, api, type Values,
} from './common.js';
import { INPUT_FLAGS, INPUT_HELP, loadSpectrum, type Output } from './inputs.js';
import { compareOptionsFromFlags, startName, COMPARE_FLAGS } from './cmd-compare.js';
import {
  figureNfeData, figureSamplerEigenData, nfeFigureOf, renderCompare as renderCompareTable, NFE_FIGURE_STEPS,
} from '../bindings/figures.node.js';
import { compare, SAMPLER_REGISTRY } from '../bindings/index.node.js';
import { cmdBreakdown } from './cmd-breakdown.js';
import { cmdFigureScoreSamples } from './score.js';
import { FIGURE_METRICS, KL_DIRECTIONS, type FigureMetricOptions } from '../bindings/figures/metric.js';

const KINDS = ['time', 'eps', 'eigen', 'nfe'] as const;
/** The paper's figures (the report draws these three). */
const PAPER_KINDS = ['time', 'eps', 'eigen'] as const;
/** --points at most: a figure of more points than pixels gains nothing, and each costs runs. */
const POINTS_MAX = 10000;
type Kind = (typeof KINDS)[number];

/** The report's samplers section by default: step counts, and the model whose samplers it lists. */
const REPORT_SAMPLER_STEPS = [10, 20, 50] as const;
const REPORT_SAMPLER_MODEL = 'edm';

export const FIGURE_HELP = `Usage: gaussdiff figure --kind time|eps|eigen|nfe [input] [options] [--out FILE.svg]

  --kind K          time:  Figure 1a, W2 to p_t along t (each scheme and the continuous SDE/ODE)
                    score-samples: W2 against N for a score fitted on N samples (its own
                    flags: gaussdiff figure --kind score-samples --help)
                    eps:   Figure 1b, final W2 to the data against ε (log-log)
                    eigen: Figure 2, |√v_K(λ) − √λ| over a log grid of λ, one panel per ε;
                           with --samplers: one curve per library sampler (--steps N, one
                           --schedulers value)
                    nfe:   library samplers' W2 to the data against NFE (log-log), one curve per
                           sampler (and grid builder): the cells of gaussdiff compare
  --samplers LIST   nfe, eigen: library samplers (as gaussdiff compare; with --schedulers LIST,
                    --steps LIST (nfe default ${NFE_FIGURE_STEPS.join(',')}), --model M, --start S,
                    --param [sampler.]key=value)
                    breakdown: a run's error by source per eigen-direction (truncation,
                    discretization, initialization, score): gaussdiff figure --kind breakdown --help
${INPUT_HELP}
                    (default: --data mnist; eigen needs none: with one, its λ grid spans the
                    spectrum's positive eigenvalues)
  --schemes LIST    comma-separated (default em,ei,ddpm,euler,heun,rk4)
  --nfe N           score evaluations (default ${FIGURE_DEFAULTS.nfe}): K = N−1, N/2−1, N/4−1 steps for
                    1-, 2-, 4-evaluation schemes (the paper's Figure 1)
  --eps X|LIST      time: one ε (default 0); eps: ε > 0 values (default 1e-5 … 1e-1);
                    eigen: one panel per ε (default 0,1e-3)
  --init I          start: N0 (N(0,I), default) or pT
  --alpha A         α of em-alpha (default 1)
  --points N        eigen: grid points (default ${FIGURE_DEFAULTS.points}); time: continuous points (default
                    ${FIGURE_DEFAULTS.continuousPoints}); at most ${POINTS_MAX}
  --lambda-min X, --lambda-max X   eigen: grid range (default ${FIGURE_DEFAULTS.lambdaMin} … ${FIGURE_DEFAULTS.lambdaMax})
  --width PX, --height PX          one panel's size (default 640 × 400)
  --beta-min X, --beta-max X, --T X   the schedule (defaults 0.05, 10, 1)
  --metric M        nfe, eigen: w2 (default) or kl: the y axis is the KL divergence in nats,
                    by default the forward KL(output‖data) (nfe: of the whole law; eigen: of
                    each direction); an infinite KL (a zero variance on one side) is left out:
                    a gap in its line, counted in the note under the legend
  --kl D            with --metric kl: forward (default, KL(output‖data)) or reverse (KL(data‖output))
  --format F        svg (default), json or csv (the figure's numbers; null = undefined)
  --out FILE        write there (atomically) instead of stdout: .svg, .json or .csv (the format)
${COMMON_HELP}`;

export const REPORT_HELP = `Usage: gaussdiff report [input] [options] --out FILE

One self-contained file: the spectrum's summary, the ablation table, Figures 1a, 1b and 2, and
every setting used. HTML has no network references (inline styles and SVG, no scripts).

${INPUT_HELP}
                    (default: --data mnist)
  --schemes LIST    rows and figure curves (default em,ei,ddpm,euler,heun,rk4)
  --nfe LIST        ablation NFE columns (default 50,250,500,1000)
  --eps LIST        ablation truncation times (default 0,1e-5,1e-4,1e-3)
  --paper           the published tables' NFE conventions (see gaussdiff ablation --help)
  --figure-nfe N    the figures' NFE (default ${FIGURE_DEFAULTS.nfe})
  --init I          the figures' start: N0 (default) or pT (the table has both)
  --beta-min X, --beta-max X, --T X   the schedule (defaults 0.05, 10, 1)
  --samplers LIST   the samplers section: library samplers compared on the same spectrum
                    (default: every library sampler of the edm model), with --schedulers LIST
                    (default karras), --steps LIST (default ${REPORT_SAMPLER_STEPS.join(',')}), --model M,
                    --start S, --param [sampler.]key=value as in gaussdiff compare
  --no-samplers     no samplers section
  --metric M        the samplers section's table and figure: w2 (default) or kl (the forward
                    KL(output‖data) in nats; infinite values are "-" in the table, gaps in the figure)
  --format F        html (default) or md (Markdown; the SVGs are written beside it as
                    NAME-time.svg, NAME-eps.svg, NAME-eigen.svg, NAME-nfe.svg)
  --out FILE        the report file, .html or .md (required; the files are written all or none)
${COMMON_HELP}`;

const FIGURE_NAMES: Record<Kind, string> = { time: 'Figure 1a', eps: 'Figure 1b', eigen: 'Figure 2', nfe: 'W2 against NFE' };

function schemesFlag(v: Values): Scheme[] | undefined {
  return list('schemes', v.schemes as string | undefined)?.map((s) => choice('schemes', s, SCHEMES) as Scheme);
}

function numbers(flag: string, v: Values): number[] | undefined {
  return list(flag, v[flag] as string | undefined)?.map((s) => number(flag, s) as number);
}

/** The λ grid of Figure 2 over a spectrum's positive eigenvalues (at most 12 decades below the largest). */
function gridFromSpectrum(spectrum: Spectrum): { lambdaMin: number; lambdaMax: number } | undefined {
  const positive = Array.from(spectrum.values.subarray(0, spectrum.distinct)).filter((x) => x > 0);
  if (positive.length === 0) return undefined;
  const max = positive[positive.length - 1];
  const min = Math.max(positive[0], max * 1e-12);
  return min < max ? { lambdaMin: min, lambdaMax: max } : { lambdaMin: max / 100, lambdaMax: max };
}

/**
 * --metric w2|kl and --kl forward|reverse of the nfe and eigen figures (bindings/figures/metric.ts):
 * exit 2 naming the flag ('both' is two numbers: not one y axis).
 */
function figureMetricFlags(v: Values, kind: Kind | 'report'): FigureMetricOptions {
  if (v.metric === undefined && v.kl === undefined) return {};
  if (kind !== 'nfe' && kind !== 'eigen' && kind !== 'report') throw new UsageError(`--${v.metric !== undefined ? 'metric' : 'kl'} is for --kind nfe or eigen (got --kind ${kind})`);
  if (v.metric === 'both') throw new UsageError(`--metric must be w2 or kl for a figure (one y axis; got "both": draw one figure for each)`);
  const metric = choice('metric', v.metric as string | undefined, FIGURE_METRICS);
  if (v.kl !== undefined && metric !== 'kl') throw new UsageError(`--kl needs --metric kl (got --kl ${JSON.stringify(v.kl)} with --metric ${metric ?? 'w2'})`);
  const kl = choice('kl', v.kl as string | undefined, KL_DIRECTIONS);
  return { ...(metric !== undefined ? { metric } : {}), ...(kl !== undefined ? { kl } : {}) };
}

interface FigureRequest extends FigureMetricOptions {
  kind: Exclude<Kind, 'nfe'>;
  schemes?: Scheme[];
  nfe?: number;
  eps?: number[];
  init?: (typeof INITS)[number];
  alpha?: number;
  points?: number;
  lambdaMin?: number;
  lambdaMax?: number;
  schedule: ReturnType<typeof schedule>;
  threads?: 1 | 2;
}

async function figureData(spectrum: Spectrum | undefined, r: FigureRequest): Promise<FigureData> {
  const base = { ...r.schedule, schemes: r.schemes, nfe: r.nfe, init: r.init, alpha: r.alpha };
  if (r.kind === 'time') {
    if (r.eps && r.eps.length > 1) throw new UsageError(`--eps takes one value for --kind time (got ${r.eps.length})`);
    return api(() => figureTimeData(spectrum!, { ...base, eps: r.eps?.[0], continuousPoints: r.points }));
  }
  if (r.kind === 'eps') return api(() => figureEpsData(spectrum!, { ...base, eps: r.eps, threads: r.threads }));
  const range = spectrum ? gridFromSpectrum(spectrum) : undefined;
  return api(() => figureEigenData({
    ...base, eps: r.eps, points: r.points, metric: r.metric, kl: r.kl,
    lambdaMin: r.lambdaMin ?? range?.lambdaMin, lambdaMax: r.lambdaMax ?? range?.lambdaMax,
  }));
}

const FIGURE_FLAGS = {
  kind: { type: 'string' }, schemes: { type: 'string' }, nfe: { type: 'string' }, eps: { type: 'string' },
  init: { type: 'string' }, alpha: { type: 'string' }, points: { type: 'string' },
  'lambda-min': { type: 'string' }, 'lambda-max': { type: 'string' }, width: { type: 'string' },
  height: { type: 'string' }, format: { type: 'string' },
  samplers: COMPARE_FLAGS.samplers, schedulers: COMPARE_FLAGS.schedulers, steps: COMPARE_FLAGS.steps,
  model: COMPARE_FLAGS.model, start: COMPARE_FLAGS.start, param: COMPARE_FLAGS.param,
  metric: { type: 'string' }, kl: { type: 'string' },
} as const;

/** Flags of the library samplers' figures, and of the paper's (each set refused with the other). */
const SAMPLER_FIGURE_FLAGS = ['samplers', 'schedulers', 'steps', 'model', 'start', 'param'] as const;
const PAPER_FIGURE_FLAGS = ['schemes', 'nfe', 'eps', 'init', 'alpha', 'beta-min', 'beta-max', 'T'] as const;

/** `figure --kind nfe`, or `--kind eigen --samplers`: library samplers (bindings/figures/samplers.ts). */
async function samplerFigure(v: Values, kind: Kind): Promise<{ data: FigureData; progress: Progress }> {
  for (const f of PAPER_FIGURE_FLAGS) {
    if (v[f] !== undefined) throw new UsageError(`--${f} is for the paper's schemes, not with --samplers (library samplers take --steps, --schedulers, --model, --start, --param)`);
  }
  // compare's own metric (w2|kl|both) is not a figure's: the figure's --metric/--kl replace it.
  const { metric: _compareMetric, ...options } = compareOptionsFromFlags(v, kind === 'nfe' ? NFE_FIGURE_STEPS : undefined);
  const metric = figureMetricFlags(v, kind);
  if (kind === 'eigen') {
    if (options.steps.length !== 1) throw new UsageError(`--steps takes one value for --kind eigen (got ${options.steps.length})`);
    if ((options.schedulers?.length ?? 1) !== 1) throw new UsageError(`--schedulers takes one value for --kind eigen (got ${options.schedulers!.length})`);
  } else {
    for (const f of ['points', 'lambda-min', 'lambda-max']) if (v[f] !== undefined) throw new UsageError(`--${f} is for --kind eigen`);
  }
  const progress = new Progress('figure', v);
  if (v.out !== undefined) await checkOut(v.out as string);
  await start(v);
  if (kind === 'nfe') {
    const { spectrum } = await loadSpectrum(v, progress, 'mnist');
    progress.phase(`computing ${FIGURE_NAMES[kind]}`);
    return { data: await api(() => figureNfeData(spectrum, { ...options, ...metric, onProgress: progress.counter('cells') })), progress };
  }
  const hasInput = Object.keys(INPUT_FLAGS).some((k) => v[k] !== undefined);
  const range = hasInput ? gridFromSpectrum((await loadSpectrum(v, progress)).spectrum) : undefined;
  progress.phase('computing the samplers\' per-eigenvalue errors');
  const data = await api(() => figureSamplerEigenData({
    samplers: options.samplers, scheduler: options.schedulers?.[0], steps: options.steps[0], model: options.model,
    start: options.start, params: options.params, ...metric,
    points: integerFlag('points', v.points as string | undefined, 2, POINTS_MAX),
    lambdaMin: number('lambda-min', v['lambda-min'] as string | undefined) ?? range?.lambdaMin,
    lambdaMax: number('lambda-max', v['lambda-max'] as string | undefined) ?? range?.lambdaMax,
  }));
  return { data, progress };
}

export async function cmdFigure(argv: string[]): Promise<Output> {
  // The breakdown takes a run's flags (bin/cmd-breakdown.ts).
  if (argv.some((a, i) => (a === '--kind' && argv[i + 1] === 'breakdown') || a === '--kind=breakdown')) return cmdBreakdown(argv);
  // --kind score-samples (docs/MATH-samplers.md §7c) has flags of its own: bin/score.ts.
  if (argv.some((a, i) => a === '--kind=score-samples' || (a === '--kind' && argv[i + 1] === 'score-samples'))) return cmdFigureScoreSamples(argv);
  const { values: v } = parse('figure', argv, { ...INPUT_FLAGS, ...SCHEDULE_FLAGS, ...FIGURE_FLAGS });
  if (v.help) return { text: FIGURE_HELP + '\n' };
  if (v.kind === undefined) throw new UsageError(`--kind is required (one of ${KINDS.join(', ')})`);
  const kind = choice('kind', v.kind as string, KINDS)!;
  const format = outputFormat(v, { '.svg': 'svg', '.json': 'json', '.csv': 'csv' }, ['svg', 'json', 'csv'], 'svg');
  const width = number('width', v.width as string | undefined);
  const height = number('height', v.height as string | undefined);
  for (const [flag, x] of [['width', width], ['height', height]] as const) {
    if (x !== undefined && !(Number.isInteger(x) && x >= 100 && x <= 10000)) throw new UsageError(`--${flag} must be an integer from 100 to 10000 (got ${x})`);
  }
  const samplerKind = kind === 'nfe' || v.samplers !== undefined;
  if (!samplerKind) {
    for (const f of SAMPLER_FIGURE_FLAGS) if (v[f] !== undefined) throw new UsageError(`--${f} is for library samplers: give --samplers (with --kind nfe or eigen)`);
  }
  if (samplerKind && kind !== 'nfe' && kind !== 'eigen') throw new UsageError(`--samplers is for --kind nfe or eigen (got --kind ${kind})`);
  if (samplerKind) {
    const { data, progress } = await samplerFigure(v, kind);
    if (format === 'svg') progress.phase('drawing');
    const text = format === 'json'
      ? JSON.stringify(data, null, 2) + '\n'
      : format === 'csv' ? figureCsv(data) : (await renderFigure(data, { width, height })) + '\n';
    return { text, out: v.out as string | undefined, progress };
  }
  const request: FigureRequest = {
    kind: kind as Exclude<Kind, 'nfe'>,
    ...figureMetricFlags(v, kind),
    schemes: schemesFlag(v),
    nfe: number('nfe', v.nfe as string | undefined),
    eps: numbers('eps', v),
    init: choice('init', v.init as string | undefined, INITS),
    alpha: number('alpha', v.alpha as string | undefined),
    points: integerFlag('points', v.points as string | undefined, 2, POINTS_MAX),
    lambdaMin: number('lambda-min', v['lambda-min'] as string | undefined),
    lambdaMax: number('lambda-max', v['lambda-max'] as string | undefined),
    schedule: schedule(v),
  };
  const progress = new Progress('figure', v);
  if (v.out !== undefined) await checkOut(v.out as string);
  request.threads = await start(v);
  const hasInput = Object.keys(INPUT_FLAGS).some((k) => v[k] !== undefined);
  const spectrum = kind === 'eigen' && !hasInput ? undefined : (await loadSpectrum(v, progress, 'mnist')).spectrum;
  progress.phase(`computing ${FIGURE_NAMES[kind]}`);
  const data = await figureData(spectrum, request);
  if (format === 'svg') progress.phase('drawing');
  const text = format === 'json'
    ? JSON.stringify(data, null, 2) + '\n'
    : format === 'csv' ? figureCsv(data) : (await renderFigure(data, { width, height })) + '\n';
  return { text, out: v.out as string | undefined, progress };
}

export async function cmdReport(argv: string[]): Promise<Output> {
  const { values: v } = parse('report', argv, {
    ...INPUT_FLAGS, ...SCHEDULE_FLAGS,
    schemes: { type: 'string' }, nfe: { type: 'string' }, eps: { type: 'string' }, paper: { type: 'boolean' },
    'figure-nfe': { type: 'string' }, init: { type: 'string' }, format: { type: 'string' },
    samplers: COMPARE_FLAGS.samplers, schedulers: COMPARE_FLAGS.schedulers, steps: COMPARE_FLAGS.steps,
    model: COMPARE_FLAGS.model, start: COMPARE_FLAGS.start, param: COMPARE_FLAGS.param, 'no-samplers': { type: 'boolean' },
    metric: { type: 'string' },
  });
  if (v.help) return { text: REPORT_HELP + '\n' };
  if (v.out === undefined) throw new UsageError(`--out is required (the report file, e.g. report.${(v.format as string | undefined) ?? 'html'})`);
  const format = outputFormat(v, { '.html': 'html', '.htm': 'html', '.md': 'md' }, ['html', 'md'], 'html');
  const out = v.out as string;
  const base = out.replace(/\.(html?|md)$/i, '');
  const figureFile = (kind: Kind | 'samplers') => `${path.basename(base)}-${kind}.svg`;
  // The samplers section: every cell checked before any work.
  const noSamplers = v['no-samplers'] === true;
  if (noSamplers) {
    for (const f of ['samplers', 'schedulers', 'steps', 'model', 'start', 'param', 'metric']) if (v[f] !== undefined) throw new UsageError(`--${f} cannot be combined with --no-samplers`);
  }
  // The samplers section's metric: W2, or the forward KL (table and figure).
  const samplerMetric = figureMetricFlags(v, 'report').metric ?? 'w2';
  const samplerOptions = noSamplers ? undefined : compareOptionsFromFlags({
    ...v,
    samplers: v.samplers ?? Object.values(SAMPLER_REGISTRY).filter((s) => s.processes.includes(String(v.model ?? REPORT_SAMPLER_MODEL))).map((s) => s.id).join(','),
    model: v.model ?? (v.samplers === undefined ? REPORT_SAMPLER_MODEL : undefined),
  }, REPORT_SAMPLER_STEPS);
  const reportKinds = samplerOptions ? [...PAPER_KINDS, 'nfe' as const] : PAPER_KINDS;
  const svgPaths = format === 'md' ? reportKinds.map((kind) => path.join(path.dirname(out), figureFile(kind))) : [];
  await checkOut(out, ...svgPaths);
  const sched = schedule(v);
  const schemes = schemesFlag(v);
  const progress = new Progress('report', v);
  const threads = await start(v);
  const ablationOptions = {
    ...sched, schemes, nfe: numbers('nfe', v), eps: numbers('eps', v), paper: v.paper === true, threads,
    onProgress: progress.counter('cells', 'ablation'),
  };
  const figureNfe = number('figure-nfe', v['figure-nfe'] as string | undefined);
  const init = choice('init', v.init as string | undefined, INITS);
  // The figures' options checked before the ablation runs; their NFE is --figure-nfe here
  // (--nfe is the table's), so the API's "nfe" is named as that flag.
  const figureFlag = <T>(call: () => Promise<T>) => api(call).catch((e: unknown) => {
    if (e instanceof UsageError) throw new UsageError(e.message.replace(/^--nfe\b/, '--figure-nfe'));
    throw e;
  });
  await figureFlag(async () => checkFigureCommon({ ...sched, schemes, nfe: figureNfe, init }));
  const { spectrum, label } = await loadSpectrum(v, progress, 'mnist');
  const table = await api(() => ablation(spectrum, ablationOptions));
  const resolved = {
    betaMin: sched.betaMin ?? DEFAULTS.betaMin, betaMax: sched.betaMax ?? DEFAULTS.betaMax, T: sched.T ?? DEFAULTS.T,
  };
  const tableMarkdown = renderAblation(table, 'md', { spectrum: label });
  const figures: ReportFigure[] = [];
  const figureSettings: Record<string, unknown> = {};
  for (const kind of PAPER_KINDS) {
    progress.phase(`computing and drawing ${FIGURE_NAMES[kind]}`);
    const data = await figureFlag(() => figureData(spectrum, { kind, schemes, nfe: figureNfe, init, schedule: sched, threads }));
    figures.push({ name: FIGURE_NAMES[kind], title: data.title, svg: await renderFigure(data), file: figureFile(kind) });
    figureSettings[FIGURE_NAMES[kind]] = data.settings;
  }
  let samplersSection: ReportContent['samplers'];
  if (samplerOptions) {
    progress.phase('comparing library samplers');
    const r = await api(() => compare(spectrum, { ...samplerOptions, metric: samplerMetric, onProgress: progress.counter('cells', 'samplers') }));
    const nfe = nfeFigureOf(r);
    samplersSection = {
      tableMarkdown: renderCompareTable({ ...r, start: startName(samplerOptions) }, 'md', { spectrum: label }),
      figure: { name: 'Samplers', title: nfe.title, svg: await renderFigure(nfe), file: figureFile('nfe') },
      ...(samplerMetric === 'kl' ? { metric: 'kl' as const } : {}),
    };
    figureSettings.samplers = { ...nfe.settings, start: startName(samplerOptions), cells: undefined };
  }
  const content = {
    title: `gaussdiff report: ${label}`,
    source: label,
    summary: spectrumSummary(spectrum),
    tableMarkdown,
    figures,
    samplers: samplersSection,
    settings: {
      input: label,
      schedule: resolved,
      ablation: {
        schemes: [...new Set(table.cells.map((c) => c.scheme))],
        nfe: [...new Set(table.cells.map((c) => c.nfe))],
        eps: [...new Set(table.cells.map((c) => c.eps))],
        paper: table.paper,
        steps: Object.fromEntries([...new Set(table.cells.map((c) => `${c.scheme}@${c.nfe}`))].map((k) => {
          const [scheme, nfe] = k.split('@');
          return [k, table.cells.find((c) => c.scheme === scheme && c.nfe === Number(nfe))!.steps];
        })),
        inits: ['pT', 'N0'],
      },
      figures: figureSettings,
    },
  };
  if (format === 'md') {
    await writeFilesAtomically([
      ...figures.map((f, i) => [svgPaths[i], f.svg + '\n'] as const),
      ...(samplersSection?.figure ? [[svgPaths[figures.length], samplersSection.figure.svg + '\n'] as const] : []),
      [out, reportMarkdown(content)] as const,
    ]);
    return { progress };
  }
  return { text: reportHtml(content), out, progress };
}
