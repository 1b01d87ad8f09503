/**
 * The AssemblyScript core (assembly/ → build/core.wasm): started once, then called with arrays
 * copied in and results copied out. Nothing numerical happens here. The exports' types are
 * generated from the AssemblyScript build (core-exports.ts, scripts/core-types.js).
 */
import type * as loader from '@assemblyscript/loader';
import { readAsset } from '../assets.js';
import type { CoreExports } from './core-exports.js';

export type { CoreExports } from './core-exports.js';

type Core = loader.ResultObject & { exports: loader.ASUtil & CoreExports };

/** What `init` accepts: nothing (read the packaged file), the bytes, or a compiled module. */
export type WasmSource = Uint8Array | ArrayBuffer | WebAssembly.Module;

/** The @assemblyscript/loader module, installed by the entry point (or by `configureHost`). */
let loaderModule: typeof loader | undefined;
/** Or where to get it when the core starts (the browser entry: a dynamic import). */
let loaderSource: (() => Promise<typeof loader>) | undefined;

export function setLoader(l: typeof loader): void {
  loaderModule = l;
}

/**
 * Where to get the loader on first use, unless `setLoader` gave it: the browser entry imports
 * '@assemblyscript/loader' only then, so that a host that cannot resolve the bare name (a module
 * Web Worker does not see the page's import map) can load the entry and pass the module itself
 * (`configureHost({ loader })`).
 */
export function setLoaderSource(get: () => Promise<typeof loader>): void {
  loaderSource = get;
}

let started: Promise<Core> | undefined;
let core: Core | undefined;
let compiled: WebAssembly.Module | undefined;

/** Start the core once; later calls return the same promise. */
export function initCore(source?: WasmSource): Promise<void> {
  if (!started) {
    started = (async () => {
      const module = source instanceof WebAssembly.Module
        ? source
        : await WebAssembly.compile((source ?? (await readAsset('core'))) as BufferSource);
      if (!loaderModule && loaderSource) {
        try {
          loaderModule = await loaderSource();
        } catch (e) {
          throw new Error(`gaussdiff: could not import @assemblyscript/loader (${(e as Error).message}); a host without import maps (a module Web Worker) passes it: configureHost({ loader })`);
        }
      }
      if (!loaderModule) throw new Error('gaussdiff: @assemblyscript/loader is not installed (import the package entry point)');
      const instance = (await loaderModule.instantiate(module, {})) as unknown as Core;
      compiled = module;
      core = instance;
      return instance;
    })();
    started.catch(() => {
      started = undefined; // a failed start may be retried
    });
  }
  return started.then(() => undefined);
}

function exports(): loader.ASUtil & CoreExports {
  if (!core) throw new Error('gaussdiff: the WASM core is not started (await init() first)');
  return core.exports;
}

/**
 * The largest array the core's allocator can hold in one block (~lib/rt/tlsf: blocks below
 * 1 GiB, less the object header), in bytes. Callers check their sizes against it before any
 * allocation, so that the message can name their argument.
 */
export const CORE_MAX_ARRAY_BYTES = 2 ** 30 - 1024;

/** The largest step count K the core accepts (its step table must fit in one block). */
export function coreMaxSteps(): number {
  return exports().MAX_STEPS.value;
}

/**
 * A trap or an abort inside the core may leave its allocator half-updated, and every later call
 * would fail. The instance is thrown away and a fresh one started from the same compiled module
 * (synchronously: the module is small), so only the failed call fails.
 */
function restartAfter(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (compiled && loaderModule) {
    core = loaderModule.instantiateSync(compiled, {}) as unknown as Core;
    started = Promise.resolve(core);
  }
  const reason = /Allocation too large/.test(message)
    ? `an array larger than the core's ${CORE_MAX_ARRAY_BYTES} bytes was requested`
    : /out of bounds|unreachable|grow/i.test(message) ? `out of memory or a fault (${message})` : message;
  return new Error(`gaussdiff: the WASM core failed: ${reason}; it was restarted and later calls are unaffected`);
}

/** Whether `e` came out of the core (a trap, or an abort of its runtime) rather than from JS. */
function isCoreFailure(e: unknown): boolean {
  return e instanceof WebAssembly.RuntimeError || (e instanceof Error && e.message.startsWith('abort:'));
}

/**
 * Call the core with Float64Array arguments: each input is copied into WASM memory (pinned), each
 * output is allocated there with the given length; after the call the outputs are copied back
 * into fresh JS arrays. Every WASM allocation is released in `finally`, so a failed call leaves
 * nothing behind.
 */
export function callWithArrays<R>(
  inputs: Float64Array[],
  outputLengths: number[],
  body: (core: CoreExports, inPtrs: number[], outPtrs: number[]) => R,
): { result: R; outputs: Float64Array[] } {
  const ex = exports();
  const id = ex.FLOAT64ARRAY_ID.value;
  for (const n of [...inputs.map((a) => a.length), ...outputLengths]) {
    if (8 * n > CORE_MAX_ARRAY_BYTES) {
      throw new RangeError(`gaussdiff: an array of ${n} values (${8 * n} bytes) does not fit in the core's memory (at most ${CORE_MAX_ARRAY_BYTES} bytes per array)`);
    }
  }
  const pinned: number[] = [];
  let failed = false;
  try {
    const inPtrs = inputs.map((a) => {
      const ptr = ex.__pin(ex.__newArray(id, a));
      pinned.push(ptr);
      return ptr;
    });
    const outPtrs = outputLengths.map((n) => {
      const ptr = ex.__pin(ex.__newArray(id, new Float64Array(n)));
      pinned.push(ptr);
      return ptr;
    });
    // The core works on raw data pointers; read them after every allocation is made (memory may
    // have grown, but pointers stay valid).
    const dataIn = inPtrs.map((p) => dataStart(ex, p));
    const dataOut = outPtrs.map((p) => dataStart(ex, p));
    const result = body(ex, dataIn, dataOut);
    const outputs = outPtrs.map((p) => ex.__getFloat64Array(p));
    return { result, outputs };
  } catch (e) {
    if (!isCoreFailure(e)) throw e;
    failed = true;
    throw restartAfter(e);
  } finally {
    if (!failed) {
      for (const p of pinned) ex.__unpin(p);
      ex.__collect();
    }
  }
}

/** A Float64Array object's data pointer (the `dataStart` field at offset 4 of its header). */
function dataStart(ex: loader.ASUtil & CoreExports, arrayPtr: number): number {
  return new Uint32Array(ex.memory.buffer, arrayPtr + 4, 1)[0];
}

/** The core's exports for scalar calls (after `initCore`). */
export function coreExports(): CoreExports {
  return exports();
}

/** The compiled core, for starting the same module in worker threads (after `initCore`). */
export function compiledCore(): WebAssembly.Module {
  if (!compiled) throw new Error('gaussdiff: the WASM core is not started (await init() first)');
  return compiled;
}
