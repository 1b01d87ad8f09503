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
 *   this sampler (through `scoreSpectrum`; chi2Quadrature) and in closed form for the ideal sampler,
 *   E W2² = Σᵢ 2λᵢ (1 − Γ((k+1)/2) / (Γ(k/2) √(k/2))).
 * The data are taken in their eigenbasis (Σ = diag(λ)): W2 is invariant under rotations.
 */
import { badValue, checkOptions, checkPositiveInteger } from '../runtime/errors.js';
import { prepareSpectrum, type SpectrumInput } from '../options/spectrum.js';
import { covariance, eigh, w2Gaussian, DEFAULT_DDOF } from '../linalg/linalg.js';
import { createRng, type Seed } from '../sampling/random.js';
import { runSamplerSync, type SamplerRunOptions } from './run-sampler.js';
import * as dm from '../runtime/detmath.js';

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
  /** Gauss nodes of the χ² quadrature (default 32). */
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
export function deltaScoreSamples(lambdaInput: SpectrumInput, nu: number): number {
  const lambda = prepareSpectrum(lambdaInput, 'lambda').eigenvalues;
  if (typeof nu !== 'number' || !(nu > 0) || !Number.isFinite(nu)) throw badValue('nu', nu, 'a finite number > 0 (the estimator\'s degrees of freedom)');
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
  if (x < 0.5) return dm.log(Math.PI / Math.abs(dm.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * dm.log(2 * Math.PI) + (x + 0.5) * dm.log(t) - t + dm.log(a);
}

/** Nodes and weights (summing to 1) of the Gauss rule of a Jacobi matrix (Golub–Welsch). */
function gaussFromJacobi(alpha: ArrayLike<number>, beta: ArrayLike<number>, q: number): { x: Float64Array; w: Float64Array } {
  const J = new Float64Array(q * q);
  for (let j = 0; j < q; j++) {
    J[j * q + j] = alpha[j];
    if (j + 1 < q) J[j * q + j + 1] = J[(j + 1) * q + j] = Math.sqrt(beta[j + 1]);
  }
  const { values, vectors } = eigh(J, q);
  const w = new Float64Array(q);
  for (let j = 0; j < q; j++) w[j] = vectors[j] * vectors[j]; // first component of eigenvector j
  return { x: values, w };
}

/**
 * Gauss quadrature for E f(X), X ~ χ²_k, in the variable s = √(X/2) (weight ∝ s^{k−1} e^{−s²} on
 * [0, ∞)): f(√x) is then smooth in s, so the rule converges fast even for k = 1, 2 (in x the
 * square root of the W2 term is not smooth at 0). The recurrence comes from the Stieltjes
 * procedure on a discretisation of the weight by 400-point Gauss–Legendre on [0, √(k/2) + 10]
 * (the weight beyond is < e^{−100}); a polynomial in s of degree < 2q is integrated exactly.
 */
export function chi2Quadrature(k: number, q: number): { x: Float64Array; w: Float64Array } {
  checkPositiveInteger('k', k);
  if (checkPositiveInteger('q', q) > 100) throw badValue('q', q, 'at most 100');
  const P = 400;
  const L = Math.sqrt(k / 2) + 10;
  // Legendre on [−1, 1]: α = 0, β_j = j²/(4j² − 1).
  const leg = gaussFromJacobi(new Float64Array(P), Float64Array.from({ length: P }, (_, j) => (j === 0 ? 2 : j * j / (4 * j * j - 1))), P);
  const t = Float64Array.from(leg.x, (u) => (u + 1) * L / 2);
  const om = Float64Array.from(leg.w, (w, i) => w * dm.exp((k - 1) * dm.log(t[i]) - t[i] * t[i]));
  const tot = om.reduce((a, b) => a + b, 0);
  for (let i = 0; i < P; i++) om[i] /= tot;
  // Stieltjes: orthonormal vectors p_j on the discrete measure.
  const alpha = new Float64Array(q);
  const beta = new Float64Array(q + 1);
  let prev = new Float64Array(P);
  let cur = new Float64Array(P).fill(1);
  beta[0] = 1;
  for (let j = 0; j < q; j++) {
    let a = 0;
    for (let i = 0; i < P; i++) a += om[i] * t[i] * cur[i] * cur[i];
    alpha[j] = a;
    const next = new Float64Array(P);
    for (let i = 0; i < P; i++) next[i] = (t[i] - a) * cur[i] - (j > 0 ? Math.sqrt(beta[j]) : 0) * prev[i];
    let nrm = 0;
    for (let i = 0; i < P; i++) nrm += om[i] * next[i] * next[i];
    beta[j + 1] = nrm;
    const r = Math.sqrt(nrm);
    for (let i = 0; i < P; i++) next[i] /= r;
    prev = cur;
    cur = next;
  }
  const g = gaussFromJacobi(alpha, beta, q);
  return { x: Float64Array.from(g.x, (sv) => 2 * sv * sv), w: g.w };
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
    const q = options.nodes === undefined ? 32 : checkPositiveInteger('nodes', options.nodes);
    if (q > 100) throw badValue('nodes', q, 'at most 100 (the discretised Stieltjes recurrence of chi2Quadrature)');
    const { x, w } = chi2Quadrature(k, q);
    // One exact run over (λᵢ, λᵢ x_j / k) pairs: the output variance of each pair.
    const lam = new Float64Array(d * q);
    const hat = new Float64Array(d * q);
    for (let i = 0; i < d; i++) for (let j = 0; j < q; j++) { lam[i * q + j] = lambda[i]; hat[i * q + j] = lambda[i] * x[j] / k; }
    const r = runSamplerSync(lam, { ...run, scoreSpectrum: hat, variances: true });
    let s = 0;
    for (let i = 0; i < d; i++) for (let j = 0; j < q; j++) s += w[j] * (Math.sqrt(r.variances![i * q + j]) - Math.sqrt(lambda[i])) ** 2;
    const c = dm.exp(logGamma((k + 1) / 2) - logGamma(k / 2)) / Math.sqrt(k / 2);
    const idealSq = lambda.reduce((a, l) => a + 2 * l * (1 - c), 0);
    result.chi2 = { dof: k, nodes: q, w2sq: s, w2: Math.sqrt(s), ideal: { w2sq: idealSq, w2: Math.sqrt(idealSq) } };
  }
  return result;
}
