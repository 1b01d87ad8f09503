/**
 * Worker threads for the ablation grid: each pass of the core (one grid, several schemes) is
 * computed whole by one worker running the same compiled module, so the numbers are identical
 * to the single-threaded ones whatever the number of threads. The platform's worker factory is
 * installed by the Node or browser entry point.
 */
import { compiledCore } from './core.js';
import type { AblationPlan, GridTask, Schedule } from './engine.js';

/** What a worker is sent: the compiled core, the spectrum, and its share of the passes. */
export interface WorkerRequest {
  module: WebAssembly.Module;
  schedule: Schedule;
  alpha: number;
  values: Float64Array;
  weights: Float64Array;
  tasks: { index: number; task: GridTask }[];
}

/** What a worker answers: one message per pass, or an error. */
export type WorkerReply = { index: number; sums: Float64Array } | { error: string } | { done: true };

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
  const rk4 = (t.mask & (1 << 6)) !== 0 ? 2 : 0;
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
  const order = plan.tasks.map((task, index) => ({ index, task })).sort((a, b) => cost(b.task) - cost(a.task));
  const shares: { index: number; task: GridTask }[][] = Array.from({ length: threads }, () => []);
  const load = new Array<number>(threads).fill(0);
  for (const item of order) {
    const w = load.indexOf(Math.min(...load));
    shares[w].push(item);
    load[w] += cost(item.task);
  }
  const results = new Array<Float64Array>(plan.tasks.length);
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
                results[reply.index] = reply.sums;
                onTask(plan.tasks[reply.index].cells);
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
  return results;
}
