/** The work of a worker thread (Node or browser): start the core from the module, run chunks of passes. */
import { initCore } from './core.js';
import { evolveGridChunk } from '../exact/engine.js';
import { generalRunRaw } from '../exact/core-general.js';
import type { WorkerReply, WorkerRequest } from './pool.js';

let job: Extract<WorkerRequest, { job: unknown }>['job'] | undefined;
let general: Extract<WorkerRequest, { generalJob: unknown }>['generalJob'] | undefined;
let queue: Promise<void> = Promise.resolve();

/** Handle one message of the pool (pool.ts), in the order they arrive. */
export function serve(request: WorkerRequest, reply: (r: WorkerReply) => void): void {
  queue = queue.then(async () => {
    try {
      if ('job' in request) {
        await initCore(request.job.module); // once: later calls return the started core
        job = request.job;
      } else if ('generalJob' in request) {
        await initCore(request.generalJob.module);
        general = request.generalJob;
      } else if ('generalItem' in request) {
        if (!general) throw new Error('a general run arrived before its spectrum');
        const { index, call } = request.generalItem;
        reply({ index, chunk: -1, sums: generalRunRaw({ ...call, values: general.values, weights: general.weights }).sums });
      } else {
        if (!job) throw new Error('a chunk arrived before its spectrum');
        const { index, task, chunk } = request.item;
        reply({ index, chunk, sums: evolveGridChunk(job.values, job.weights, job.schedule, job.alpha, task, chunk) });
      }
    } catch (e) {
      reply({ error: (e as Error).message ?? String(e) });
    }
  });
}
