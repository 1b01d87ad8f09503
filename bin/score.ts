/**
 * The wrong-score flags of `gaussdiff run` (docs/MATH-samplers.md §7, docs/score-errors.md):
 * --score-spectrum F (the score's eigenvalues, same eigenvectors as the data) and --score-cov F
 * (the score's covariance matrix, any symmetric PSD, with the data given as --cov).
 */
import path from 'node:path';
import {
  matrixFromFile, parseNumericFile, initLinalg, scoreSamplesSync, type MatrixInput, type SamplerRunOptions,
  type ScoreSamplesResult, type Spectrum,
} from '../bindings/index.node.js';
import { UsageError, readInput, integerFlag, api, parse, list, outputFormat, checkOut, start, Progress, type Values } from './common.js';
import { figureScoreSamplesData, renderFigure, figureCsv } from '../bindings/figures.node.js';
import { INPUT_FLAGS, INPUT_HELP, loadSpectrum, type FitInfo, type Output } from './inputs.js';
import { loadRunInputs, readDataMeans } from './metrics.js';
import { psdEigh, scoreCovLaws, scoreCovProject, warmUpLinalg } from '../bindings/linalg/linalg.js';
import { matrixSide } from '../bindings/exact/score.js';

/** One small run of --score-cov's dense routines (n = 160, milliseconds); results unused. */
function warmUpScoreCov(): void {
  const n = 160;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = i === j ? n : 1 / (1 + i + j);
  const { values, vectors } = psdEigh('warm-up', a, n);
  const m = values.map((x) => 1 / (1 + x));
  const p = scoreCovProject(a, vectors);
  scoreCovLaws(p, m, m, 0, null);
  scoreCovLaws(p, m, m, 0.5, null);
}

export const SCORE_FLAGS = {
  'score-spectrum': { type: 'string' },
  'score-cov': { type: 'string' },
  'score-cov-trajectory': { type: 'boolean' },
  'score-samples': { type: 'string' },
  draws: { type: 'string' },
  seed: { type: 'string' },
  'score-dof': { type: 'string' },
} as const;

export const SCORE_HELP = `  --score-spectrum F  a wrong score with the data's eigenvectors: its eigenvalues λ̂ (one per
                    data eigenvalue, same order; .npy/.json/.csv): the recursion runs on λ̂, the
                    start and the target stay λ (docs/MATH-samplers.md §7a)
  --score-cov F     a wrong score of any covariance Σ̂ (symmetric PSD .npy/.json/.csv matrix,
                    need not commute with the data): needs --cov; one Bures distance, no
                    trajectory (§7b); --mean/--score-mean are then in data coordinates and
                    --metric kl|both gives KL both ways (docs/score-errors.md)
  --score-cov-trajectory  with --score-cov, also "trajectory": W2 against the exact marginal at
                    every grid point (one eigvalsh of the matrices' size per point)
  --score-samples N the expected error when the score is the sample covariance of N draws of
                    the data (§7c): "scoreSamples": {"delta" (ideal sampler, delta method),
                    "monteCarlo" (this sampler and the ideal one: mean ± se over --draws D
                    fitted covariances, default 20, seeded by --seed S, default 0), "chi2" with
                    --score-dof k (a stationary estimator λ̂ = λχ²_k/k, exact)}`;

/** The wrong-score options of a run, read from their files (null when no score flag is given). */
export interface ScoreInputs {
  scoreSpectrum?: Float64Array;
  scoreCov?: MatrixInput;
  cov?: MatrixInput;
  label: string;
}

async function readMatrix(flag: string, file: string): Promise<MatrixInput> {
  const bytes = await readInput(flag, file);
  try {
    const m = matrixFromFile(bytes, file);
    if (m.rows !== m.cols) throw new RangeError(`a covariance must be square, got ${m.rows}×${m.cols}`);
    return m.dtype === '<f4' ? Float32Array.from(m.data) : m.data;
  } catch (e) {
    throw new UsageError(`--${flag} ${JSON.stringify(file)}: ${(e as Error).message}`);
  }
}

/**
 * Read --score-spectrum / --score-cov (and, for --score-cov, the data's --cov as a matrix). Both
 * score flags, or --score-cov without --cov, are usage errors naming the flags.
 */
export async function loadScore(v: Values): Promise<ScoreInputs | null> {
  const spec = v['score-spectrum'] as string | undefined;
  const cov = v['score-cov'] as string | undefined;
  if (spec !== undefined && cov !== undefined) throw new UsageError('--score-spectrum and --score-cov cannot be combined (give one wrong score)');
  if (spec !== undefined) {
    const bytes = await readInput('score-spectrum', spec);
    try {
      const arr = parseNumericFile(bytes, spec);
      if (arr.shape.filter((s) => s !== 1).length > 1) throw new TypeError(`expected a 1-D array of eigenvalues, got shape [${arr.shape.join(', ')}] (a matrix? use --score-cov)`);
      return { scoreSpectrum: arr.data, label: `score eigenvalues ${path.basename(spec)}` };
    } catch (e) {
      throw new UsageError(`--score-spectrum ${JSON.stringify(spec)}: ${(e as Error).message}`);
    }
  }
  if (cov !== undefined) {
    if (v.cov === undefined) throw new UsageError('--score-cov needs the data as a covariance matrix: --cov FILE');
    for (const other of ['spectrum', 'samples', 'images', 'data', 'texture']) {
      if (v[other] !== undefined) throw new UsageError(`--score-cov cannot be combined with --${other} (give the data as --cov FILE)`);
    }
    await initLinalg();
    const reading = Promise.all([readMatrix('cov', v.cov as string), readMatrix('score-cov', cov)]);
    reading.catch(() => undefined); // awaited below
    // While the files are read: small calls of the routines the run uses, so that V8 compiles
    // their kernels with its optimising tier in the background (as --cov does for eigvalsh).
    warmUpLinalg();
    warmUpScoreCov();
    const [data, score] = await reading;
    return { cov: data, scoreCov: score, label: `${path.basename(v.cov as string)} sampled with the score of ${path.basename(cov)}` };
  }
  return null;
}

/** The data, means and wrong score of a run (`run --sampler`, `compare`), as the API's options. */
export interface ScoredInputs {
  /** null with --score-cov (the data stay a matrix: `cov`). */
  spectrum: Spectrum | null;
  label: string;
  fit?: FitInfo;
  /** The wrong score's label (absent without a score flag). */
  scoreLabel?: string;
  options: Pick<SamplerRunOptions, 'mean' | 'scoreMean' | 'scoreSpectrum' | 'scoreCov' | 'cov' | 'scoreCovTrajectory'>;
}

/**
 * The input with --mean/--score-mean (bin/metrics.ts loadRunInputs) and --score-spectrum /
 * --score-cov (loadScore): with --score-cov no spectrum (the data stay the --cov matrix) and the
 * means in data coordinates.
 */
export async function loadScoredInputs(v: Values, progress: Progress): Promise<ScoredInputs> {
  const score = await loadScore(v);
  if (score?.scoreCov !== undefined) {
    const means = await readDataMeans(v, matrixSide('cov', score.cov));
    const trajectory = v['score-cov-trajectory'] === true ? { scoreCovTrajectory: true } : {};
    return { spectrum: null, label: score.label, scoreLabel: score.label, options: { scoreCov: score.scoreCov, cov: score.cov, ...means, ...trajectory } };
  }
  if (v['score-cov-trajectory'] !== undefined) throw new UsageError('--score-cov-trajectory is for --score-cov runs (a spectrum run always has its trajectory)');
  const { spectrum, label, fit, mean, scoreMean } = await loadRunInputs(v, progress);
  const options: ScoredInputs['options'] = {};
  if (mean) options.mean = mean;
  if (scoreMean) options.scoreMean = scoreMean;
  if (score?.scoreSpectrum) options.scoreSpectrum = score.scoreSpectrum;
  return { spectrum, label, ...(fit ? { fit } : {}), ...(score ? { scoreLabel: score.label } : {}), options };
}

/**
 * The API's names of the metric and score options → their flags, in an error message
 * (`run --sampler` and `compare`).
 */
export function scoreFlagMessage(message: string): string {
  return message
    .replace(/^(mean|metric)\b/, '--$1').replace(/^scoreMean\b/, '--score-mean')
    .replace(/^scoreSpectrum\b/, '--score-spectrum').replace(/^scoreCov\b/, '--score-cov').replace(/^cov\b/, '--cov');
}

/**
 * --score-samples N (with --draws, --seed, --score-dof): the §7c expectations for the run `run`
 * on `spectrum`, or undefined without the flag. The other score flags cannot be combined with it.
 */
export async function scoreSamples(v: Values, spectrum: Spectrum | null, run: SamplerRunOptions): Promise<ScoreSamplesResult | undefined> {
  if (v['score-samples'] === undefined) {
    for (const f of ['draws', 'seed', 'score-dof']) if (v[f] !== undefined) throw new UsageError(`--${f} is for --score-samples (give it too)`);
    return undefined;
  }
  if (v['score-spectrum'] !== undefined || v['score-cov'] !== undefined) throw new UsageError('--score-samples cannot be combined with --score-spectrum or --score-cov (the score is the fitted one)');
  if (spectrum === null) throw new UsageError('--score-samples needs the data (--spectrum, --cov, …)');
  const samples = integerFlag('score-samples', v['score-samples'] as string, 2, 2 ** 31)!;
  const draws = integerFlag('draws', v.draws as string | undefined, 0, 1e6);
  const seed = integerFlag('seed', v.seed as string | undefined, 0, Number.MAX_SAFE_INTEGER);
  const dof = integerFlag('score-dof', v['score-dof'] as string | undefined, 1, 1e9);
  return api(async () => scoreSamplesSync(spectrum, run, { samples, ...(draws !== undefined ? { draws } : {}), ...(seed !== undefined ? { seed } : {}), ...(dof !== undefined ? { dof } : {}) }));
}

export const FIGURE_SCORE_SAMPLES_HELP = `Usage: gaussdiff figure --kind score-samples [input] [options] [--out FILE.svg]

W2 to the data against N when the score is the sample covariance of N draws of the data
(docs/MATH-samplers.md §7c): per sampler the Monte Carlo mean over --draws fitted covariances,
and the ideal sampler's delta-method curve. Each draw costs a d³ run: keep d small.

${INPUT_HELP}
                    (default: --data mnist)
  --samplers LIST   paper schemes or library samplers (default euler,heun,em)
  --score-samples LIST  the N values (default 10 log-spaced from 2d to 1000d)
  --steps K         steps of every sampler (default 20)
  --draws D         draws per point (default 10)
  --seed S          seed (default 0)
  --format F        svg (default), json or csv
  --out FILE        write there instead of stdout: .svg, .json or .csv`;

/** `gaussdiff figure --kind score-samples`. */
export async function cmdFigureScoreSamples(argv: string[]): Promise<Output> {
  const { values: v } = parse('figure', argv, {
    ...INPUT_FLAGS, kind: { type: 'string' }, samplers: { type: 'string' }, 'score-samples': { type: 'string' },
    steps: { type: 'string' }, draws: { type: 'string' }, seed: { type: 'string' }, format: { type: 'string' },
  });
  if (v.help) return { text: FIGURE_SCORE_SAMPLES_HELP + '\n' };
  const format = outputFormat(v, { '.svg': 'svg', '.json': 'json', '.csv': 'csv' }, ['svg', 'json', 'csv'], 'svg');
  const samplers = list('samplers', v.samplers as string | undefined);
  const samples = list('score-samples', v['score-samples'] as string | undefined)?.map((x) => integerFlag('score-samples', x, 2, 2 ** 31)!);
  const steps = integerFlag('steps', v.steps as string | undefined, 1, 1e6);
  const draws = integerFlag('draws', v.draws as string | undefined, 1, 1e6);
  const seed = integerFlag('seed', v.seed as string | undefined, 0, Number.MAX_SAFE_INTEGER);
  const progress = new Progress('figure', v);
  if (v.out !== undefined) await checkOut(v.out as string);
  await start(v);
  const { spectrum } = await loadSpectrum(v, progress, 'mnist');
  progress.phase('computing W2 against N');
  const data = await api(() => figureScoreSamplesData(spectrum, {
    ...(samplers ? { samplers } : {}), ...(samples ? { samples } : {}), ...(steps !== undefined ? { steps } : {}),
    ...(draws !== undefined ? { draws } : {}), ...(seed !== undefined ? { seed } : {}),
  }));
  const text = format === 'json' ? JSON.stringify(data, null, 2) + '\n' : format === 'csv' ? figureCsv(data) : (await renderFigure(data)) + '\n';
  return { text, out: v.out as string | undefined, progress };
}
