/**
 * Dense symmetric linear algebra on the Eigen/WebAssembly core (`cpp/`): eigen-decompositions,
 * sample covariance, the Bures–Wasserstein distance between Gaussians (docs/MATH.md §3) and the exact
 * continuous-time output covariance of the VP SDE / probability-flow ODE started from a covariance
 * that need not commute with Σ (docs/MATH.md §2, matrix forms).
 *
 * Conventions: matrices are row-major `Float64Array`s of length n² (or `number[][]`, rows first);
 * results are fresh arrays owned by the caller. Call `await initLinalg()` once; every other
 * function is synchronous afterwards.
 *
 * Errors: malformed arguments throw `TypeError` (wrong type) or `RangeError` (wrong shape, NaN/±Inf,
 * asymmetric, not positive semi-definite), naming the argument and the value; a failure inside the
 * WASM core throws `Error`. The module stays usable after any of them.
 */
import createLinalgModule, { type LinalgGlue } from '../../../cpp/dist/linalg.mjs';
import { readAsset } from '../assets.js';
import { DEFAULTS, type ScheduleOptions } from '../options/defaults.js';
import { badType, badValue, checkOptions } from '../runtime/errors.js';
import { parseNumericFile } from '../io/io.js';
import { checkHorizon } from '../options/horizon.js';

/** A square matrix: row-major flat array (length n²) or an array of rows. */
export type MatrixInput = Float64Array | ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;
/** A vector of length n. */
export type VectorInput = Float64Array | ArrayLike<number>;

/** Default `ddof` of `covariance`: divide by count − 1 (the unbiased estimator). */
export const DEFAULT_DDOF = 1;

/** Relative asymmetry tolerated in symmetric float64 inputs: |A_ij − A_ji| ≤ 1e-10 · max|A|. */
export const SYMMETRY_TOLERANCE = 1e-10;

/**
 * The same for float32 inputs (a `Float32Array`, rows of `Float32Array`s, or a `<f4` .npy through
 * `matrixFromFile`): 1e-5 · max|A| ≈ 84 ulps of float32 (ε = 1.19e-7), where a covariance computed
 * in float32 differs from its transpose by round-off of that order; 1e-10 would reject it.
 */
export const SYMMETRY_TOLERANCE_FLOAT32 = 1e-5;

/** Whether a matrix argument holds float32 values (flat, or its rows). */
function isFloat32(matrix: unknown): boolean {
  return matrix instanceof Float32Array || (Array.isArray(matrix) && matrix.length > 0 && matrix[0] instanceof Float32Array);
}

/**
 * Default relative tolerance for treating negative eigenvalues of a PSD matrix as round-off:
 * λ ≥ −1e-12 · n · max|λ| is clamped to 0, anything below is an error. The bound is a generous
 * multiple of the backward error of a symmetric eigensolver (≈ n · 2.2e-16 · ‖A‖₂).
 */
export function defaultPsdTolerance(n: number): number {
  if (typeof n !== 'number' || !(n >= 0)) throw badValue('n', n, 'a matrix size ≥ 0');
  return 1e-12 * Math.max(1, n);
}

// ---------------------------------------------------------------------------------------------
// Start-up

let glue: LinalgGlue | undefined;
let starting: Promise<void> | undefined;
let threadCount = 1;

/**
 * Loads the glue of the threaded build (cpp/dist/linalg-mt.mjs); installed by the Node entry point.
 * Typed `unknown` so the shipped declarations do not import the glue (whose types live in
 * bindings/linalg-glue.d.ts, which is not shipped).
 */
export type ThreadedGlueLoader = () => Promise<unknown>;
let threadedGlue: ThreadedGlueLoader | undefined;

/**
 * Installed once by `index.node.ts`, and through `configureHost({ threadedLinalg })` by a
 * cross-origin isolated browser host (the explorer's worker, web/worker.js); the package's browser
 * entry does not install it (single-threaded build).
 */
export function setThreadedLinalg(load: ThreadedGlueLoader, wasm?: () => Promise<Uint8Array>): void {
  threadedGlue = load;
  threadedWasm = wasm;
}

/** Where the threaded build's bytes come from when not from the asset reader (a browser host: configureHost). */
let threadedWasm: (() => Promise<Uint8Array>) | undefined;

export interface LinalgInitOptions {
  /**
   * 2: the threaded build (a second thread for the large products; Node only, the default there);
   * 1: the single-threaded build (the default in browsers, and whenever bytes or a module are
   * passed, which are those of `cpp/dist/linalg.wasm`). Both give bit-identical results.
   */
  threads?: 1 | 2;
}

/**
 * Load and instantiate the WebAssembly module, once. Later calls return the same promise (their
 * arguments are ignored). Without `bytes` the bytes come from the installed asset reader
 * (`cpp/dist/linalg-mt.wasm` in Node, `cpp/dist/linalg.wasm` in browsers); a host that cannot read
 * files passes the bytes of `cpp/dist/linalg.wasm` or a compiled `WebAssembly.Module` of them. If
 * loading fails the promise rejects and a later call may retry.
 * @example await initLinalg(); eigvalsh([[2, 1], [1, 2]]) // → Float64Array [1, 3]
 * @example await initLinalg(undefined, { threads: 1 }) // Node, single-threaded build
 */
export function initLinalg(bytes?: Uint8Array | WebAssembly.Module, options: LinalgInitOptions = {}): Promise<void> {
  const { threads } = options;
  if (threads !== undefined && threads !== 1 && threads !== 2) {
    return Promise.reject(new RangeError(`initLinalg: options.threads must be 1 or 2, got ${describe(threads)}`));
  }
  if (!starting) {
    starting = start(bytes, options).catch((e: unknown) => {
      starting = undefined;
      throw e;
    });
  }
  return starting;
}

/** Threads the linear-algebra module uses (1 or 2); 1 before `initLinalg` has finished. */
export function linalgThreads(): number {
  return glue ? threadCount : 1;
}

async function start(source: Uint8Array | WebAssembly.Module | undefined, options: LinalgInitOptions): Promise<void> {
  const { threads } = options;
  if (threads === 2 && (source !== undefined || !threadedGlue || typeof SharedArrayBuffer !== 'function')) {
    throw new RangeError(
      'initLinalg: options.threads = 2 needs the threaded build, which only the Node entry point loads (and not from bytes)',
    );
  }
  const messages: string[] = [];
  const printErr = (text: string): void => {
    messages.push(text);
  };
  try {
    if (source === undefined && threads !== 1 && threadedGlue && typeof SharedArrayBuffer === 'function') {
      const create = (await threadedGlue()) as typeof createLinalgModule;
      glue = await create({ wasmBinary: await (threadedWasm ? threadedWasm() : readAsset('linalgThreaded')), printErr });
      // Idle pool threads must not keep a Node process alive.
      for (const worker of glue.PThread?.unusedWorkers ?? []) worker.unref?.();
      threadCount = 2;
    } else if (source instanceof WebAssembly.Module) {
      const compiled = source;
      glue = await createLinalgModule({
        printErr,
        locateFile,
        instantiateWasm(imports, done) {
          WebAssembly.instantiate(compiled, imports).then((instance) => done(instance, compiled));
          return {};
        },
      });
      threadCount = 1;
    } else {
      const wasmBinary = source ?? (await readAsset('linalg'));
      if (!(wasmBinary instanceof Uint8Array)) {
        throw new TypeError(`initLinalg: bytes must be a Uint8Array or WebAssembly.Module, got ${describe(wasmBinary)}`);
      }
      glue = await createLinalgModule({ wasmBinary, printErr, locateFile });
      threadCount = 1;
    }
  } catch (e) {
    if (e instanceof TypeError) throw e;
    const detail = [e instanceof Error ? e.message : String(e), ...messages].filter(Boolean).join('; ');
    throw new Error(`gaussdiff: could not instantiate the linalg WebAssembly module (${detail})`);
  }
}

/**
 * The glue is always given its module or bytes, never fetches: a locateFile stops it from computing
 * `new URL('linalg.wasm', import.meta.url)`, which throws where modules have no URL (workerd).
 */
function locateFile(path: string): string {
  return path;
}

let warmedUp = false;

/**
 * Run the eigensolver once on a small fixed matrix (n = 160, a few milliseconds), so that V8
 * queues its hot kernels for its optimising compiler (TurboFan) now, in the background, instead of
 * during the first large eigvalsh: a fresh module starts in the baseline tier (Liftoff), and
 * WebAssembly code cannot switch tiers in the middle of a call. Worth it only when other work can
 * overlap the compilation (the CLI calls it before reading a --cov matrix); no-op after the first
 * call or before `initLinalg` has finished. Results never depend on it.
 */
export function warmUpLinalg(): void {
  if (warmedUp || !glue) return;
  warmedUp = true;
  const n = 160;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = i === j ? n : 1 / (1 + i + j);
  eigvalsh(a, n);
}

function core(fn: string): LinalgGlue {
  if (!glue) throw new Error(`gaussdiff: ${fn}() called before initLinalg() finished; await initLinalg() first`);
  return glue;
}

// ---------------------------------------------------------------------------------------------
// Validation (everything the core would otherwise have to guess about)

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return (
    Array.isArray(v) ||
    (ArrayBuffer.isView(v) && !(v instanceof DataView)) ||
    (typeof v === 'object' && v !== null && typeof (v as { length?: unknown }).length === 'number')
  );
}

function checkSize(name: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${describe(n)}`);
  }
  return n;
}

/** A validated square matrix: row-major copy (or the caller's Float64Array, never written to). */
interface Square {
  n: number;
  data: Float64Array;
}

function toSquare(name: string, matrix: unknown, n?: number): Square {
  if (n !== undefined) checkSize('n', n);
  if (!isArrayLike(matrix)) throw new TypeError(`${name} must be a Float64Array or an array of rows, got ${describe(matrix)}`);
  let size: number;
  let data: Float64Array;
  if (matrix.length > 0 && isArrayLike(matrix[0])) {
    const rows = matrix as ArrayLike<ArrayLike<unknown>>;
    size = rows.length;
    if (n !== undefined && n !== size) throw new RangeError(`${name} has ${size} rows, but n = ${n}`);
    data = new Float64Array(size * size);
    for (let i = 0; i < size; i++) {
      const row = rows[i];
      if (!isArrayLike(row)) throw new TypeError(`${name}[${i}] must be an array, got ${describe(row)}`);
      if (row.length !== size) {
        throw new RangeError(`${name} is not square: row ${i} has ${row.length} entries, the matrix has ${size} rows`);
      }
      for (let j = 0; j < size; j++) {
        const x = row[j];
        if (typeof x !== 'number') throw new TypeError(`${name}[${i}][${j}] must be a number, got ${describe(x)}`);
        data[i * size + j] = x;
      }
    }
  } else {
    const len = matrix.length;
    if (n !== undefined) {
      if (len !== n * n) throw new RangeError(`${name} has length ${len}, expected n² = ${n * n} for n = ${n}`);
      size = n;
    } else {
      size = Math.round(Math.sqrt(len));
      if (size * size !== len) {
        throw new RangeError(`${name} has length ${len}, which is not a perfect square; pass n or an array of rows`);
      }
    }
    if (matrix instanceof Float64Array) {
      data = matrix;
    } else {
      data = new Float64Array(len);
      for (let k = 0; k < len; k++) {
        const x = matrix[k];
        if (typeof x !== 'number') throw new TypeError(`${name}[${k}] must be a number, got ${describe(x)}`);
        data[k] = x;
      }
    }
  }
  if (size < 1) throw new RangeError(`${name} is empty (0×0)`);
  return { n: size, data };
}

/** Throw for the first non-finite entry in row-major order. */
function checkFiniteEntries(name: string, { n: size, data }: Square): void {
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) {
      throw new RangeError(`${name}[${Math.floor(k / size)}][${k % size}] is ${data[k]}; entries must be finite`);
    }
  }
}

function toSymmetric(name: string, matrix: unknown, n?: number): Square {
  const sq = toSquare(name, matrix, n);
  const tolerance = isFloat32(matrix) ? SYMMETRY_TOLERANCE_FLOAT32 : SYMMETRY_TOLERANCE;
  const { n: size, data } = sq;
  // One pass over the pairs (i < j) for finiteness, max|A| and the worst asymmetry, in 64×64
  // tiles so that the rows read along i and along j stay in cache: a CLI process runs this loop
  // once, mostly before the JIT has optimised it, so one loop nest costs less than three sweeps
  // (2048²: ≈ 12 ms instead of ≈ 40 ms on a cold start).
  let maxAbs = 0;
  let finite = true;
  for (let i = 0; i < size; i++) {
    const x = Math.abs(data[i * size + i]);
    if (!(x < Infinity)) finite = false;
    if (x > maxAbs) maxAbs = x;
  }
  let worst = 0;
  let wi = 0;
  let wj = 0;
  const tile = 64;
  for (let ib = 0; ib < size; ib += tile) {
    const iEnd = Math.min(ib + tile, size);
    for (let jb = ib; jb < size; jb += tile) {
      const jEnd = Math.min(jb + tile, size);
      for (let i = ib; i < iEnd; i++) {
        const row = i * size;
        for (let j = Math.max(jb, i + 1); j < jEnd; j++) {
          const x = data[row + j];
          const y = data[j * size + i];
          const d = Math.abs(x - y); // NaN or Infinity iff x or y is not finite
          if (!(d < Infinity)) finite = false;
          const m = Math.max(Math.abs(x), Math.abs(y));
          if (m > maxAbs) maxAbs = m;
          if (d > worst) {
            worst = d;
            wi = i;
            wj = j;
          }
        }
      }
    }
  }
  if (!finite) checkFiniteEntries(name, sq);
  if (worst > tolerance * maxAbs) {
    throw new RangeError(
      `${name} is not symmetric: |${name}[${wi}][${wj}] − ${name}[${wj}][${wi}]| = ${worst} ` +
        `exceeds ${tolerance}·max|${name}| = ${tolerance * maxAbs}${isFloat32(matrix) ? ' (float32 input)' : ''}`,
    );
  }
  return sq;
}

function toVector(name: string, v: unknown, n: number): Float64Array {
  if (!isArrayLike(v)) throw new TypeError(`${name} must be a Float64Array or an array of numbers, got ${describe(v)}`);
  if (v.length !== n) throw new RangeError(`${name} has length ${v.length}, expected ${n}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (typeof x !== 'number') throw new TypeError(`${name}[${i}] must be a number, got ${describe(x)}`);
    if (!Number.isFinite(x)) throw new RangeError(`${name}[${i}] is ${x}; entries must be finite`);
    out[i] = x;
  }
  return out;
}

function checkReal(name: string, x: unknown, ok: (x: number) => boolean, what: string): number {
  if (typeof x !== 'number') throw badType(name, x, 'a number');
  if (!Number.isFinite(x) || !ok(x)) throw badValue(name, x, what);
  return x;
}

function psdTolerance(name: string, relTol: unknown, n: number): number {
  if (relTol === undefined) return defaultPsdTolerance(n);
  return checkReal(name, relTol, (x) => x >= 0, 'a finite number ≥ 0');
}

// ---------------------------------------------------------------------------------------------
// The WASM boundary: allocate, copy in, call, copy out, free.

const STATUS_MESSAGES: Record<number, string> = {
  1: 'invalid argument',
  2: 'out of memory',
  3: 'the eigensolver did not converge',
  6: 'internal error',
};

/**
 * Run `body` with `sizes.length` buffers of `sizes[i]` doubles allocated in WASM memory (filled
 * from `inputs[i]` when given), then free them all whatever happens.
 */
function withBuffers<T>(
  m: LinalgGlue,
  fn: string,
  sizes: number[],
  inputs: (Float64Array | undefined)[],
  body: (ptrs: number[]) => T,
): T {
  const ptrs: number[] = [];
  try {
    for (const size of sizes) {
      const ptr = m._malloc(Math.max(1, size) * 8);
      if (ptr === 0) throw new Error(`gaussdiff: ${fn}: out of WebAssembly memory allocating ${size * 8} bytes`);
      ptrs.push(ptr);
    }
    // Copy only after every malloc: any of them may have grown memory and replaced HEAPF64.
    const heap = heapF64(m);
    inputs.forEach((input, i) => {
      if (input) heap.set(input, ptrs[i] >>> 3);
    });
    return body(ptrs);
  } finally {
    for (const ptr of ptrs) m._free(ptr);
  }
}

/**
 * The current view of WASM memory. Growth replaces HEAPF64; in the threaded build memory may also
 * grow on the second thread, which leaves the glue's HEAPF64 stale, so the shared memory is read.
 */
function heapF64(m: LinalgGlue): Float64Array {
  const buffer = m.wasmMemory?.buffer;
  return buffer && m.HEAPF64.buffer !== buffer ? new Float64Array(buffer) : m.HEAPF64;
}

/** Copy `length` doubles out of WASM memory. */
function copyOut(m: LinalgGlue, ptr: number, length: number): Float64Array {
  return heapF64(m).slice(ptr >>> 3, (ptr >>> 3) + length);
}

function check(m: LinalgGlue, fn: string, status: number, matrixNames: [string, string?] = ['matrix']): void {
  if (status === 0) return;
  if (status === 4 || status === 5) {
    const name = matrixNames[status - 4] ?? 'matrix';
    throw new RangeError(
      `${name} is not positive semi-definite: eigenvalue ${m._gd_error_index()} (ascending) is ${m._gd_error_value()}`,
    );
  }
  const what = STATUS_MESSAGES[status] ?? `unknown status ${status}`;
  throw new Error(`gaussdiff: ${fn}: ${what} in the WebAssembly core (detail: ${m._gd_error_value()})`);
}

// ---------------------------------------------------------------------------------------------
// Public functions

/**
 * Eigenvalues of a real symmetric matrix, ascending. Blocked Householder tridiagonalisation
 * (LAPACK dsytrd-style, GEMM trailing updates) then Eigen's implicit symmetric QR on the
 * tridiagonal (cpp/src/tridiag.cpp); the matrix is scaled by max|A| first, so entries from
 * ~1e−300 to ~1e300 are fine. Backward stable: |Δλ| ≲ n·u·max|λ|.
 * @param matrix row-major n×n (Float64Array or array of rows); symmetric to 1e-10·max|A| (1e-5 for
 *   float32 input: a Float32Array or rows of them, see SYMMETRY_TOLERANCE_FLOAT32)
 * @param n the size, when `matrix` is flat (otherwise inferred)
 * @example eigvalsh([[2, 1], [1, 2]]) // → Float64Array [1, 3] (to round-off)
 */
export function eigvalsh(matrix: MatrixInput, n?: number): Float64Array {
  const m = core('eigvalsh');
  const a = toSymmetric('matrix', matrix, n);
  return withBuffers(m, 'eigvalsh', [a.n * a.n, a.n], [a.data, undefined], ([pa, pw]) => {
    check(m, 'eigvalsh', m._gd_eigvalsh(a.n, pa, pw));
    return copyOut(m, pw, a.n);
  });
}

/**
 * Eigen-decomposition of a real symmetric matrix: `A = V diag(values) Vᵀ`.
 * `values` ascending; `vectors` row-major n×n with **column j = unit eigenvector j**
 * (so `vectors[i * n + j]` is component i of eigenvector j). Signs are arbitrary, and within a
 * repeated eigenvalue any orthonormal basis of its eigenspace may come out.
 * Blocked tridiagonalisation, then divide and conquer on the tridiagonal (Cuppen; deflation as in
 * LAPACK dlaed2; Gu–Eisenstat vectors, orthogonal to working precision; cpp/src/dc.cpp), then
 * the Householder back-transformation in blocks. Tested: ‖AV − VD‖ and ‖VᵀV − I‖ ≤ 10·n·u.
 * @example eigh([[2, 1], [1, 2]]) // → { values: [1, 3], vectors: [-√½, √½, √½, √½] } (signs may differ)
 */
export function eigh(matrix: MatrixInput, n?: number): { values: Float64Array; vectors: Float64Array } {
  const m = core('eigh');
  const a = toSymmetric('matrix', matrix, n);
  const nn = a.n * a.n;
  return withBuffers(m, 'eigh', [nn, a.n, nn], [a.data, undefined, undefined], ([pa, pw, pv]) => {
    check(m, 'eigh', m._gd_eigh(a.n, pa, pw, pv));
    return { values: copyOut(m, pw, a.n), vectors: copyOut(m, pv, nn) };
  });
}

/**
 * Sample mean and covariance of `count` samples of dimension `dim`.
 * @param samples row-major count×dim: sample j is `samples[j*dim .. j*dim+dim)`
 * @param options.ddof the covariance divides by `count − ddof` (default 1: unbiased; 0: maximum likelihood)
 * @returns mean (length dim) and cov (row-major dim×dim, exactly symmetric)
 * @example covariance(Float64Array.of(0, 0, 2, 2), 2, 2) // → { mean: [1, 1], cov: [2, 2, 2, 2] }
 */
export function covariance(
  samples: Float64Array | ArrayLike<number>,
  count: number,
  dim: number,
  options: { ddof?: number } = {},
): { mean: Float64Array; cov: Float64Array } {
  const m = core('covariance');
  checkOptions(options);
  checkSize('count', count);
  checkSize('dim', dim);
  const ddof = checkReal('ddof', options.ddof ?? DEFAULT_DDOF, (x) => x >= 0 && x < count, `≥ 0 and < count = ${count}`);
  if (!isArrayLike(samples)) throw new TypeError(`samples must be a Float64Array, got ${describe(samples)}`);
  if (samples.length !== count * dim) {
    throw new RangeError(`samples has length ${samples.length}, expected count·dim = ${count}·${dim} = ${count * dim}`);
  }
  const x = samples instanceof Float64Array ? samples : Float64Array.from(samples as ArrayLike<number>);
  for (let k = 0; k < x.length; k++) {
    if (!Number.isFinite(x[k])) {
      throw new RangeError(`samples: sample ${Math.floor(k / dim)}, coordinate ${k % dim} is ${x[k]}; entries must be finite`);
    }
  }
  return withBuffers(m, 'covariance', [x.length, dim, dim * dim], [x, undefined, undefined], ([px, pm, pc]) => {
    check(m, 'covariance', m._gd_covariance(count, dim, px, ddof, pm, pc));
    return { mean: copyOut(m, pm, dim), cov: copyOut(m, pc, dim * dim) };
  });
}

/**
 * Eigenvalues (ascending) of a covariance matrix, as a spectrum for the per-eigenvalue engine.
 * Negative eigenvalues with |λ| ≤ relTol·max|λ| are round-off and become 0; a more negative one
 * means the matrix is not positive semi-definite and throws a RangeError naming it.
 * @param options.relTol default `defaultPsdTolerance(n)` = 1e-12·n
 * @example spectrumFromCovariance([[1, 1], [1, 1]]) // → Float64Array [0, 2]
 */
export function spectrumFromCovariance(cov: MatrixInput, n?: number, options: { relTol?: number } = {}): Float64Array {
  checkOptions(options);
  const values = eigvalsh(cov, n);
  const tol = psdTolerance('relTol', options.relTol, values.length);
  let scale = 0;
  for (const v of values) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < values.length; i++) {
    if (values[i] < 0) {
      if (values[i] < -tol * scale) {
        throw new RangeError(
          `cov is not positive semi-definite: eigenvalue ${i} (ascending) is ${values[i]}, below −${tol}·max|λ| = ${-tol * scale}`,
        );
      }
      values[i] = 0;
    }
  }
  return values;
}

/**
 * 2-Wasserstein (Bures–Fréchet) distance between N(m1, S1) and N(m2, S2) (docs/MATH.md §3):
 * `W2² = |m1 − m2|² + tr S1 + tr S2 − 2 tr (S1^{1/2} S2 S1^{1/2})^{1/2}`, for PSD S1, S2 that need
 * not commute. Computed without that formula's cancellation, as the orthogonal Procrustes residual
 * `W2² = |m1 − m2|² + min_Q ‖R1 − R2 Q‖_F²` over square-root factors `Ri Riᵀ = Si` (from symmetric
 * eigen-decompositions; Q from one SVD): equal inputs give W2 ≈ u·√tr S, not √(u·tr S).
 * Round-off negative eigenvalues (see `spectrumFromCovariance`) are clamped, and eigenvalues within
 * 8·n·u·max|λ| of 0 are taken as 0 (so exactly singular inputs stay exact; W2 is only Hölder-½ in
 * the matrices, so such an eigenvalue could otherwise add √(8·n·u·max|λ|)). `null` means are zero.
 * Accuracy: |W2² − exact| ≲ n·u·(tr S1 + tr S2 + |m1 − m2|²) (tested against 40-digit values).
 * @example w2Gaussian(null, [[4, 0], [0, 1]], null, [[1, 0], [0, 1]]) // → 1
 */
export function w2Gaussian(
  m1: VectorInput | null,
  S1: MatrixInput,
  m2: VectorInput | null,
  S2: MatrixInput,
  n?: number,
  options: { relTol?: number } = {},
): number {
  const m = core('w2Gaussian');
  checkOptions(options);
  const a = toSymmetric('S1', S1, n);
  const b = toSymmetric('S2', S2, n);
  if (a.n !== b.n) throw new RangeError(`S1 is ${a.n}×${a.n} but S2 is ${b.n}×${b.n}`);
  const size = a.n;
  const mean1 = m1 === null ? undefined : toVector('m1', m1, size);
  const mean2 = m2 === null ? undefined : toVector('m2', m2, size);
  const hasMeans = mean1 !== undefined || mean2 !== undefined;
  const zeros = new Float64Array(size);
  const tol = psdTolerance('relTol', options.relTol, size);
  const nn = size * size;
  return withBuffers(
    m,
    'w2Gaussian',
    [size, nn, size, nn, 2],
    [mean1 ?? zeros, a.data, mean2 ?? zeros, b.data, undefined],
    ([p1, ps1, p2, ps2, pout]) => {
      const status = m._gd_w2_gaussian(size, hasMeans ? p1 : 0, ps1, hasMeans ? p2 : 0, ps2, tol, pout);
      check(m, 'w2Gaussian', status, ['S1', 'S2']);
      return copyOut(m, pout, 1)[0];
    },
  );
}

/**
 * Eigen-decomposition of a PSD matrix named `name` in errors (docs/MATH-samplers.md §7b): symmetric
 * to SYMMETRY_TOLERANCE, eigenvalues ascending with round-off negatives (≥ −relTol·max|λ|, default
 * `defaultPsdTolerance(n)`) set to 0; a more negative one throws a RangeError naming `name`.
 * Vectors as `eigh`'s (column j = eigenvector j, row-major).
 * @example psdEigh('scoreCov', [[2, 1], [1, 2]]).values // → [1, 3]
 */
export function psdEigh(name: string, matrix: MatrixInput, n?: number, options: { relTol?: number } = {}): { n: number; values: Float64Array; vectors: Float64Array } {
  const m = core('psdEigh');
  checkOptions(options);
  const a = toSymmetric(name, matrix, n);
  const nn = a.n * a.n;
  const tol = psdTolerance('relTol', options.relTol, a.n);
  const { values, vectors } = withBuffers(m, 'psdEigh', [nn, a.n, nn], [a.data, undefined, undefined], ([pa, pw, pv]) => {
    check(m, 'psdEigh', m._gd_eigh(a.n, pa, pw, pv), [name]);
    return { values: copyOut(m, pw, a.n), vectors: copyOut(m, pv, nn) };
  });
  let max = 0;
  for (const x of values) max = Math.max(max, Math.abs(x));
  for (let i = 0; i < values.length; i++) {
    if (values[i] < -tol * max) throw new RangeError(`${name} is not positive semi-definite: eigenvalue ${i} (ascending) is ${values[i]} (below −${tol}·max|λ|)`);
    if (values[i] < 0) values[i] = 0;
  }
  return { n: a.n, values, vectors };
}

/**
 * W2 between the data N(0, cov) and a sampler's output N(0, Û Ĉ Ûᵀ) with
 * `Ĉ = a·diag(M) (Ûᵀ cov Û) diag(M) + diag(gamma)` (docs/MATH-samplers.md §7b: the sampler's map
 * P = Û diag(M) Ûᵀ, exact start a·Σ + b·I with gamma = b M² + w, or an isotropic start c·I with
 * a = 0 and gamma = c M² + w). `vectors`: Û as `eigh` returns it. Two matrix products, two
 * triangular ones and one eigvalsh (`scoreCovProject`, then `scoreCovLaws`); no eigendecomposition of
 * cov. Accuracy: W2² to ≈ n·u·(tr Σ + tr Ĉ) absolute (a trace formula).
 * @returns w2, w2sq and trace = tr Ĉ (the output's total variance)
 */
export function scoreCovW2(
  cov: MatrixInput, vectors: Float64Array, multipliers: Float64Array, gamma: Float64Array, a: number,
  options: { relTol?: number; name?: string } = {},
): { w2: number; w2sq: number; trace: number } {
  const { w2, w2sq, trace } = scoreCovLaws(scoreCovProject(cov, vectors, options), multipliers, gamma, a, null, options);
  return { w2, w2sq, trace };
}

/** The data's covariance in a score's eigenbasis (`scoreCovProject`), shared by many runs. */
export interface ScoreCovProjection {
  n: number;
  /** G = Ûᵀ cov Û (n×n, symmetric). */
  g: Float64Array;
  /** tr cov. */
  traceSigma: number;
  /** cov, checked symmetric and averaged with its transpose (the KL terms read it). */
  cov: Float64Array;
  /** Û (row-major, column j = eigenvector j). */
  vectors: Float64Array;
}

/**
 * G = Ûᵀ cov Û and tr cov (cpp/src/linalg.cpp gd_score_cov_project, two matrix products): the part
 * of `scoreCovW2` that depends on the data and the score's eigenvectors only, computed once for
 * the many samplers of a comparison (docs/score-errors.md).
 */
export function scoreCovProject(cov: MatrixInput, vectors: Float64Array, options: { name?: string } = {}): ScoreCovProjection {
  const m = core('scoreCovProject');
  const name = options.name ?? 'cov';
  const s = toSymmetric(name, cov);
  const n = s.n;
  const nn = n * n;
  if (vectors.length !== nn) throw new RangeError(`scoreCovProject: vectors (${vectors.length}) must match ${name} (${n}×${n})`);
  return withBuffers(m, 'scoreCovProject', [nn, nn, nn, 1], [s.data, vectors, undefined, undefined], ([ps, pu, pg, pt]) => {
    check(m, 'scoreCovProject', m._gd_score_cov_project(n, ps, pu, pg, pt), [name]);
    return { n, g: copyOut(m, pg, nn), traceSigma: copyOut(m, pt, 1)[0], cov: s.data, vectors };
  });
}

/**
 * `scoreCovW2` from a projection, and with `kl` what the KL divergences between the output
 * N(μ, Û Ĉ Ûᵀ) and the data N(m, cov) need (docs/score-errors.md "KL"; cpp/src/linalg.cpp
 * gd_score_cov_laws): `rhoForward`, the eigenvalues (ascending) of cov^{-½} C cov^{-½}, and
 * `rhoReverse`, those of C^{-½} cov C^{-½}; `sigmaQuad` = δᵀ cov⁻¹ δ and `covQuad` = δᵀ C⁻¹ δ for
 * δ = `delta` (μ − m in data coordinates; 0 when null). `singular`: 'cov' or 'output' when that
 * covariance is singular (then both divergences are infinite and the ρ are empty), else null.
 * The KL terms cost two Cholesky factorisations, two triangular solves and one Gram product of
 * n×n matrices, and two eigvalsh. `options.target` {a2, s2}: W2 against N(·, a2·cov + s2·I)
 * instead of the data's covariance (a grid point's exact marginal: a trajectory; no KL then).
 */
export function scoreCovLaws(
  p: ScoreCovProjection, multipliers: Float64Array, gamma: Float64Array, a: number,
  kl: { delta: Float64Array | null } | null, options: { relTol?: number; name?: string; target?: { a2: number; s2: number } } = {},
): { w2: number; w2sq: number; trace: number; kl: { rhoForward: Float64Array; rhoReverse: Float64Array; sigmaQuad: number; covQuad: number; singular: 'cov' | 'output' | null } | null } {
  const m = core('scoreCovLaws');
  const name = options.name ?? 'cov';
  const n = p.n;
  const nn = n * n;
  const delta = kl?.delta ?? null;
  if (multipliers.length !== n || gamma.length !== n || (delta !== null && delta.length !== n)) {
    throw new RangeError(`scoreCovLaws: multipliers (${multipliers.length}), gamma (${gamma.length}) and delta (${delta?.length ?? 'null'}) must match ${name} (${n}×${n})`);
  }
  checkReal('a', a, (x) => x >= 0, 'a finite number ≥ 0');
  const tol = psdTolerance('relTol', options.relTol, n);
  const target = options.target ?? { a2: 1, s2: 0 };
  checkReal('target.a2', target.a2, (x) => x >= 0, 'a finite number ≥ 0');
  checkReal('target.s2', target.s2, (x) => x >= 0, 'a finite number ≥ 0');
  if (kl && !(target.a2 === 1 && target.s2 === 0)) throw new RangeError('scoreCovLaws: KL terms only against the data (target { a2: 1, s2: 0 })');
  const big = kl ? nn : 0;
  return withBuffers(
    m, 'scoreCovLaws', [nn, big, big, n, n, kl && delta ? n : 0, 3, kl ? n : 0, kl ? n : 0, 3],
    [p.g, kl ? p.cov : undefined, kl ? p.vectors : undefined, multipliers, gamma, delta ?? undefined, undefined, undefined, undefined, undefined],
    ([pg, ps, pu, pm, pgm, pd, pout, pf, pr, pk]) => {
      check(m, 'scoreCovLaws', m._gd_score_cov_laws(n, pg, p.traceSigma, kl ? ps : 0, kl ? pu : 0, pm, pgm, a, delta ? pd : 0, tol, pout, pf, pr, kl ? pk : 0, target.a2, target.s2), [name]);
      const out = copyOut(m, pout, 3);
      if (!kl) return { w2: out[0], w2sq: out[1], trace: out[2], kl: null };
      const k = copyOut(m, pk, 3);
      const singular = k[2] === 1 ? 'cov' : k[2] === 2 ? 'output' : null;
      const empty = new Float64Array(0);
      return {
        w2: out[0], w2sq: out[1], trace: out[2],
        kl: { rhoForward: singular ? empty : copyOut(m, pf, n), rhoReverse: singular ? empty : copyOut(m, pr, n), sigmaQuad: k[0], covQuad: k[1], singular },
      };
    },
  );
}

/** Options of `continuousErrorMatrix`. */
export interface ContinuousMatrixOptions extends ScheduleOptions {
  /** 1: backward SDE; 0: probability-flow ODE; any α ≥ 0 gives the α-family (docs/MATH.md §2). Default `DEFAULTS.alpha` (1). */
  alpha?: number;
  /** Truncation time ε, 0 ≤ ε ≤ T; the output is the covariance at t = ε. Default `DEFAULTS.eps` (0). */
  eps?: number;
  /** PSD round-off tolerance (default 1e-12·n), as in `spectrumFromCovariance`. */
  relTol?: number;
}

/**
 * Exact output covariance of the continuous-time generative process started at t = T from
 * N(0, C) (C need not commute with Σ), evaluated at t = ε, and its W2 to the data N(0, Σ).
 * docs/MATH.md §2 matrix forms, with the VP schedule `B_t = βmin t + (βmax − βmin) t²/(2T)`,
 * `Σ_t = e^{−2B_t} Σ + (1 − e^{−2B_t}) I`:
 * - SDE (α = 1): `M = e^{−(B_T−B_ε)} Σ_ε Σ_T^{−1}`, `Cov = M C M + Σ_ε − e^{−2(B_T−B_ε)} Σ_ε² Σ_T^{−1}`;
 * - ODE (α = 0): `Cov = Σ_ε^{1/2} Σ_T^{−1/2} C Σ_T^{−1/2} Σ_ε^{1/2}`.
 * With C = I this is the usual N(0, I) start; with C = Σ_T only the truncation error remains.
 * @returns cov (row-major n×n) and w2 = W2(N(0, cov), N(0, Σ))
 * @example continuousErrorMatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]], { alpha: 1, eps: 0 }) // → { cov: I, w2: 0 }
 */
export function continuousErrorMatrix(
  sigma: MatrixInput,
  C: MatrixInput,
  options: ContinuousMatrixOptions = {},
): { cov: Float64Array; w2: number } {
  const m = core('continuousErrorMatrix');
  checkOptions(options);
  const s = toSymmetric('sigma', sigma);
  const c = toSymmetric('C', C);
  if (s.n !== c.n) throw new RangeError(`sigma is ${s.n}×${s.n} but C is ${c.n}×${c.n}`);
  const alpha = checkReal('alpha', options.alpha ?? DEFAULTS.alpha, (x) => x >= 0, 'a finite number ≥ 0 (1: SDE, 0: ODE)');
  const T = checkReal('T', options.T ?? DEFAULTS.T, (x) => x > 0, '> 0');
  const eps = checkReal('eps', options.eps ?? DEFAULTS.eps, (x) => x >= 0 && x <= T, `in [0, T = ${T}]`);
  const betaMin = checkReal('betaMin', options.betaMin ?? DEFAULTS.betaMin, (x) => x >= 0, '≥ 0');
  const betaMax = checkReal('betaMax', options.betaMax ?? DEFAULTS.betaMax, (x) => x >= 0, '≥ 0');
  if (!(betaMin + betaMax > 0)) throw new RangeError(`betaMin + betaMax must be > 0, got ${betaMin} + ${betaMax}`);
  checkHorizon(T, betaMin, betaMax);
  const tol = psdTolerance('relTol', options.relTol, s.n);
  const nn = s.n * s.n;
  return withBuffers(
    m,
    'continuousErrorMatrix',
    [nn, nn, nn, 2],
    [s.data, c.data, undefined, undefined],
    ([psig, pc, pcov, pout]) => {
      const status = m._gd_continuous_cov(s.n, psig, pc, alpha, eps, betaMin, betaMax, T, tol, pcov, pout);
      check(m, 'continuousErrorMatrix', status, ['sigma', 'C']);
      return { cov: copyOut(m, pcov, nn), w2: copyOut(m, pout, 1)[0] };
    },
  );
}

/**
 * Read a 2-D numeric array (a matrix, or samples × dimensions) from a file's bytes: `.npy`,
 * `.json` (array of rows), `.csv`/`.txt`/`.tsv` (one row per line). A single number is a 1×1
 * matrix. Values are not validated here (the consumer names bad entries). `dtype` is the .npy
 * dtype ('<f4' for float32: pass `Float32Array.from(data)` to `eigvalsh`/`spectrumFromCovariance`
 * so that the symmetry check uses the float32 tolerance), absent for text files.
 * @example matrixFromFile(new TextEncoder().encode('1,2\n3,4'), 'a.csv') // → { rows: 2, cols: 2, data: [1, 2, 3, 4] }
 */
export function matrixFromFile(bytes: Uint8Array, fileName: string): { rows: number; cols: number; data: Float64Array; dtype?: string } {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`bytes must be a Uint8Array, got ${describe(bytes)}`);
  if (typeof fileName !== 'string') throw new TypeError(`fileName must be a string, got ${describe(fileName)}`);
  const { shape, data, dtype } = parseNumericFile(bytes, fileName);
  const typed = dtype === undefined ? {} : { dtype };
  if (shape.length === 1 && shape[0] === 1) return { rows: 1, cols: 1, data, ...typed };
  if (shape.length !== 2) {
    throw new RangeError(`${fileName}: expected a 2-D array (a matrix), got shape [${shape.join(', ')}]`);
  }
  return { rows: shape[0], cols: shape[1], data, ...typed };
}
