#!/usr/bin/env node
/**
 * Symmetric eigensolvers: the public eigvalsh/eigh (from the Node entry point, so the threaded
 * build cpp/dist/linalg-mt unless --threads 1: blocked tridiagonalisation + QR values /
 * divide-and-conquer vectors, cpp/src/), the same on one thread (the single-threaded build's raw
 * glue; its results must equal the threaded ones bit for bit, or the run fails) vs Eigen's own
 * SelfAdjointEigenSolver in the same WASM module (method 0 of gd_eig_sym_method: "Eigen defaults")
 * vs NumPy (LAPACK dsyevd, spawned per size: bench/linalg_numpy.py) vs a pure-JS baseline of the
 * same algorithm family (Householder tridiagonalisation + implicit QL, the JAMA/EISPACK
 * tred2/tql2 that ml-matrix also ports).
 *
 *   node bench/linalg.bench.js [--sizes 256,512,1024,2048,3072] [--repeats 3] [--js-max 1024]
 *                              [--eigen-max 3072] [--single-max 3072] [--threads 2|1]
 *                              [--numpy-threads 1] [--no-numpy] [--clock cpu|wall] [--json out.json]
 *
 * The targets are wall-clock ratios against numpy on both cores:
 *   node bench/linalg.bench.js --clock wall --numpy-threads 2
 *
 * Each size runs numpy first, then the WASM variants, then JS, so that the ratios of one row are
 * measured close together in time (these VMs vary by up to 1.7× between processes).
 *
 * Inputs: A = XᵀX/m, X m×n uniform on [-1, 1) from a seeded mulberry32 (m = n + 16): symmetric
 * positive definite with a spread spectrum, like a sample covariance. Timings: one warm-up call
 * per size and function (the first call of a fresh module runs in the baseline compiler), then
 * the median of `repeats` calls. Copy-in/copy-out is included in the WASM times (it is what users
 * pay). The pure-JS baseline is O(n³) with column-strided access and runs only up to --js-max.
 * Exits 1 if any result is NaN or the implementations disagree beyond 1e-9·max|λ|.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { mulberry32 as uint32Stream } from '../test/helpers/mulberry32.js';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const flag = (name) => args.includes(`--${name}`);
const SIZES = opt('sizes', '256,512,1024,2048,3072').split(',').map(Number);
const REPEATS = Number(opt('repeats', '3'));
const JS_MAX = Number(opt('js-max', '1024'));
const NUMPY_THREADS = opt('numpy-threads', '1');
const EIGEN_MAX = Number(opt('eigen-max', '3072'));
const SINGLE_MAX = Number(opt('single-max', '3072'));
// cpu: process CPU time (user + system) — single-threaded WASM/JS and numpy at 1 thread measured
// this way are insensitive to other load on a shared VM; wall: elapsed time.
const CLOCK = opt('clock', 'cpu');
const now = CLOCK === 'cpu' ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; } : () => performance.now() / 1000;

// The public functions from the Node entry point: the threaded build (cpp/dist/linalg-mt) unless
// --threads 1.
const { initLinalg, linalgThreads, eigvalsh, eigh } = await import(new URL('../dist/bindings/index.node.js', import.meta.url).href);
await initLinalg(undefined, { threads: Number(opt('threads', '2')) });
const THREADS = linalgThreads();
// The single-threaded build through its raw glue: our solver on one thread (methods 1 and 2 of
// gd_eig_sym_method, the paths of eigvalsh and eigh) and Eigen's own solver (method 0).
const wasmBytes = new Uint8Array(readFileSync(new URL('../cpp/dist/linalg.wasm', import.meta.url)));
const { default: createLinalgModule } = await import(new URL('../cpp/dist/linalg.mjs', import.meta.url).href);
const glue = await createLinalgModule({ wasmBinary: wasmBytes });
function rawEig(a, n, vectors, method) {
  const pa = glue._malloc(8 * n * n);
  const pw = glue._malloc(8 * n);
  const pv = vectors ? glue._malloc(8 * n * n) : 0;
  try {
    glue.HEAPF64.set(a, pa / 8);
    const status = glue._gd_eig_sym_method(n, pa, pw, pv, method);
    if (status !== 0) throw new Error(`gd_eig_sym_method status ${status}`);
    return glue.HEAPF64.slice(pw / 8, pw / 8 + n);
  } finally {
    glue._free(pa);
    glue._free(pw);
    if (pv) glue._free(pv);
  }
}
const eigenDefault = (a, n, vectors) => rawEig(a, n, vectors, 0);
const oursSingle = (a, n, vectors) => rawEig(a, n, vectors, vectors ? 2 : 1);

function mulberry32(seed) {
  const next = uint32Stream(seed);
  return () => next() / 2147483648 - 1;
}

/** A = XᵀX/m, X m×n uniform on [-1, 1), row-major. */
export function testMatrix(n, seed = n) {
  const m = n + 16;
  const rnd = mulberry32(seed);
  const x = new Float64Array(m * n);
  for (let i = 0; i < x.length; i++) x[i] = rnd();
  const a = new Float64Array(n * n);
  for (let r = 0; r < m; r++) {
    const row = r * n;
    for (let i = 0; i < n; i++) {
      const xi = x[row + i] / m;
      const ai = i * n;
      for (let j = 0; j <= i; j++) a[ai + j] += xi * x[row + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j];
  return a;
}

/**
 * Pure-JS symmetric eigensolver: JAMA's tred2 (Householder tridiagonalisation) + tql2 (implicit
 * QL with Wilkinson-like shifts), row-major V. With `vectors = false` the Householder vectors are
 * not accumulated and the QL rotations are not applied (the eigvalsh work).
 */
export function jsEigh(a, n, vectors = true) {
  const V = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  if (vectors) {
    for (let i = 0; i < n - 1; i++) {
      V[(n - 1) * n + i] = V[i * n + i];
      V[i * n + i] = 1;
      const h = d[i + 1];
      if (h !== 0) {
        for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
        for (let j = 0; j <= i; j++) {
          let g = 0;
          for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
          for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
        }
      }
      for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
    }
    for (let j = 0; j < n; j++) {
      d[j] = V[(n - 1) * n + j];
      V[(n - 1) * n + j] = 0;
    }
    V[(n - 1) * n + n - 1] = 1;
  } else {
    for (let j = 0; j < n; j++) d[j] = V[j * n + j];
  }
  e[0] = 0;
  // tql2
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (vectors) {
            for (let k = 0; k < n; k++) {
              const row = k * n;
              h = V[row + i + 1];
              V[row + i + 1] = s * V[row + i] + c * h;
              V[row + i] = c * V[row + i] - s * h;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  const order = Array.from(d.keys()).sort((x, y) => d[x] - d[y]);
  const values = Float64Array.from(order, (k) => d[k]);
  if (!vectors) return { values };
  const vec = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vec[i * n + j] = V[i * n + order[j]];
  return { values, vectors: vec };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
}

function time(fn, repeats) {
  let result = fn(); // warm-up
  const ts = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = now();
    result = fn();
    ts.push(now() - t0);
  }
  return { seconds: median(ts), result };
}

let failed = false;
function checkFinite(label, arr) {
  for (const x of arr) {
    if (!Number.isFinite(x)) {
      console.error(`FAIL ${label}: non-finite value ${x}`);
      failed = true;
      return;
    }
  }
}
function maxDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

let numpyInfo = null;
function runNumpy(n) {
  if (flag('no-numpy')) return undefined;
  const py = spawnSync(
    'python3',
    [`${root}bench/linalg_numpy.py`, '--sizes', String(n), '--repeats', String(REPEATS), '--threads', NUMPY_THREADS, '--clock', CLOCK],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (py.status !== 0) {
    console.error(`numpy run failed (${py.status}): ${py.stderr}`);
    return undefined;
  }
  numpyInfo = JSON.parse(py.stdout.trim().split('\n').pop());
  return numpyInfo.results[0];
}

// Warm-up: V8 compiles WASM with its baseline compiler first and tiers hot functions up later;
// a few calls of every path on a mid-size matrix make the sweep measure optimised code.
{
  const a = testMatrix(192, 1);
  for (let r = 0; r < 4; r++) {
    eigvalsh(a, 192);
    eigh(a, 192);
    eigenDefault(a, 192, false);
    eigenDefault(a, 192, true);
    oursSingle(a, 192, false);
    oursSingle(a, 192, true);
    jsEigh(a, 192, false);
    jsEigh(a, 192, true);
  }
}

const rows = [];
for (const n of SIZES) {
  const a = testMatrix(n);
  const np = runNumpy(n);
  const w = time(() => eigvalsh(a, n), REPEATS);
  const v = time(() => eigh(a, n), REPEATS);
  checkFinite(`wasm eigvalsh n=${n}`, w.result);
  checkFinite(`wasm eigh n=${n}`, v.result.values);
  const scale = Math.max(...w.result.map(Math.abs));
  if (maxDiff(w.result, v.result.values) > 1e-9 * scale) {
    console.error(`FAIL n=${n}: eigvalsh and eigh disagree`);
    failed = true;
  }
  const row = { n, wasm: { eigvalsh: w.seconds, eigh: v.seconds } };
  if (THREADS > 1 && n <= SINGLE_MAX) {
    const sw = time(() => oursSingle(a, n, false), REPEATS);
    const sv = time(() => oursSingle(a, n, true), REPEATS);
    if (maxDiff(sw.result, w.result) !== 0 || maxDiff(sv.result, v.result.values) !== 0) {
      console.error(`FAIL n=${n}: the single-threaded build's eigenvalues differ from the threaded build's`);
      failed = true;
    }
    row.single = { eigvalsh: sw.seconds, eigh: sv.seconds };
  }
  if (n <= EIGEN_MAX) {
    // Big sizes: one timed call (a warm-up at ≤ 1024 has already tiered the code up).
    const reps = n >= 2048 ? 1 : REPEATS;
    const timeOnce = (fn) => {
      if (n < 2048) return time(fn, reps);
      const t0 = now();
      const result = fn();
      return { seconds: now() - t0, result };
    };
    const ew = timeOnce(() => eigenDefault(a, n, false));
    const ev = timeOnce(() => eigenDefault(a, n, true));
    checkFinite(`eigen eigvalsh n=${n}`, ew.result);
    if (maxDiff(ew.result, w.result) > 1e-9 * scale || maxDiff(ev.result, w.result) > 1e-9 * scale) {
      console.error(`FAIL n=${n}: Eigen's solver and the blocked/D&C path disagree`);
      failed = true;
    }
    row.eigen = { eigvalsh: ew.seconds, eigh: ev.seconds };
  }
  if (n <= JS_MAX) {
    const jw = time(() => jsEigh(a, n, false), Math.min(REPEATS, 3));
    const jv = time(() => jsEigh(a, n, true), Math.min(REPEATS, 3));
    checkFinite(`js eigvalsh n=${n}`, jw.result.values);
    if (maxDiff(jw.result.values, w.result) > 1e-9 * scale || maxDiff(jv.result.values, w.result) > 1e-9 * scale) {
      console.error(`FAIL n=${n}: pure-JS baseline disagrees with WASM`);
      failed = true;
    }
    row.js = { eigvalsh: jw.seconds, eigh: jv.seconds };
    // ml-matrix's EigenvalueDecomposition (the pure-JS library the issue names) always computes the
    // vectors: its one time is the baseline for both eigvalsh and eigh.
    const rowsOfA = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)));
    const ml = time(() => new EigenvalueDecomposition(new Matrix(rowsOfA), { assumeSymmetric: true }), 1);
    const mlValues = Float64Array.from(ml.result.realEigenvalues).sort();
    if (maxDiff(mlValues, w.result) > 1e-9 * scale) {
      console.error(`FAIL n=${n}: ml-matrix disagrees with WASM`);
      failed = true;
    }
    row.mlMatrix = { eigvalsh: ml.seconds, eigh: ml.seconds };
  }
  if (np) row.numpy = { eigvalsh: np.eigvalsh, eigh: np.eigh };
  rows.push(row);
  console.error(`n=${n}: ${JSON.stringify(row)}`);
}

const fmt = (x) => (x === undefined ? '—' : x < 0.1 ? x.toFixed(4) : x < 10 ? x.toFixed(3) : x.toFixed(1));
const ratio = (a, b) => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`);
console.log(
  `numpy ${numpyInfo?.numpy ?? 'n/a'} (${numpyInfo?.blas ?? ''}, threads ${numpyInfo?.threads ?? ''}), node ${process.version}, ` +
    `ours on ${THREADS} thread(s), clock ${CLOCK}, repeats ${REPEATS} (median, after 1 warm-up; Eigen-default column: 1 call at n ≥ 2048)\n`,
);
for (const fn of ['eigvalsh', 'eigh']) {
  console.log(`### ${fn} (seconds)\n`);
  console.log('| n | WASM (ours) | ours 1 thread | WASM Eigen default | numpy | ours/numpy | 1 thread/numpy | Eigen default/numpy | pure JS | JS/ours | ml-matrix | ml-matrix/ours |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.n} | ${fmt(r.wasm[fn])} | ${fmt(r.single?.[fn])} | ${fmt(r.eigen?.[fn])} | ${fmt(r.numpy?.[fn])} | ` +
        `${ratio(r.wasm[fn], r.numpy?.[fn])} | ${ratio(r.single?.[fn], r.numpy?.[fn])} | ` +
        `${ratio(r.eigen?.[fn], r.numpy?.[fn])} | ${fmt(r.js?.[fn])} | ${ratio(r.js?.[fn], r.wasm[fn])} | ` +
        `${fmt(r.mlMatrix?.[fn])} | ${ratio(r.mlMatrix?.[fn], r.wasm[fn])} |`,
    );
  }
  console.log('');
}
const jsonOut = opt('json', undefined);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ node: process.version, threads: THREADS, numpy: numpyInfo, rows }, null, 2));
if (failed) process.exit(1);
