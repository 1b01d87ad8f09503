/**
 * A score fitted on N samples (docs/MATH-samplers.md §7c): the expected error of a sampler whose
 * score is that of N(0, Σ̂), Σ̂ the sample covariance of N draws from the data N(0, Σ).
 * - `delta`: the delta-method value for the ideal sampler (output N(0, Σ̂)),
 *   E W2² ≈ (1/(2ν)) Σᵢⱼ λᵢλⱼ/(λᵢ+λⱼ) + tr Σ/(4ν), ν = N − ddof the estimator's degrees of freedom;
 * - `monteCarlo`: seeded draws of Σ̂ (N samples, covariance with ddof), each run exactly with
 *   `scoreCov` (one eigh + recursion + Bures, d³), mean ± standard error of W2 and W2², and the
 *   same for the ideal sampler (W2(N(0, Σ̂), N(0, Σ)), a check of the delta method);
 * - `chi2` (with `dof` = k): a commuting estimator λ̂ = λ χ²_k / k per eigenvalue (e.g. a
 *   Fourier-averaged estimate for stationary textures): exact by Gauss quadrature over χ²_k, for
 *   this sampler (through `scoreSpectrum`) and in closed form for the ideal sampler,
 *   E W2² = Σᵢ 2λᵢ (1 − Γ((k+1)/2) / (Γ(k/2) √(k/2))).
 * The data are taken in their eigenbasis (Σ = diag(λ)): W2 is invariant under rotations.
 */
import { badValue, checkOptions, checkPositiveInteger } from '../runtime/errors.js';
import { prepareSpectrum, type SpectrumInput } from '../options/spectrum.js';
import { covariance, eigh, w2Gaussian, DEFAULT_DDOF } from '../linalg/linalg.js';
import { createRng, type Seed } from '../sampling/random.js';
import { runSamplerSync, type SamplerRunOptions } from './run-sampler.js';

export interface ScoreSamplesOptions {
  /** N: the samples the score's covariance is estimated from (N > ddof). */
  samples: number;
  /** Monte Carlo draws of Σ̂ (default 20; 0: none). Each costs a d³ run. */
  draws?: number;
  /** Seed of the draws (default 0). */
  seed?: Seed;
  /** The estimator divides by N − ddof (default 1, as `covariance`). */
  ddof?: number;
  /** k for the χ² (stationary) estimator (default: none). */
  dof?: number;
  /** Gauss nodes of the χ² quadrature (default 48). */
  nodes?: number;
}

export interface MeanSe { mean: number; se: number }

export interface ScoreSamplesResult {
  samples: number;
  ddof: number;
  /** Delta method, ideal sampler. */
  delta: { w2sq: number; w2: number };
  /** Monte Carlo over draws of Σ̂ (absent with draws = 0). A draw with an undefined W2 counts in `undefined`. */
  monteCarlo?: { draws: number; seed: string; w2: MeanSe; w2sq: MeanSe; ideal: { w2: MeanSe; w2sq: MeanSe }; undefined: number };
  /** The χ² estimator with k degrees of freedom (with `dof`). */
  chi2?: { dof: number; nodes: number; w2sq: number; w2: number; ideal: { w2sq: number; w2: number } };
}

/** (1/(2ν)) Σᵢⱼ λᵢλⱼ/(λᵢ+λⱼ) + tr Σ/(4ν) over the input eigenvalues. */
export function deltaScoreSamples(lambda: ArrayLike<number>, nu: number): number {
  let s = 0;
  let tr = 0;
  for (let i = 0; i < lambda.length; i++) {
    tr += lambda[i];
    for (let j = 0; j < lambda.length; j++) {
      const t = lambda[i] + lambda[j];
      if (t > 0) s += lambda[i] * lambda[j] / t;
    }
  }
  return s / (2 * nu) + tr / (4 * nu);
}

/** log Γ(x), x > 0 (Lanczos, g = 7, 9 terms: ≈ 1e-15 relative). */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Gauss quadrature for E f(X), X ~ χ²_k: nodes and weights (summing to 1) from the Jacobi matrix of
 * the generalized Laguerre weight y^{k/2−1} e^{−y} (Golub–Welsch), x = 2y.
 */
export function chi2Quadrature(k: number, q: number): { x: Float64Array; w: Float64Array } {
  const a = k / 2 - 1;
  const J = new Float64Array(q * q);
  for (let j = 0; j < q; j++) {
    J[j * q + j] = 2 * j + a + 1;
    if (j + 1 < q) {
      const b = Math.sqrt((j + 1) * (j + 1 + a));
      J[j * q + j + 1] = b;
      J[(j + 1) * q + j] = b;
    }
  }
  const { values, vectors } = eigh(J, q);
  const x = new Float64Array(q);
  const w = new Float64Array(q);
  for (let j = 0; j < q; j++) {
    x[j] = 2 * values[j];
    w[j] = vectors[j] * vectors[j]; // first component of eigenvector j
  }
  return { x, w };
}

function meanSe(xs: number[]): MeanSe {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const v = n > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : Number.NaN;
  return { mean, se: Math.sqrt(v / n) };
}

/**
 * The expected error of a sampler whose score is fitted on `samples` draws of the data
 * (docs/MATH-samplers.md §7c). `run` are the options of one run (sampler or scheme, grid, start…),
 * without a score option. After `init()`.
 * @example scoreSamplesSync([0.5, 2], { sampler: 'heun', steps: 10 }, { samples: 100 }).delta.w2
 */
export function scoreSamplesSync(input: SpectrumInput, run: SamplerRunOptions, options: ScoreSamplesOptions): ScoreSamplesResult {
  const spectrum = prepareSpectrum(input);
  checkOptions(run, 'run');
  checkOptions(options, 'scoreSamples');
  for (const key of ['scoreSpectrum', 'scoreCov', 'cov', 'means'] as const) {
    if (run[key] !== undefined) throw badValue(key, '(given)', 'absent with scoreSamples (the score is the fitted one)');
  }
  const N = checkPositiveInteger('scoreSamples', options.samples);
  const ddof = options.ddof ?? DEFAULT_DDOF;
  if (!(ddof === 0 || ddof === 1)) throw badValue('ddof', ddof, '0 or 1');
  if (N - ddof < 1) throw badValue('scoreSamples', N, `> ddof = ${ddof}`);
  const draws = options.draws === undefined ? 20 : options.draws === 0 ? 0 : checkPositiveInteger('draws', options.draws);
  const lambda = spectrum.eigenvalues;
  const d = spectrum.dim;
  const nu = N - ddof;
  const dw = deltaScoreSamples(lambda, nu);
  const result: ScoreSamplesResult = { samples: N, ddof, delta: { w2sq: dw, w2: Math.sqrt(dw) } };
  // Validate the run once (a bad sampler name fails here, before any draw).
  runSamplerSync(lambda.slice(0, Math.min(d, 2)), { ...run, variances: false });
  if (draws > 0) {
    const seed = options.seed ?? 0;
    const rng = createRng(seed);
    const cov = new Float64Array(d * d);
    for (let i = 0; i < d; i++) cov[i * d + i] = lambda[i];
    const sd = Float64Array.from(lambda, Math.sqrt);
    const w2: number[] = [];
    const ideal: number[] = [];
    let undef = 0;
    const x = new Float64Array(N * d);
    for (let k = 0; k < draws; k++) {
      rng.fillNormal(x);
      for (let r = 0; r < N; r++) for (let i = 0; i < d; i++) x[r * d + i] *= sd[i];
      const scoreCov = covariance(x, N, d, { ddof }).cov;
      const r = runSamplerSync(null, { ...run, cov, scoreCov });
      if (r.w2 === null) undef++;
      else w2.push(r.w2);
      ideal.push(w2Gaussian(null, scoreCov, null, cov));
    }
    result.monteCarlo = {
      draws, seed: String(seed), undefined: undef,
      w2: meanSe(w2), w2sq: meanSe(w2.map((v) => v * v)),
      ideal: { w2: meanSe(ideal), w2sq: meanSe(ideal.map((v) => v * v)) },
    };
  }
  if (options.dof !== undefined) {
    const k = checkPositiveInteger('dof', options.dof);
    const q = options.nodes === undefined ? 48 : checkPositiveInteger('nodes', options.nodes);
    const { x, w } = chi2Quadrature(k, q);
    // One exact run over (λᵢ, λᵢ x_j / k) pairs: the output variance of each pair.
    const lam = new Float64Array(d * q);
    const hat = new Float64Array(d * q);
    for (let i = 0; i < d; i++) for (let j = 0; j < q; j++) { lam[i * q + j] = lambda[i]; hat[i * q + j] = lambda[i] * x[j] / k; }
    const r = runSamplerSync(lam, { ...run, scoreSpectrum: hat, variances: true });
    let s = 0;
    for (let i = 0; i < d; i++) for (let j = 0; j < q; j++) s += w[j] * (Math.sqrt(r.variances![i * q + j]) - Math.sqrt(lambda[i])) ** 2;
    const c = Math.exp(logGamma((k + 1) / 2) - logGamma(k / 2)) / Math.sqrt(k / 2);
    const idealSq = lambda.reduce((a, l) => a + 2 * l * (1 - c), 0);
    result.chi2 = { dof: k, nodes: q, w2sq: s, w2: Math.sqrt(s), ideal: { w2sq: idealSq, w2: Math.sqrt(idealSq) } };
  }
  return result;
}
