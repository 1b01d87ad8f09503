#!/usr/bin/env node
/**
 * Benchmark of `gaussdiff compare` (issue 11 item 8), whole CLI (process start to exit, as a user
 * runs it), against the lean NumPy implementation of the same recursions (bench/numpy_compare.py:
 * arrays over the eigenvalues, a Python loop over the steps, one run per cell), same run:
 *   ADSN   196,608 eigenvalues (65,511 distinct): euler, heun, dpmpp_2m, dpmpp_sde, dpmpp_2m_sde
 *          × karras, exponential × steps 10, 20, 50, 100, 200 (50 cells). Target: ≥ 20× NumPy.
 *   CIFAR-10 (3072 eigenvalues): the first 12 library samplers of the edm model × karras,
 *          exponential, linear_quadratic × steps 10, 20, 50. Target: < 0.5 s.
 * Rows: ours (default threads), ours --threads 1, NumPy lean (whole process, and its compute alone
 * by its own clock), NumPy grouped (np.unique; information). Rounds interleave the cases (load
 * drift hits all alike); medians; wall clock and CPU time (user + sys, /usr/bin/time).
 * Every NumPy cell must agree with ours to 1e-9 relative (else exit 1; NaN anywhere exits 1).
 * Needs the built package (npm run build) and /usr/bin/python3 with NumPy.
 * Usage: node bench/compare.bench.js [--repeats=N] [--numpy-repeats=N]
 */
import os from 'node:os';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLER_REGISTRY } from '../dist/bindings/index.node.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => { const [k, v] = a.replace(/^--/, '').split('='); return [k, v ?? true]; }));
const REPEATS = Number(args.repeats ?? 5);
const NUMPY_REPEATS = Number(args['numpy-repeats'] ?? 3);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = process.env.GAUSSDIFF_DATA ?? path.join(ROOT, 'test/fixtures/data/');
const BIN = path.join(ROOT, 'bin/gaussdiff.js');
const TMP = mkdtempSync(path.join(os.tmpdir(), 'gaussdiff-compare-bench-'));
const PY = '/usr/bin/python3';

const ADSN = {
  samplers: ['euler', 'heun', 'dpmpp_2m', 'dpmpp_sde', 'dpmpp_2m_sde'],
  schedulers: ['karras', 'exponential'],
  steps: [10, 20, 50, 100, 200],
};
const CIFAR = {
  samplers: Object.values(SAMPLER_REGISTRY).filter((s) => s.processes.includes('edm')).slice(0, 12).map((s) => s.id),
  schedulers: ['karras', 'exponential', 'linear_quadratic'],
  steps: [10, 20, 50],
};

/** Run a command under /usr/bin/time: wall (s, ours), CPU (user + sys, s) and stdout. */
function timed(cmd, argv) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: user + sys, stdout: r.stdout };
}

function cli(input, grid, out, extra = []) {
  return timed(process.execPath, [BIN, 'compare', '--spectrum', input, '--samplers', grid.samplers.join(','),
    '--schedulers', grid.schedulers.join(','), '--steps', grid.steps.join(','), '--format', 'json', '--out', out, '--no-progress', ...extra]);
}

function numpy(input, grid, extra = []) {
  const r = timed(PY, [path.join(ROOT, 'bench/numpy_compare.py'), input, '--samplers', grid.samplers.join(','),
    '--schedulers', grid.schedulers.join(','), '--steps', grid.steps.join(','), ...extra]);
  const j = JSON.parse(r.stdout.replace(/\bNaN\b/g, 'null'));
  return { ...r, compute: j.seconds[0], computeCpu: j.cpu_seconds[0], cells: j.cells, numpy: j.numpy };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

const info = {
  date: new Date().toISOString(),
  cpu: `${os.cpus()[0]?.model} × ${os.cpus().length}`,
  node: process.version,
  python: execFileSync(PY, ['-c', 'import sys, numpy; print(sys.version.split()[0], numpy.__version__)'], { encoding: 'utf8' }).trim(),
  loadStart: load(),
};

// --- ADSN ----------------------------------------------------------------------------------------
const adsn = path.join(DATA, 'ADSN.npy');
const rows = { ours: [], ours1: [], numpy: [], numpyGrouped: [] };
let oursCells;
let numpyCells;
for (let r = 0; r < Math.max(REPEATS, NUMPY_REPEATS); r++) {
  if (r < REPEATS) {
    const out = path.join(TMP, 'adsn.json');
    rows.ours.push(cli(adsn, ADSN, out));
    oursCells = JSON.parse(readFileSync(out, 'utf8')).cells;
    rows.ours1.push(cli(adsn, ADSN, path.join(TMP, 'adsn1.json'), ['--threads', '1']));
    if (readFileSync(path.join(TMP, 'adsn1.json'), 'utf8') !== readFileSync(out, 'utf8')) throw new Error('threads 1 and default threads differ');
  }
  if (r < NUMPY_REPEATS) {
    const n = numpy(adsn, ADSN);
    numpyCells = n.cells;
    rows.numpy.push(n);
    if (r === 0) rows.numpyGrouped.push(numpy(adsn, ADSN, ['--grouped']));
  }
}
let worst = 0;
for (const [i, c] of oursCells.entries()) {
  const x = numpyCells[i];
  if (x.sampler !== c.sampler || x.scheduler !== c.scheduler || x.steps !== c.steps) throw new Error(`cell ${i}: order differs`);
  if (!Number.isFinite(c.w2) || !Number.isFinite(x.w2)) throw new Error(`cell ${i}: NaN or null (${c.w2}, ${x.w2})`);
  worst = Math.max(worst, Math.abs(c.w2 - x.w2) / c.w2);
}
if (!(worst <= 1e-9)) throw new Error(`NumPy and ours differ by ${worst} relative`);

// --- CIFAR-10 ------------------------------------------------------------------------------------
const cifar = path.join(DATA, 'cifar10.npy');
const cifarRows = [];
for (let r = 0; r < REPEATS; r++) cifarRows.push(cli(cifar, CIFAR, path.join(TMP, 'cifar.json')));
const cifarCells = JSON.parse(readFileSync(path.join(TMP, 'cifar.json'), 'utf8')).cells;
if (cifarCells.some((c) => c.w2 !== null && !Number.isFinite(c.w2))) throw new Error('CIFAR-10: NaN');

const summary = (xs, key) => median(xs.map((x) => x[key]));
const ours = summary(rows.ours, 'wall');
const result = {
  ...info,
  loadEnd: load(),
  adsn: {
    cells: oursCells.length,
    oursWall: ours, oursCpu: summary(rows.ours, 'cpu'), oursWallAll: rows.ours.map((x) => +x.wall.toFixed(3)),
    ours1Wall: summary(rows.ours1, 'wall'), ours1Cpu: summary(rows.ours1, 'cpu'),
    numpyWall: summary(rows.numpy, 'wall'), numpyCpu: summary(rows.numpy, 'cpu'),
    numpyCompute: summary(rows.numpy, 'compute'), numpyComputeCpu: summary(rows.numpy, 'computeCpu'),
    numpyGroupedWall: summary(rows.numpyGrouped, 'wall'), numpyGroupedCompute: summary(rows.numpyGrouped, 'compute'),
    ratioWall: summary(rows.numpy, 'wall') / ours,
    ratioCpu: summary(rows.numpy, 'cpu') / summary(rows.ours, 'cpu'),
    ratioComputeOnly: summary(rows.numpy, 'compute') / ours,
    worstRelativeDifference: worst,
  },
  cifar: {
    cells: cifarCells.length, samplers: CIFAR.samplers.length,
    wall: summary(cifarRows, 'wall'), cpu: summary(cifarRows, 'cpu'), wallAll: cifarRows.map((x) => +x.wall.toFixed(3)),
  },
};
console.log(JSON.stringify(result, null, 2));
