/**
 * What a host the entry points cannot set up alone passes in (a module Web Worker, a cross-origin
 * isolated page). The explorer's worker (web/worker.js) is the example.
 */
import type * as loader from '@assemblyscript/loader';
import { setLoader } from './core.js';
import { setThreadedLinalg } from '../linalg/linalg.js';
import { badType, checkOptions } from './errors.js';

export interface HostOptions {
  /**
   * The `@assemblyscript/loader` module. The browser entry imports it by its bare name when the
   * core starts; a module Web Worker cannot resolve bare names (import maps do not apply in
   * workers), so it imports the loader by URL and passes it here.
   */
  loader?: typeof loader;
  /**
   * The two-thread eigensolver, for a cross-origin isolated page or worker (SharedArrayBuffer):
   * `glue` loads the package file `gaussdiff/linalg-mt.mjs` (its default export), `wasm` the
   * bytes of `gaussdiff/linalg-mt.wasm`; then `initLinalg()` uses two threads (bit-identical
   * results). The Node entry installs it itself; the browser entry does not (a bundled app would
   * otherwise carry the threaded build it cannot use without COOP/COEP).
   */
  threadedLinalg?: { glue: () => Promise<unknown>; wasm: () => Promise<Uint8Array> };
}

/**
 * Install host pieces before the first computation (`init()`).
 * @example configureHost({ loader: await import(loaderUrl) }) // in a module Web Worker
 */
export function configureHost(options: HostOptions): void {
  const o = checkOptions(options);
  if (o.loader !== undefined) {
    const l = o.loader as unknown;
    if (typeof l !== 'object' || l === null || typeof (l as typeof loader).instantiate !== 'function') {
      throw badType('loader', l, 'the @assemblyscript/loader module (with instantiate)');
    }
    setLoader(o.loader);
  }
  if (o.threadedLinalg !== undefined) {
    const t = o.threadedLinalg as unknown as Record<string, unknown>;
    if (typeof t !== 'object' || t === null) throw badType('threadedLinalg', t, 'an object { glue, wasm } of two functions');
    if (typeof t.glue !== 'function') throw badType('threadedLinalg.glue', t.glue, 'a function returning a Promise of the linalg-mt.mjs glue');
    if (typeof t.wasm !== 'function') throw badType('threadedLinalg.wasm', t.wasm, 'a function returning a Promise of the linalg-mt.wasm bytes');
    setThreadedLinalg(o.threadedLinalg.glue, o.threadedLinalg.wasm);
  }
}
