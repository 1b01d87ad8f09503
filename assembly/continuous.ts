// Exact solution of the α-family of generative processes (docs/MATH.md §2; the paper's Theorem 1 and
// Proposition 3, the α-family from the authors' slides). α = 1 is the backward SDE, α = 0 the
// probability-flow ODE.
import { horizon, integratedBeta, marginalFromWeights, noiseWeight, signalWeight } from './schedule';
import { w2Term, laneSum } from './w2';

/**
 * Variance at time t of the α-process started at T with variance vT (docs/MATH.md §2):
 *   v(t) = e^{−2α(B_T − B_t)} (λ_t/λ_T)^{1+α} vT + λ_t − e^{−2α(B_T − B_t)} λ_t^{1+α} λ_T^{−α},
 * evaluated as v = λ_t (1 − R) + R (λ_t/λ_T) vT with R = (e^{−2(B_T − B_t)} λ_t/λ_T)^α, where
 * e^{−2(B_T − B_t)} λ_t/λ_T = 1 − (1 − e^{−2(B_T − B_t)})/λ_T ∈ [0, 1]: every term is ≥ 0, so
 * nothing cancels for huge λ and nothing overflows for large α (R only underflows). R = 1 at
 * α = 0 (the ODE: v = λ_t vT/λ_T). (The start p_T, vT = λ_T, gives exactly λ_t.)
 * lt = λ_t, lT = λ_T, gone = 1 − e^{−2(B_T − B_t)}: the caller computes the factors that depend
 * on t only once, not once per eigenvalue.
 */
// @ts-ignore: decorator
@inline function alphaVariance(lt: f64, lT: f64, gone: f64, alpha: f64, vT: f64): f64 {
  const logRatio = Math.log1p(-gone / lT); // log(e^{−2(B_T − B_t)} λ_t/λ_T) ≤ 0
  const R = alpha == 0.0 ? 1.0 : Math.exp(alpha * logRatio);
  const oneMinusR = alpha == 0.0 ? 0.0 : -Math.expm1(alpha * logRatio);
  return lt * oneMinusR + R * (lt / lT) * vT;
}

/**
 * Σ_i w_i (√v_i(ε) − √λ_i)² of the α-process at t = eps against the data, for both starts.
 * out[0]: start p_T (the pure truncation error: v = λ_ε), out[1]: start N(0, I).
 * Arrays are padded to an even length (padding has weight 0). pp: the schedule [βmin, βmax, T].
 */
export function continuousW2sq(pp: usize, lam: usize, w: usize, n: i32, eps: f64, alpha: f64, out: usize): void {
  const T = horizon(pp);
  const signalT = signalWeight(pp, T), noiseT = noiseWeight(pp, T);
  const signalE = signalWeight(pp, eps), noiseE = noiseWeight(pp, eps);
  const gone = -Math.expm1(-2.0 * (integratedBeta(pp, T) - integratedBeta(pp, eps))); // 1 − e^{−2(B_T − B_ε)}
  let sumP = f64x2.splat(0.0);
  let sumN = f64x2.splat(0.0);
  for (let i = 0; i < n; i += 2) {
    const off = <usize>i << 3;
    const l0 = load<f64>(lam + off);
    const l1 = load<f64>(lam + off, 8);
    const L = f64x2(l0, l1);
    const W = v128.load(w + off);
    const lt0 = marginalFromWeights(signalE, noiseE, l0), lt1 = marginalFromWeights(signalE, noiseE, l1); // λ_ε
    const lT0 = marginalFromWeights(signalT, noiseT, l0), lT1 = marginalFromWeights(signalT, noiseT, l1); // λ_T
    const vP = f64x2(lt0, lt1);
    const vN = f64x2(alphaVariance(lt0, lT0, gone, alpha, 1.0), alphaVariance(lt1, lT1, gone, alpha, 1.0));
    sumP = f64x2.add(sumP, f64x2.mul(W, w2Term(vP, L)));
    sumN = f64x2.add(sumN, f64x2.mul(W, w2Term(vN, L)));
  }
  store<f64>(out, laneSum(sumP));
  store<f64>(out, laneSum(sumN), 8);
}

/**
 * Per-eigenvalue output variance v_i(ε) of the α-process at t = eps (docs/MATH.md §2), for one
 * start: exact ≠ 0 is p_T (v = λ_ε, the truncation error only), exact = 0 is N(0, I) (v_T = 1).
 * The same terms as continuousW2sq, one value per entry of lam (n of them, no padding needed): the
 * per-direction laws behind KL and the per-eigenvalue errors (docs/metrics.md §2–3).
 */
export function continuousVariances(pp: usize, lam: usize, n: i32, eps: f64, alpha: f64, exact: i32, out: usize): void {
  const T = horizon(pp);
  const signalT = signalWeight(pp, T), noiseT = noiseWeight(pp, T);
  const signalE = signalWeight(pp, eps), noiseE = noiseWeight(pp, eps);
  const gone = -Math.expm1(-2.0 * (integratedBeta(pp, T) - integratedBeta(pp, eps))); // 1 − e^{−2(B_T − B_ε)}
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 3;
    const l = load<f64>(lam + off);
    const lt = marginalFromWeights(signalE, noiseE, l); // λ_ε
    store<f64>(out + off, exact != 0 ? lt : alphaVariance(lt, marginalFromWeights(signalT, noiseT, l), gone, alpha, 1.0));
  }
}
