/**
 * Plain-vector implementations of every registry sampler, written from their sources (the paper's
 * Table 3 / docs/MATH.md §4; k-diffusion's sampling.py), independent of the core: they act on
 * d-dimensional vectors with a dense score or denoiser (linear solves with Σ_t, no eigenbasis),
 * and draw their noises from a caller-given source so that impulse runs give the exact law
 * (docs/MATH-samplers.md §13). A new registry entry needs one entry here (the suite fails until
 * it has one).
 */

export type Vec = Float64Array;

/** The Gaussian data N(m, Σ) and the process values the references need. */
export interface Problem {
  d: number;
  /** Σ, row-major. */
  sigma: Float64Array;
  m: Vec;
}

export interface Ctx {
  problem: Problem;
  /** The grid t_0 > … > t_K (σ's for EDM). */
  times: Float64Array;
  /** Process parameters (VP: betaMin, betaMax, T). */
  process: Record<string, number>;
  params: Record<string, number>;
  /** The next noise vector (unit normal in law). */
  noise(): Vec;
  /** Counts score/denoiser evaluations. */
  evals: { n: number };
}

export interface VectorSampler {
  /** The sampler's output from start x (the grid's first level). */
  run(ctx: Ctx, x: Vec): Vec;
  /** Extra parameter sets to check besides the defaults (e.g. a stochastic variant). */
  paramSets?: Record<string, number>[];
}

// ---------- small dense linear algebra ----------
function solve(a: Float64Array, b: Vec, d: number): Vec {
  const M = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(M[r * d + c]) > Math.abs(M[p * d + c])) p = r;
    if (p !== c) {
      for (let j = 0; j < d; j++) [M[c * d + j], M[p * d + j]] = [M[p * d + j], M[c * d + j]];
      [x[c], x[p]] = [x[p], x[c]];
    }
    for (let r = c + 1; r < d; r++) {
      const f = M[r * d + c] / M[c * d + c];
      for (let j = c; j < d; j++) M[r * d + j] -= f * M[c * d + j];
      x[r] -= f * x[c];
    }
  }
  for (let r = d - 1; r >= 0; r--) {
    let s = x[r];
    for (let j = r + 1; j < d; j++) s -= M[r * d + j] * x[j];
    x[r] = s / M[r * d + r];
  }
  return x;
}
function matVec(a: Float64Array, x: Vec, d: number): Vec {
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) y[i] += a[i * d + j] * x[j];
  return y;
}
/** Σ_{i} c_i v_i. */
function lin(...terms: [number, Vec][]): Vec {
  const y = new Float64Array(terms[0][1].length);
  for (const [c, v] of terms) for (let i = 0; i < y.length; i++) y[i] += c * v[i];
  return y;
}

// ---------- VP (the paper's process) ----------
function B(p: Record<string, number>, t: number): number {
  return p.betaMin * t + (p.betaMax - p.betaMin) * t * t / (2 * p.T);
}
function beta(p: Record<string, number>, t: number): number {
  return p.betaMin + (p.betaMax - p.betaMin) * t / p.T;
}
/** Exact VP score at t: −(α² Σ + σ² I)⁻¹ (x − α m). */
function vpScore(ctx: Ctx, t: number, x: Vec): Vec {
  ctx.evals.n++;
  const { d, sigma, m } = ctx.problem;
  const a2 = Math.exp(-2 * B(ctx.process, t));
  const s2 = -Math.expm1(-2 * B(ctx.process, t));
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) cov[i] = a2 * sigma[i];
  for (let i = 0; i < d; i++) cov[i * d + i] += s2;
  return lin([-1, solve(cov, lin([1, x], [-Math.sqrt(a2), m]), d)]);
}

function sdeStep(gain: (ctx: Ctx, t: number, t1: number) => { drift: number; scoreW: number; noise: number; div?: number }) {
  return (ctx: Ctx, x0: Vec): Vec => {
    let x = x0;
    const K = ctx.times.length - 1;
    for (let k = 0; k < K; k++) {
      const t = ctx.times[k];
      const g = gain(ctx, t, ctx.times[k + 1]);
      const s = vpScore(ctx, t, x);
      x = lin([(1 + g.drift) / (g.div ?? 1), x], [g.scoreW / (g.div ?? 1), s], [Math.sqrt(g.noise), ctx.noise()]);
    }
    return x;
  };
}

/** Euler–Maruyama on the reverse α-SDE dy = β[y + (1+α) score] dτ + √(2αβ) dw (docs/MATH.md §2, §4). */
function emAlpha(alphaOf: (ctx: Ctx) => number) {
  return sdeStep((ctx, t, t1) => {
    const h = t - t1, b = beta(ctx.process, t), a = alphaOf(ctx);
    return { drift: h * b, scoreW: (1 + a) * h * b, noise: 2 * a * h * b };
  });
}

/** Probability-flow drift in reverse time: F(t, x) = β_t (x + score(t, x)). */
function pf(ctx: Ctx, t: number, x: Vec): Vec {
  return lin([beta(ctx.process, t), x], [beta(ctx.process, t), vpScore(ctx, t, x)]);
}

// ---------- EDM (k-diffusion) ----------
/** Exact denoiser D(x; s) = m + Σ (Σ + s² I)⁻¹ (x − m). */
function denoise(ctx: Ctx, s: number, x: Vec): Vec {
  ctx.evals.n++;
  const { d, sigma, m } = ctx.problem;
  const cov = Float64Array.from(sigma);
  for (let i = 0; i < d; i++) cov[i * d + i] += s * s;
  return lin([1, m], [1, matVec(sigma, solve(cov, lin([1, x], [-1, m]), d), d)]);
}

export const VECTOR_SAMPLERS: Record<string, VectorSampler> = {
  em: { run: emAlpha(() => 1) },
  'em-alpha': { run: emAlpha((ctx) => ctx.params.alpha), paramSets: [{ alpha: 0.3 }, { alpha: 2.5 }] },
  ei: {
    run: sdeStep((ctx, t, t1) => {
      const dB = B(ctx.process, t) - B(ctx.process, t1);
      const g1 = Math.expm1(dB);
      return { drift: g1, scoreW: 2 * g1, noise: Math.expm1(2 * dB) };
    }),
  },
  ddpm: {
    run: sdeStep((ctx, t, t1) => {
      const b = 2 * (t - t1) * beta(ctx.process, t);
      return { drift: 0, scoreW: b, noise: b, div: Math.sqrt(1 - b) };
    }),
  },
  euler: {
    run(ctx, x0) {
      let x = x0;
      for (let k = 0; k + 1 < ctx.times.length; k++) {
        const t = ctx.times[k], h = t - ctx.times[k + 1];
        x = lin([1, x], [h, pf(ctx, t, x)]);
      }
      return x;
    },
  },
  heun: {
    run(ctx, x0) {
      let x = x0;
      for (let k = 0; k + 1 < ctx.times.length; k++) {
        const t = ctx.times[k], t1 = ctx.times[k + 1], h = t - t1;
        const f0 = pf(ctx, t, x);
        const xp = lin([1, x], [h, f0]);
        x = lin([1, x], [h / 2, f0], [h / 2, pf(ctx, t1, xp)]);
      }
      return x;
    },
  },
  rk4: {
    run(ctx, x0) {
      let x = x0;
      for (let k = 0; k + 1 < ctx.times.length; k++) {
        const t = ctx.times[k], t1 = ctx.times[k + 1], h = t - t1, tm = t - h / 2;
        const k1 = pf(ctx, t, x);
        const k2 = pf(ctx, tm, lin([1, x], [h / 2, k1]));
        const k3 = pf(ctx, tm, lin([1, x], [h / 2, k2]));
        const k4 = pf(ctx, t1, lin([1, x], [h, k3]));
        x = lin([1, x], [h / 6, k1], [h / 3, k2], [h / 3, k3], [h / 6, k4]);
      }
      return x;
    },
  },
  // k-diffusion sample_euler (with churn), transcribed.
  'sampler:euler': {
    run(ctx, x0) {
      const { s_churn, s_tmin, s_tmax, s_noise } = ctx.params;
      const sig = ctx.times;
      let x = x0;
      for (let i = 0; i < sig.length - 1; i++) {
        const gamma = s_tmin <= sig[i] && sig[i] <= s_tmax ? Math.min(s_churn / (sig.length - 1), 2 ** 0.5 - 1) : 0;
        const sh = sig[i] * (gamma + 1);
        if (gamma > 0) x = lin([1, x], [s_noise * (sh ** 2 - sig[i] ** 2) ** 0.5, ctx.noise()]);
        const den = denoise(ctx, sh, x);
        const dv = lin([1 / sh, x], [-1 / sh, den]);
        x = lin([1, x], [sig[i + 1] - sh, dv]);
      }
      return x;
    },
    paramSets: [{ s_churn: 40, s_tmin: 0.05, s_tmax: 50, s_noise: 1.003 }],
  },
  // k-diffusion sample_euler_ancestral with get_ancestral_step, transcribed.
  'sampler:euler_ancestral': {
    run(ctx, x0) {
      const { eta, s_noise } = ctx.params;
      const sig = ctx.times;
      let x = x0;
      for (let i = 0; i < sig.length - 1; i++) {
        const den = denoise(ctx, sig[i], x);
        let down = sig[i + 1], up = 0;
        if (eta) {
          up = Math.min(sig[i + 1], eta * (sig[i + 1] ** 2 * (sig[i] ** 2 - sig[i + 1] ** 2) / sig[i] ** 2) ** 0.5);
          down = (sig[i + 1] ** 2 - up ** 2) ** 0.5;
        }
        const d = lin([1 / sig[i], x], [-1 / sig[i], den]);
        x = lin([1, x], [down - sig[i], d]);
        if (sig[i + 1] > 0) x = lin([1, x], [s_noise * up, ctx.noise()]);
      }
      return x;
    },
    paramSets: [{ eta: 0 }, { eta: 0.5, s_noise: 1.1 }, { eta: 1.7 }],
  },
  // k-diffusion sample_dpmpp_2m, transcribed.
  'sampler:dpmpp_2m': {
    run(ctx, x0) {
      const sig = ctx.times;
      const sigmaFn = (t: number) => Math.exp(-t);
      const tFn = (s: number) => -Math.log(s);
      let x = x0;
      let old: Vec | null = null;
      for (let i = 0; i < sig.length - 1; i++) {
        const den = denoise(ctx, sig[i], x);
        const t = tFn(sig[i]), tn = tFn(sig[i + 1]);
        const h = tn - t;
        if (old === null || sig[i + 1] === 0) {
          x = lin([sigmaFn(tn) / sigmaFn(t), x], [-Math.expm1(-h), den]);
        } else {
          const hLast = t - tFn(sig[i - 1]);
          const r = hLast / h;
          const dd = lin([1 + 1 / (2 * r), den], [-1 / (2 * r), old]);
          x = lin([sigmaFn(tn) / sigmaFn(t), x], [-Math.expm1(-h), dd]);
        }
        old = den;
      }
      return x;
    },
  },
};

/** The key of a registry entry in VECTOR_SAMPLERS. */
export function vectorKey(spec: { id: string; group: string }): string {
  return spec.group === 'scheme' ? spec.id : `sampler:${spec.id}`;
}
