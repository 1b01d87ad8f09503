/** The work of a worker thread (Node or browser): start the core from the module, run passes. */
import { initCore } from './core.js';
import { evolveGrid } from './engine.js';
import type { WorkerReply, WorkerRequest } from './pool.js';

export async function serve(request: WorkerRequest, reply: (r: WorkerReply) => void): Promise<void> {
  try {
    await initCore(request.module);
    for (const { index, task } of request.tasks) {
      reply({ index, sums: evolveGrid(request.values, request.weights, request.schedule, request.alpha, task) });
    }
    reply({ done: true });
  } catch (e) {
    reply({ error: (e as Error).message ?? String(e) });
  }
}
