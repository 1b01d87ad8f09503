/**
 * Worker threads for the ablation grid: the passes of the core (one grid, several schemes) are cut
 * into the same fixed chunks of eigenvalues as on one thread; each chunk is computed by one worker
 * running the same compiled module, and the chunks' sums are added in chunk order here, so the
 * numbers are identical to the single-threaded ones whatever the number of threads. The
 * platform's worker factory is installed by the Node or browser entry point.
 */
import { compiledCore } from './core.js';
import { SCHEMES } from './defaults.js';
import { addChunks, chunkCount, type AblationPlan, type GridTask, type Schedule } from './engine.js';

/** What a worker is sent: the compiled core, the spectrum, and its share of the passes. */
export interface WorkerRequest {
  module: WebAssembly.Module;
  schedule: Schedule;
  alpha: number;
  values: Float64Array;
  weights: Float64Array;
  tasks: { index: number; task: GridTask; chunk: number }[];
}

/** What a worker answers: one message per pass, or an error. */
export type WorkerReply = { index: number; chunk: number; sums: Float64Array } | { error: string } | { done: true };

export interface WorkerHandle {
  post(message: WorkerRequest): void;
  onMessage(listener: (reply: WorkerReply) => void, onError: (error: Error) => void): void;
  terminate(): void;
}

export interface WorkerPlatform {
  spawn(): WorkerHandle;
  cores(): number;
}

let platform: WorkerPlatform | undefined;

export function setWorkerPlatform(p: WorkerPlatform): void {
  platform = p;
}

/** Default worker count: 2 where the machine has 2 cores or more, else 1 (this thread). */
export function defaultThreads(): number {
  return platform ? Math.max(1, Math.min(2, platform.cores())) : 1;
}

export function canUseWorkers(): boolean {
  return platform !== undefined;
}

/** Cost of a pass, for balancing: steps × (divisions + scheme updates). */
function cost(t: GridTask): number {
  let schemes = 0;
  for (let m = t.mask; m; m &= m - 1) schemes++;
  const rk4 = (t.mask & (1 << SCHEMES.indexOf('rk4'))) !== 0 ? 2 : 0; // two divisions a step
  return t.K * (2 + schemes + rk4);
}

/**
 * Run the plan's passes on `threads` workers (longest first, each to the least loaded worker).
 * Resolves with the sums in task order; rejects on the first failure, terminating every worker.
 */
export async function runPlanInWorkers(
  plan: AblationPlan,
  alpha: number,
  threads: number,
  onTask: (cells: number) => void,
): Promise<Float64Array[]> {
  if (!platform) throw new Error('gaussdiff: no worker platform installed');
  const n = plan.spectrum.values.length;
  const chunks = chunkCount(n);
  const items = plan.tasks.flatMap((task, index) => Array.from({ length: chunks }, (_, chunk) => ({ index, task, chunk })));
  items.sort((a, b) => cost(b.task) - cost(a.task));
  const shares: { index: number; task: GridTask; chunk: number }[][] = Array.from({ length: threads }, () => []);
  const load = new Array<number>(threads).fill(0);
  for (const item of items) {
    const w = load.indexOf(Math.min(...load));
    shares[w].push(item);
    load[w] += cost(item.task);
  }
  const parts = plan.tasks.map(() => new Array<Float64Array>(chunks));
  const missing = plan.tasks.map(() => chunks);
  const module = compiledCore();
  const workers: WorkerHandle[] = [];
  try {
    await Promise.all(
      shares.filter((s) => s.length > 0).map(
        (share) =>
          new Promise<void>((resolve, reject) => {
            const worker = platform!.spawn();
            workers.push(worker);
            worker.onMessage((reply) => {
              if ('error' in reply) reject(new Error(`gaussdiff worker: ${reply.error}`));
              else if ('done' in reply) resolve();
              else {
                parts[reply.index][reply.chunk] = reply.sums;
                if (--missing[reply.index] === 0) onTask(plan.tasks[reply.index].cells);
              }
            }, reject);
            worker.post({
              module, schedule: plan.schedule, alpha,
              values: plan.spectrum.values, weights: plan.spectrum.weights, tasks: share,
            });
          }),
      ),
    );
  } finally {
    for (const w of workers) w.terminate();
  }
  return parts.map(addChunks);
}
