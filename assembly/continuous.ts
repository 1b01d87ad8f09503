// Exact solution of the α-family of generative processes (MATH §2; the paper's Theorem 1 and
// Proposition 3, the α-family from the authors' slides). α = 1 is the backward SDE, α = 0 the
// probability-flow ODE.
import { integratedBeta, marginal, signalWeight, scheduleT } from './schedule';
import { w2Term, laneSum } from './w2';

/**
 * Variance at time t of the α-process started at T with variance vT, written as
 *   v(t) = λ_t + e^{−2α(B_T − B_t)} (λ_t/λ_T)^{1+α} (vT − λ_T),
 * which is MATH §2's formula with its first and last terms gathered: it is exactly λ_t when
 * vT = λ_T, and `vTminusLambdaT` is passed in so the caller can form it without cancellation.
 */
export function alphaVariance(lambda: f64, t: f64, alpha: f64, vTminusLambdaT: f64): f64 {
  const T = scheduleT();
  const lt = marginal(lambda, t);
  const lT = marginal(lambda, T);
  const damping = Math.exp(-2.0 * alpha * (integratedBeta(T) - integratedBeta(t)));
  return lt + damping * Math.pow(lt / lT, 1.0 + alpha) * vTminusLambdaT;
}

/** v_T − λ_T for the two starts: 0 for p_T, 1 − λ_T = e^{−2B_T}(1 − λ) for N(0, I). */
// @ts-ignore: decorator
@inline function startGap(lambda: f64, standardStart: bool): f64 {
  return standardStart ? signalWeight(scheduleT()) * (1.0 - lambda) : 0.0;
}

/**
 * Σ_i w_i (√v_i(ε) − √λ_i)² of the α-process at t = eps against the data, for both starts.
 * out[0]: start p_T (the pure truncation error), out[1]: start N(0, I).
 * Arrays are padded to an even length (padding has weight 0).
 */
export function continuousW2sq(lam: usize, w: usize, n: i32, eps: f64, alpha: f64, out: usize): void {
  let sumP = f64x2.splat(0.0);
  let sumN = f64x2.splat(0.0);
  for (let i = 0; i < n; i += 2) {
    const off = <usize>i << 3;
    const l0 = load<f64>(lam + off);
    const l1 = load<f64>(lam + off, 8);
    const L = f64x2(l0, l1);
    const W = v128.load(w + off);
    const vP = f64x2(alphaVariance(l0, eps, alpha, 0.0), alphaVariance(l1, eps, alpha, 0.0));
    const vN = f64x2(
      alphaVariance(l0, eps, alpha, startGap(l0, true)),
      alphaVariance(l1, eps, alpha, startGap(l1, true)),
    );
    sumP = f64x2.add(sumP, f64x2.mul(W, w2Term(vP, L)));
    sumN = f64x2.add(sumN, f64x2.mul(W, w2Term(vN, L)));
  }
  store<f64>(out, laneSum(sumP));
  store<f64>(out, laneSum(sumN), 8);
}
