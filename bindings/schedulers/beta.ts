/** ComfyUI `beta` (Lee et al. 2024, arXiv:2407.12173): timesteps at the quantiles of a Beta(α, β) law. */
import type { SchedulerSpec } from './types.js';
import { TABLE_MODELS, modelSampling } from './common.js';
import { COMFY_SAMPLERS } from './comfy-source.js';
import * as dm from '../runtime/detmath.js';

/** log Γ(x), x > 0 (Lanczos, g = 7, n = 9: ≈ 1e-15 relative). */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return dm.log(Math.PI / Math.abs(dm.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * dm.log(2 * Math.PI) + (x + 0.5) * dm.log(t) - t + dm.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaCf(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - (a + b) * x / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d; h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b) (the Beta(a, b) CDF). */
export function betaCdf(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbt = logGamma(a + b) - logGamma(a) - logGamma(b) + a * dm.log(x) + b * dm.log1p(-x);
  return x < (a + 1) / (a + b + 2) ? dm.exp(lbt) * betaCf(x, a, b) / a : 1 - dm.exp(lbt) * betaCf(1 - x, b, a) / b;
}

/** scipy.stats.beta.ppf(q, a, b) by bisection (to the last bit of x). */
export function betaPpf(q: number, a: number, b: number): number {
  if (q <= 0) return 0;
  if (q >= 1) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 0; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (betaCdf(mid, a, b) < q) lo = mid; else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** numpy.rint: round half to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r;
}

export const spec: SchedulerSpec = {
  id: 'beta',
  label: 'beta (ComfyUI)',
  source: `${COMFY_SAMPLERS} beta_scheduler`,
  processes: TABLE_MODELS,
  unit: 'sigma',
  stepsMayDiffer: true,
  params: [
    { name: 'alpha', type: 'number', default: 0.6, above: 0, doc: 'α of the Beta law' },
    { name: 'beta', type: 'number', default: 0.6, above: 0, doc: 'β of the Beta law' },
  ],
  /** t_i = rint(ppf(1 − i/steps)·(N − 1)), repeats dropped, σ = sigmas[t]; then 0. */
  build(steps, { alpha, beta }, pv, process) {
    const { sigmas } = modelSampling(process, pv);
    const total = sigmas.length - 1;
    const out: number[] = [];
    let last = -1;
    for (let i = 0; i < steps; i++) {
      const t = rint(betaPpf(1 - i / steps, alpha, beta) * total);
      if (t !== last) out.push(sigmas[t]);
      last = t;
    }
    out.push(0);
    return Float64Array.from(out);
  },
};
