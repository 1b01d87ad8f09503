/** Node worker thread: see worker-body.ts. */
import { parentPort } from 'node:worker_threads';
import * as loader from '@assemblyscript/loader';
import { setLoader } from './core.js';
import { serve } from './worker-body.js';
import type { WorkerRequest } from './pool.js';

setLoader(loader);

parentPort!.on('message', (request: WorkerRequest) => serve(request, (r) => parentPort!.postMessage(r)));
