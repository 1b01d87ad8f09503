/**
 * Browser Web Worker (module type): see worker-body.ts. Shipped bundled into one file with no
 * imports (scripts/build-browser.js), so it starts the same in a page without a bundler (module
 * workers do not see import maps), in a bundled app, and from a Blob.
 */
import * as loader from '@assemblyscript/loader';
import { setLoader } from './runtime/core.js';
import { serve } from './runtime/worker-body.js';
import type { WorkerRequest } from './runtime/pool.js';

setLoader(loader);

addEventListener('message', (event) => serve((event as MessageEvent<WorkerRequest>).data, (r) => postMessage(r)));
