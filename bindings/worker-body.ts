/** The work of a worker thread (Node or browser): start the core from the module, run chunks of passes. */
import { initCore } from './core.js';
import { evolveGridChunk } from './engine.js';
import type { WorkerReply, WorkerRequest } from './pool.js';

export async function serve(request: WorkerRequest, reply: (r: WorkerReply) => void): Promise<void> {
  try {
    await initCore(request.module);
    for (const { index, task, chunk } of request.tasks) {
      reply({ index, chunk, sums: evolveGridChunk(request.values, request.weights, request.schedule, request.alpha, task, chunk) });
    }
    reply({ done: true });
  } catch (e) {
    reply({ error: (e as Error).message ?? String(e) });
  }
}
