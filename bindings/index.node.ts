/** Node entry point: reads the .wasm files from the package folder, worker_threads for the grid. */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as loader from '@assemblyscript/loader';
import { assetUrl, setAssetReader } from './assets.js';
import { setLoader } from './core.js';
import { setWorkerPlatform } from './pool.js';

setLoader(loader);
setAssetReader(async (name) => new Uint8Array(await readFile(assetUrl(name))));

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
    };
  },
});

export * from './api.js';
