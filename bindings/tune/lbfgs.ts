/**
 * A small L-BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithm 7.4 two-loop
 * recursion, §7.2) with a weak-Wolfe bisection line search (Lewis & Overton 2013, §4.2), for the
 * grid tuner (docs/tuning.md §3). Deterministic: no randomness, the same input gives the same
 * iterates. A non-finite objective counts as +∞ (the line search steps back).
 */

/** f(x) and, when `grad` is given, its gradient written into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array | null) => number;

export interface LbfgsOptions {
  /** Most iterations (default 200). */
  maxIterations?: number;
  /** Stop when f decreases by less than ftol·max(1, |f|) over an iteration (default 1e-12). */
  ftol?: number;
  /** Stop when max |∇f| < gtol (default 1e-10). */
  gtol?: number;
  /** Pairs kept (default 10). */
  memory?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  /** Objective evaluations (with or without gradient). */
  evaluations: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Minimise `f` from `x0` (not modified). */
export function lbfgs(f: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIt = options.maxIterations ?? 200;
  const ftol = options.ftol ?? 1e-12;
  const gtol = options.gtol ?? 1e-10;
  const M = options.memory ?? 10;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  if (!Number.isFinite(fx)) return { x, f: fx, iterations: 0, evaluations };
  const S: Float64Array[] = [], Y: Float64Array[] = [], R: number[] = [];
  const d = new Float64Array(n), alpha = new Float64Array(M);
  let it = 0;
  for (; it < maxIt; it++) {
    let gmax = 0;
    for (let i = 0; i < n; i++) gmax = Math.max(gmax, Math.abs(g[i]));
    if (!(gmax >= gtol)) break;
    // two-loop recursion: d = −H g
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let j = S.length - 1; j >= 0; j--) {
      alpha[j] = R[j] * dot(S[j], d);
      for (let i = 0; i < n; i++) d[i] -= alpha[j] * Y[j][i];
    }
    const gamma = S.length ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1 / Math.max(1, gmax);
    for (let i = 0; i < n; i++) d[i] *= gamma;
    for (let j = 0; j < S.length; j++) {
      const b = R[j] * dot(Y[j], d);
      for (let i = 0; i < n; i++) d[i] += S[j][i] * (alpha[j] - b);
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // not a descent direction (curvature lost): restart from steepest descent
      S.length = 0; Y.length = 0; R.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i] / Math.max(1, gmax);
      slope = dot(g, d);
    }
    // weak Wolfe: f(x + t d) ≤ f + c1 t slope and ∇f(x + t d)·d ≥ c2 slope
    const c1 = 1e-4, c2 = 0.9;
    let lo = 0, hi = Infinity, t = 1;
    const xn = new Float64Array(n), gn = new Float64Array(n);
    let fn = NaN, ok = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < n; i++) xn[i] = x[i] + t * d[i];
      fn = f(xn, gn);
      evaluations++;
      if (!Number.isFinite(fn) || fn > fx + c1 * t * slope) hi = t;
      else if (dot(gn, d) < c2 * slope) lo = t;
      else { ok = true; break; }
      t = hi === Infinity ? 2 * lo : (lo + hi) / 2;
    }
    if (!ok) {
      // no Wolfe point: accept a sufficient decrease if the search found one, else stop
      if (lo > 0) {
        for (let i = 0; i < n; i++) xn[i] = x[i] + lo * d[i];
        fn = f(xn, gn);
        evaluations++;
        if (!(fn < fx)) break;
      } else break;
    }
    const s = new Float64Array(n), y = new Float64Array(n);
    for (let i = 0; i < n; i++) { s[i] = xn[i] - x[i]; y[i] = gn[i] - g[i]; }
    const sy = dot(s, y);
    if (sy > 1e-16 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (S.length === M) { S.shift(); Y.shift(); R.shift(); }
      S.push(s); Y.push(y); R.push(1 / sy);
    }
    const decrease = fx - fn;
    x = Float64Array.from(xn);
    g = Float64Array.from(gn);
    fx = fn;
    if (decrease <= ftol * Math.max(1, Math.abs(fx))) { it++; break; }
  }
  return { x, f: fx, iterations: it, evaluations };
}
