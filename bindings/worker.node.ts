/** Node worker thread: see worker-body.ts. */
import { parentPort } from 'node:worker_threads';
import { serve } from './worker-body.js';
import type { WorkerRequest } from './pool.js';

parentPort!.once('message', (request: WorkerRequest) => {
  void serve(request, (r) => parentPort!.postMessage(r));
});
