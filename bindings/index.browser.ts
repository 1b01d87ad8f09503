/** Browser entry point: fetches the .wasm files next to the package, Web Workers for the grid. */
import { assetUrl, setAssetReader } from './assets.js';
import { setWorkerPlatform } from './pool.js';

setAssetReader(async (name) => {
  const response = await fetch(assetUrl(name));
  if (!response.ok) throw new Error(`gaussdiff: could not fetch ${assetUrl(name)} (${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
});

if (typeof Worker !== 'undefined') {
  setWorkerPlatform({
    cores: () => navigator.hardwareConcurrency ?? 1,
    spawn() {
      const worker = new Worker(new URL('./worker.browser.js', import.meta.url), { type: 'module' });
      return {
        post: (m) => worker.postMessage(m),
        onMessage(listener, onError) {
          worker.addEventListener('message', (e) => listener(e.data));
          worker.addEventListener('error', (e) => onError(new Error(e.message || 'worker failed to start')));
        },
        terminate: () => worker.terminate(),
      };
    },
  });
}

export * from './api.js';
