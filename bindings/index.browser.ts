/**
 * Browser entry point (package.json `exports` condition `browser`, and the default): fetches the
 * .wasm files of the package, runs the ablation grid in module Web Workers.
 *
 * Every file is named by one literal `new URL('…', import.meta.url)` (the worker by
 * `new Worker(new URL('…', import.meta.url), { type: 'module' })`), the form bundlers follow:
 * Vite and webpack 5 copy the files into the app's build and rewrite the URLs; a page without a
 * bundler fetches them from the package folder. A bundler that leaves the URLs as they are (esbuild)
 * makes them point next to its bundle, where there is nothing: then the copies inlined in
 * `./inline.js` (gzip + base64, made by scripts/build-browser.js) are used instead, the worker
 * starting from a Blob. Vite and webpack put that module in a chunk of its own, never loaded.
 */
import { setAssetReader, setDependencyReader, type AssetName } from './assets.js';
import { setLoaderSource } from './runtime/core.js';
import { setWorkerPlatform } from './runtime/pool.js';

// Imported when the core starts, not with this module: a module Web Worker (no import maps) can
// load this entry by URL and pass the loader itself (configureHost({ loader }), runtime/host.ts).
setLoaderSource(() => import('@assemblyscript/loader'));

/** The files browsers use, one literal each (called lazily: a host may have no `import.meta.url`). */
const URLS: Partial<Record<AssetName, () => URL>> = {
  core: () => new URL('../../build/core.wasm', import.meta.url),
  linalg: () => new URL('../../cpp/dist/linalg.wasm', import.meta.url),
};

type Inlined = typeof import('./inline.js');

/** Set once a packaged file could not be fetched: from then on the inlined copies are used. */
let inlined: Promise<Inlined> | undefined;
/** The worker's source as a Blob URL, once `inlined` is in use. */
let inlineWorkerUrl: string | undefined;

function useInlined(): Promise<Inlined> {
  inlined ??= import('./inline.js').then((m) => {
    inlineWorkerUrl = URL.createObjectURL(new Blob([m.worker], { type: 'text/javascript' }));
    return m;
  });
  return inlined;
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** The bytes at `url`, or a reason why not (a 404, or an HTML page of an SPA server's fallback). */
async function fetchWasm(url: URL): Promise<Uint8Array | string> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    return `${url}: ${(e as Error).message}`;
  }
  if (!response.ok) return `${url}: HTTP ${response.status}`;
  const bytes = new Uint8Array(await response.arrayBuffer());
  return WASM_MAGIC.every((b, i) => bytes[i] === b) ? bytes : `${url}: not a WebAssembly file (${response.headers.get('content-type')})`;
}

async function gunzipBase64(text: string): Promise<Uint8Array> {
  const gz = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

setAssetReader(async (name) => {
  const url = URLS[name];
  if (!url) throw new Error(`gaussdiff: the browser entry has no ${name} module (the threaded eigensolver is Node's)`);
  let failure = '';
  if (!inlined) {
    const got = await fetchWasm(url());
    if (typeof got !== 'string') return got;
    failure = got;
  }
  let copies: Inlined;
  try {
    copies = await useInlined();
  } catch (e) {
    throw new Error(`gaussdiff: could not load ${name}.wasm (${failure}; the inlined copy: ${(e as Error).message})`);
  }
  return gunzipBase64(copies.wasm[name as keyof Inlined['wasm']]);
});

// Only the full MNIST fit (loadMnist) reads files of another package: resolved on first use,
// through the page's import map (import.meta.resolve), so that nothing runs at import time.
setDependencyReader(async (specifier) => {
  let url: string;
  try {
    url = import.meta.resolve(specifier);
  } catch (e) {
    throw new Error(`gaussdiff: cannot locate ${specifier} in this page (${(e as Error).message}); the full MNIST fit needs the mnist package's files (an import map entry "mnist/")`);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`gaussdiff: could not fetch ${url} (${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
});

function startWorker(): Worker {
  if (inlineWorkerUrl) return new Worker(inlineWorkerUrl, { type: 'module' });
  return new Worker(new URL('./worker.browser.js', import.meta.url), { type: 'module' });
}

if (typeof Worker !== 'undefined') {
  setWorkerPlatform({
    cores: () => navigator.hardwareConcurrency ?? 1,
    spawn() {
      const worker = startWorker();
      return {
        post: (m) => worker.postMessage(m),
        onMessage(listener, onError) {
          worker.addEventListener('message', (e) => listener(e.data));
          worker.addEventListener('error', (e) => onError(new Error(e.message || 'a Web Worker failed to start (not found, or a CSP)')));
        },
        terminate: () => worker.terminate(),
      };
    },
  });
}

export * from './api.js';
