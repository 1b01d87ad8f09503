/** Browser Web Worker (module type): see worker-body.ts. */
import { setLoader } from './core.js';
import { serve } from './worker-body.js';
import type { WorkerRequest } from './pool.js';

let loaded: Promise<boolean> | undefined;

addEventListener('message', async (event) => {
  const request = (event as MessageEvent<WorkerRequest & { loaderUrl?: string }>).data;
  // The loader is imported once, by the URL the page resolved (import maps do not apply here).
  loaded ??= import(request.loaderUrl ?? '@assemblyscript/loader').then(
    (loader) => (setLoader(loader), true),
    (e) => (postMessage({ error: `cannot import @assemblyscript/loader in a worker (${(e as Error).message})` }), false),
  );
  if (await loaded) serve(request, (r) => postMessage(r));
});
