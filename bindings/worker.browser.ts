/** Browser Web Worker (module type): see worker-body.ts. */
import { setLoader } from './core.js';
import { serve } from './worker-body.js';
import type { WorkerRequest } from './pool.js';

addEventListener('message', async (event) => {
  const request = (event as MessageEvent<WorkerRequest & { loaderUrl?: string }>).data;
  try {
    setLoader(await import(request.loaderUrl ?? '@assemblyscript/loader'));
  } catch (e) {
    postMessage({ error: `cannot import @assemblyscript/loader in a worker (${(e as Error).message})` });
    return;
  }
  void serve(request, (r) => postMessage(r));
}, { once: true });
