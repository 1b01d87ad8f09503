/** Browser Web Worker (module type): see worker-body.ts. */
import { serve } from './worker-body.js';
import type { WorkerRequest } from './pool.js';

addEventListener('message', (event) => {
  void serve((event as MessageEvent<WorkerRequest>).data, (r) => postMessage(r));
}, { once: true });
