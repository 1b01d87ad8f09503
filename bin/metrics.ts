/**
 * `gaussdiff run`'s means and metrics flags (docs/metrics.md): --mean F and --score-mean F (the
 * data's and the score's mean), --metric w2|kl|both, --per-eigenvalue. Shared by the scheme and
 * the --sampler forms of `run`.
 */
import path from 'node:path';
import {
  eigh, initLinalg, matrixFromFile, parseNumericFile, prepareSpectrum, defaultPsdTolerance, METRICS,
  type Metric, type Spectrum,
} from '../bindings/index.node.js';
import { UsageError, choice, readInput, type Progress, type Values } from './common.js';
import { loadSpectrum, type FitInfo } from './inputs.js';
import { loadTexture } from './cmd-texture.js';
import { project } from '../bindings/exact/score.js';

export const METRIC_FLAGS = {
  mean: { type: 'string' },
  'score-mean': { type: 'string' },
  metric: { type: 'string' },
  'per-eigenvalue': { type: 'boolean' },
} as const;

export const METRIC_HELP = `  --mean FILE       the data's mean (.npy, .json, .csv, .txt; d values): with --cov in data
                    coordinates (projected on the covariance's eigenvectors), with --spectrum
                    in the eigenbasis, one value per eigenvalue in the file's order (default 0);
                    with --texture: --mean texture (the texture's mean colour image)
  --score-mean FILE the mean the score uses, m̂ (same coordinates; default: the data's mean)
  --metric M        w2 (default), kl (KL(sampler‖data) and KL(data‖sampler), nats) or both
  --per-eigenvalue  each eigen-direction's error and its share of the total (input order)`;

/** The metric flags as API options. */
export function metricOptions(v: Values): { metric: Metric; perEigenvalue: boolean } {
  return { metric: choice('metric', v.metric as string | undefined, METRICS) ?? 'w2', perEigenvalue: v['per-eigenvalue'] === true };
}

/** A 1-D vector file of length d for `flag`. */
export async function readVector(flag: string, file: string, d: number): Promise<Float64Array> {
  const ext = path.extname(file).toLowerCase();
  if (!['.npy', '.json', '.csv', '.txt', '.tsv'].includes(ext)) throw new UsageError(`--${flag} must be a .npy, .json, .csv or .txt file (got ${JSON.stringify(file)})`);
  const bytes = await readInput(flag, file);
  let arr;
  try {
    arr = parseNumericFile(bytes, file);
  } catch (e) {
    throw new UsageError(`--${flag} ${JSON.stringify(file)}: ${(e as Error).message}`);
  }
  if (arr.shape.filter((s) => s !== 1).length > 1) throw new UsageError(`--${flag} must be a vector (got shape [${arr.shape.join(', ')}] in ${JSON.stringify(file)})`);
  if (arr.data.length !== d) throw new UsageError(`--${flag} has ${arr.data.length} values, expected d = ${d} (got ${JSON.stringify(file)})`);
  const bad = arr.data.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new UsageError(`--${flag} value ${bad} is ${arr.data[bad]}, must be finite (got ${JSON.stringify(file)})`);
  return Float64Array.from(arr.data);
}

/**
 * --mean/--score-mean with --score-cov: vectors of the matrices' size n in data coordinates
 * (no eigenbasis: the data's and the score's covariances need not commute).
 */
export async function readDataMeans(v: Values, n: number): Promise<{ mean?: Float64Array; scoreMean?: Float64Array }> {
  if (v.mean === 'texture') throw new UsageError('--mean texture is for --texture inputs (the texture\'s own mean colour)');
  return {
    ...(v.mean !== undefined ? { mean: await readVector('mean', v.mean as string, n) } : {}),
    ...(v['score-mean'] !== undefined ? { scoreMean: await readVector('score-mean', v['score-mean'] as string, n) } : {}),
  };
}

export interface RunInputs {
  spectrum: Spectrum;
  label: string;
  fit?: FitInfo;
  /** The means in the eigenbasis, in the spectrum's input order (absent when not given). */
  mean?: Float64Array;
  scoreMean?: Float64Array;
}

/**
 * The run's spectrum and, with --mean/--score-mean, the means in its eigenbasis. With --cov the
 * means are in data coordinates: the covariance is decomposed with its eigenvectors (eigh, one
 * decomposition instead of eigvalsh's), round-off negatives clamped as `spectrum --cov` does, and
 * mᵢ = uᵢᵀ m (docs/metrics.md §1). With --spectrum they are in the eigenbasis already.
 */
export async function loadRunInputs(v: Values, progress: Progress): Promise<RunInputs> {
  const given = v.mean !== undefined || v['score-mean'] !== undefined;
  if (!given) return loadSpectrum(v, progress);
  if (v.texture !== undefined) return textureInputs(v, progress);
  if (v.mean === 'texture') throw new UsageError('--mean texture is for --texture inputs (the texture\'s own mean colour)');
  const others = ['samples', 'images', 'data'].filter((f) => v[f] !== undefined);
  if (others.length) throw new UsageError(`--${v.mean !== undefined ? 'mean' : 'score-mean'} needs --cov (a mean in data coordinates) or --spectrum (in the eigenbasis), not --${others[0]}`);
  if (v.cov === undefined) {
    const loaded = await loadSpectrum(v, progress);
    const d = loaded.spectrum.dim;
    return {
      ...loaded,
      ...(v.mean !== undefined ? { mean: await readVector('mean', v.mean as string, d) } : {}),
      ...(v['score-mean'] !== undefined ? { scoreMean: await readVector('score-mean', v['score-mean'] as string, d) } : {}),
    };
  }
  const file = v.cov as string;
  if (v.spectrum !== undefined) throw new UsageError('--spectrum and --cov cannot be combined (give one input)');
  const ext = path.extname(file).toLowerCase();
  if (!['.npy', '.json', '.csv', '.txt', '.tsv'].includes(ext)) throw new UsageError(`--cov must be a .npy, .json, .csv or .txt file (got ${JSON.stringify(file)})`);
  progress.phase(`reading ${file}`);
  const bytes = await readInput('cov', file);
  await initLinalg();
  let values: Float64Array, vectors: Float64Array, n: number;
  try {
    const m = matrixFromFile(bytes, file);
    if (m.rows !== m.cols) throw new RangeError(`a covariance must be square, got ${m.rows}×${m.cols}`);
    n = m.rows;
    progress.phase(`eigenvalues and eigenvectors of a ${n}×${n} matrix (the means are projected on them)`);
    ({ values, vectors } = eigh(m.dtype === '<f4' ? Float32Array.from(m.data) : m.data, n));
    const tol = defaultPsdTolerance(n);
    let scale = 0;
    for (const x of values) scale = Math.max(scale, Math.abs(x));
    values.forEach((x, i) => {
      if (x < 0) {
        if (x < -tol * scale) throw new RangeError(`cov is not positive semi-definite: eigenvalue ${i} (ascending) is ${x}, below −${tol}·max|λ| = ${-tol * scale}`);
        values[i] = 0;
      }
    });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--cov ${JSON.stringify(file)}: ${(e as Error).message}`);
  }
  const toEigenbasis = (x: Float64Array) => project(vectors, x);
  const out: RunInputs = {
    spectrum: prepareSpectrum(values, 'spectrum'),
    label: `eigenvalues of ${path.basename(file)} (d = ${n})`,
  };
  if (v.mean !== undefined) out.mean = toEigenbasis(await readVector('mean', v.mean as string, n));
  if (v['score-mean'] !== undefined) out.scoreMean = toEigenbasis(await readVector('score-mean', v['score-mean'] as string, n));
  return out;
}

/**
 * `--texture FILE.png --mean texture`: the ADSN model's mean, the constant image of the texture's
 * mean colour ū (docs/metrics.md §1). It lies in the zero-frequency directions, whose eigenvalues
 * are 0 (the texton is centred); all of them share λ = 0, so its whole norm |m|² = MN·|ū|² is put
 * on one λ = 0 direction (the laws, W2 and the KL totals only see Σ mᵢ² per eigenvalue).
 */
async function textureInputs(v: Values, progress: Progress): Promise<RunInputs> {
  if (v.mean !== 'texture') throw new UsageError(`--mean with --texture must be "texture" (the texture's own mean colour; got ${JSON.stringify(v.mean ?? null)})`);
  if (v['score-mean'] !== undefined) throw new UsageError('--score-mean is not available with --texture (give --cov and --mean files instead)');
  const file = v.texture as string;
  progress.phase(`reading ${file}`);
  const model = await loadTexture(file);
  const spectrum = prepareSpectrum(model.values, 'spectrum');
  const zero = model.values.findIndex((x) => x === 0);
  const mean = new Float64Array(model.values.length);
  const norm2 = model.width * model.height * (model.mean[0] ** 2 + model.mean[1] ** 2 + model.mean[2] ** 2);
  if (zero < 0) throw new UsageError(`--texture ${JSON.stringify(file)}: no zero eigenvalue to hold the mean (the centred texton should give one)`);
  mean[zero] = Math.sqrt(norm2);
  return { spectrum, label: `ADSN of ${path.basename(file)} (${model.width}×${model.height}, d = ${model.values.length}), with its mean colour`, mean };
}

/** The JSON fields of the metrics: w2 dropped when only KL was asked for. */
export function metricFields<T extends { w2: number | null }>(result: T, metric: Metric): Omit<T, 'w2'> & { w2?: number | null } {
  if (metric !== 'kl') return result;
  const { w2: _w2, ...rest } = result;
  return rest;
}
