/**
 * Worker threads for the ablation grid: the passes of the core (one grid, several schemes) are cut
 * into the same fixed chunks of eigenvalues as on one thread; each chunk is computed by one worker
 * running the same compiled module, and the chunks' sums are added in chunk order here, so the
 * numbers are identical to the single-threaded ones whatever the number of threads. The
 * platform's worker factory is installed by the Node or browser entry point.
 *
 * The workers are started once and kept for later calls (starting one costs ~50 ms, a tenth of
 * the ADSN grid): idle, they hold their module's memory and, in Node, do not keep the process
 * alive. Chunks are handed out as workers finish (longest first, two in flight per worker), so a
 * worker slowed by other load on the machine simply takes fewer.
 */
import { compiledCore } from './core.js';
import { SCHEMES } from '../options/defaults.js';
import { addChunks, chunkCount, type AblationPlan, type GridTask, type Schedule } from '../exact/engine.js';
import type { GeneralCall } from '../exact/core-general.js';

/** One chunk of one pass: task `index` of the plan, eigenvalue chunk `chunk`. */
export interface WorkerItem {
  index: number;
  task: GridTask;
  chunk: number;
}

/**
 * What a worker is sent: once per call the compiled core (started on first receipt) and the
 * spectrum, then the chunks one by one. Messages are handled in order.
 */
export type WorkerRequest =
  | { job: { module: WebAssembly.Module; schedule: Schedule; alpha: number; values: Float64Array; weights: Float64Array } }
  | { item: WorkerItem }
  | { generalJob: { module: WebAssembly.Module; values: Float64Array; weights: Float64Array } }
  | { generalItem: GeneralItem };

/**
 * One general-kernel run (a cell of `compare`, bindings/exact/compare.ts) on the spectrum of the
 * last `generalJob`: the whole run in one worker, chunked as on one thread, so its sums are the
 * same bits.
 */
export interface GeneralItem {
  index: number;
  call: Omit<GeneralCall, 'values' | 'weights'>;
  /** Relative cost (steps × state size), for the order of the items. */
  cost: number;
}

/** What a worker answers: one message per chunk, or an error. */
export type WorkerReply = { index: number; chunk: number; sums: Float64Array } | { error: string };

export interface WorkerHandle {
  post(message: WorkerRequest): void;
  onMessage(listener: (reply: WorkerReply) => void, onError: (error: Error) => void): void;
  terminate(): void;
  /** Whether an idle worker keeps the host alive (Node: ref/unref; browsers: nothing to do). */
  keepAlive?(on: boolean): void;
}

export interface WorkerPlatform {
  spawn(): WorkerHandle;
  cores(): number;
}

let platform: WorkerPlatform | undefined;

export function setWorkerPlatform(p: WorkerPlatform): void {
  closeWorkers();
  platform = p;
}

/** Default worker count: 2 where the machine has 2 cores or more, else 1 (this thread). */
export function defaultThreads(): number {
  return platform ? Math.max(1, Math.min(2, platform.cores())) : 1;
}

export function canUseWorkers(): boolean {
  return platform !== undefined;
}

/** A started worker and the listener of the call it currently serves. */
interface PoolWorker {
  handle: WorkerHandle;
  onReply?: (reply: WorkerReply) => void;
  onError?: (error: Error) => void;
}

let pool: PoolWorker[] = [];
/** Calls run one after another (each uses every worker it asked for). */
let queue: Promise<unknown> = Promise.resolve();

/** Stop the kept workers (the next call starts new ones). */
export function closeWorkers(): void {
  for (const w of pool) w.handle.terminate();
  pool = [];
}

function workers(count: number): PoolWorker[] {
  while (pool.length < count) {
    const w: PoolWorker = { handle: platform!.spawn() };
    w.handle.onMessage((reply) => w.onReply?.(reply), (error) => {
      // A worker that failed (even idle) is not used again.
      pool = pool.filter((x) => x !== w);
      w.handle.terminate();
      w.onError?.(error);
    });
    pool.push(w);
  }
  return pool.slice(0, count);
}

/** Cost of a pass, for the order of the chunks: steps × (divisions + scheme updates). */
function cost(t: GridTask): number {
  let schemes = 0;
  for (let m = t.mask; m; m &= m - 1) schemes++;
  const rk4 = (t.mask & (1 << SCHEMES.indexOf('rk4'))) !== 0 ? 2 : 0; // two divisions a step
  return t.K * (2 + schemes + rk4);
}

/**
 * Queue a call after the previous one (calls run one after another, each uses every worker it
 * asked for); it starts only where a worker platform is installed.
 */
function enqueue<T>(call: () => Promise<T>): Promise<T> {
  const run = queue.then(() => {
    if (!platform) throw new Error('gaussdiff: no worker platform installed');
    return call();
  });
  queue = run.catch(() => undefined);
  return run;
}

/** A worker's answer to one item. */
type ItemReply = Exclude<WorkerReply, { error: string }>;

/**
 * The one dispatcher of both kinds of items (a pass's chunks, compare's cells): each of up to
 * `threads` kept workers is sent `job`, then `items` in the given order (costliest first), two in
 * flight per worker and the next to whichever worker answers. `onReply` records an answer (it may
 * throw: an exception escaping a message listener would end the process, so that rejects the
 * call). Rejects on the first failure and then stops every worker (the next call starts afresh).
 */
async function dispatch(job: WorkerRequest, items: WorkerRequest[], threads: number, onReply: (reply: ItemReply) => void): Promise<void> {
  if (items.length === 0) return; // nothing to send: no worker would ever answer
  const team = workers(Math.min(threads, items.length));
  let next = 0;
  let pending = items.length;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => reject(error);
      for (const w of team) {
        w.onError = fail;
        w.onReply = (reply) => {
          if ('error' in reply) return fail(new Error(`gaussdiff worker: ${reply.error}`));
          try {
            onReply(reply);
          } catch (e) {
            return fail(e as Error);
          }
          if (next < items.length) w.handle.post(items[next++]);
          if (--pending === 0) resolve();
        };
        w.handle.keepAlive?.(true);
        w.handle.post(job);
        // Two items in flight, so a worker never waits for its next message.
        for (let j = 0; j < 2 && next < items.length; j++) w.handle.post(items[next++]);
      }
    });
  } catch (e) {
    closeWorkers();
    throw e;
  } finally {
    for (const w of team) {
      w.onReply = w.onError = undefined;
      w.handle.keepAlive?.(false);
    }
  }
}

/**
 * Run the plan's passes on `threads` workers. Resolves with the sums in task order; rejects on
 * the first failure, including an exception thrown by `onTask` (and stops every worker: the next
 * call starts afresh).
 */
export function runPlanInWorkers(
  plan: AblationPlan,
  alpha: number,
  threads: number,
  onTask: (cells: number) => void,
): Promise<Float64Array[]> {
  return enqueue(async () => {
    const chunks = chunkCount(plan.spectrum.values.length);
    const items: WorkerItem[] = plan.tasks.flatMap((task, index) => Array.from({ length: chunks }, (_, chunk) => ({ index, task, chunk })));
    items.sort((a, b) => cost(b.task) - cost(a.task));
    const parts = plan.tasks.map(() => new Array<Float64Array>(chunks));
    const missing = plan.tasks.map(() => chunks);
    const job = {
      module: compiledCore(), schedule: plan.schedule, alpha,
      values: plan.spectrum.values, weights: plan.spectrum.weights,
    };
    await dispatch({ job }, items.map((item) => ({ item })), threads, (reply) => {
      parts[reply.index][reply.chunk] = reply.sums;
      if (--missing[reply.index] === 0) onTask(plan.tasks[reply.index].cells);
    });
    return parts.map(addChunks);
  });
}

/**
 * Run general-kernel items (the cells of `compare`) on `threads` workers; resolves with each
 * item's [exact start, prior start] sums, in item order. `onItem` is called after each item (it
 * may throw: that rejects the call). Rejects on the first failure (and stops every worker).
 */
export function runGeneralInWorkers(
  values: Float64Array,
  weights: Float64Array,
  items: GeneralItem[],
  threads: number,
  onItem: () => void,
): Promise<Float64Array[]> {
  return enqueue(async () => {
    const order = [...items].sort((a, b) => b.cost - a.cost);
    const sums = new Array<Float64Array>(items.length);
    await dispatch({ generalJob: { module: compiledCore(), values, weights } }, order.map((generalItem) => ({ generalItem })), threads, (reply) => {
      sums[reply.index] = reply.sums;
      onItem();
    });
    return sums;
  });
}
