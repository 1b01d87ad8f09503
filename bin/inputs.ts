/**
 * The CLI's inputs: every command takes the spectrum as --spectrum FILE (eigenvalues), --cov FILE
 * (a covariance matrix), --samples FILE or --images DIR (vectors, or same-size PNGs, fitted by a
 * Gaussian), --data NAME (a dataset's fit, shipped with the package) or --texture FILE.png. To add
 * an input kind, add its flag here and its case in loadEigenvalues.
 */
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  prepareSpectrum, parseNumericFile, matrixFromFile, spectrumFromCovariance, sampleSpectrum, datasetSpectrum,
  decodePng, DATASETS, TEXTURE_MAX_PIXELS, initLinalg, type Spectrum, type DatasetName, type FitMatrix,
} from '../bindings/index.node.js';
import { warmUpLinalg } from '../bindings/linalg/linalg.js';
import { UsageError, choice, readInput, type Progress, type Values } from './common.js';
import { TEXTURE_HELP, textureEigenvalues } from './cmd-texture.js';

/** Where the spectrum comes from: exactly one of these (every command takes all of them). */
export const INPUT_FLAGS = {
  spectrum: { type: 'string' },
  cov: { type: 'string' },
  samples: { type: 'string' },
  images: { type: 'string' },
  data: { type: 'string' },
  texture: { type: 'string' },
} as const;

/** count × dim values of --samples/--images at most (512 MiB as float64). */
export const SAMPLES_MAX_VALUES = 2 ** 26;
/** The fit's eigenproblem is min(count, dim) square: at most this. */
export const FIT_MAX_SIZE = 4096;

export const INPUT_HELP = `  --spectrum FILE   eigenvalues of the data covariance (.npy, .json, .csv, .txt)
  --cov FILE        or a covariance matrix (2-D .npy float32/float64, .json rows, .csv rows)
  --samples FILE    or N sample vectors, one per row (N×d .npy, .csv, .json), fitted by a Gaussian:
                    the d×d covariance's eigenvalues, or with N < d those of the N×N Gram matrix
                    (the same nonzero ones) and d − N zeros; min(N, d) ≤ ${FIT_MAX_SIZE}, N·d ≤ ${SAMPLES_MAX_VALUES}
  --images DIR      or the .png files of a folder (same size; grey if all are grey, else RGB),
                    fitted the same way (d = pixels, or 3 × pixels)
  --data NAME       or a dataset's Gaussian fit: ${DATASETS.join(', ')} (d = 784, shipped with gaussdiff)
${TEXTURE_HELP}`;

/** What a command hands back to main(): text for stdout or for `--out`, and its progress. */
export interface Output {
  text?: string | Uint8Array;
  out?: string;
  progress?: Progress;
}

/** How --samples/--images were fitted (in the JSON outputs as `fit`). */
export interface FitInfo {
  count: number;
  dim: number;
  matrix: FitMatrix;
}

/** `{ fit }` for the JSON outputs when the input was fitted from samples, else nothing. */
export function fitMeta(fit: FitInfo | undefined): { fit?: FitInfo } {
  return fit ? { fit } : {};
}

interface Loaded {
  values: Float64Array;
  label: string;
  flag: string;
  source: string;
  fit?: FitInfo;
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

const NUMERIC_EXTENSIONS = ['.npy', '.json', '.csv', '.txt', '.tsv'];

/** Refuse a file whose name says it cannot be parsed before reading it (`--spectrum /dev/zero`). */
function checkNumericName(flag: string, file: string): void {
  if (!NUMERIC_EXTENSIONS.includes(path.extname(file).toLowerCase())) {
    throw new UsageError(`--${flag} must be a .npy, .json, .csv or .txt file (got ${JSON.stringify(file)})`);
  }
}

function checkFitSize(flag: string, source: string, count: number, dim: number): void {
  if (count < 2) throw new UsageError(`--${flag} needs at least 2 samples for a covariance (got ${count} in ${JSON.stringify(source)})`);
  if (count * dim > SAMPLES_MAX_VALUES) {
    throw new UsageError(`--${flag} has N·d = ${count}·${dim} = ${count * dim} values, more than the limit ${SAMPLES_MAX_VALUES} (got ${JSON.stringify(source)})`);
  }
  if (Math.min(count, dim) > FIT_MAX_SIZE) {
    throw new UsageError(`--${flag} with N = ${count} samples of d = ${dim} needs a ${Math.min(count, dim)}-square eigenproblem, more than the limit ${FIT_MAX_SIZE} (use fewer samples, or compute the spectrum yourself: see the README) (got ${JSON.stringify(source)})`);
  }
}

/** Fit the samples, saying on stderr when the Gram matrix was used. */
function fitSamples(flag: string, source: string, samples: Float64Array, count: number, dim: number, progress: Progress): { values: Float64Array; fit: FitInfo } {
  const size = Math.min(count, dim);
  progress.phase(`${count >= dim ? 'covariance' : 'Gram matrix'} of ${count} samples of d = ${dim}, then the eigenvalues of a ${size}×${size} matrix`);
  const r = sampleSpectrum(samples, count, dim);
  if (r.matrix === 'gram') {
    process.stderr.write(`gaussdiff: --${flag} ${source}: N = ${count} samples < d = ${dim}: eigenvalues of the ${count}×${count} Gram matrix (the covariance's nonzero ones) and ${dim - count} zeros\n`);
  }
  return { values: r.spectrum, fit: { count, dim, matrix: r.matrix } };
}

/** Width, height and colour type of a PNG from its first 26 bytes (the IHDR chunk), without decoding it. */
async function pngHeader(file: string): Promise<{ width: number; height: number; grey: boolean }> {
  const handle = await open(file, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`--images cannot read ${JSON.stringify(file)}: ${e.code ?? e.message}`);
  });
  try {
    const b = new Uint8Array(26);
    const { bytesRead } = await handle.read(b, 0, 26, 0);
    const view = new DataView(b.buffer);
    const signature = [137, 80, 78, 71, 13, 10, 26, 10];
    if (bytesRead < 26 || signature.some((x, i) => b[i] !== x) || String.fromCharCode(...b.subarray(12, 16)) !== 'IHDR') {
      throw new UsageError(`--images: ${JSON.stringify(file)} is not a PNG file`);
    }
    // Colour types 0 and 4 are grey (without and with alpha); 2, 3, 6 are colour.
    return { width: view.getUint32(16), height: view.getUint32(20), grey: b[25] === 0 || b[25] === 4 };
  } finally {
    await handle.close();
  }
}

/** The PNGs of a folder as count × dim samples in [0, 1], sizes checked on the headers first. */
async function loadImages(dir: string, progress: Progress): Promise<{ samples: Float64Array; count: number; dim: number; label: string }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.png')).sort();
  } catch (e) {
    throw new UsageError(`--images cannot be read (got ${JSON.stringify(dir)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const files = names.map((n) => path.join(dir, n));
  if (files.length < 2) throw new UsageError(`--images needs at least 2 .png files (got ${files.length} in ${JSON.stringify(dir)})`);
  const headers = await Promise.all(files.map(pngHeader));
  const { width, height } = headers[0];
  headers.forEach((h, i) => {
    if (h.width !== width || h.height !== height) {
      throw new UsageError(`--images must all have the same size: ${names[i]} is ${h.width}×${h.height}, ${names[0]} is ${width}×${height}`);
    }
  });
  if (width * height > TEXTURE_MAX_PIXELS) throw new UsageError(`--images are ${width}×${height}, more than ${TEXTURE_MAX_PIXELS} pixels`);
  const grey = headers.every((h) => h.grey);
  const channels = grey ? 1 : 3;
  const dim = width * height * channels;
  checkFitSize('images', dir, files.length, dim);
  progress.phase(`reading ${files.length} ${width}×${height} ${grey ? 'grey' : 'RGB'} PNG files`);
  const samples = new Float64Array(files.length * dim);
  for (let j = 0; j < files.length; j++) {
    const bytes = await readInput('images', files[j]);
    const image = await asInput('images', files[j], () => decodePng(bytes, names[j]));
    const row = samples.subarray(j * dim, (j + 1) * dim);
    if (grey) for (let p = 0; p < dim; p++) row[p] = image.data[3 * p];
    else row.set(image.data);
  }
  return { samples, count: files.length, dim, label: `${width}×${height} ${grey ? 'grey' : 'RGB'} images` };
}

/** The eigenvalues from the one input flag given (or the fallback dataset). */
export async function loadEigenvalues(v: Values, progress: Progress, fallback?: DatasetName): Promise<Loaded> {
  const given = (Object.keys(INPUT_FLAGS) as (keyof typeof INPUT_FLAGS)[]).filter((k) => v[k] !== undefined);
  if (given.length > 1) throw new UsageError(`--${given[0]} and --${given[1]} cannot be combined (give one input)`);
  if (given.length === 0 && fallback === undefined) {
    throw new UsageError('--spectrum is required (or --cov FILE, --samples FILE, --images DIR, --data mnist or --texture FILE.png)');
  }
  const flag = given[0] ?? 'data';
  const source = (v[flag] as string | undefined) ?? (fallback as string);
  if (flag === 'data') {
    const name = choice('data', source, DATASETS) as DatasetName;
    const fit = datasetSpectrum(name);
    return { values: fit.spectrum, label: fit.description, flag, source };
  }
  if (flag === 'texture') return textureEigenvalues(source);
  if (flag === 'images') {
    const { samples, count, dim, label } = await loadImages(source, progress);
    const { values, fit } = fitSamples(flag, source, samples, count, dim, progress);
    return { values, fit, label: `${path.basename(source)}: ${count} ${label} (d = ${dim}, ${fit.matrix})`, flag, source };
  }
  checkNumericName(flag, source);
  progress.phase(`reading ${source}`);
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
      progress.phase(`eigenvalues of a ${m.rows}×${m.rows} matrix`);
      // A float32 .npy is checked for symmetry at float32 precision (same values, exactly).
      return spectrumFromCovariance(m.dtype === '<f4' ? Float32Array.from(m.data) : m.data, m.rows);
    });
    return { values, label: `eigenvalues of ${path.basename(source)} (d = ${values.length})`, flag, source };
  }
  if (flag === 'samples') {
    const { values, fit } = await asInput(flag, source, () => {
      const { shape, data } = parseNumericFile(bytes, source);
      if (shape.length !== 2) throw new RangeError(`expected N×d sample vectors (one per row), got shape [${shape.join(', ')}]`);
      checkFitSize(flag, source, shape[0], shape[1]);
      return fitSamples(flag, source, data, shape[0], shape[1], progress);
    });
    return { values, fit, label: `${path.basename(source)} (${fit.count} samples, d = ${fit.dim}, ${fit.matrix})`, flag, source };
  }
  const values = await asInput(flag, source, () => {
    const arr = parseNumericFile(bytes, source);
    if (arr.shape.filter((s) => s !== 1).length > 1) {
      throw new TypeError(`expected a 1-D array of eigenvalues, got shape [${arr.shape.join(', ')}] (a matrix? use --cov; samples? use --samples)`);
    }
    return arr.data;
  });
  return { values, label: `${path.basename(source)} (d = ${values.length})`, flag, source };
}

/** The validated spectrum of the command's input (the default dataset when allowed). */
export async function loadSpectrum(v: Values, progress: Progress, fallback?: DatasetName): Promise<{ spectrum: Spectrum; label: string; fit?: FitInfo }> {
  const { values, label, flag, source, fit } = await loadEigenvalues(v, progress, fallback);
  const spectrum = await asInput(flag, source, () => prepareSpectrum(values, 'spectrum'));
  if (spectrum.clamped > 0) {
    process.stderr.write(`gaussdiff: ${spectrum.clamped} eigenvalue(s) of ${source} were -0 or negative round-off (|x| ≤ 1e-12·max) and were set to 0\n`);
  }
  return { spectrum, label, fit };
}
