/**
 * gaussdiff command line: a thin wrapper over the public API (bindings/api.ts).
 * Exit codes: 0 success, 2 invalid flags or values (one line on stderr naming the flag and the
 * value), 1 any other failure.
 */
import { readFileSync } from 'node:fs';
import {
  ablation, continuous, run, toNpy, SCHEMES, INITS, DEFAULTS, type Scheme,
} from '../bindings/index.node.js';
import { renderAblation, renderRun, type TableFormat } from '../bindings/figures/tables.js';
import {
  UsageError, SCHEDULE_FLAGS, COMMON_HELP, Progress, parse, number, list, choice, schedule, start, checkOut,
  outputFormat, writeAtomically, api,
} from './common.js';
import { INPUT_FLAGS, INPUT_HELP, fitMeta, loadEigenvalues, loadSpectrum, type Output } from './inputs.js';
import { cmdSample, SAMPLE_HELP } from './cmd-texture.js';
import { cmdFigure, cmdReport } from './cmd-figures.js';
import { cmdSigmas, SIGMAS_HELP } from './cmd-sigmas.js';
import { cmdRunSampler } from './cmd-sampler.js';
import { cmdSweep, cmdMerge } from './cmd-sweep.js';
import { cmdCompare } from './cmd-compare.js';
import { METRIC_FLAGS, METRIC_HELP, loadRunInputs, metricFields, metricOptions, readDataMeans } from './metrics.js';
import { matrixSide } from '../bindings/exact/score.js';
import { cmdTune } from './cmd-tune.js';
import { SCORE_FLAGS, SCORE_HELP, loadScore, scoreSamples } from './score.js';

const HELP: Record<string, string> = {
  main: `gaussdiff — exact 2-Wasserstein errors of diffusion samplers on Gaussian data
(Pierret & Galerne, ICML 2025).

Usage: gaussdiff <command> [options]     (gaussdiff <command> --help for details)

Commands:
  ablation     the paper's ablation table (schemes × ε × NFE × start)
  run          one scheme (--scheme) or library sampler (--sampler): final W2 to the data and
               W2 to p_t along the way
  continuous   the exact continuous SDE/ODE (α-family) error at ε
  spectrum     eigenvalues of a covariance matrix or of a dataset's Gaussian fit
  sample       samplers run on a texture's ADSN Gaussian: PNG samples, empirical and exact W2
  figure       the paper's Figures 1a (--kind time), 1b (eps) and 2 (eigen) as SVG
  report       one self-contained HTML (or Markdown) file: summary, table, figures, settings
  sigmas       a grid builder's noise levels (or times) for a model: --scheduler S --steps N
  sweep        the cells of a plan (PLAN.json) for one shard (--shard i/n, Slurm, RANK),
               resumable: one JSON line per finished cell (docs/sweeps.md)
  merge        the sweeps' JSON lines joined into one table (md, csv, json)
  compare      library samplers × grid builders × steps: W2 and NFE of every cell
  tune         the step grid minimising the exact W2 for a sampler and a budget: --sampler S --steps N

Inputs (every command): --spectrum FILE (.npy 1-D, .json, .csv, .txt), --cov FILE (a covariance
matrix), --samples FILE (N×d sample vectors) or --images DIR (same-size PNGs), fitted by a
Gaussian, --data mnist (the MNIST digits' Gaussian), --texture FILE.png (the ADSN spectrum of an
RGB texture). sweep and merge take them in the plan (the same keys: {"spectrum": FILE}, …).

Every command also takes:
  --out FILE        write the output there (atomically) instead of stdout; its extension must
                    match the format (for sample: the folder of the PNG files; for sweep: the
                    results folder)
${COMMON_HELP}

  gaussdiff --version   the version
Exit codes: 0 success (also when stdout is closed early, e.g. by head), 2 a bad flag or value
(one line on stderr naming the flag and the value), 1 any other failure.`,
  sample: SAMPLE_HELP,
  sigmas: SIGMAS_HELP,
  spectrum: `Usage: gaussdiff spectrum (--cov FILE | --samples FILE | --images DIR | --data NAME | --spectrum FILE | --texture FILE.png) [--out FILE]

${INPUT_HELP}
  --out FILE        write the eigenvalues (ascending) to FILE.npy (float64), .json, or .csv/.txt
                    (one per line, full precision); without it they print as a JSON array
${COMMON_HELP}

Negative eigenvalues of a covariance down to −1e-12·n·max|λ| are round-off and set to 0; below
that the matrix is not positive semi-definite: exit 2 naming the eigenvalue.`,
  run: `Usage: gaussdiff run --spectrum FILE --scheme S --steps K [options]
       gaussdiff run INPUT --sampler NAME …   (a library's sampler: gaussdiff run --sampler x --help)

${INPUT_HELP}
  --scheme S        ${SCHEMES.join('|')}
  --steps K         number of steps (integer ≥ 1)
  --eps X           truncation time ε in [0, T) (default 0)
  --init I          start: pT (exact p_T) or N0 (N(0,I), default)
  --alpha A         α of em-alpha (default 1)
  --beta-min X      β at t = 0 (default 0.05)
  --beta-max X      β at t = T (default 10)
  --T X             time horizon (default 1)
  --no-trajectory   only the final W2 (no times, no trajectory)
${METRIC_HELP}
${SCORE_HELP}
  --format F        json (default) or md
  --out FILE        write there instead of stdout: .json or .md (the format)
${COMMON_HELP}

JSON: {"scheme","steps","nfe","eps","init","w2","times":[…],"trajectory":[…]};
with --mean/--score-mean also "meanError" (W2² = meanError² + the covariance part); with
--metric kl or both "kl":{"forward": KL(sampler‖data),"reverse": KL(data‖sampler)} (kl: no
"w2"); with --per-eigenvalue "perEigenvalue":{"eigenvalues","variances","w2sq","w2Share",…};
times run from T down to ε; trajectory[k] = W2(N(0,V_k), p_{t_k}); w2 = W2 to the data.
null (json) or - (md) marks an infinite or undefined value. With --samples or --images, "fit":
{"count","dim","matrix"} says how the spectrum was fitted ("covariance", or "gram" when N < d).`,
  continuous: `Usage: gaussdiff continuous --spectrum FILE --eps X [options]

${INPUT_HELP}
  --eps X           truncation time ε in [0, T)
  --alpha A         α ≥ 0: 1 = backward SDE (default), 0 = probability-flow ODE
  --init I          pT or N0 (default)
  --beta-min X, --beta-max X, --T X   the schedule (defaults 0.05, 10, 1)
  --metric M        w2 (default), kl (KL(process‖data) and KL(data‖process), nats) or both
  --per-eigenvalue  each eigen-direction's output variance, error and share (input order)
  --format json     (the only format)
  --out FILE.json   write there instead of stdout
${COMMON_HELP}

JSON: {"alpha","eps","init","w2"} (and "fit" with --samples or --images, as for run); with
--metric kl or both "kl":{"forward": KL(process‖data),"reverse": KL(data‖process)} (kl: no
"w2"); with --per-eigenvalue "perEigenvalue":{"eigenvalues","variances","w2sq","w2Share",…}.
null marks an infinite or undefined value (e.g. KL with a zero eigenvalue: the process keeps
noise there unless ε = 0 and the start is pT). The law is centred and diagonal in the data's
eigenbasis (--cov is reduced to its eigenvalues), so KL is the per-direction formula of
docs/metrics.md §2.`,
  ablation: `Usage: gaussdiff ablation [options]

${INPUT_HELP}
                    (default: --data mnist)
  --schemes LIST    comma-separated (default em,ei,ddpm,euler,heun,rk4)
  --nfe LIST        score-evaluation budgets (default 50,250,500,1000)
  --eps LIST        truncation times (default 0,1e-5,1e-4,1e-3)
  --paper           the published tables' conventions: K = NFE−1 steps for every scheme but
                    RK4 (K = ⌊NFE/4⌋−1), so Heun spends ≈ 2·NFE evaluations. Without it
                    K = ⌊NFE / evaluations per step⌋ (Heun 2, RK4 4).
  --beta-min X, --beta-max X, --T X   the schedule (defaults 0.05, 10, 1)
  --format F        md (default), latex, csv or json
  --metric M        w2 (default), kl or both: with kl/both (json only) every cell also has
                    "kl":{"forward": KL(sampler‖data),"reverse": KL(data‖sampler)}, and so has
                    every continuous column (as gaussdiff continuous --metric; docs/metrics.md)
  --out FILE        write there instead of stdout: .md, .tex, .csv or .json (the format)
${COMMON_HELP}

md and latex print values as in the paper (two digits); csv in full precision (the shortest
decimal that reads back to the same double); '-' (null in json) marks an infinite or undefined
value.`,
};

const RUN_FORMATS = { '.json': 'json', '.md': 'md' } as const;
const ABLATION_FORMATS = { '.md': 'md', '.tex': 'latex', '.csv': 'csv', '.json': 'json' } as const;

async function cmdRun(argv: string[]): Promise<Output> {
  // A library sampler (--sampler) has its own contract (bin/cmd-sampler.ts); --scheme keeps the paper's.
  if (argv.some((a) => a === '--sampler' || a.startsWith('--sampler='))) return cmdRunSampler(argv);
  const { values: v } = parse('run', argv, {
    ...INPUT_FLAGS, ...SCHEDULE_FLAGS,
    scheme: { type: 'string' }, steps: { type: 'string' }, eps: { type: 'string' },
    init: { type: 'string' }, alpha: { type: 'string' }, format: { type: 'string' },
    'no-trajectory': { type: 'boolean' },
    ...METRIC_FLAGS,
    ...SCORE_FLAGS,
  });
  if (v.help) return { text: HELP.run + '\n' };
  const format = outputFormat(v, RUN_FORMATS, ['json', 'md'], 'json');
  if (v.scheme === undefined) throw new UsageError(`--scheme is required (one of ${SCHEMES.join(', ')})`);
  if (v.steps === undefined) throw new UsageError('--steps is required (an integer ≥ 1)');
  const options = {
    ...schedule(v),
    scheme: choice('scheme', v.scheme as string, SCHEMES),
    steps: number('steps', v.steps as string),
    eps: number('eps', v.eps as string | undefined),
    init: choice('init', v.init as string | undefined, INITS),
    alpha: number('alpha', v.alpha as string | undefined),
    ...metricOptions(v),
  };
  const progress = new Progress('run', v);
  if (v.out !== undefined) await checkOut(v.out as string);
  await start(v);
  // A wrong score (bin/score.ts): with --score-cov the data stay a matrix (no eigvalsh of it).
  const score = await loadScore(v);
  if (score?.scoreCov !== undefined) {
    const means = await readDataMeans(v, matrixSide('cov', score.cov));
    progress.phase(`${options.scheme}, ${options.steps} steps, score of ${v['score-cov']}`);
    const withTrajectory = v['score-cov-trajectory'] === true;
    const result = await api(() => run(null, { ...options, scoreCov: score.scoreCov, cov: score.cov, ...means, ...(withTrajectory ? { scoreCovTrajectory: true } : {}) }));
    const text = renderRun(result, format, { spectrum: score.label }, { trajectory: withTrajectory && v['no-trajectory'] !== true });
    return { text, out: v.out as string | undefined, progress };
  }
  if (v['score-cov-trajectory'] !== undefined) throw new UsageError('--score-cov-trajectory is for --score-cov runs (a spectrum run always has its trajectory)');
  const { spectrum, label, fit, mean, scoreMean } = await loadRunInputs(v, progress);
  progress.phase(`${options.scheme}, ${options.steps} steps on ${spectrum.distinct} distinct eigenvalues`);
  const result = await api(() => run(spectrum, { ...options, mean, scoreMean, ...(score ? { scoreSpectrum: score.scoreSpectrum } : {}) }));
  // --score-samples: the same scheme on the general engine (VP, the uniform grid to ε), §7c.
  const fitted = await scoreSamples(v, spectrum, {
    scheme: result.scheme, steps: result.steps, process: 'vp', processParams: Object.fromEntries(Object.entries(schedule(v)).filter(([, x]) => x !== undefined)) as Record<string, number>,
    schedulerParams: { eps: result.eps }, start: result.init === 'pT' ? 'exact' : 'prior',
    params: result.scheme === 'em-alpha' ? { alpha: result.alpha! } : {},
  });
  const shown = metricFields(result, options.metric) as typeof result;
  const text = renderRun(shown, format, { spectrum: score ? `${label}, ${score.label}` : label, ...fitMeta(fit), ...(fitted ? { scoreSamples: fitted } : {}) }, { trajectory: v['no-trajectory'] !== true });
  return { text, out: v.out as string | undefined, progress };
}

async function cmdContinuous(argv: string[]): Promise<Output> {
  const { values: v } = parse('continuous', argv, {
    ...INPUT_FLAGS, ...SCHEDULE_FLAGS,
    eps: { type: 'string' }, alpha: { type: 'string' }, init: { type: 'string' }, format: { type: 'string' },
    metric: METRIC_FLAGS.metric, 'per-eigenvalue': METRIC_FLAGS['per-eigenvalue'],
  });
  if (v.help) return { text: HELP.continuous + '\n' };
  outputFormat(v, { '.json': 'json' }, ['json'], 'json');
  if (v.eps === undefined) throw new UsageError('--eps is required (a truncation time in [0, T))');
  const options = {
    ...schedule(v),
    eps: number('eps', v.eps as string),
    alpha: number('alpha', v.alpha as string | undefined),
    init: choice('init', v.init as string | undefined, INITS),
    ...metricOptions(v),
  };
  const progress = new Progress('continuous', v);
  if (v.out !== undefined) await checkOut(v.out as string);
  await start(v);
  const { spectrum, fit } = await loadSpectrum(v, progress);
  const result = await api(() => continuous(spectrum, options));
  const shown = metricFields(result, options.metric);
  return { text: JSON.stringify({ ...shown, ...fitMeta(fit) }, null, 2) + '\n', out: v.out as string | undefined, progress };
}

async function cmdAblation(argv: string[]): Promise<Output> {
  const { values: v } = parse('ablation', argv, {
    ...INPUT_FLAGS, ...SCHEDULE_FLAGS,
    schemes: { type: 'string' }, nfe: { type: 'string' }, eps: { type: 'string' },
    paper: { type: 'boolean' }, format: { type: 'string' }, metric: { type: 'string' },
  });
  if (v.help) return { text: HELP.ablation + '\n' };
  const format = outputFormat(v, ABLATION_FORMATS, ['md', 'latex', 'csv', 'json'], 'md');
  const { metric } = metricOptions(v);
  if (metric !== 'w2' && format !== 'json') throw new UsageError(`--metric ${metric} needs --format json (the md, latex and csv tables print W2; got --format ${format})`);
  const schemes = list('schemes', v.schemes as string | undefined)?.map((s) => choice('schemes', s, SCHEMES) as Scheme);
  const nfe = list('nfe', v.nfe as string | undefined)?.map((s) => number('nfe', s) as number);
  const eps = list('eps', v.eps as string | undefined)?.map((s) => number('eps', s) as number);
  const progress = new Progress('ablation', v);
  if (v.out !== undefined) await checkOut(v.out as string);
  const threads = await start(v);
  const options = { ...schedule(v), schemes, nfe, eps, paper: v.paper === true, threads, onProgress: progress.counter('cells'), metric };
  const { spectrum, label, fit } = await loadSpectrum(v, progress, 'mnist');
  const result = await api(() => ablation(spectrum, options));
  const meta = {
    spectrum: label,
    dim: spectrum.dim,
    paper: result.paper,
    betaMin: options.betaMin ?? DEFAULTS.betaMin,
    betaMax: options.betaMax ?? DEFAULTS.betaMax,
    T: options.T ?? DEFAULTS.T,
    threads: result.threads,
    ...fitMeta(fit),
  };
  return { text: renderAblation(result, format as TableFormat, meta), out: v.out as string | undefined, progress };
}

const SPECTRUM_FORMATS = { '.npy': 'npy', '.json': 'json', '.csv': 'csv', '.txt': 'csv' } as const;

async function cmdSpectrum(argv: string[]): Promise<Output> {
  const { values: v } = parse('spectrum', argv, { ...INPUT_FLAGS });
  if (v.help) return { text: HELP.spectrum + '\n' };
  const out = v.out as string | undefined;
  const format = outputFormat(v, SPECTRUM_FORMATS, ['npy', 'json', 'csv'], 'json');
  const progress = new Progress('spectrum', v);
  if (out !== undefined) await checkOut(out);
  await start(v, { core: false });
  const { values } = await loadEigenvalues(v, progress);
  const sorted = Float64Array.from(values).sort();
  const text = format === 'npy'
    ? toNpy({ shape: [sorted.length], data: sorted })
    : format === 'json' ? JSON.stringify(Array.from(sorted)) + '\n' : Array.from(sorted).join('\n') + '\n';
  return { text, out, progress };
}

const COMMANDS: Record<string, (argv: string[]) => Promise<Output>> = {
  run: cmdRun,
  continuous: cmdContinuous,
  ablation: cmdAblation,
  spectrum: cmdSpectrum,
  sample: cmdSample,
  figure: cmdFigure,
  report: cmdReport,
  sigmas: cmdSigmas,
  sweep: cmdSweep,
  merge: cmdMerge,
  compare: cmdCompare,
  tune: cmdTune,
};

/** The package's version (package.json, two folders up from dist/bin/). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * A reader that stops early (`gaussdiff ablation --format csv | head -1`) closes stdout: the
 * write fails with EPIPE, and that is the reader's choice, not an error: exit 0 quietly.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (stream.listenerCount('error') > 0) return;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    process.stderr.write(`gaussdiff: cannot write the output: ${e.code ?? e.message}\n`);
    process.exit(1);
  });
}

/** Run the CLI with the given arguments; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe(process.stdout);
  process.stderr.on('error', () => undefined);
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP.main + '\n');
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === 'version') {
    process.stdout.write(`gaussdiff ${version()}\n`);
    return 0;
  }
  const handler = COMMANDS[command];
  if (!handler) {
    process.stderr.write(`gaussdiff: unknown command ${JSON.stringify(command)} (expected one of ${Object.keys(COMMANDS).join(', ')}; see gaussdiff --help)\n`);
    return 2;
  }
  try {
    const { text, out, progress } = await handler(rest);
    if (text !== undefined && out !== undefined) await writeAtomically(out, text);
    else if (text !== undefined) process.stdout.write(text);
    progress?.finish();
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`gaussdiff ${command}: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`gaussdiff ${command}: error: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  }
}
