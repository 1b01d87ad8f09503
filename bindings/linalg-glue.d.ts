/**
 * Declarations for the emscripten glue `cpp/dist/linalg.mjs` (emscripten generates none).
 * The pattern matches the relative import in bindings/linalg/linalg.ts, which is written relative to the
 * compiled file (dist/bindings/linalg/linalg.js → package root). Only what bindings/linalg/linalg.ts uses is
 * declared; every function returns a status code (0 = ok, see cpp/src/linalg.h).
 */
declare module '*/cpp/dist/linalg.mjs' {
  /** A pointer into the module's linear memory (a byte offset). */
  type Ptr = number;

  export interface LinalgGlue {
    /** View of the whole memory; replaced when memory grows, so re-read it after every call. */
    readonly HEAPF64: Float64Array;
    /** Threaded build only: the shared memory (it may grow on the second thread, leaving HEAPF64 stale). */
    readonly wasmMemory?: WebAssembly.Memory;
    /** Threaded build only: emscripten's pool of worker threads (Node: worker_threads Workers). */
    readonly PThread?: { unusedWorkers: { unref?: () => void }[] };
    _malloc(bytes: number): Ptr;
    _free(ptr: Ptr): void;
    _gd_error_value(): number;
    _gd_error_index(): number;
    _gd_eigvalsh(n: number, a: Ptr, wOut: Ptr): number;
    _gd_eigh(n: number, a: Ptr, wOut: Ptr, vOut: Ptr): number;
    /** x (count×dim, row-major) is centred in place: pass a scratch copy. */
    _gd_covariance(count: number, dim: number, x: Ptr, ddof: number, meanOut: Ptr, covOut: Ptr): number;
    _gd_w2_gaussian(n: number, m1: Ptr, s1: Ptr, m2: Ptr, s2: Ptr, relTol: number, out: Ptr): number;
    _gd_continuous_cov(
      n: number, sigma: Ptr, c: Ptr, alpha: number, eps: number, betaMin: number, betaMax: number,
      tEnd: number, relTol: number, covOut: Ptr, out: Ptr,
    ): number;
    /** docs/score-errors.md: G = ÛᵀΣÛ and tr Σ of a wrong-score pair (cpp/src/linalg.cpp gd_score_cov_project). */
    _gd_score_cov_project(n: number, sigma: Ptr, u: Ptr, g: Ptr, tr: Ptr): number;
    /** docs/score-errors.md "KL": W2 (and with klOut the KL terms) of a wrong-score run from G (cpp/src/linalg.cpp gd_score_cov_laws). */
    _gd_score_cov_laws(n: number, g: Ptr, trSigma: number, sigma: Ptr, u: Ptr, m: Ptr, gamma: Ptr, a: number, delta: Ptr, relTol: number, out: Ptr, rhoF: Ptr, rhoR: Ptr, klOut: Ptr, targetA2: number, targetS2: number): number;
    /** Benchmarks/tests: method 0 Eigen's solver, 1 blocked + QR, 2 blocked + D&C; v = 0 for values only. */
    _gd_eig_sym_method(n: number, a: Ptr, wOut: Ptr, vOut: Ptr, method: number): number;
    /** Test hook: the blocked tridiagonalisation; q is the explicit Q (row-major). */
    _gd_tridiagonalize(n: number, a: Ptr, dOut: Ptr, eOut: Ptr, qOut: Ptr): number;
    /** Test hook: tridiagonal eigensolver, method 1 QR or 2 divide and conquer. */
    _gd_tridiagonal_eigh(n: number, d: Ptr, e: Ptr, wOut: Ptr, zOut: Ptr, method: number): number;
  }

  export interface LinalgGlueOptions {
    wasmBinary?: Uint8Array | ArrayBuffer;
    instantiateWasm?: (
      imports: WebAssembly.Imports,
      done: (instance: WebAssembly.Instance, module?: WebAssembly.Module) => void,
    ) => object;
    print?: (text: string) => void;
    printErr?: (text: string) => void;
    /** Where the glue would look for its .wasm (unused when the bytes or the module are given). */
    locateFile?: (path: string, scriptDirectory: string) => string;
  }

  export default function createLinalgModule(options?: LinalgGlueOptions): Promise<LinalgGlue>;
}

/** The threaded build (cpp/build.sh, -pthread): the same functions and options. */
declare module '*/cpp/dist/linalg-mt.mjs' {
  import type { LinalgGlue, LinalgGlueOptions } from '*/cpp/dist/linalg.mjs';
  export type { LinalgGlue, LinalgGlueOptions };
  export default function createLinalgModule(options?: LinalgGlueOptions): Promise<LinalgGlue>;
}
