#!/usr/bin/env node
/**
 * Benchmark of the general kernel (assembly/kernels/general.ts) on the ADSN spectrum (196,608
 * eigenvalues, 65,511 distinct) × 50 steps: the speed target is a 2-state sampler at most
 * 3× the time of a 1-state sampler on the same grid. Cases, same run, same chunking:
 *   general m=1   k-diffusion `euler` on the EDM process, Karras grid (σ 0.002..80, ρ = 7), 50 steps
 *   general m=2   k-diffusion `dpmpp_2m` on the same grid
 *   general m=2 generic   the same through the memory-based path (any m ≤ 4; information)
 *   fast path m=1 the paper's Euler on VP, 50 uniform steps (assembly/discrete.ts; information)
 *   general paper the same scheme and grid through the general kernel (information)
 *   JS m=2        a pure-JS port of the dpmpp_2m recursion over the distinct values (baseline)
 * Core calls only (final sums, no trajectory), after warm-up; interleaved rounds (each case once
 * per round), median per case, wall clock.
 * A NaN, or a disagreement of the JS port with the core beyond 1e-12 relative, exits 1.
 * Needs the built package (npm run build). Usage: node bench/engine-general.bench.js [--repeats=N]
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { init, parseNpy, prepareSpectrum, resolveSamplerRun, run, PROCESSES } from '../dist/bindings/index.node.js';
import { generalRunRaw } from '../dist/bindings/exact/core-general.js';
import { packParams } from '../dist/bindings/samplers/params.js';
import { evolveGrid } from '../dist/bindings/exact/engine.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => { const [k, v] = a.replace(/^--/, '').split('='); return [k, v ?? true]; }));
const REPEATS = Number(args.repeats ?? 9);
const STEPS = 50;
const DATA = process.env.GAUSSDIFF_DATA ?? fileURLToPath(new URL('../test/fixtures/data/', import.meta.url));

await init();
const spectrum = prepareSpectrum(parseNpy(new Uint8Array(readFileSync(DATA + 'ADSN.npy'))).data);

function call(opts, generic = false) {
  const r = resolveSamplerRun({ ...opts, steps: STEPS });
  const proc = PROCESSES[r.process.id];
  const c = {
    coreId: r.spec.coreId, params: packParams(r.spec.params, r.params), processId: proc.coreId,
    processParams: packParams(proc.params, r.processParams), times: r.times, h: r.h,
    values: spectrum.values, weights: spectrum.weights, meanSq: null, wantTraj: false, wantV: false, wantMean: false, generic,
  };
  return { run: () => generalRunRaw(c).sums, times: r.times };
}

function dpmpp2mJs(values, weights, sig) {
  // The same recursion as assembly/samplers/k-diffusion.ts + kernels/general.ts run2 (det), in JS.
  const K = sig.length - 1;
  const rho = [], omr = [], kap = [], s2 = [];
  for (let k = 0; k < K; k++) {
    const s = sig[k], s1 = sig[k + 1];
    const h = -Math.log(s1) + Math.log(s);
    s2.push(s * s); rho.push(s1 / s); omr.push(-Math.expm1(-h));
    kap.push(k > 0 && s1 !== 0 ? 1 / (2 * ((-Math.log(s) + Math.log(sig[k - 1])) / h)) : 0);
  }
  let sumE = 0, sumP = 0;
  for (let i = 0; i < values.length; i++) {
    const L = values[i];
    let f0 = 1, f1 = 0;
    for (let k = 0; k < K; k++) {
      const c = L / (L + s2[k]);
      const g0 = (rho[k] + omr[k] * (1 + kap[k]) * c) * f0 - omr[k] * kap[k] * f1;
      f1 = c * f0; f0 = g0;
    }
    const G = f0 * f0;
    const lT = L + sig[0] * sig[0];
    const term = (v) => { const d = v - L; return d === 0 ? 0 : (d / (Math.sqrt(v) + Math.sqrt(L))) ** 2; };
    sumE += weights[i] * term(G * lT);
    sumP += weights[i] * term(G * sig[0] * sig[0]);
  }
  return [sumE, sumP];
}

/** Interleaved rounds (every case once per round, so load drift hits all alike); median per case. */
function timeAll(fns) {
  const names = Object.keys(fns);
  for (const n of names) { fns[n](); fns[n](); } // warm-up (tier-up)
  const t = Object.fromEntries(names.map((n) => [n, []]));
  const out = {};
  for (let r = 0; r < REPEATS; r++) {
    for (const n of names) {
      const t0 = performance.now();
      out[n] = fns[n]();
      t[n].push(performance.now() - t0);
    }
  }
  return Object.fromEntries(names.map((n) => { const x = t[n].sort((a, b) => a - b); return [n, { ms: x[x.length >> 1], out: out[n] }]; }));
}

const load0 = os.loadavg()[0];
const one = call({ sampler: 'euler' });
const two = call({ sampler: 'dpmpp_2m' });
const twoGeneric = call({ sampler: 'dpmpp_2m' }, true);
const paperGeneral = call({ scheme: 'euler' });
const cases = timeAll({
  'general m=1 (k-diffusion euler, Karras)': one.run,
  'general m=2 (dpmpp_2m, Karras)': two.run,
  'general m=2 generic path': twoGeneric.run,
  // The ablation's pass for one scheme (evolveOne: final sums only), as `ablation` calls it.
  'fast path m=1 (paper euler, VP uniform)': () => evolveGrid(spectrum.values, spectrum.weights, { betaMin: 0.05, betaMax: 10, T: 1 }, 1, { K: STEPS, eps: 0, mask: 1 << 4, cells: 1 }),
  'general m=1 (paper euler, VP uniform)': paperGeneral.run,
  'JS m=2 (dpmpp_2m port)': () => dpmpp2mJs(spectrum.values, spectrum.weights, two.times),
});
const load1 = os.loadavg()[0];

let bad = false;
for (const [name, c] of Object.entries(cases)) for (const x of [].concat(c.out)) if (Number.isNaN(x)) { console.error(`NaN in ${name}`); bad = true; }
const js = cases['JS m=2 (dpmpp_2m port)'].out, core = cases['general m=2 (dpmpp_2m, Karras)'].out;
for (let j = 0; j < 2; j++) if (Math.abs(js[j] - core[j]) > 1e-12 * Math.abs(core[j])) { console.error(`JS port disagrees: ${js[j]} vs ${core[j]}`); bad = true; }

const base = cases['general m=1 (k-diffusion euler, Karras)'].ms;
console.log(`ADSN: ${spectrum.distinct} distinct values (${spectrum.values.length} padded) × ${STEPS} steps; median of ${REPEATS}`);
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores; Node ${process.version}; load ${load0.toFixed(2)} → ${load1.toFixed(2)}`);
console.log('| case | ms | ratio to general m=1 |\n|---|---:|---:|');
for (const [name, c] of Object.entries(cases)) console.log(`| ${name} | ${c.ms.toFixed(1)} | ${(c.ms / base).toFixed(2)} |`);
console.log(`\n2-state / 1-state on the same grid: ${(cases['general m=2 (dpmpp_2m, Karras)'].ms / base).toFixed(2)} (target ≤ 3)`);
if (bad) process.exit(1);
