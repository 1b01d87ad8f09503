/** Browser entry point: fetches the .wasm files next to the package, Web Workers for the grid. */
import * as loader from '@assemblyscript/loader';
import { assetUrl, setAssetReader, setDependencyReader } from './assets.js';
import { setLoader } from './core.js';
import { setWorkerPlatform } from './pool.js';

setLoader(loader);

// Import maps do not apply inside module workers: they import the loader by its resolved URL.
const loaderUrl = typeof import.meta.resolve === 'function' ? import.meta.resolve('@assemblyscript/loader') : undefined;

setAssetReader(async (name) => {
  const response = await fetch(assetUrl(name));
  if (!response.ok) throw new Error(`gaussdiff: could not fetch ${assetUrl(name)} (${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
});

setDependencyReader(async (specifier) => {
  // Resolved through the page's import map (or the bundler).
  const url = import.meta.resolve(specifier);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`gaussdiff: could not fetch ${url} (${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
});

if (typeof Worker !== 'undefined') {
  setWorkerPlatform({
    cores: () => navigator.hardwareConcurrency ?? 1,
    spawn() {
      const worker = new Worker(new URL('./worker.browser.js', import.meta.url), { type: 'module' });
      return {
        post: (m) => worker.postMessage({ ...m, loaderUrl }),
        onMessage(listener, onError) {
          worker.addEventListener('message', (e) => listener(e.data));
          worker.addEventListener('error', (e) => onError(new Error(e.message || 'a Web Worker failed to start (module resolution or CSP)')));
        },
        terminate: () => worker.terminate(),
      };
    },
  });
}

export * from './api.js';
