#!/usr/bin/env node
/**
 * Cold start and threads (issue 9, item 8), whole processes as a user runs them.
 *
 *   node bench/cold.bench.js [--n 2048] [--rounds 7] [--threads-n 1000] [--max-load 0.3 [--wait 120]]
 *                            [--root DIR[,DIR…]] [--no-cold] [--no-threads] [--json out.json]
 *
 * cold: `node bin/gaussdiff.js spectrum --cov X.npy > /dev/null`, wall clock of the whole process
 *   (start-up, reading and checking the matrix, the first eigvalsh of a fresh module, output),
 *   against NumPy in the same round: a python3 process that loads the same .npy and calls
 *   `np.linalg.eigvalsh` once; its eigvalsh call and its whole process are both reported. The
 *   target is ours (whole process) ≤ 3 × numpy's eigvalsh. X is a sample covariance (from a seeded
 *   mulberry32 stream, made by this package's own `covariance`), written once to a temporary file.
 * threads: eigvalsh(n) on the threaded build (2 threads, what the Node entry point loads) and on
 *   the single-threaded build, alternating in one process, with the other core idle and with it
 *   kept busy by a spinning child process (`node -e 'for(;;);'`). The target: 2 threads never
 *   slower than 1.
 *
 * --root DIR,… times the CLI of other checkouts (built), e.g. the commit before the change, in the
 * same rounds, on the same matrix, against the same numpy runs (the first is the default, this one). Each round runs ours and numpy back to back (and, with
 * --max-load L, first waits up to 2 minutes for a second in which other processes use less than
 * L cores); medians are reported with the 1-minute load average seen. Exits 1 if a result is NaN or ours and numpy disagree beyond
 * 1e-9·max|λ|.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../test/helpers/mulberry32.js';

const here = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const flag = (name) => args.includes(`--${name}`);
const N = Number(opt('n', '2048'));
const ROUNDS = Number(opt('rounds', '7'));
const THREADS_N = Number(opt('threads-n', '1000'));
const MAX_LOAD = opt('max-load', undefined);
// One or more checkouts (comma-separated), timed in the same rounds; the first is the one reported
// as "ours" in the threads section.
const ROOTS = opt('root', here).split(',').map((r) => path.resolve(r));
const ROOT = ROOTS[0];
const WAIT_SECONDS = Number(opt('wait', '120'));
const JSON_OUT = opt('json', undefined);

const api = await import(new URL('../dist/bindings/index.node.js', import.meta.url).href);
await api.initLinalg();

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () => loadavg()[0];
let failed = false;
const fail = (message) => {
  console.error(`cold.bench: ${message}`);
  failed = true;
};

/** Fraction of the machine's CPU time used by anything over the next `ms` (Linux /proc/stat). */
async function busyFraction(ms = 1000) {
  const read = () => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    return { idle, total: f.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = read();
    await new Promise((r) => setTimeout(r, ms));
    const b = read();
    return 1 - (b.idle - a.idle) / (b.total - a.total);
  } catch {
    return load() / cpus().length; // not Linux: the load average instead
  }
}

/**
 * With --max-load L: wait (up to 2 minutes) until the machine is quiet: less than L/cores of its
 * CPU busy over one second (other processes; this one sleeps meanwhile).
 */
async function waitForLoad() {
  if (MAX_LOAD === undefined) return;
  const until = Date.now() + 1000 * WAIT_SECONDS;
  while (Date.now() < until && (await busyFraction()) >= Number(MAX_LOAD) / cpus().length);
}

/** A seeded n×n sample covariance (SPD, spread spectrum), as a float64 .npy file. */
function makeMatrix(n, dir) {
  const m = n + 16;
  const next = mulberry32(20261127 + n);
  const x = Float64Array.from({ length: m * n }, () => next() / 2 ** 32 * 2 - 1);
  const { cov } = api.covariance(x, m, n);
  const file = path.join(dir, `cov${n}.npy`);
  writeFileSync(file, api.toNpy({ shape: [n, n], data: cov }));
  return file;
}

/** Wall seconds of a child process, its stdout, and its exit status. */
function timed(command, argv, options = {}) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, out, err, code }));
  });
}

const NUMPY = `
import sys, time, json
t0 = time.perf_counter()
import numpy as np
a = np.load(sys.argv[1])
t1 = time.perf_counter()
w = np.linalg.eigvalsh(a)
t2 = time.perf_counter()
print(json.dumps({"eigvalsh": t2 - t1, "inside": t2 - t0, "numpy": np.__version__, "w": w.tolist()}))
`;

function machine() {
  const py = spawnSync('python3', ['-c', 'import numpy, sys; print(numpy.__version__, sys.version.split()[0])'], { encoding: 'utf8' });
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    numpy: py.status === 0 ? py.stdout.trim() : 'missing',
    root: ROOT,
  };
}

async function cold(file) {
  const rows = [];
  let reference;
  for (let r = 0; r < ROUNDS; r++) {
    await waitForLoad();
    const before = load();
    const busy = MAX_LOAD === undefined ? undefined : await busyFraction(500);
    const ours = [];
    for (const root of ROOTS) {
      const run = await timed(process.execPath, [path.join(root, 'bin', 'gaussdiff.js'), 'spectrum', '--cov', file]);
      if (run.code !== 0) throw new Error(`gaussdiff spectrum (${root}) failed: ${run.err}`);
      const values = JSON.parse(run.out);
      if (reference === undefined) reference = values;
      else if (JSON.stringify(values) !== JSON.stringify(reference)) fail(`the eigenvalues of ${root} differ from the first run's`);
      ours.push(run.seconds);
    }
    const np = await timed('python3', ['-c', NUMPY, file]);
    if (np.code !== 0) throw new Error(`numpy failed: ${np.err}`);
    const npOut = JSON.parse(np.out);
    if (r === 0) {
      const scale = Math.max(...npOut.w.map(Math.abs));
      const diff = Math.max(...reference.map((x, i) => Math.abs(x - npOut.w[i])));
      if (reference.some((x) => !Number.isFinite(x))) fail('NaN or infinite eigenvalue');
      if (!(diff <= 1e-9 * scale)) fail(`ours and numpy differ by ${diff} (> 1e-9·max|λ| = ${1e-9 * scale})`);
    }
    rows.push({ ours, numpyEigvalsh: npOut.eigvalsh, numpyProcess: np.seconds, load: [before, load()], busyBefore: busy });
    console.log(`  round ${r + 1}: ours ${ours.map((x) => x.toFixed(3)).join(' / ')} s, numpy eigvalsh ${npOut.eigvalsh.toFixed(3)} s (process ${np.seconds.toFixed(3)} s), load ${before.toFixed(2)}→${load().toFixed(2)}${busy === undefined ? '' : `, others ${(100 * busy).toFixed(0)} % busy before`}`);
  }
  const summary = {
    n: N,
    roots: ROOTS,
    numpyEigvalsh: median(rows.map((x) => x.numpyEigvalsh)),
    numpyProcess: median(rows.map((x) => x.numpyProcess)),
    load: [Math.min(...rows.flatMap((x) => x.load)), Math.max(...rows.flatMap((x) => x.load))],
    ours: ROOTS.map((root, k) => ({
      root,
      seconds: median(rows.map((x) => x.ours[k])),
      ratioToEigvalsh: median(rows.map((x) => x.ours[k] / x.numpyEigvalsh)),
      ratioToProcess: median(rows.map((x) => x.ours[k] / x.numpyProcess)),
    })),
    rows,
  };
  for (const o of summary.ours) {
    console.log(`cold spectrum --cov ${N}×${N} (${o.root}): ${o.seconds.toFixed(3)} s, numpy eigvalsh ${summary.numpyEigvalsh.toFixed(3)} s → ${o.ratioToEigvalsh.toFixed(2)}× (median of per-round ratios; ${o.ratioToProcess.toFixed(2)}× numpy's whole process ${summary.numpyProcess.toFixed(3)} s)`);
  }
  console.log(`load (1-min average) ${summary.load.map((x) => x.toFixed(2)).join('–')}`);
  return summary;
}

/** The threads comparison runs in a child process, so that it starts fresh. */
const THREADS_CHILD = `
const [root, n, rounds] = process.argv.slice(1);
const { readFileSync } = await import('node:fs');
const api = await import(root + '/dist/bindings/index.node.js');
await api.initLinalg();
const { default: create } = await import(root + '/cpp/dist/linalg.mjs');
const glue = await create({ wasmBinary: new Uint8Array(readFileSync(root + '/cpp/dist/linalg.wasm')) });
const one = (a, n) => {
  const pa = glue._malloc(8 * n * n), pw = glue._malloc(8 * n);
  glue.HEAPF64.set(a, pa / 8);
  if (glue._gd_eigvalsh(n, pa, pw) !== 0) throw new Error('eigvalsh failed');
  const w = glue.HEAPF64.slice(pw / 8, pw / 8 + Number(n));
  glue._free(pa); glue._free(pw);
  return w;
};
const { mulberry32 } = await import(root + '/test/helpers/mulberry32.js');
const size = Number(n), m = size + 16, next = mulberry32(7 + size);
const x = Float64Array.from({ length: m * size }, () => next() / 2 ** 32 * 2 - 1);
const a = api.covariance(x, m, size).cov;
const time = (f) => { const t = process.hrtime.bigint(); const r = f(); return [Number(process.hrtime.bigint() - t) / 1e9, r]; };
const [, w2] = time(() => api.eigvalsh(a, size));
const [, w1] = time(() => one(a, size));
if (!w2.every((v, i) => Object.is(v, w1[i]))) throw new Error('the two builds disagree');
const two = [], single = [];
for (let r = 0; r < Number(rounds); r++) { two.push(time(() => api.eigvalsh(a, size))[0]); single.push(time(() => one(a, size))[0]); }
console.log(JSON.stringify({ threads: api.linalgThreads(), two, single }));
process.exit(0);
`;

async function threads() {
  const out = [];
  for (const root of ROOTS) {
    for (const busy of [false, true]) {
      await waitForLoad();
      const before = load();
      const spinner = busy ? spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' }) : undefined;
      try {
        const r = await timed(process.execPath, ['--input-type=module', '-e', THREADS_CHILD, root, String(THREADS_N), String(ROUNDS)]);
        if (r.code !== 0) throw new Error(`threads child failed: ${r.err}`);
        const { threads: t, two, single } = JSON.parse(r.out);
        const row = {
          root, otherCore: busy ? 'busy' : 'idle', threads: t, two: median(two), single: median(single),
          ratio: median(two.map((x, i) => x / single[i])), load: [before, load()], samples: { two, single },
        };
        out.push(row);
        console.log(`eigvalsh(${THREADS_N}) (${root}), other core ${row.otherCore}: ${t} threads ${row.two.toFixed(3)} s, 1 thread ${row.single.toFixed(3)} s → ${row.ratio.toFixed(2)}× (median of per-round ratios); load ${before.toFixed(2)}→${load().toFixed(2)}`);
      } finally {
        spinner?.kill();
      }
    }
  }
  return out;
}

const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-cold-'));
const info = machine();
console.log(`machine: ${info.cpu}, ${info.cores} cores; Node ${info.node}; numpy/python ${info.numpy}; package ${ROOT}`);
const file = makeMatrix(N, dir);
const result = { machine: info, date: new Date().toISOString() };
if (!flag('no-cold')) result.cold = await cold(file);
if (!flag('no-threads')) result.threads = await threads();
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(result, null, 2));
if (!readFileSync(file).length) fail('matrix file empty');
process.exit(failed ? 1 : 0);
