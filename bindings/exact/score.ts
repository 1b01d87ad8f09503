/**
 * Wrong (misspecified) linear scores (docs/MATH-samplers.md §7): the sampler is driven by the
 * exact score of N(0, Σ̂) while the data are N(0, Σ).
 * - `scoreSpectrum` (§7a): Σ̂ = U diag(λ̂) Uᵀ shares Σ's eigenvectors; per eigen-direction the
 *   recursion runs on λ̂, the start and the targets use λ (the core's generalRunScore).
 * - `scoreCov` (§7b): any symmetric PSD Σ̂ = Û diag(λ̂) Ûᵀ; the recursion on λ̂ gives the transfer
 *   (M, w) (generalTransfer), the output covariance is P C₀ P + Û diag(w) Ûᵀ with P = Û diag(M) Ûᵀ,
 *   and one general (Bures) distance to N(m, Σ) (cpp gd_score_cov_project + gd_score_cov_laws); with means, the output mean
 *   m̂-driven per direction of Û (§7b, §8); KL from Σ^{-½} C Σ^{-½}'s eigenvalues (cpp
 *   gd_score_cov_kl, docs/score-errors.md "KL").
 */
import { badType, badValue } from '../runtime/errors.js';
import { prepareSpectrum, type Spectrum } from '../options/spectrum.js';
import { defaultPsdTolerance, psdEigh, scoreCovLaws, scoreCovProject, type MatrixInput, type ScoreCovProjection } from '../linalg/linalg.js';
import { generalTransferRaw, processAlphas, processLevels } from './core-general.js';
import { xMinusLog1p, type Kl, type Metric } from './metrics.js';

/** The data's eigenvalues paired with the score's (same eigenvectors), grouped by distinct pair. */
export interface ScorePairs {
  /** The score's λ̂ per distinct pair (ascending λ, then λ̂), padded to an even length with 1. */
  scoreValues: Float64Array;
  /** The data's λ per distinct pair (the targets), padded likewise. */
  values: Float64Array;
  /** Multiplicity of each pair (0 on padding). */
  weights: Float64Array;
  /** Index of each input eigen-direction among the pairs. */
  index: Int32Array;
}

/**
 * Validate `scoreSpectrum` (one λ̂ ≥ 0 per data eigenvalue, same order: the same eigenvectors;
 * round-off negatives clamped as for spectra) and group the (λ, λ̂) pairs.
 */
export function scorePairs(spectrum: Spectrum, scoreSpectrum: unknown): ScorePairs {
  if (!(scoreSpectrum instanceof Float64Array || scoreSpectrum instanceof Float32Array || Array.isArray(scoreSpectrum))) {
    throw badType('scoreSpectrum', scoreSpectrum, 'an array of numbers (the score\'s eigenvalues, in the data\'s order)');
  }
  if (scoreSpectrum.length !== spectrum.dim) {
    throw badValue('scoreSpectrum.length', scoreSpectrum.length, `the number of data eigenvalues (${spectrum.dim})`);
  }
  const lamHat = prepareSpectrum(scoreSpectrum as readonly number[], 'scoreSpectrum').eigenvalues;
  const lam = spectrum.eigenvalues;
  const d = spectrum.dim;
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => lam[i] - lam[j] || lamHat[i] - lamHat[j]);
  const index = new Int32Array(d);
  const vs: number[] = [];
  const hs: number[] = [];
  const ws: number[] = [];
  for (const i of order) {
    const k = vs.length - 1;
    if (k >= 0 && vs[k] === lam[i] && hs[k] === lamHat[i]) ws[k]++;
    else {
      vs.push(lam[i]);
      hs.push(lamHat[i]);
      ws.push(1);
    }
    index[i] = vs.length - 1;
  }
  const padded = vs.length + (vs.length % 2);
  const values = new Float64Array(padded).fill(1);
  const scoreValues = new Float64Array(padded).fill(1);
  const weights = new Float64Array(padded);
  values.set(vs);
  scoreValues.set(hs);
  weights.set(ws);
  return { scoreValues, values, weights, index };
}

/** Side of a square matrix input (rows, or √length of a flat one), for size checks before any work. */
export function matrixSide(name: string, m: unknown): number {
  if (m === null || typeof m !== 'object' || typeof (m as ArrayLike<unknown>).length !== 'number') {
    throw badType(name, m, 'a matrix (a Float64Array of n² entries, row-major, or an array of rows)');
  }
  const a = m as ArrayLike<unknown>;
  if (a.length > 0 && typeof a[0] === 'object' && a[0] !== null) return a.length;
  const n = Math.round(Math.sqrt(a.length));
  if (n * n !== a.length) throw badValue(`${name}.length`, a.length, 'a perfect square (n² entries, row-major) or give an array of rows');
  return n;
}

/** What a wrong-score run needs of the validated run: the coefficients' source and the start. */
export interface ScoreCovRun {
  coreId: number;
  params: Float64Array;
  processId: number;
  processParams: Float64Array;
  times: Float64Array;
  h: Float64Array | null;
  start: 'exact' | 'prior' | 'conventional';
}

/** The data's and the score's means of a wrong-score run, in data coordinates (null: zero). */
export interface ScoreCovMeans {
  /** The data's mean m (null: 0). */
  mean: Float64Array | null;
  /** The score's mean m̂ (null: the data's mean). */
  scoreMean: Float64Array | null;
  metric: Metric;
  /** Also W2 against the exact marginal at every grid point (one eigvalsh of n × n per point). */
  trajectory?: boolean;
}

export interface ScoreCovResult {
  /** W2(output, N(m, Σ)), null when not finite. */
  w2: number | null;
  /** The score's eigenvalues λ̂ (ascending). */
  scoreSpectrum: Float64Array;
  /** tr of the output covariance. */
  trace: number;
  /** |output mean − m| (only when a mean is given). */
  meanError?: number | null;
  /** KL(output ‖ data) and KL(data ‖ output) (metric 'kl' | 'both'); null where infinite. */
  kl?: Kl;
  /** With `trajectory`: W2 against N(α_k m, α_k² Σ + σ_k² I) at each grid point k (null: undefined). */
  trajectory?: (number | null)[];
}

/**
 * Ûᵀ x for Û row-major (column j = eigenvector j, as `eigh` returns it): a vector in data
 * coordinates in the eigenbasis (also the CLI's --mean with --cov, bin/metrics.ts).
 */
export function project(vectors: Float64Array, x: Float64Array): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const xk = x[k];
    if (xk !== 0) for (let j = 0; j < n; j++) out[j] += vectors[k * n + j] * xk;
  }
  return out;
}

/** Û y. */
function unproject(vectors: Float64Array, y: Float64Array): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += vectors[k * n + j] * y[j];
    out[k] = sum;
  }
  return out;
}

/**
 * The work of a wrong-score run that depends on the data and the score's covariances only: Σ̂'s
 * eigendecomposition (psdEigh) and G = ÛᵀΣÛ (scoreCovProject), made once per run, or once for all
 * the cells of a comparison (docs/score-errors.md).
 */
export interface PreparedScoreCov {
  n: number;
  /** The score's eigenvalues λ̂ (ascending). */
  values: Float64Array;
  /** Û, row-major, column j = eigenvector j. */
  vectors: Float64Array;
  projection: ScoreCovProjection;
}

/** Check the sizes, decompose Σ̂ and project Σ on its eigenvectors. */
export function prepareScoreCov(cov: MatrixInput, scoreCov: MatrixInput): PreparedScoreCov {
  const n = matrixSide('cov', cov);
  const nh = matrixSide('scoreCov', scoreCov);
  if (nh !== n) throw badValue('scoreCov', `${nh}×${nh}`, `the data covariance's size (${n}×${n})`);
  const { values, vectors } = psdEigh('scoreCov', scoreCov);
  return { n, values, vectors, projection: scoreCovProject(cov, vectors) };
}

/**
 * The exact W2 (and with `means.metric` the KL, with means the mean error) of a sampler driven by
 * the score of N(m̂, Σ̂) on data N(m, Σ), Σ̂ and Σ any symmetric PSD matrices of the same size
 * (docs/MATH-samplers.md §7b, docs/score-errors.md), from `prepareScoreCov`'s work: the recursion
 * on λ̂ and one eigvalsh (scoreCovLaws); KL adds two Cholesky factorisations, two triangular
 * solves, a Gram product and two eigvalsh.
 */
export function scoreCovW2Run(run: ScoreCovRun, prepared: PreparedScoreCov, means: ScoreCovMeans = { mean: null, scoreMean: null, metric: 'w2' }): ScoreCovResult {
  const { n, values, vectors } = prepared;
  const tr = generalTransferRaw(run, values, { levels: means.trajectory === true });
  const exact = run.start === 'exact';
  // Exact start C₀ = α₀² Σ + σ₀² I; the conventional one C₀ = prior·I (docs/MATH-samplers.md §6).
  const b = exact ? tr.noise : tr.prior;
  const gamma = new Float64Array(n);
  for (let i = 0; i < n; i++) gamma[i] = b * tr.M[i] * tr.M[i] + tr.w[i];
  const anyMean = means.mean !== null || means.scoreMean !== null;
  const wantKl = means.metric !== 'w2';
  const undefinedLaw = (): ScoreCovResult => ({
    w2: null, scoreSpectrum: values, trace: Number.NaN,
    ...(anyMean ? { meanError: null } : {}), ...(wantKl ? { kl: { forward: null, reverse: null } } : {}),
  });
  // λ̂ = 0 where the sampler divides by it (e.g. at a zero last level): an undefined law, not a number.
  if (!gamma.every(Number.isFinite) || !tr.M.every(Number.isFinite) || (anyMean && !tr.mu.every(Number.isFinite))) return undefinedLaw();
  const a = exact ? tr.signal : 0;
  // The means (§7b, §8): in Û's basis the output mean is M ∘ Ûᵀμ₀ + μ ∘ Ûᵀm̂ (μ₀ = α₀ m for the
  // exact start, 0 for the conventional one); δ = output mean − m, W2² = |δ|² + the covariance part.
  let delta: Float64Array | null = null;
  let meanSq = 0;
  const zero = (x: Float64Array | null) => x === null || x.every((v) => v === 0);
  // In Û's basis: the data mean tm = Ûᵀm, the score's th = Ûᵀm̂ (null: no mean terms).
  let tm: Float64Array | null = null;
  let th: Float64Array | null = null;
  // α_k: the exact start's mean α₀ m and the trajectory's targets α_k m (only with means).
  const alphas = anyMean ? processAlphas(run.processId, run.processParams, run.times) : null;
  const alpha0 = exact && alphas ? alphas[0] : 0;
  if (anyMean && !(zero(means.mean) && zero(means.scoreMean))) {
    tm = project(vectors, means.mean ?? new Float64Array(n));
    th = means.scoreMean === null ? tm : project(vectors, means.scoreMean);
    const dt = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      dt[i] = tr.M[i] * alpha0 * tm[i] + tr.mu[i] * th[i] - tm[i];
      meanSq += dt[i] * dt[i];
    }
    delta = unproject(vectors, dt);
  }
  const r = scoreCovLaws(prepared.projection, tr.M, gamma, a, wantKl ? { delta } : null);
  const w2sq = r.w2sq + meanSq;
  const result: ScoreCovResult = { w2: Number.isFinite(w2sq) ? Math.sqrt(w2sq) : null, scoreSpectrum: values, trace: r.trace };
  if (anyMean) result.meanError = Math.sqrt(meanSq);
  if (r.kl) result.kl = klFromTerms(r.kl);
  if (tr.levels) {
    // Grid point k against its exact marginal N(α_k m, α_k² Σ + σ_k² I) (docs/MATH-samplers.md §6):
    // the output N(M_k μ₀ + μ_k m̂, a·M_k G M_k + diag(b M_k² + w_k)) in Û's basis, the target
    // α_k² G + σ_k² I there (scoreCovLaws' target), the means' part |M_k α₀ tm + μ_k th − α_k tm|².
    result.trajectory = tr.levels.map((lv, k) => {
      const gk = new Float64Array(n);
      for (let i = 0; i < n; i++) gk[i] = b * lv.M[i] * lv.M[i] + lv.w[i];
      if (!gk.every(Number.isFinite) || !lv.M.every(Number.isFinite)) return null;
      const [a2, s2] = processLevels(run.processId, run.processParams, run.times[k]);
      // The last point of a grid that ends at the data (α = 1, σ = 0) is the final run above.
      const w2sqk = k === tr.levels!.length - 1 && a2 === 1 && s2 === 0
        ? r.w2sq
        : scoreCovLaws(prepared.projection, lv.M, gk, a, null, { target: { a2, s2 } }).w2sq;
      let msq = 0;
      if (tm && th) {
        for (let i = 0; i < n; i++) {
          const e = lv.M[i] * alpha0 * tm[i] + lv.mu[i] * th[i] - alphas![k] * tm[i];
          msq += e * e;
        }
      }
      const total = w2sqk + msq;
      return Number.isFinite(total) ? Math.sqrt(total) : null;
    });
  }
  return result;
}

/**
 * KL(N(μ, C) ‖ N(m, Σ)) = ½ Σ (ρ − 1 − ln ρ) + ½ δᵀΣ⁻¹δ with ρ = eig(Σ^{-½} C Σ^{-½}), and
 * KL(N(m, Σ) ‖ N(μ, C)) the same with ρ' = eig(C^{-½} Σ C^{-½}) and δᵀC⁻¹δ (docs/score-errors.md
 * "KL"; each term `x − log1p(x)` as in docs/metrics.md §2). Both null when Σ or C is singular (a
 * Cholesky factorisation fails or has a pivot ≤ tol·max), or ρ_min ≤ tol·ρ_max in either
 * direction (klGaussian's rule, tol = defaultPsdTolerance(n)).
 */
function klFromTerms(t: NonNullable<ReturnType<typeof scoreCovLaws>['kl']>): Kl {
  const none = { forward: null, reverse: null };
  if (t.singular) return none;
  const n = t.rhoForward.length;
  const tol = defaultPsdTolerance(n);
  const sum = (rho: Float64Array, quad: number) => {
    let s = quad;
    for (const x of rho) s += xMinusLog1p(x - 1);
    return 0.5 * s;
  };
  if (!(t.rhoForward[0] > tol * t.rhoForward[n - 1]) || !(t.rhoReverse[0] > tol * t.rhoReverse[n - 1])) return none;
  const forward = sum(t.rhoForward, t.sigmaQuad);
  const reverse = sum(t.rhoReverse, t.covQuad);
  return { forward: Number.isFinite(forward) ? forward : null, reverse: Number.isFinite(reverse) ? reverse : null };
}
