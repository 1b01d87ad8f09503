#!/usr/bin/env node
/**
 * Where `run --score-cov` spends its time, and the floor of any exact method built on Σ̂'s
 * eigendecomposition (issue 12 item 9; docs/score-errors.md "How it is computed").
 *
 *   node bench/score-cov-parts.js DIR [--repeats 2]     (DIR holds cov.npy and score.npy: bench/make-score-cov.py)
 *
 * In one process, after a warm-up on a small matrix: eigvalsh(Σ) (the compute of `spectrum
 * --cov`, the baseline), psdEigh(Σ̂) (Σ̂'s eigenvalues AND eigenvectors: the recursion
 * runs on λ̂ and the output covariance lives in Û), scoreCovW2 for the conventional start (G =
 * ÛᵀΣÛ, then one eigvalsh) and for the exact start, scoreCovProject (G alone) and scoreCovLaws
 * from G (what each `compare` cell after the first costs), with the KL terms, and
 * eigvalsh of a matrix of the same size (the one eigvalsh that the Bures cross term
 * tr(C^½ Σ C^½)^½ needs, whatever the products before it cost). The floor printed at the end is
 * eigh(Σ̂) + one eigvalsh: the time of the exact W2 even if every matrix product were free.
 * Medians of the repeats, wall clock; the machine's load is printed beside them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cpus, loadavg } from 'node:os';
import { init, eigvalsh, matrixFromFile } from '../dist/bindings/index.node.js';
import { psdEigh, scoreCovLaws, scoreCovProject, scoreCovW2, warmUpLinalg } from '../dist/bindings/linalg/linalg.js';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
if (!dir) {
  console.error('usage: node bench/score-cov-parts.js DIR [--repeats N]   (DIR: cov.npy and score.npy, see bench/make-score-cov.py)');
  process.exit(2);
}
const ri = args.indexOf('--repeats');
const repeats = ri >= 0 ? Number(args[ri + 1]) : 2;
if (!(Number.isInteger(repeats) && repeats >= 1)) {
  console.error(`--repeats must be an integer ≥ 1 (got ${args[ri + 1]})`);
  process.exit(2);
}

await init();
warmUpLinalg();
const read = (f) => matrixFromFile(new Uint8Array(readFileSync(path.join(dir, f))), f);
const sigma = read('cov.npy');
const hat = read('score.npy');
const n = sigma.rows;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(label, f) {
  const ts = [];
  let out;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    out = f();
    ts.push((performance.now() - t0) / 1000);
  }
  const t = median(ts);
  console.log(`${label.padEnd(44)} ${t.toFixed(3)} s   (load ${loadavg()[0].toFixed(2)})`);
  return { t, out };
}

console.log(`score-cov parts, n = ${n}, ${repeats} repeats, ${cpus().length} cores, ${cpus()[0].model}, node ${process.version}`);
const base = time('eigvalsh(Σ)  [spectrum --cov compute]', () => eigvalsh(sigma.data, n));
const eig = time('psdEigh(Σ̂)  [values + vectors]', () => psdEigh('scoreCov', hat.data, n));
const { values, vectors } = eig.out;
// A representative transfer: the ideal sampler's M = 0, w = λ̂ is too special (γ = λ̂); use
// M = 1/(1+λ̂) and γ = λ̂/(1+λ̂) (any positive values exercise the same arithmetic).
const M = values.map((x) => 1 / (1 + x));
const gamma = values.map((x) => x / (1 + x) + 1e-3);
const prior = time('scoreCovW2, conventional start', () => scoreCovW2(sigma.data, vectors, M, gamma, 0));
const exact = time('scoreCovW2, exact start', () => scoreCovW2(sigma.data, vectors, M, gamma, 0.5));
const proj = time('scoreCovProject (G = ÛᵀΣÛ, shared by compare)', () => scoreCovProject(sigma.data, vectors));
const cell = time('scoreCovLaws from G, conventional [a compare cell]', () => scoreCovLaws(proj.out, M, gamma, 0, null));
const laws = time('scoreCovLaws from G + KL terms, conventional', () => scoreCovLaws(proj.out, M, gamma, 0, { delta: null }));
const last = time('eigvalsh of an n×n matrix  [the Bures cross term]', () => eigvalsh(hat.data, n));
const floor = eig.t + last.t;
console.log(`\nratios to eigvalsh(Σ): eigh(Σ̂) ${(eig.t / base.t).toFixed(2)}×; eigh + W2 conventional ${((eig.t + prior.t) / base.t).toFixed(2)}×, exact ${((eig.t + exact.t) / base.t).toFixed(2)}×, with KL ${((eig.t + proj.t + laws.t) / base.t).toFixed(2)}×; a compare cell after the first ${(cell.t / base.t).toFixed(2)}× (was eigh + W2: ${((eig.t + prior.t) / base.t).toFixed(2)}×)`);
console.log(`floor (eigh(Σ̂) + one eigvalsh, all products free): ${floor.toFixed(3)} s = ${(floor / base.t).toFixed(2)}× eigvalsh(Σ)`);
