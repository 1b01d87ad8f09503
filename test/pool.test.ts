// The worker pool's one dispatcher (bindings/runtime/pool.ts) against a fake worker platform: the
// order and count of the messages, the assembly of the answers, and the failure paths (a worker's
// error, a throwing callback, a dead worker) that the real workers seldom reach. The real workers'
// numbers are checked elsewhere (test/bad-input.test.ts, test/metrics.test.ts, test/cli-compare.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../dist/bindings/index.node.js';
import { setWorkerPlatform, runGeneralInWorkers, runPlanInWorkers } from '../dist/bindings/runtime/pool.js';
import type { WorkerRequest, WorkerReply, WorkerHandle } from '../dist/bindings/runtime/pool.js';
import type { AblationPlan } from '../dist/bindings/exact/engine.js';

interface Log {
  spawned: number;
  terminated: number;
  /** Per worker: the kinds of the messages it was sent, in order. */
  posts: string[][];
  /** Per worker: the most items it held unanswered at once. */
  maxInFlight: number[];
}

/**
 * A platform whose workers answer each item after a macrotask with `answer(request)`: a reply, an
 * Error (the worker dies), or null (no answer: the job message).
 */
function fakePlatform(answer: (request: WorkerRequest) => WorkerReply | Error | null): Log {
  const log: Log = { spawned: 0, terminated: 0, posts: [], maxInFlight: [] };
  setWorkerPlatform({
    cores: () => 2,
    spawn(): WorkerHandle {
      const id = log.spawned++;
      log.posts.push([]);
      log.maxInFlight.push(0);
      let inFlight = 0;
      let onReply: (reply: WorkerReply) => void = () => {};
      let onError: (error: Error) => void = () => {};
      return {
        post(message) {
          log.posts[id].push(Object.keys(message)[0]);
          const r = answer(message);
          if (r === null) return;
          log.maxInFlight[id] = Math.max(log.maxInFlight[id], ++inFlight);
          setTimeout(() => {
            inFlight--;
            if (r instanceof Error) onError(r);
            else onReply(r);
          });
        },
        onMessage(listener, error) {
          onReply = listener;
          onError = error;
        },
        terminate() {
          log.terminated++;
        },
      };
    },
  });
  return log;
}

const values = Float64Array.of(1, 2, 3, 4);
const weights = Float64Array.of(1, 1, 1, 1);
/** Items with costs out of order: answers are their index times 10, and their cost. */
const items = [3, 7, 1, 5, 2].map((cost, index) => ({ index, cost, call: {} as never }));
const general = (request: WorkerRequest): WorkerReply | null =>
  'generalItem' in request ? { index: request.generalItem.index, chunk: -1, sums: Float64Array.of(10 * request.generalItem.index, request.generalItem.cost) } : null;

beforeAll(async () => {
  await init(); // the job message carries the compiled core
});

describe('runGeneralInWorkers (compare cells)', () => {
  it('sends each worker the job first, then items costliest first, at most two unanswered per worker; answers in item order', async () => {
    const log = fakePlatform(general);
    let calls = 0;
    const sums = await runGeneralInWorkers(values, weights, items, 2, () => calls++);
    expect(sums.map((s) => Array.from(s))).toEqual(items.map((it) => [10 * it.index, it.cost]));
    expect(calls).toBe(items.length);
    expect(log.spawned).toBe(2);
    for (const p of log.posts) {
      expect(p[0]).toBe('generalJob');
      expect(p.slice(1).every((k) => k === 'generalItem')).toBe(true);
    }
    expect(log.posts[0].length + log.posts[1].length - 2).toBe(items.length);
    expect(log.maxInFlight.every((m) => m <= 2)).toBe(true);
  });

  it('no items: resolves at once with no sums and starts no worker (it used to wait forever)', async () => {
    const log = fakePlatform(general);
    let calls = 0;
    const sums = await runGeneralInWorkers(values, weights, [], 2, () => calls++);
    expect(sums).toEqual([]);
    expect(calls).toBe(0);
    expect(log.spawned).toBe(0);
  });

  it('the first two items of each worker are the costliest (handed out in cost order)', async () => {
    const costs: number[] = [];
    fakePlatform((r) => ('generalItem' in r ? (costs.push(r.generalItem.cost), general(r)) : null));
    await runGeneralInWorkers(values, weights, items, 1, () => {});
    expect(costs).toEqual([7, 5, 3, 2, 1]);
  });

  it("a worker's error rejects the call and stops the workers; the next call starts new ones", async () => {
    const log = fakePlatform((r) => ('generalItem' in r && r.generalItem.index === 3 ? { error: 'boom' } : general(r)));
    await expect(runGeneralInWorkers(values, weights, items, 2, () => {})).rejects.toThrow('gaussdiff worker: boom');
    expect(log.terminated).toBe(2);
    const next = fakePlatform(general);
    await expect(runGeneralInWorkers(values, weights, items, 2, () => {})).resolves.toHaveLength(items.length);
    expect(next.spawned).toBe(2);
  });

  it('a dead worker rejects the call with its error', async () => {
    fakePlatform((r) => ('generalItem' in r && r.generalItem.index === 0 ? new Error('worker died') : general(r)));
    await expect(runGeneralInWorkers(values, weights, items, 2, () => {})).rejects.toThrow('worker died');
  });

  it('a throwing onItem rejects the call with its error', async () => {
    fakePlatform(general);
    let n = 0;
    await expect(runGeneralInWorkers(values, weights, items, 2, () => {
      if (++n === 2) throw new Error('stop here');
    })).rejects.toThrow('stop here');
  });
});

describe('runPlanInWorkers (ablation passes)', () => {
  // Two passes over 5000 values: two chunks each (the engine's chunk is 4096 values).
  const plan = {
    spectrum: { values: new Float64Array(5000), weights: new Float64Array(5000) },
    schedule: {}, alpha: 1,
    tasks: [{ K: 3, eps: 0, mask: 1, cells: 2 }, { K: 30, eps: 0, mask: 1, cells: 5 }],
  } as unknown as AblationPlan;
  const chunkSums = (r: WorkerRequest): WorkerReply | null =>
    'item' in r ? { index: r.item.index, chunk: r.item.chunk, sums: Float64Array.of(r.item.index + 1, 2 ** r.item.chunk) } : null;

  it("adds each pass's chunks; onTask once per pass with its cells, when its last chunk is in", async () => {
    const log = fakePlatform(chunkSums);
    const cells: number[] = [];
    const sums = await runPlanInWorkers(plan, 1, 2, (c) => cells.push(c));
    expect(sums.map((s) => Array.from(s))).toEqual([[2, 3], [4, 3]]);
    expect(cells.sort()).toEqual([2, 5]);
    for (const p of log.posts) expect(p[0]).toBe('job');
    expect(log.maxInFlight.every((m) => m <= 2)).toBe(true);
  });

  it('a throwing onTask rejects the call; a worker error too', async () => {
    fakePlatform(chunkSums);
    await expect(runPlanInWorkers(plan, 1, 2, () => {
      throw new Error('stop here');
    })).rejects.toThrow('stop here');
    fakePlatform((r) => ('item' in r ? { error: 'bad chunk' } : null));
    await expect(runPlanInWorkers(plan, 1, 2, () => {})).rejects.toThrow('gaussdiff worker: bad chunk');
  });
});
