/**
 * Plain-vector implementations of DPM-Solver's `DPM_Solver.sample` (LuChengTHU/dpm-solver
 * dpm_solver_pytorch.py) and UniPC's `UniPC.sample` (wl-zhao/UniPC uni_pc.py), transcribed from the
 * sources on d-dimensional vectors with the dense exact model of N(m, Σ) on a VP process (no
 * eigenbasis, no shortcut through the core's formulas): the noise schedule is written here from the
 * processes' definitions (docs/MATH-samplers.md §2), λ⁻¹ by bisection, the model by a dense solve.
 * Imported by vector-samplers.ts (VECTOR_SAMPLERS).
 */
import type { Ctx, Vec, VectorSampler } from './vector-samplers';

// ---------- small dense algebra (own copy: this file has no import cycle with vector-samplers.ts) ----------
function lin(...terms: [number, Vec][]): Vec {
  const y = new Float64Array(terms[0][1].length);
  for (const [c, v] of terms) for (let i = 0; i < y.length; i++) y[i] += c * v[i];
  return y;
}
/** Solve A x = b (n ≤ 6) by Gaussian elimination with partial pivoting; A row-major. */
function solveDense(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const M = Float64Array.from(a), x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > Math.abs(M[p * n + c])) p = r;
    for (let j = 0; j < n; j++) [M[c * n + j], M[p * n + j]] = [M[p * n + j], M[c * n + j]];
    [x[c], x[p]] = [x[p], x[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c] / M[c * n + c];
      for (let j = c; j < n; j++) M[r * n + j] -= f * M[c * n + j];
      x[r] -= f * x[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let j = r + 1; j < n; j++) s -= M[r * n + j] * x[j];
    x[r] = s / M[r * n + r];
  }
  return x;
}

// ---------- the VP noise schedules (log α_t) ----------
function logAlpha(ctx: Ctx, t: number): number {
  const p = ctx.process, id = ctx.processId ?? 'vp';
  if (id === 'vp') return -(p.betaMin * t + (p.betaMax - p.betaMin) * t * t / (2 * p.T));
  if (id === 'vp-cosine') {
    const th = (u: number) => (u + p.s) / (1 + p.s) * Math.PI / 2;
    return Math.log(Math.cos(th(t))) - Math.log(Math.cos(th(0)));
  }
  // ddpm-linear / sd: ½ log ᾱ_i at t_i = (i + 1)/N, linear in t between nodes, (0, 0) below 1/N
  const N = p.num_train_timesteps;
  const scaled = id === 'sd';
  const lo = scaled ? Math.sqrt(p.beta_start) : p.beta_start, hi = scaled ? Math.sqrt(p.beta_end) : p.beta_end;
  const node = (k: number) => { // ½ Σ_{j<k} log(1 − β_j)
    let s = 0;
    for (let j = 0; j < k; j++) {
      const b = j === N - 1 ? hi : lo + j * ((hi - lo) / (N - 1));
      s += Math.log1p(-(scaled ? b * b : b));
    }
    return 0.5 * s;
  };
  const u = t * N;
  const k = Math.min(N - 1, Math.max(0, Math.floor(u)));
  const a = node(k), b = node(k + 1);
  return a + (u - k) * (b - a);
}
function alpha(ctx: Ctx, t: number): number { return Math.exp(logAlpha(ctx, t)); }
function sigma(ctx: Ctx, t: number): number { return Math.sqrt(-Math.expm1(2 * logAlpha(ctx, t))); }
function lambda(ctx: Ctx, t: number): number { return logAlpha(ctx, t) - Math.log(sigma(ctx, t)); }
/** t with λ(t) = l (bisection on the decreasing λ over (0, t_hi]). */
function inverseLambda(ctx: Ctx, l: number, tHi: number): number {
  let a = 0, b = tHi;
  for (let i = 0; i < 200 && b - a > 0; i++) {
    const c = (a + b) / 2;
    if (c === a || c === b) break;
    if (lambda(ctx, c) > l) a = c; else b = c;
  }
  return (a + b) / 2;
}

// ---------- the exact models ----------
/** x̂0(x, t) = m + α Σ (α²Σ + σ² I)⁻¹ (x − α m). */
function dataPred(ctx: Ctx, t: number, x: Vec): Vec {
  ctx.evals.n++;
  const { d, sigma: S, m } = ctx.problem;
  const a = alpha(ctx, t), s = sigma(ctx, t);
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) cov[i] = a * a * S[i];
  for (let i = 0; i < d; i++) cov[i * d + i] += s * s;
  const y = solveDense(cov, lin([1, x], [-a, m]), d);
  const out = Float64Array.from(m);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i] += a * S[i * d + j] * y[j];
  return out;
}
/** ε̂(x, t) = (x − α x̂0)/σ. */
function noisePred(ctx: Ctx, t: number, x: Vec): Vec {
  const x0 = dataPred(ctx, t, x);
  return lin([1 / sigma(ctx, t), x], [-alpha(ctx, t) / sigma(ctx, t), x0]);
}

// ---------- grids (get_time_steps) ----------
function torchLinspace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  const step = (b - a) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i < Math.floor(n / 2) ? a + step * i : b - step * (n - 1 - i)));
}
function timeSteps(ctx: Ctx, skip: string, tT: number, t0: number, N: number): number[] {
  if (skip === 'logSNR') {
    const l = torchLinspace(lambda(ctx, tT), lambda(ctx, t0), N + 1);
    return l.map((v, i) => (i === 0 ? tT : i === N ? t0 : inverseLambda(ctx, v, tT)));
  }
  if (skip === 'time_quadratic') return torchLinspace(Math.sqrt(tT), Math.sqrt(t0), N + 1).map((v) => v * v);
  return torchLinspace(tT, t0, N + 1);
}

// ---------- DPM_Solver ----------
function dpmModel(ctx: Ctx, t: number, x: Vec): Vec {
  return ctx.params.algorithm_type === 'dpmsolver++' ? dataPred(ctx, t, x) : noisePred(ctx, t, x);
}
function firstUpdate(ctx: Ctx, x: Vec, s: number, t: number, ms: Vec): Vec {
  const h = lambda(ctx, t) - lambda(ctx, s);
  if (ctx.params.algorithm_type === 'dpmsolver++') return lin([sigma(ctx, t) / sigma(ctx, s), x], [-alpha(ctx, t) * Math.expm1(-h), ms]);
  return lin([Math.exp(logAlpha(ctx, t) - logAlpha(ctx, s)), x], [-sigma(ctx, t) * Math.expm1(h), ms]);
}
function multistepUpdate(ctx: Ctx, x: Vec, M: Vec[], T: number[], t: number, order: number): Vec {
  const pp = ctx.params.algorithm_type === 'dpmsolver++', taylor = ctx.params.solver_type === 'taylor';
  const n = M.length;
  if (order === 1) return firstUpdate(ctx, x, T[n - 1], t, M[n - 1]);
  const lt = lambda(ctx, t), l0 = lambda(ctx, T[n - 1]), l1 = lambda(ctx, T[n - 2]);
  const h = lt - l0, r0 = (l0 - l1) / h;
  const D10 = lin([1 / r0, M[n - 1]], [-1 / r0, M[n - 2]]);
  const at = alpha(ctx, t), st = sigma(ctx, t);
  const xs = pp ? lin([st / sigma(ctx, T[n - 1]), x]) : lin([Math.exp(logAlpha(ctx, t) - logAlpha(ctx, T[n - 1])), x]);
  if (order === 2) {
    if (pp) {
      const phi1 = Math.expm1(-h);
      return taylor ? lin([1, xs], [-at * phi1, M[n - 1]], [at * (phi1 / h + 1), D10]) : lin([1, xs], [-at * phi1, M[n - 1]], [-0.5 * at * phi1, D10]);
    }
    const phi1 = Math.expm1(h);
    return taylor ? lin([1, xs], [-st * phi1, M[n - 1]], [-st * (phi1 / h - 1), D10]) : lin([1, xs], [-st * phi1, M[n - 1]], [-0.5 * st * phi1, D10]);
  }
  const l2 = lambda(ctx, T[n - 3]);
  const r1 = (l1 - l2) / h;
  const D11 = lin([1 / r1, M[n - 2]], [-1 / r1, M[n - 3]]);
  const D1 = lin([1 + r0 / (r0 + r1), D10], [-r0 / (r0 + r1), D11]);
  const D2 = lin([1 / (r0 + r1), D10], [-1 / (r0 + r1), D11]);
  if (pp) {
    const phi1 = Math.expm1(-h), phi2 = phi1 / h + 1, phi3 = phi2 / h - 0.5;
    return lin([1, xs], [-at * phi1, M[n - 1]], [at * phi2, D1], [-at * phi3, D2]);
  }
  const phi1 = Math.expm1(h), phi2 = phi1 / h - 1, phi3 = phi2 / h - 0.5;
  return lin([1, xs], [-st * phi1, M[n - 1]], [-st * phi2, D1], [-st * phi3, D2]);
}
function singlestepUpdate(ctx: Ctx, x: Vec, s: number, t: number, order: number, r1: number, r2: number): Vec {
  const ms = dpmModel(ctx, s, x);
  if (order === 1) return firstUpdate(ctx, x, s, t, ms);
  const pp = ctx.params.algorithm_type === 'dpmsolver++', taylor = ctx.params.solver_type === 'taylor';
  const ls = lambda(ctx, s), h = lambda(ctx, t) - ls;
  const s1 = inverseLambda(ctx, ls + r1 * h, s);
  const as = logAlpha(ctx, s), sgs = sigma(ctx, s);
  // the x-coefficient from s to u and the model's weight of the first-order part
  const xto = (u: number) => (pp ? sigma(ctx, u) / sgs : Math.exp(logAlpha(ctx, u) - as));
  const F = (u: number) => (pp ? alpha(ctx, u) : sigma(ctx, u));
  const hh = pp ? -h : h;
  const x1 = lin([xto(s1), x], [-F(s1) * Math.expm1(r1 * hh), ms]);
  const m1 = dpmModel(ctx, s1, x1);
  const phi1 = Math.expm1(hh);
  const sg = pp ? 1 : -1;
  if (order === 2) {
    const w = taylor ? sg * F(t) * (phi1 / h + sg) / r1 : -0.5 / r1 * F(t) * phi1;
    return lin([xto(t), x], [-F(t) * phi1, ms], [w, lin([1, m1], [-1, ms])]);
  }
  const s2 = inverseLambda(ctx, ls + r2 * h, s);
  const phi22 = Math.expm1(r2 * hh) / (r2 * h) + sg;
  const x2 = lin([xto(s2), x], [-F(s2) * Math.expm1(r2 * hh), ms], [sg * (r2 / r1) * F(s2) * phi22, lin([1, m1], [-1, ms])]);
  const m2 = dpmModel(ctx, s2, x2);
  const phi2 = phi1 / h + sg, phi3 = phi2 / h - 0.5;
  if (!taylor) return lin([xto(t), x], [-F(t) * phi1, ms], [sg / r2 * F(t) * phi2, lin([1, m2], [-1, ms])]);
  const D10 = lin([1 / r1, m1], [-1 / r1, ms]), D11 = lin([1 / r2, m2], [-1 / r2, ms]);
  const D1 = lin([r2 / (r2 - r1), D10], [-r1 / (r2 - r1), D11]);
  const D2 = lin([2 / (r2 - r1), D11], [-2 / (r2 - r1), D10]);
  return lin([xto(t), x], [-F(t) * phi1, ms], [sg * F(t) * phi2, D1], [-F(t) * phi3, D2]);
}

function singleOrders(steps: number, order: number): number[] {
  if (order === 3) {
    const K = Math.floor(steps / 3) + 1;
    return steps % 3 === 0 ? [...Array(K - 2).fill(3), 2, 1] : steps % 3 === 1 ? [...Array(K - 1).fill(3), 1] : [...Array(K - 1).fill(3), 2];
  }
  if (order === 2) return steps % 2 === 0 ? Array(steps / 2).fill(2) : [...Array((steps - 1) / 2).fill(2), 1];
  return Array(steps).fill(1);
}

const dpmSolver: VectorSampler = {
  run(ctx, x0) {
    const p = ctx.params;
    const steps: number = p.steps, order: number = p.order, skip: string = p.skip_type;
    const tT: number = p.t_start, t0: number = p.t_end;
    let x = x0;
    if (p.method === 'multistep') {
      const ts = timeSteps(ctx, skip, tT, t0, steps);
      const T = [ts[0]], M = [dpmModel(ctx, ts[0], x)];
      for (let step = 1; step < order; step++) {
        x = multistepUpdate(ctx, x, M, T, ts[step], step);
        T.push(ts[step]);
        M.push(dpmModel(ctx, ts[step], x));
      }
      for (let step = order; step <= steps; step++) {
        const so = p.lower_order_final && steps < 10 ? Math.min(order, steps + 1 - step) : order;
        x = multistepUpdate(ctx, x, M, T, ts[step], so);
        for (let i = 0; i < order - 1; i++) { T[i] = T[i + 1]; M[i] = M[i + 1]; }
        T[order - 1] = ts[step];
        if (step < steps) M[order - 1] = dpmModel(ctx, ts[step], x);
      }
    } else {
      let orders: number[], outer: number[];
      if (p.method === 'singlestep') {
        orders = singleOrders(steps, order);
        if (skip === 'logSNR') outer = timeSteps(ctx, skip, tT, t0, orders.length);
        else {
          const all = timeSteps(ctx, skip, tT, t0, steps);
          let c = 0;
          outer = [all[0], ...orders.map((o) => all[(c += o)])];
        }
      } else {
        orders = Array(Math.floor(steps / order)).fill(order);
        outer = timeSteps(ctx, skip, tT, t0, orders.length);
      }
      orders.forEach((o, k) => {
        const s = outer[k], t = outer[k + 1];
        const inner = timeSteps(ctx, skip, s, t, o).map((u) => lambda(ctx, u));
        const h = inner[o] - inner[0];
        x = singlestepUpdate(ctx, x, s, t, o, o > 1 ? (inner[1] - inner[0]) / h : 0, o > 2 ? (inner[2] - inner[0]) / h : 0);
      });
    }
    if (p.denoise_to_zero) x = dataPred(ctx, t0, x);
    return x;
  },
  paramSets: [
    { order: 3, steps: 8 },
    { order: 3, steps: 8, lower_order_final: false, skip_type: 'logSNR' },
    { algorithm_type: 'dpmsolver', solver_type: 'taylor', steps: 12, skip_type: 'time_quadratic', denoise_to_zero: true },
    { algorithm_type: 'dpmsolver', order: 3, steps: 11, method: 'singlestep' },
    { order: 3, steps: 10, method: 'singlestep', solver_type: 'taylor', skip_type: 'logSNR' },
    { algorithm_type: 'dpmsolver', order: 2, steps: 7, method: 'singlestep_fixed', skip_type: 'time_quadratic' },
  ],
};

// ---------- UniPC ----------
function unipcModel(ctx: Ctx, t: number, x: Vec): Vec {
  return ctx.params.algorithm_type === 'data_prediction' ? dataPred(ctx, t, x) : noisePred(ctx, t, x);
}
/** multistep_uni_pc_bh_update / multistep_uni_pc_vary_update → [x_t, model_t or null]. */
function unipcUpdate(ctx: Ctx, x: Vec, M: Vec[], T: number[], t: number, order: number, useCorrector: boolean): [Vec, Vec | null] {
  const px0 = ctx.params.algorithm_type === 'data_prediction', variant: string = ctx.params.variant;
  const n = M.length;
  const l0 = lambda(ctx, T[n - 1]), h = lambda(ctx, t) - l0;
  const m0 = M[n - 1];
  const rks: number[] = [], D1s: Vec[] = [];
  for (let i = 1; i < order; i++) {
    const rk = (lambda(ctx, T[n - 1 - i]) - l0) / h;
    rks.push(rk);
    D1s.push(lin([1 / rk, M[n - 1 - i]], [-1 / rk, m0]));
  }
  rks.push(1);
  const hh = px0 ? -h : h;
  const F = px0 ? alpha(ctx, t) : sigma(ctx, t);
  const xbase = px0 ? lin([sigma(ctx, t) / sigma(ctx, T[n - 1]), x], [-F * Math.expm1(hh), m0]) : lin([Math.exp(logAlpha(ctx, t) - logAlpha(ctx, T[n - 1])), x], [-F * Math.expm1(hh), m0]);
  const K = rks.length;
  const comb = (w: number[], vs: Vec[]): Vec => (vs.length ? lin(...vs.map((v, i) => [w[i], v] as [number, Vec])) : new Float64Array(x.length));
  if (variant === 'vary_coeff') {
    // C[i][k] = r_i^k/(k+1)!, predictor A_p = C[:-1,:-1]⁻¹, corrector A_c = C⁻¹
    const C = (sz: number) => { const c = new Float64Array(sz * sz); for (let i = 0; i < sz; i++) { let v = 1; for (let k = 0; k < sz; k++) { c[i * sz + k] = v; v = v * rks[i] / (k + 2); } } return c; };
    const inv = (a: Float64Array, sz: number) => { const o = new Float64Array(sz * sz); for (let j = 0; j < sz; j++) { const e = new Float64Array(sz); e[j] = 1; const c = solveDense(a, e, sz); for (let i = 0; i < sz; i++) o[i * sz + j] = c[i]; } return o; };
    const hphi: number[] = [];
    let hp = Math.expm1(hh), fact = 1;
    for (let k = 1; k <= K + 1; k++) { hphi.push(hp); hp = hp / hh - 1 / fact; fact *= k + 1; }
    let xt = xbase;
    if (D1s.length) {
      const Ap = inv(C(K - 1), K - 1);
      for (let k = 0; k < K - 1; k++) xt = lin([1, xt], [-F * hphi[k + 1], comb(Array.from({ length: K - 1 }, (_, j) => Ap[k * (K - 1) + j]), D1s)]);
    }
    if (!useCorrector) return [xt, null];
    const mt = unipcModel(ctx, t, xt);
    const Ac = inv(C(K), K);
    xt = xbase;
    let kk = 0;
    for (let k = 0; k < K - 1; k++) { kk = k; xt = lin([1, xt], [-F * hphi[k + 1], comb(Array.from({ length: K - 1 }, (_, j) => Ac[k * K + j]), D1s)]); }
    xt = lin([1, xt], [-F * hphi[K] * Ac[kk * K + K - 1], lin([1, mt], [-1, m0])]);
    return [xt, mt];
  }
  const Bh = variant === 'bh1' ? hh : Math.expm1(hh);
  const R: number[][] = [], b: number[] = [];
  let hp = Math.expm1(hh) / hh - 1, fact = 1;
  for (let i = 1; i <= order; i++) {
    R.push(rks.map((r) => r ** (i - 1)));
    b.push(hp * fact / Bh);
    fact *= i + 1;
    hp = hp / hh - 1 / fact;
  }
  const sub = (sz: number) => R.slice(0, sz).flatMap((row) => row.slice(0, sz));
  let xt: Vec;
  if (D1s.length) {
    const rp = order === 2 ? [0.5] : Array.from(solveDense(sub(K - 1), b.slice(0, K - 1), K - 1));
    xt = lin([1, xbase], [-F * Bh, comb(rp, D1s)]);
  } else {
    xt = xbase;
  }
  if (!useCorrector) return [xt, null];
  const rc = order === 1 ? [0.5] : Array.from(solveDense(sub(K), b, K));
  const mt = unipcModel(ctx, t, xt);
  const corr = lin([1, comb(rc.slice(0, -1), D1s)], [rc[rc.length - 1], lin([1, mt], [-1, m0])]);
  return [lin([1, xbase], [-F * Bh, corr]), mt];
}

const unipc: VectorSampler = {
  run(ctx, x0) {
    const p = ctx.params;
    const steps: number = p.steps, order: number = p.order;
    const ts = timeSteps(ctx, p.skip_type, p.t_start, p.t_end, steps);
    let x = x0;
    const T = [ts[0]], M = [unipcModel(ctx, ts[0], x)];
    for (let step = 1; step < order; step++) {
      const [xn, mx] = unipcUpdate(ctx, x, M, T, ts[step], step, true);
      x = xn;
      T.push(ts[step]);
      M.push(mx ?? unipcModel(ctx, ts[step], x));
    }
    for (let step = order; step <= steps; step++) {
      const so = p.lower_order_final ? Math.min(order, steps + 1 - step) : order;
      const [xn, mx] = unipcUpdate(ctx, x, M, T, ts[step], so, step !== steps);
      x = xn;
      for (let i = 0; i < order - 1; i++) { T[i] = T[i + 1]; M[i] = M[i + 1]; }
      T[order - 1] = ts[step];
      if (step < steps) M[order - 1] = mx ?? unipcModel(ctx, ts[step], x);
    }
    if (p.denoise_to_zero) x = dataPred(ctx, p.t_end, x);
    return x;
  },
  paramSets: [
    { order: 3, steps: 8, variant: 'bh2' },
    { order: 3, steps: 7, variant: 'bh1', algorithm_type: 'noise_prediction', lower_order_final: false, skip_type: 'logSNR' },
    { order: 3, steps: 9, variant: 'vary_coeff', skip_type: 'time_quadratic' },
    { order: 2, steps: 6, variant: 'vary_coeff', algorithm_type: 'noise_prediction', denoise_to_zero: true },
    { order: 1, steps: 5, variant: 'bh2' },
  ],
};

/** The entries VECTOR_SAMPLERS spreads in. */
export const DPM_SOLVER_VECTORS: Record<string, VectorSampler> = {
  'sampler:dpm_solver': dpmSolver,
  'sampler:unipc': unipc,
};
