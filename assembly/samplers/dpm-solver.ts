// DPM-Solver and DPM-Solver++ (LuChengTHU/dpm-solver dpm_solver_pytorch.py, DPM_Solver.sample) on a
// VP process, per eigenvalue (docs/MATH-samplers.md §5.13, §5.17). The grid is the sampler's own
// outer grid t_0 > … > t_K (bindings/samplers/dpm_solver.ts), with t = 0 appended when
// `denoise_to_zero` (the last step is then x' = x̂0(x, t_end)).
// Model outputs are affine per eigenvalue (VP coordinates, λ_t = α_t²λ + σ_t²):
//   data prediction  x̂0 = c x + d m,  c = α_t λ/λ_t,  d = σ_t²/λ_t
//   noise prediction ε̂  = c x + d m,  c = σ_t/λ_t,    d = −α_t σ_t/λ_t
// multistep: state (x, M_{k−1}, M_{k−2}) with M_k = the model output at the current x (computed
// from x, not stored), x' = a x + w₀ M_k + w₁ M_{k−1} + w₂ M_{k−2};
// singlestep(_fixed): one step = up to three stages composed into x' = A x + b m (slots 1, 2 unused).
import { setA, setB, col } from './coefficients';
import { processSignal, processNoise } from '../processes/dispatch';

// Parameters, in the order of the spec (bindings/samplers/dpm_solver.ts):
// [algorithm_type, correcting_x0_fn, steps, t_start, t_end, order, skip_type, method,
//  lower_order_final, denoise_to_zero, solver_type]
const P_ALGORITHM: i32 = 0; // 0 dpmsolver (noise prediction), 1 dpmsolver++ (data prediction)
const P_STEPS: i32 = 2;
const P_ORDER: i32 = 5;
const P_SKIP: i32 = 6; // 0 time_uniform, 1 logSNR, 2 time_quadratic
const P_METHOD: i32 = 7; // 0 multistep, 1 singlestep, 2 singlestep_fixed
const P_LOWER_ORDER_FINAL: i32 = 8;
const P_DENOISE_TO_ZERO: i32 = 9;
const P_SOLVER: i32 = 10; // 0 dpmsolver, 1 taylor

// Table row.
const DS_MODE: i32 = 0; // 0 multistep (or the denoise-to-zero step), 1 singlestep composition
const DS_PRED: i32 = 1; // 1 data prediction, 0 noise prediction (of this step's model outputs)
const DS_AS: i32 = 2; // α, σ at the step's start s
const DS_SS: i32 = 3;
const DS_A: i32 = 4; // multistep: a, w₀, w₁, w₂
const DS_W0: i32 = 5;
const DS_W1: i32 = 6;
const DS_W2: i32 = 7;
// singlestep: x₁ = a₁x + e₁₀M_s; x₂ = a₂x + e₂₀M_s + e₂₁M_{s1}; x' = a₃x + f₀M_s + f₁M_{s1} + f₂M_{s2}
const DS_A1: i32 = 8;
const DS_E10: i32 = 9;
const DS_A2: i32 = 10;
const DS_E20: i32 = 11;
const DS_E21: i32 = 12;
const DS_A3: i32 = 13;
const DS_F0: i32 = 14;
const DS_F1: i32 = 15;
const DS_F2: i32 = 16;
const DS_AS1: i32 = 17; // α, σ at s1, s2
const DS_SS1: i32 = 18;
const DS_AS2: i32 = 19;
const DS_SS2: i32 = 20;
export const DPM_SOLVER_STRIDE: i32 = 21;

// @ts-ignore: decorator
@inline function param(params: usize, i: i32): f64 {
  return load<f64>(params + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function put(row: usize, c: i32, v: f64): void {
  store<f64>(row + (<usize>c << 3), v);
}

/** Half log-SNR ℓ = log α − log σ from α², σ². */
// @ts-ignore: decorator
@inline export function halfLogSnr(a2: f64, s2: f64): f64 {
  return 0.5 * (Math.log(a2) - Math.log(s2));
}

/** torch.linspace(a, b, n)[i] (the CPU kernel: the first half from a, the second from b). */
export function torchLinspaceAt(a: f64, b: f64, n: i32, i: i32): f64 {
  if (n == 1) return a;
  const step = (b - a) / <f64>(n - 1);
  return i < n / 2 ? a + step * <f64>i : b - step * <f64>(n - 1 - i);
}

/**
 * DPM-Solver's inner grid of a singlestep step from s to t with `order` stages: r_j = (ℓ(u_j) − ℓ(s))/h,
 * u = get_time_steps(skip_type, s, t, order) (time_uniform, time_quadratic: linspace in t or √t;
 * logSNR: linspace in ℓ).
 */
function innerRatio(skip: i32, process: i32, pp: usize, s: f64, t: f64, ls: f64, lt: f64, order: i32, j: i32): f64 {
  const h = lt - ls;
  if (skip == 1) return (torchLinspaceAt(ls, lt, order + 1, j) - ls) / h;
  let u: f64;
  if (skip == 2) {
    const v = torchLinspaceAt(Math.sqrt(s), Math.sqrt(t), order + 1, j);
    u = v * v;
  } else {
    u = torchLinspaceAt(s, t, order + 1, j);
  }
  return (halfLogSnr(processSignal(process, pp, u), processNoise(process, pp, u)) - ls) / h;
}

/** Order of multistep step k (the library's `step` = k + 1), docs/MATH-samplers.md §5.17. */
export function multistepOrder(k: i32, order: i32, steps: i32, lowerOrderFinal: bool, finalBelow: i32): i32 {
  const step = k + 1;
  if (step < order) return step;
  if (lowerOrderFinal && steps < finalBelow) return min(order, steps + 1 - step);
  return order;
}

/** Orders of the singlestep steps (get_orders_and_timesteps_for_singlestep_solver), into out; returns K. */
function singlestepOrders(steps: i32, order: i32, fixed: bool, out: usize): i32 {
  let K = 0;
  if (fixed) {
    K = steps / order;
    for (let i = 0; i < K; i++) store<i32>(out + (<usize>i << 2), order);
    return K;
  }
  if (order == 3) {
    K = steps / 3 + 1;
    for (let i = 0; i < K; i++) store<i32>(out + (<usize>i << 2), 3);
    if (steps % 3 == 0) {
      store<i32>(out + (<usize>(K - 2) << 2), 2);
      store<i32>(out + (<usize>(K - 1) << 2), 1);
    } else {
      store<i32>(out + (<usize>(K - 1) << 2), steps % 3);
    }
  } else if (order == 2) {
    K = steps / 2 + steps % 2;
    for (let i = 0; i < K; i++) store<i32>(out + (<usize>i << 2), 2);
    if (steps % 2 == 1) store<i32>(out + (<usize>(K - 1) << 2), 1);
  } else {
    K = steps;
    for (let i = 0; i < K; i++) store<i32>(out + (<usize>i << 2), 1);
  }
  return K;
}

export function dpmSolverPrepare(params: usize, process: i32, pp: usize, times: usize, K: i32): usize {
  const data = param(params, P_ALGORITHM) == 1.0;
  const steps = <i32>param(params, P_STEPS);
  const order = <i32>param(params, P_ORDER);
  const skip = <i32>param(params, P_SKIP);
  const method = <i32>param(params, P_METHOD);
  const lof = param(params, P_LOWER_ORDER_FINAL) != 0.0;
  const dtz = param(params, P_DENOISE_TO_ZERO) != 0.0;
  const taylor = param(params, P_SOLVER) == 1.0;
  const table = heap.alloc(<usize>K * DPM_SOLVER_STRIDE * 8);
  memory.fill(table, 0, <usize>K * DPM_SOLVER_STRIDE * 8);
  const nSolve = dtz ? K - 1 : K;
  // the solver's own steps
  const orders = heap.alloc(<usize>(steps + 2) << 2);
  if (method != 0) {
    const n = singlestepOrders(steps, order, method == 2, orders);
    if (n != nSolve) throw new Error('gaussdiff core: dpm_solver grid has ' + nSolve.toString() + ' steps, its orders ' + n.toString());
  }
  const sg: f64 = data ? 1.0 : -1.0; // the sign of the φ₂-type terms (data: +, noise: −)
  let l1 = 0.0, l2 = 0.0; // ℓ at the previous two grid points (multistep)
  for (let k = 0; k < K; k++) {
    const s = load<f64>(times + (<usize>k << 3)), t = load<f64>(times + (<usize>(k + 1) << 3));
    const as2 = processSignal(process, pp, s), ss2 = processNoise(process, pp, s);
    const as = Math.sqrt(as2), ss = Math.sqrt(ss2);
    const row = table + ((<usize>k * DPM_SOLVER_STRIDE) << 3);
    put(row, DS_AS, as);
    put(row, DS_SS, ss);
    const ls = halfLogSnr(as2, ss2);
    if (k == nSolve) {
      // denoise_to_zero: x' = x̂0(x, t_end)
      put(row, DS_PRED, 1.0);
      put(row, DS_W0, 1.0);
      continue;
    }
    put(row, DS_PRED, data ? 1.0 : 0.0);
    const at2 = processSignal(process, pp, t), st2 = processNoise(process, pp, t);
    const at = Math.sqrt(at2), st = Math.sqrt(st2);
    const lt = halfLogSnr(at2, st2);
    const h = lt - ls;
    const hh = data ? -h : h;
    const F = data ? at : st; // α_t (data) or σ_t (noise)
    const ax = data ? st / ss : Math.exp(0.5 * (Math.log(at2) - Math.log(as2)));
    const phi1 = Math.expm1(hh);
    if (method == 0) {
      const p = multistepOrder(k, order, steps, lof, 10);
      let w0 = -F * phi1, w1 = 0.0, w2 = 0.0;
      if (p == 2) {
        const r0 = (ls - l1) / h;
        // D1_0 = (M_k − M_{k−1})/r0
        let e0: f64;
        if (taylor) e0 = sg * F * (phi1 / h + sg);
        else e0 = -0.5 * F * phi1;
        w0 += e0 / r0;
        w1 = -e0 / r0;
      } else if (p == 3) {
        const r0 = (ls - l1) / h, r1 = (l1 - l2) / h;
        const phi2 = phi1 / h + sg, phi3 = phi2 / h - 0.5;
        const u = r0 / (r0 + r1), v = 1.0 / (r0 + r1);
        // x' = a x − Fφ₁M_k + sg Fφ₂ D1 − Fφ₃ D2, D1 = (1+u)D1_0 − u D1_1, D2 = v(D1_0 − D1_1)
        const e0 = sg * F * phi2 * (1.0 + u) - F * phi3 * v;
        const e1 = -sg * F * phi2 * u + F * phi3 * v;
        w0 += e0 / r0;
        w1 = -e0 / r0 + e1 / r1;
        w2 = -e1 / r1;
      }
      put(row, DS_MODE, 0.0);
      put(row, DS_A, ax);
      put(row, DS_W0, w0);
      put(row, DS_W1, w1);
      put(row, DS_W2, w2);
    } else {
      const p = load<i32>(orders + (<usize>k << 2));
      put(row, DS_MODE, 1.0);
      put(row, DS_A3, ax);
      put(row, DS_AS1, 0.0);
      put(row, DS_SS1, 1.0);
      put(row, DS_AS2, 0.0);
      put(row, DS_SS2, 1.0);
      if (p == 1) {
        put(row, DS_F0, -F * phi1);
      } else {
        const r1 = innerRatio(skip, process, pp, s, t, ls, lt, p, 1);
        // the stage at ℓ_s + r₁h (α, σ from ℓ alone: α² = 1/(1 + e^{−2ℓ}))
        const l1s = ls + r1 * h;
        const a1 = Math.sqrt(1.0 / (1.0 + Math.exp(-2.0 * l1s))), s1 = Math.sqrt(1.0 / (1.0 + Math.exp(2.0 * l1s)));
        put(row, DS_AS1, a1);
        put(row, DS_SS1, s1);
        put(row, DS_A1, data ? s1 / ss : a1 / as);
        put(row, DS_E10, -(data ? a1 : s1) * Math.expm1(r1 * hh));
        if (p == 2) {
          let e: f64; // weight of (M_{s1} − M_s)
          if (taylor) e = sg * F * (phi1 / h + sg) / r1;
          else e = -0.5 / r1 * F * phi1;
          put(row, DS_F0, -F * phi1 - e);
          put(row, DS_F1, e);
        } else {
          const r2 = innerRatio(skip, process, pp, s, t, ls, lt, p, 2);
          const l2s = ls + r2 * h;
          const a2 = Math.sqrt(1.0 / (1.0 + Math.exp(-2.0 * l2s))), s2 = Math.sqrt(1.0 / (1.0 + Math.exp(2.0 * l2s)));
          put(row, DS_AS2, a2);
          put(row, DS_SS2, s2);
          const F2 = data ? a2 : s2;
          const phi22 = Math.expm1(r2 * hh) / (r2 * h) + sg;
          const e21 = sg * (r2 / r1) * F2 * phi22;
          put(row, DS_A2, data ? s2 / ss : a2 / as);
          put(row, DS_E20, -F2 * Math.expm1(r2 * hh) - e21);
          put(row, DS_E21, e21);
          const phi2 = phi1 / h + sg, phi3 = phi2 / h - 0.5;
          let f1 = 0.0, f2 = 0.0;
          if (taylor) {
            // D1 = (r₂D1_0 − r₁D1_1)/(r₂ − r₁), D2 = 2(D1_1 − D1_0)/(r₂ − r₁); D1_j = (M_{sj} − M_s)/r_j
            const k0 = (sg * F * phi2 * r2 + 2.0 * F * phi3) / (r2 - r1);
            const k1 = (-sg * F * phi2 * r1 - 2.0 * F * phi3) / (r2 - r1);
            f1 = k0 / r1;
            f2 = k1 / r2;
          } else {
            f2 = sg * F * phi2 / r2;
          }
          put(row, DS_F0, -F * phi1 - f1 - f2);
          put(row, DS_F1, f1);
          put(row, DS_F2, f2);
        }
      }
    }
    l2 = l1;
    l1 = ls;
  }
  heap.free(orders);
  return table;
}

/** The affine model output at (α, σ): (c, d) for data (pred) or noise prediction, two eigenvalues. */
// @ts-ignore: decorator
@inline function gainC(L: v128, a: v128, s: v128, data: bool): v128 {
  const den = f64x2.add(f64x2.mul(f64x2.mul(a, a), L), f64x2.mul(s, s));
  return data ? f64x2.div(f64x2.mul(a, L), den) : f64x2.div(s, den);
}
// @ts-ignore: decorator
@inline function gainD(L: v128, a: v128, s: v128, data: bool): v128 {
  const den = f64x2.add(f64x2.mul(f64x2.mul(a, a), L), f64x2.mul(s, s));
  return data ? f64x2.div(f64x2.mul(s, s), den) : f64x2.neg(f64x2.div(f64x2.mul(a, s), den));
}

// @ts-ignore: decorator
@inline export function dpmSolverCoefficients(table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  const row = table + ((<usize>k * DPM_SOLVER_STRIDE) << 3);
  const zero = f64x2.splat(0.0);
  const data = load<f64>(row + (<usize>DS_PRED << 3)) == 1.0;
  const cs = gainC(L, col(row, DS_AS), col(row, DS_SS), data);
  const ds = gainD(L, col(row, DS_AS), col(row, DS_SS), data);
  if (load<f64>(row + (<usize>DS_MODE << 3)) == 0.0) {
    const w0 = col(row, DS_W0);
    setA(s, 0, 0, f64x2.add(col(row, DS_A), f64x2.mul(w0, cs)));
    setA(s, 0, 1, col(row, DS_W1));
    setA(s, 0, 2, col(row, DS_W2));
    setA(s, 1, 0, cs);
    setA(s, 1, 1, zero);
    setA(s, 1, 2, zero);
    setA(s, 2, 0, zero);
    setA(s, 2, 1, f64x2.splat(1.0));
    setA(s, 2, 2, zero);
    if (wantB) {
      setB(s, 0, f64x2.mul(w0, ds));
      setB(s, 1, ds);
      setB(s, 2, zero);
    }
    return;
  }
  // singlestep: compose the stages (X, Y) = coefficients of x and m
  const c1 = gainC(L, col(row, DS_AS1), col(row, DS_SS1), data), d1 = gainD(L, col(row, DS_AS1), col(row, DS_SS1), data);
  const c2 = gainC(L, col(row, DS_AS2), col(row, DS_SS2), data), d2 = gainD(L, col(row, DS_AS2), col(row, DS_SS2), data);
  const e10 = col(row, DS_E10), e20 = col(row, DS_E20), e21 = col(row, DS_E21);
  const f0 = col(row, DS_F0), f1 = col(row, DS_F1), f2 = col(row, DS_F2);
  const X1 = f64x2.add(col(row, DS_A1), f64x2.mul(e10, cs));
  const M1x = f64x2.mul(c1, X1);
  const X2 = f64x2.add(f64x2.add(col(row, DS_A2), f64x2.mul(e20, cs)), f64x2.mul(e21, M1x));
  const M2x = f64x2.mul(c2, X2);
  setA(s, 0, 0, f64x2.add(f64x2.add(col(row, DS_A3), f64x2.mul(f0, cs)), f64x2.add(f64x2.mul(f1, M1x), f64x2.mul(f2, M2x))));
  setA(s, 0, 1, zero);
  setA(s, 0, 2, zero);
  for (let i = 1; i < 3; i++) for (let j = 0; j < 3; j++) setA(s, i, j, zero);
  if (wantB) {
    const Y1 = f64x2.mul(e10, ds);
    const M1m = f64x2.add(f64x2.mul(c1, Y1), d1);
    const Y2 = f64x2.add(f64x2.mul(e20, ds), f64x2.mul(e21, M1m));
    const M2m = f64x2.add(f64x2.mul(c2, Y2), d2);
    setB(s, 0, f64x2.add(f64x2.mul(f0, ds), f64x2.add(f64x2.mul(f1, M1m), f64x2.mul(f2, M2m))));
    setB(s, 1, zero);
    setB(s, 2, zero);
  }
}
