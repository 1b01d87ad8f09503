#!/usr/bin/env node
/**
 * Benchmark of the grid tuner (bindings/tune/tune.ts, docs/tuning.md; issue 13 item 5):
 *   CIFAR-10 (3072 eigenvalues), N = 10, k-diffusion euler, heun, dpmpp_2m on edm, start 80·z:
 *     ours    tuneSync (L-BFGS, reverse-mode gradient), default options, median of REPEATS runs
 *     scipy   bench/scipy_tune.py (spawned in the same run with /usr/bin/python3): the same
 *             parametrisation, objective and starts, Nelder–Mead and Powell, its own clock
 *   ADSN (196,608 eigenvalues, 65,512 distinct), N = 20, the same samplers: ours, one run each.
 * The scipy grids are re-evaluated by our runSampler (the exact W2 they reach, and the agreement of
 * the two objectives: their reported W2 against ours on their grid, printed).
 * A NaN anywhere exits 1. Needs the built package (npm run build).
 * Usage: node bench/tune.bench.js [--repeats=3] [--no-adsn] [--no-scipy]
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { init, parseNpy, prepareSpectrum, tuneSync, runSamplerSync } from '../dist/bindings/index.node.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => { const [k, v] = a.replace(/^--/, '').split('='); return [k, v ?? true]; }));
const REPEATS = Number(args.repeats ?? 3);
const DATA = process.env.GAUSSDIFF_DATA ?? fileURLToPath(new URL('../test/fixtures/data/', import.meta.url));
const SAMPLERS = ['euler', 'heun', 'dpmpp_2m'];

function fail(what) {
  console.error(`tune.bench: ${what}`);
  process.exit(1);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

await init();
const load = (name) => prepareSpectrum(Float64Array.from(parseNpy(readFileSync(DATA + name)).data));
const cifar = load('cifar10.npy');
console.log(`# tune.bench ${new Date().toISOString()} — Node ${process.version}, ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
tuneSync(cifar, { sampler: 'euler', steps: 4 }); // warm-up (tiers up the core)

console.log('\n## CIFAR-10, N = 10\n');
console.log('| sampler | method | W2 | karras | exponential | kl_optimal | evaluations | seconds (wall) | CPU s |');
console.log('|---|---|---|---|---|---|---|---|---|');
const ours = {};
for (const sampler of SAMPLERS) {
  const times = [], cpu = [];
  let r;
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now(), c0 = process.cpuUsage();
    r = tuneSync(cifar, { sampler, steps: 10 });
    times.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  const g = r.tuned[0];
  if (!Number.isFinite(g.value)) fail(`${sampler}: W2 ${g.value}`);
  ours[sampler] = { w2: g.value, seconds: median(times) };
  const b = g.baselines;
  console.log(`| ${sampler} | ours (L-BFGS) | ${g.value.toPrecision(6)} | ${b.karras.toPrecision(4)} | ${b.exponential.toPrecision(4)} | ${b.kl_optimal.toPrecision(4)} | ${g.evaluations} | ${median(times).toFixed(3)} (median of ${REPEATS}: ${times.map((t) => t.toFixed(3)).join(', ')}) | ${median(cpu).toFixed(3)} |`);
}

if (!args['no-scipy']) {
  const py = spawnSync('/usr/bin/python3', [fileURLToPath(new URL('./scipy_tune.py', import.meta.url)), DATA + 'cifar10.npy', '--steps', '10', '--samplers', SAMPLERS.join(',')], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (py.status !== 0) fail(`scipy_tune.py failed: ${py.stderr}`);
  const res = JSON.parse(py.stdout);
  for (const r of res.results) {
    const exact = runSamplerSync(cifar, { sampler: r.sampler, times: r.grid }).w2;
    if (!Number.isFinite(exact) || !Number.isFinite(r.w2)) fail(`scipy ${r.sampler} ${r.method}: W2 ${r.w2}`);
    const agree = Math.abs(exact - r.w2) / exact;
    const b = r.baselines;
    console.log(`| ${r.sampler} | scipy ${r.method} | ${exact.toPrecision(6)} (numpy's objective: rel. diff ${agree.toExponential(1)}) | ${b.karras.toPrecision(4)} | ${b.exponential.toPrecision(4)} | ${b.kl_optimal.toPrecision(4)} | ${r.evaluations} | ${r.seconds.toFixed(3)} (${(r.seconds / ours[r.sampler].seconds).toFixed(1)}× ours) | ${r.cpu.toFixed(3)} |`);
  }
  console.log(`\nscipy: wall by its own clock (perf_counter), CPU by process_time. Python ${res.python}, NumPy ${res.numpy}, SciPy ${res.scipy}; ${res.distinct} distinct eigenvalues.`);
}

if (!args['no-adsn']) {
  const adsn = load('ADSN.npy');
  console.log(`\n## ADSN, N = 20 (${adsn.values.length} distinct eigenvalues)\n`);
  console.log('| sampler | W2 | karras | exponential | kl_optimal | iterations | evaluations | seconds (wall) | CPU s |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const sampler of SAMPLERS) {
    const t0 = performance.now(), c0 = process.cpuUsage();
    const r = tuneSync(adsn, { sampler, steps: 20 });
    const s = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const g = r.tuned[0];
    if (!Number.isFinite(g.value)) fail(`ADSN ${sampler}: W2 ${g.value}`);
    const b = g.baselines;
    console.log(`| ${sampler} | ${g.value.toPrecision(6)} | ${b.karras.toPrecision(4)} | ${b.exponential.toPrecision(4)} | ${b.kl_optimal.toPrecision(4)} | ${g.iterations} | ${g.evaluations} | ${s.toFixed(2)} | ${((c.user + c.system) / 1e6).toFixed(2)} |`);
  }
}
