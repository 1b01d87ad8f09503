#!/usr/bin/env node
/**
 * Pure-JS baselines of the paper grid (docs/MATH.md §4–5), for bench/engine.bench.js.
 *
 * - `gridJs(values, weights)`: the straightforward algorithm — for each cell (scheme × ε × NFE ×
 *   start) a Float64Array of variances, a loop over the steps, and inside it a loop over the
 *   eigenvalues doing v ← a² v + q with docs/MATH.md §4's a and q; then W2 = √(Σ w (√v − √λ)²).
 *   Called with every eigenvalue and `weights = null` it is the naive baseline (a); called with the
 *   distinct values and their multiplicities (prepareSpectrum's grouping) it is the grouped
 *   baseline (b): the same loops over fewer values.
 * - `fusedGridJs(values, weights)`: a line-by-line JS port of the core's own algorithm
 *   (assembly/discrete.ts): the cells sharing a grid (K, ε) run in one pass; per eigenvalue the
 *   steps run innermost over a precomputed per-step table; both starts come from one recursion
 *   (v_K = G v_0 + N). Baseline (c): what the WASM core buys over JS with nothing else changed.
 *
 * The schedule scalars of a step (β_k, e^{−2B_k}, …) are computed once per step in all of them
 * (they do not depend on λ); 1 − e^{−x} is taken through expm1, as in the core.
 *
 * Run alone (`node bench/baseline-js.js`): runs (a), (b), (c) once on CIFAR-10 and ADSN, compares
 * each with `ablation(spectrum, { paper: true })`, exits 1 on NaN or on a disagreement.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BETA_MIN = 0.05;
const BETA_MAX = 10;
const T = 1;
export const SCHEMES = ['em', 'ei', 'ddpm', 'euler', 'heun', 'rk4'];
export const NFES = [50, 250, 500, 1000];
export const EPSS = [0, 1e-5, 1e-4, 1e-3];
export const INITS = ['pT', 'N0'];
const EVALS = { em: 1, ei: 1, ddpm: 1, euler: 1, heun: 2, rk4: 4 };

const beta = (t) => BETA_MIN + ((BETA_MAX - BETA_MIN) * t) / T;
const bigB = (t) => BETA_MIN * t + ((BETA_MAX - BETA_MIN) * t * t) / (2 * T);
const signal = (t) => Math.exp(-2 * bigB(t)); // e^{−2B_t}
const noise = (t) => -Math.expm1(-2 * bigB(t)); // 1 − e^{−2B_t}
const gridTime = (k, K, eps) => T - ((T - eps) * k) / K;

/** Paper mode (docs/MATH.md §5): K = NFE − 1, RK4 K = ⌊NFE/4⌋ − 1. */
export const stepsFor = (scheme, nfe) => (EVALS[scheme] === 4 ? Math.floor(nfe / 4) - 1 : nfe - 1);

const distance = (s) => (Number.isFinite(s) && s >= 0 ? Math.sqrt(s) : null);

/** −0 and round-off negatives to 0, as prepareSpectrum does. */
export function clampSpectrum(raw) {
  let max = 0;
  for (const x of raw) if (x > max) max = x;
  const lam = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const x = raw[i];
    if (!Number.isFinite(x) || x < -1e-12 * max) throw new RangeError(`eigenvalue ${i} = ${x}`);
    lam[i] = x > 0 ? x : 0;
  }
  return lam;
}

/** Distinct values (ascending) and multiplicities: the grouping of docs/MATH.md §3. */
export function groupSpectrum(lam) {
  const sorted = Float64Array.from(lam).sort();
  const values = [];
  const weights = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) {
      values.push(sorted[i]);
      weights.push(0);
    }
    weights[weights.length - 1]++;
  }
  return { values: Float64Array.from(values), weights: Float64Array.from(weights) };
}

/** v_K of one scheme, K steps from T down to eps, from v (modified in place). docs/MATH.md §4's table. */
function evolveCell(lam, v, scheme, K, eps) {
  const n = lam.length;
  const h = (T - eps) / K;
  for (let k = 0; k < K; k++) {
    const t = gridTime(k, K, eps);
    const t1 = gridTime(k + 1, K, eps);
    const bk = beta(t);
    const s0 = signal(t);
    const n0 = noise(t);
    if (scheme === 'em') {
      const hb = h * bk;
      const q = 2 * hb;
      for (let i = 0; i < n; i++) {
        const a = 1 + hb * (1 - 2 / (s0 * lam[i] + n0));
        v[i] = a * a * v[i] + q;
      }
    } else if (scheme === 'ei') {
      const g1 = Math.expm1(bigB(t) - bigB(t1));
      const q = Math.expm1(2 * (bigB(t) - bigB(t1)));
      for (let i = 0; i < n; i++) {
        const a = 1 + g1 * (1 - 2 / (s0 * lam[i] + n0));
        v[i] = a * a * v[i] + q;
      }
    } else if (scheme === 'ddpm') {
      const b = 2 * h * bk;
      const r = 1 / Math.sqrt(1 - b);
      for (let i = 0; i < n; i++) {
        const a = (1 - b / (s0 * lam[i] + n0)) * r;
        v[i] = a * a * v[i] + b;
      }
    } else if (scheme === 'euler') {
      for (let i = 0; i < n; i++) {
        const a = 1 + h * bk * (1 - 1 / (s0 * lam[i] + n0));
        v[i] = a * a * v[i];
      }
    } else if (scheme === 'heun') {
      const b1 = beta(t1);
      const s1 = signal(t1);
      const n1 = noise(t1);
      for (let i = 0; i < n; i++) {
        const c0 = bk * (1 - 1 / (s0 * lam[i] + n0));
        const c1 = b1 * (1 - 1 / (s1 * lam[i] + n1));
        const a = 1 + (h / 2) * c0 + (h / 2) * c1 * (1 + h * c0);
        v[i] = a * a * v[i];
      }
    } else if (scheme === 'rk4') {
      const tm = t - h / 2;
      const bm = beta(tm);
      const sm = signal(tm);
      const nm = noise(tm);
      const b1 = beta(t1);
      const s1 = signal(t1);
      const n1 = noise(t1);
      for (let i = 0; i < n; i++) {
        const c0 = bk * (1 - 1 / (s0 * lam[i] + n0));
        const cm = bm * (1 - 1 / (sm * lam[i] + nm));
        const c1 = b1 * (1 - 1 / (s1 * lam[i] + n1));
        const C2 = cm * (1 + (h * c0) / 2);
        const C3 = cm * (1 + (h * C2) / 2);
        const C4 = c1 * (1 + h * C3);
        const a = 1 + (h / 6) * (c0 + 2 * C2 + 2 * C3 + C4);
        v[i] = a * a * v[i];
      }
    }
  }
}

/** Σ w (√v − √λ)² (w = 1 when weights is null). */
function w2sq(v, lam, weights) {
  let s = 0;
  for (let i = 0; i < lam.length; i++) {
    const d = Math.sqrt(v[i]) - Math.sqrt(lam[i]);
    s += (weights === null ? 1 : weights[i]) * d * d;
  }
  return s;
}

/** docs/MATH.md §2 at t = eps, as λ_t + e^{−2α(B_T−B_t)} (λ_t/λ_T)^{1+α} (v_T − λ_T). */
function continuousW2sq(lam, weights, eps, alpha, standardStart) {
  const sT = signal(T);
  const nT = noise(T);
  const se = signal(eps);
  const ne = noise(eps);
  const damping = Math.exp(-2 * alpha * (bigB(T) - bigB(eps)));
  let s = 0;
  for (let i = 0; i < lam.length; i++) {
    const lt = se * lam[i] + ne;
    const lT = sT * lam[i] + nT;
    const gap = standardStart ? sT * (1 - lam[i]) : 0;
    const v = lt + damping * Math.pow(lt / lT, 1 + alpha) * gap;
    const d = Math.sqrt(v) - Math.sqrt(lam[i]);
    s += (weights === null ? 1 : weights[i]) * d * d;
  }
  return s;
}

function continuousColumns(lam, weights) {
  const continuous = [];
  for (const [kind, alpha] of [['sde', 1], ['ode', 0]]) {
    for (const eps of EPSS) {
      for (const init of INITS) {
        continuous.push({ scheme: kind, eps, init, w2: distance(continuousW2sq(lam, weights, eps, alpha, init === 'N0')) });
      }
    }
  }
  return continuous;
}

/**
 * Baselines (a) and (b): the paper grid, one independent run per cell. `weights` null: every
 * eigenvalue counts once. Returns { cells, continuous } shaped like `ablation()`'s result.
 */
export function gridJs(lam, weights = null) {
  const n = lam.length;
  const lT = new Float64Array(n);
  for (let i = 0; i < n; i++) lT[i] = signal(T) * lam[i] + noise(T);
  const v = new Float64Array(n);
  const cells = [];
  for (const scheme of SCHEMES) {
    for (const eps of EPSS) {
      for (const nfe of NFES) {
        const K = stepsFor(scheme, nfe);
        for (const init of INITS) {
          if (init === 'pT') v.set(lT);
          else v.fill(1);
          evolveCell(lam, v, scheme, K, eps);
          cells.push({ scheme, eps, nfe, steps: K, init, w2: distance(w2sq(v, lam, weights)) });
        }
      }
    }
  }
  return { cells, continuous: continuousColumns(lam, weights) };
}

// ---- Baseline (c): the core's fused algorithm, in JS ----------------------------------------

const SDE_SCHEMES = ['em', 'ei', 'ddpm'];
// Per-step table columns: signal, noise, β at t_k; the same at t_k − h/2; P, Q, R of EM, EI, DDPM.
const STRIDE = 6 + 3 * SDE_SCHEMES.length;

function stepTable(K, eps) {
  const h = (T - eps) / K;
  const tab = new Float64Array((K + 1) * STRIDE);
  for (let k = 0; k <= K; k++) {
    const t = gridTime(k, K, eps);
    const o = k * STRIDE;
    tab[o] = signal(t);
    tab[o + 1] = noise(t);
    tab[o + 2] = beta(t);
    if (k === K) break;
    const tm = t - h / 2;
    tab[o + 3] = signal(tm);
    tab[o + 4] = noise(tm);
    tab[o + 5] = beta(tm);
    const hb = h * beta(t);
    const dB = bigB(t) - bigB(gridTime(k + 1, K, eps));
    const g1 = Math.expm1(dB);
    const b = 2 * hb;
    const s = 1 / Math.sqrt(1 - b);
    tab.set([1 + hb, -2 * hb, 2 * hb, 1 + g1, -2 * g1, Math.expm1(2 * dB), s, -b * s, b], o + 6);
  }
  return tab;
}

/** sums[2s], sums[2s + 1] += w (√v_K − √λ)² for v_K = G λ_T + N (p_T) and G + N (N(0, I)). */
function accumulate(sums, s, g, nz, lT, sL, w) {
  const dP = Math.sqrt(g * lT + nz) - sL;
  const dN = Math.sqrt(g + nz) - sL;
  sums[2 * s] += w * dP * dP;
  sums[2 * s + 1] += w * dN * dN;
}

/** One pass over the eigenvalues for every scheme of `schemes` on the grid (K, eps). */
function fusedPass(lam, weights, K, eps, schemes) {
  const tab = stepTable(K, eps);
  const h = (T - eps) / K;
  const half = h / 2;
  const sixth = h / 6;
  const doEM = schemes.includes('em');
  const doEI = schemes.includes('ei');
  const doDD = schemes.includes('ddpm');
  const doEU = schemes.includes('euler');
  const doHE = schemes.includes('heun');
  const doRK = schemes.includes('rk4');
  const sums = new Float64Array(2 * SCHEMES.length);
  const n = lam.length;
  for (let i = 0; i < n; i++) {
    const L = lam[i];
    const w = weights === null ? 1 : weights[i];
    const lT = tab[0] * L + tab[1];
    let r0 = 1 / lT;
    let c0 = tab[2] * (1 - r0);
    let gEM = 1, nEM = 0, gEI = 1, nEI = 0, gDD = 1, nDD = 0, gEU = 1, gHE = 1, gRK = 1;
    for (let k = 0, o = 0; k < K; k++, o += STRIDE) {
      const r1 = 1 / (tab[o + STRIDE] * L + tab[o + STRIDE + 1]);
      const c1 = tab[o + STRIDE + 2] * (1 - r1);
      if (doEM) { const a = tab[o + 6] + tab[o + 7] * r0; const a2 = a * a; gEM *= a2; nEM = a2 * nEM + tab[o + 8]; }
      if (doEI) { const a = tab[o + 9] + tab[o + 10] * r0; const a2 = a * a; gEI *= a2; nEI = a2 * nEI + tab[o + 11]; }
      if (doDD) { const a = tab[o + 12] + tab[o + 13] * r0; const a2 = a * a; gDD *= a2; nDD = a2 * nDD + tab[o + 14]; }
      if (doEU) { const a = 1 + h * c0; gEU *= a * a; }
      if (doHE) { const a = 1 + half * (c0 + c1 * (1 + h * c0)); gHE *= a * a; }
      if (doRK) {
        const cm = tab[o + 5] * (1 - 1 / (tab[o + 3] * L + tab[o + 4]));
        const C2 = cm * (1 + half * c0);
        const C3 = cm * (1 + half * C2);
        const C4 = c1 * (1 + h * C3);
        const a = 1 + sixth * (c0 + C4 + 2 * (C2 + C3));
        gRK *= a * a;
      }
      r0 = r1;
      c0 = c1;
    }
    const sL = Math.sqrt(L);
    if (doEM) accumulate(sums, 0, gEM, nEM, lT, sL, w);
    if (doEI) accumulate(sums, 1, gEI, nEI, lT, sL, w);
    if (doDD) accumulate(sums, 2, gDD, nDD, lT, sL, w);
    if (doEU) accumulate(sums, 3, gEU, 0, lT, sL, w);
    if (doHE) accumulate(sums, 4, gHE, 0, lT, sL, w);
    if (doRK) accumulate(sums, 5, gRK, 0, lT, sL, w);
  }
  return sums;
}

/** Baseline (c): the paper grid with the core's grouping of cells by grid (K, ε). */
export function fusedGridJs(lam, weights = null) {
  const groups = new Map();
  for (const eps of EPSS) {
    for (const nfe of NFES) {
      for (const scheme of SCHEMES) {
        const K = stepsFor(scheme, nfe);
        const key = `${K}|${eps}`;
        if (!groups.has(key)) groups.set(key, { K, eps, schemes: [] });
        groups.get(key).schemes.push(scheme);
      }
    }
  }
  const sums = new Map();
  for (const [key, g] of groups) sums.set(key, fusedPass(lam, weights, g.K, g.eps, g.schemes));
  const cells = [];
  for (const scheme of SCHEMES) {
    for (const eps of EPSS) {
      for (const nfe of NFES) {
        const K = stepsFor(scheme, nfe);
        const s = sums.get(`${K}|${eps}`);
        const at = 2 * SCHEMES.indexOf(scheme);
        INITS.forEach((init, j) => cells.push({ scheme, eps, nfe, steps: K, init, w2: distance(s[at + j]) }));
      }
    }
  }
  return { cells, continuous: continuousColumns(lam, weights) };
}

// ---- Checking a baseline against the engine ---------------------------------------------------

const keyOf = (c) => `${c.scheme}|${c.eps}|${c.nfe ?? 'cont'}|${c.init}`;

/**
 * Compare a result with the engine's: every cell present, null exactly where the engine's is
 * null, finite cells within `rtol` relative (absolute below 1e-300 where both are ~0), no NaN.
 * Returns a list of problems (empty = agreement) and the largest relative difference.
 */
export function compareResults(ours, theirs, { rtol = 1e-9, subset = false } = {}) {
  const problems = [];
  let worst = 0;
  const mine = new Map([...theirs.cells, ...theirs.continuous].map((c) => [keyOf(c), c.w2]));
  for (const c of [...ours.cells, ...ours.continuous]) {
    const k = keyOf(c);
    if (!mine.has(k)) {
      if (!subset) problems.push(`${k}: missing`);
      continue;
    }
    const a = c.w2;
    const b = mine.get(k);
    if (Number.isNaN(a) || Number.isNaN(b)) problems.push(`${k}: NaN (ours ${a}, baseline ${b})`);
    else if ((a === null) !== (b === null)) problems.push(`${k}: ours ${a}, baseline ${b}`);
    else if (a !== null) {
      const rel = a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
      worst = Math.max(worst, rel);
      if (!(rel <= rtol)) problems.push(`${k}: ours ${a}, baseline ${b} (relative ${rel.toExponential(2)})`);
    }
  }
  for (const c of [...theirs.cells, ...theirs.continuous]) {
    if (typeof c.w2 === 'number' && !Number.isFinite(c.w2)) problems.push(`${keyOf(c)}: baseline ${c.w2}`);
  }
  return { problems, worst };
}

export function loadNpyFloat64(path, parseNpy) {
  return clampSpectrum(parseNpy(new Uint8Array(readFileSync(path))).data);
}

async function main() {
  const { ablation, prepareSpectrum, parseNpy } = await import('../dist/bindings/index.node.js');
  const dataDir = process.env.GAUSSDIFF_DATA
    ? new URL(`file://${process.env.GAUSSDIFF_DATA.replace(/\/?$/, '/')}`)
    : new URL('../test/fixtures/data/', import.meta.url);
  let failed = false;
  for (const name of ['cifar10', 'ADSN']) {
    const lam = loadNpyFloat64(fileURLToPath(new URL(`${name}.npy`, dataDir)), parseNpy);
    const spectrum = prepareSpectrum(lam);
    const ours = await ablation(spectrum, { paper: true });
    const { values, weights } = groupSpectrum(lam);
    const runs = [
      ['naive', () => gridJs(lam)],
      ['grouped', () => gridJs(values, weights)],
      ['fused', () => fusedGridJs(values, weights)],
    ];
    for (const [label, fn] of runs) {
      const t0 = performance.now();
      const res = fn();
      const ms = performance.now() - t0;
      const { problems, worst } = compareResults(ours, res);
      console.log(`${name} ${label}: ${(ms / 1000).toFixed(2)} s, ${problems.length} problems, worst relative difference ${worst.toExponential(2)}`);
      for (const p of problems.slice(0, 10)) console.log(`  ${p}`);
      if (problems.length) failed = true;
    }
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
