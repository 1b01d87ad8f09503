/** Node worker thread: see worker-body.ts. */
import { parentPort } from 'node:worker_threads';
import * as loader from '@assemblyscript/loader';
import { setLoader } from './runtime/core.js';
import { serve } from './runtime/worker-body.js';
import type { WorkerRequest } from './runtime/pool.js';

setLoader(loader);

parentPort!.on('message', (request: WorkerRequest) => serve(request, (r) => parentPort!.postMessage(r)));
