/** Node entry point: reads the .wasm files from the package folder, worker_threads for the grid. */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as loader from '@assemblyscript/loader';
import { createRequire } from 'node:module';
import { setAssetReader, setDependencyReader, type AssetName } from './assets.js';
import { setLoader } from './runtime/core.js';
import { setThreadedLinalg } from './linalg/linalg.js';
import { setWorkerPlatform } from './runtime/pool.js';

setLoader(loader);
// The threaded linalg build's glue needs process.getBuiltinModule (Node ≥ 20.16, see cpp/build.sh);
// older Node versions get the single-threaded build.
if (typeof process.getBuiltinModule === 'function') {
  setThreadedLinalg(async () => (await import('../../cpp/dist/linalg-mt.mjs')).default);
}
// One literal per file (the form bundlers follow, should this entry be bundled for Node).
const FILES: Record<AssetName, () => URL> = {
  core: () => new URL('../../build/core.wasm', import.meta.url),
  linalg: () => new URL('../../cpp/dist/linalg.wasm', import.meta.url),
  linalgThreaded: () => new URL('../../cpp/dist/linalg-mt.wasm', import.meta.url),
};
setAssetReader(async (name) => new Uint8Array(await readFile(FILES[name]())));
const require = createRequire(import.meta.url);
setDependencyReader(async (specifier) => new Uint8Array(await readFile(require.resolve(specifier))));


setWorkerPlatform({
  cores: () => availableParallelism(),
  spawn() {
    const worker = new Worker(new URL('./worker.node.js', import.meta.url));
    return {
      post: (m) => worker.postMessage(m),
      onMessage(listener, onError) {
        worker.on('message', listener);
        worker.on('error', onError);
      },
      terminate: () => void worker.terminate(),
      keepAlive: (on) => (on ? worker.ref() : worker.unref()),
    };
  },
});

export * from './api.js';
