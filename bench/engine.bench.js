#!/usr/bin/env node
/**
 * Benchmark of the paper grid, `ablation(spectrum, { paper: true })` (docs/MATH.md §5: 6 schemes × 4 ε ×
 * 4 NFE × 2 starts + the continuous columns), on the CIFAR-10 spectrum (3072 eigenvalues) and the
 * ADSN spectrum (196,608 eigenvalues, 65,511 distinct), against baselines of the same algorithm in
 * the same run:
 *   ours            the WASM core through the public API, `ablation(eigenvalues, { paper: true })`
 *                   on the raw eigenvalues (includes validation and grouping), default threads
 *                   (worker threads, up to 2), after one warm-up call (the first call compiles the
 *                   module and runs in the baseline tier; it is reported separately)
 *   ours-1t         the same with { threads: 1 }: one thread, like every baseline
 *   JS fused        bench/baseline-js.js fusedGridJs: the core's algorithm ported line by line to JS
 *                   (grouped values, cells sharing a grid in one pass, both starts in one recursion)
 *   JS grouped      bench/baseline-js.js gridJs over the distinct values: one run per cell
 *   JS naive        gridJs over all eigenvalues, one run per cell
 *   numpy           bench/baseline_numpy.py, the authors' way: all eigenvalues, vectorised, a Python
 *                   loop over the steps, one run per cell (spawned; its own timer, so interpreter
 *                   start-up and file loading are excluded)
 *   numpy grouped   the same over np.unique's distinct values (information only)
 *   numpy tuned     grouped, and the step loop with preallocated buffers and in-place ufuncs
 *                   (information only: what hand-tuning buys NumPy)
 * Every result is checked against ours (1e-9 relative, null where ours is null); NaN or a
 * disagreement exits 1. Targets of the issue are reported, not enforced.
 *
 * Method: CIFAR-10 with benchmark.js suites (median of its samples; `ours` is deferred since
 * `ablation` is async); ADSN (multi-second cases) with a manual loop: warm-up, then the median of
 * repeated runs (wall clock; CPU time from process.cpuUsage, which counts every thread).
 *
 * Needs the built package (`npx asc assembly/index.ts --target release && npx tsc -p tsconfig.json`)
 * and test/fixtures/data/{cifar10,ADSN}.npy (or GAUSSDIFF_DATA=dir); python3 with NumPy (or PYTHON=…).
 * Usage: npm run bench [-- --quick] [-- --data=ADSN] [-- --impl=ours,fused] [-- --numpy=subset]
 *        [-- --repeats=N] [-- --json=out.json]
 *   --quick        fewer repeats; numpy on ADSN times one ε of four and extrapolates ×4
 *   --numpy=subset that extrapolation without --quick (exact: every ε has the same step counts)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Benchmark from 'benchmark';
import { ablation, init, parseNpy } from '../dist/bindings/index.node.js';
import { clampSpectrum, compareResults, fusedGridJs, gridJs, groupSpectrum } from './baseline-js.js';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? true];
  }),
);
const quick = args.quick === true;
const DATA_DIR = process.env.GAUSSDIFF_DATA ?? fileURLToPath(new URL('../test/fixtures/data/', import.meta.url));
const datasets = String(args.data ?? 'cifar10,ADSN').split(',');
const impls = String(args.impl ?? 'ours,ours-1t,fused,grouped,naive,numpy,numpy-grouped,numpy-tuned').split(',');
const numpySubset = args.numpy === 'subset' || (quick && args.numpy !== 'full');
const python = process.env.PYTHON ?? 'python3';
const here = (p) => fileURLToPath(new URL(p, import.meta.url));

/** Repeats of the manual loop (ADSN), per implementation. */
const REPEATS = quick
  ? { ours: 5, 'ours-1t': 3, fused: 2, grouped: 1, naive: 1, numpy: 1, 'numpy-grouped': 1, 'numpy-tuned': 1 }
  : { ours: 7, 'ours-1t': 5, fused: 5, grouped: 3, naive: 3, numpy: 3, 'numpy-grouped': 1, 'numpy-tuned': 3 };
if (args.repeats) for (const k of Object.keys(REPEATS)) REPEATS[k] = Math.max(1, Number(args.repeats));

const LABEL = {
  ours: 'ours (WASM, default threads)', 'ours-1t': 'ours (WASM, threads: 1)', fused: 'JS fused (port of ours)', grouped: 'JS grouped', naive: 'JS naive',
  numpy: 'numpy (authors\' way)', 'numpy-grouped': 'numpy grouped', 'numpy-tuned': 'numpy tuned (grouped, in-place)',
};

let failed = false;
const fail = (msg) => {
  failed = true;
  console.error(`FAIL: ${msg}`);
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const load = () => os.loadavg()[0].toFixed(2);

function check(name, label, ours, theirs, subset = false) {
  const { problems, worst } = compareResults(ours, theirs, { subset });
  for (const p of problems.slice(0, 10)) console.error(`  ${name} ${label}: ${p}`);
  if (problems.length) fail(`${name} ${label}: ${problems.length} cells disagree with ours or are NaN`);
  return worst;
}

function runNumpy(file, { repeats, subset, grouped, inplace }) {
  const argv = [here('./baseline_numpy.py'), file, '--repeats', String(repeats)];
  if (subset) argv.push('--eps', '0.001');
  if (grouped) argv.push('--grouped');
  if (inplace) argv.push('--inplace');
  const r = spawnSync(python, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${python} ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout);
  const factor = subset ? 4 : 1;
  return {
    out,
    wall: out.seconds.map((s) => s * factor),
    cpu: out.cpu_seconds.map((s) => s * factor),
    note: subset ? 'ε = 1e-3 only, ×4 (extrapolated)' : '',
  };
}

/** benchmark.js: median seconds per call, and CPU seconds per call over every call it made. */
function suite(name, cases) {
  return new Promise((resolve) => {
    const stats = {};
    const s = new Benchmark.Suite(name);
    for (const [key, fn, deferred] of cases) {
      let calls = 0;
      let cpu0;
      const options = {
        minSamples: 5,
        maxTime: quick ? 2 : 5,
        onStart: () => {
          cpu0 = process.cpuUsage();
        },
        onComplete(event) {
          const c = process.cpuUsage(cpu0);
          const b = event.target;
          if (b.error) fail(`${name} ${key}: ${b.error}`);
          stats[key] = {
            wall: b.stats.sample,
            cpuPerCall: (c.user + c.system) / 1e6 / calls,
            method: `benchmark.js, ${b.stats.sample.length} samples, ±${b.stats.rme.toFixed(1)}%`,
          };
        },
      };
      if (deferred) {
        s.add(key, {
          ...options,
          defer: true,
          fn: (d) => {
            calls++;
            fn().then(() => d.resolve());
          },
        });
      } else {
        s.add(key, { ...options, fn: () => { calls++; fn(); } });
      }
    }
    s.on('cycle', (e) => console.log(`  ${String(e.target)}  (load ${load()})`));
    s.on('complete', () => resolve(stats));
    s.run({ async: true });
  });
}

/** Manual loop: `warmup` untimed calls, then `repeats` timed ones. */
async function loop(fn, { warmup, repeats }) {
  let result;
  for (let i = 0; i < warmup; i++) result = await fn();
  const wall = [];
  const cpu = [];
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = await fn();
    wall.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { wall, cpu, result };
}

function printTable(name, rows) {
  const ours = rows.find((r) => r.key === 'ours');
  console.log(`\n### ${name}\n`);
  console.log('| implementation | method | median wall (s) | min–max (s) | median CPU (s) | time ÷ ours (wall) | (CPU) | worst rel. diff |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const m = median(r.wall);
    const ratio = ours && r.key !== 'ours' ? `${(m / median(ours.wall)).toFixed(1)}×` : r.key === 'ours' ? '1' : '—';
    const cpu = r.cpu ? median(r.cpu).toFixed(3) : '—';
    const cpuRatio = ours?.cpu && r.cpu && r.key !== 'ours' ? `${(median(r.cpu) / median(ours.cpu)).toFixed(1)}×` : r.key === 'ours' ? '1' : '—';
    const range = r.wall.length > 1 ? `${Math.min(...r.wall).toFixed(3)}–${Math.max(...r.wall).toFixed(3)}` : '—';
    const diff = r.worst === undefined ? '—' : r.worst.toExponential(1);
    console.log(`| ${LABEL[r.key] ?? r.key} | ${r.method} | ${m.toFixed(3)} | ${range} | ${cpu} | ${ratio} | ${cpuRatio} | ${diff} |`);
    if (![m, ...(r.cpu ?? [])].every(Number.isFinite)) fail(`${name} ${r.key}: non-finite timing`);
  }
}

async function benchDataset(name) {
  const file = join(DATA_DIR, `${name}.npy`);
  const lam = clampSpectrum(parseNpy(new Uint8Array(readFileSync(file))).data);
  const big = lam.length > 50_000;
  const rows = [];
  console.log(`\n## ${name}: ${lam.length} eigenvalues (load ${load()})`);

  // The first call of a fresh module (compile + baseline tier), then the reference result.
  const t0 = performance.now();
  await init();
  const ours = await ablation(lam, { paper: true });
  const first = (performance.now() - t0) / 1000;
  const nulls = ours.cells.filter((c) => c.w2 === null).length;
  if ([...ours.cells, ...ours.continuous].some((c) => Number.isNaN(c.w2))) fail(`${name} ours: NaN in the result`);
  console.log(`  ours, first call (init + compile + run): ${first.toFixed(3)} s, threads ${ours.threads ?? '?'}; ${ours.cells.length} cells (${nulls} null) + ${ours.continuous.length} continuous`);

  const grouped = () => {
    const { values, weights } = groupSpectrum(lam);
    return gridJs(values, weights);
  };
  const fused = () => {
    const { values, weights } = groupSpectrum(lam);
    return fusedGridJs(values, weights);
  };
  const jsCases = { fused, grouped, naive: () => gridJs(lam) };

  if (!big) {
    // Results first (checked once), then timings.
    const worst = { ours: 0 };
    for (const [k, f] of Object.entries(jsCases)) if (impls.includes(k)) worst[k] = check(name, k, ours, f());
    if (impls.includes('ours-1t')) worst['ours-1t'] = check(name, 'ours-1t', ours, await ablation(lam, { paper: true, threads: 1 }));
    const cases = [];
    if (impls.includes('ours')) cases.push(['ours', () => ablation(lam, { paper: true }), true]);
    if (impls.includes('ours-1t')) cases.push(['ours-1t', () => ablation(lam, { paper: true, threads: 1 }), true]);
    for (const [k, f] of Object.entries(jsCases)) if (impls.includes(k)) cases.push([k, f, false]);
    const stats = await suite(name, cases);
    for (const [k] of cases) rows.push({ key: k, method: stats[k].method, wall: stats[k].wall, cpu: [stats[k].cpuPerCall], worst: worst[k] });
  } else {
    if (impls.includes('ours')) {
      const r = await loop(() => ablation(lam, { paper: true }), { warmup: 1, repeats: REPEATS.ours });
      rows.push({ key: 'ours', method: `loop, 1 warm-up + ${REPEATS.ours} runs`, ...r, worst: 0 });
      console.log(`  ours: ${r.wall.map((x) => x.toFixed(3)).join(', ')} s, threads ${r.result.threads ?? '?'} (load ${load()})`);
    }
    if (impls.includes('ours-1t')) {
      const r = await loop(() => ablation(lam, { paper: true, threads: 1 }), { warmup: 1, repeats: REPEATS['ours-1t'] });
      const worst = check(name, 'ours-1t', ours, r.result);
      rows.push({ key: 'ours-1t', method: `loop, 1 warm-up + ${REPEATS['ours-1t']} runs`, ...r, worst });
      console.log(`  ours-1t: ${r.wall.map((x) => x.toFixed(3)).join(', ')} s (load ${load()})`);
    }
    for (const [k, f] of Object.entries(jsCases)) {
      if (!impls.includes(k)) continue;
      const r = await loop(f, { warmup: 0, repeats: REPEATS[k] });
      const worst = check(name, k, ours, r.result);
      const jit = datasets.indexOf(name) > 0 ? `JIT warmed on ${datasets[0]}` : 'first run includes JIT warm-up';
      rows.push({ key: k, method: `loop, ${REPEATS[k]} run${REPEATS[k] > 1 ? 's' : ''}, no warm-up (${jit})`, ...r, worst });
      console.log(`  ${k}: ${r.wall.map((x) => x.toFixed(2)).join(', ')} s (load ${load()})`);
    }
  }

  for (const k of ['numpy', 'numpy-grouped', 'numpy-tuned']) {
    if (!impls.includes(k)) continue;
    const repeats = big ? REPEATS[k] : quick ? 3 : 5;
    const subset = big && numpySubset;
    const r = runNumpy(file, { repeats, subset, grouped: k !== 'numpy', inplace: k === 'numpy-tuned' });
    const worst = check(name, k, ours, r.out, subset);
    rows.push({
      key: k, method: `python loop, ${repeats} run${repeats > 1 ? 's' : ''}${r.note ? `, ${r.note}` : ''}`,
      wall: r.wall, cpu: r.cpu, worst, numpy: r.out.numpy,
    });
    console.log(`  ${k}: ${r.wall.map((x) => x.toFixed(2)).join(', ')} s${r.note ? ` (${r.note})` : ''} (load ${load()})`);
  }
  printTable(name, rows);
  return { name, n: lam.length, first, rows };
}

async function main() {
  const cpus = os.cpus();
  const asVersion = JSON.parse(readFileSync(here('../node_modules/assemblyscript/package.json'), 'utf8')).version;
  console.log(`# gaussdiff engine benchmark — ${new Date().toISOString()}`);
  console.log(`${cpus[0]?.model ?? '?'} × ${cpus.length}, Node ${process.version}, AssemblyScript ${asVersion}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const results = [];
  for (const name of datasets) results.push(await benchDataset(name));

  const adsn = results.find((r) => r.name === 'ADSN');
  const m = (key) => {
    const r = adsn?.rows.find((x) => x.key === key);
    return r ? median(r.wall) : undefined;
  };
  if (adsn && m('ours') !== undefined) {
    const o = m('ours');
    const line = (label, ok, text) => console.log(`- ${label}: ${text} — ${ok ? 'met' : 'NOT met'}`);
    console.log('\n### Targets (ADSN grid)\n');
    line('≤ 1.5 s', o <= 1.5, `${o.toFixed(3)} s`);
    if (m('numpy')) line('≥ 80× faster than numpy', m('numpy') / o >= 80, `${(m('numpy') / o).toFixed(1)}×`);
    if (m('grouped')) line('≥ 1.5× faster than same-algorithm JS (grouped)', m('grouped') / o >= 1.5, `${(m('grouped') / o).toFixed(2)}×`);
    if (m('fused')) line('≥ 1.5× faster than same-algorithm JS (fused port)', m('fused') / o >= 1.5, `${(m('fused') / o).toFixed(2)}×`);
    if (m('fused') && m('ours-1t')) console.log(`- (one thread each: JS fused / ours threads 1 = ${(m('fused') / m('ours-1t')).toFixed(2)}×)`);
  }
  console.log(`\nload at end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  if (args.json) writeFileSync(args.json, JSON.stringify({ date: new Date().toISOString(), results }, null, 1));
  if (failed) {
    console.error('benchmark FAILED (NaN or disagreement, see above)');
    process.exit(1);
  }
  process.exit(0); // worker threads of the pool must not keep the process alive
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
