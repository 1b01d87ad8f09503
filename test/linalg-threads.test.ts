// The two builds of the linalg module (cpp/build.sh): linalg (single-threaded, browsers) and
// linalg-mt (-pthread, Node's default). cpp/src/parallel.h splits every large product into two
// fixed parts, run on two threads or one after the other, so the builds must agree bit for bit.
// Sizes are chosen so that every split takes its second thread in linalg-mt (symv from order 384,
// trailing updates and Q from 192, divide-and-conquer merges from 1e6 multiply-adds).
// (Own file: module state is per test file.)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import createSingle from '../cpp/dist/linalg.mjs';
import createThreaded from '../cpp/dist/linalg-mt.mjs';
import { randomSymmetric } from './fixtures/linalg/prng.js';
import { callGlue } from './helpers/glue-call.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Glue = any;
let single: Glue;
let threaded: Glue;

const bytes = (name: string) => new Uint8Array(readFileSync(new URL(`../cpp/dist/${name}.wasm`, import.meta.url)));

beforeAll(async () => {
  single = await createSingle({ wasmBinary: bytes('linalg') });
  threaded = await createThreaded({ wasmBinary: bytes('linalg-mt') });
  for (const w of threaded.PThread.unusedWorkers) w.unref();
});

function call(m: Glue, fn: string, n: number, inputs: Float64Array[], outSizes: number[]): Float64Array[] {
  return callGlue(m, fn, [n], inputs, outSizes);
}

function expectIdentical(a: Float64Array[], b: Float64Array[], what: string): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, k) => {
    const i = x.findIndex((v, j) => !Object.is(v, b[k][j]));
    expect(i, `${what}: output ${k} first differs at ${i} (${x[i]} vs ${b[k][i]})`).toBe(-1);
  });
}

describe('threaded and single-threaded linalg builds', () => {
  it('the threaded build is the -pthread one (a shared memory and a thread pool)', () => {
    expect(threaded.wasmMemory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(threaded.PThread.unusedWorkers.length).toBe(1);
    expect(single.PThread).toBeUndefined();
  });

  it('eigvalsh (n = 1100) and the tridiagonalisation with its Q (n = 600) are bit-identical', () => {
    const a = randomSymmetric(1100, 1101) as Float64Array;
    expectIdentical(call(single, '_gd_eigvalsh', 1100, [a], [1100]), call(threaded, '_gd_eigvalsh', 1100, [a], [1100]), 'eigvalsh');
    const b = randomSymmetric(600, 6001) as Float64Array;
    const sizes = [600, 599, 600 * 600];
    expectIdentical(call(single, '_gd_tridiagonalize', 600, [b], sizes), call(threaded, '_gd_tridiagonalize', 600, [b], sizes), 'tridiagonalize');
  });

  it('eigh (n = 500: blocked reduction, divide and conquer, back-transformation) is bit-identical', () => {
    const a = randomSymmetric(500, 5001) as Float64Array;
    const s = call(single, '_gd_eigh', 500, [a], [500, 500 * 500]);
    const t = call(threaded, '_gd_eigh', 500, [a], [500, 500 * 500]);
    expectIdentical(s, t, 'eigh');
    // and it is an eigen-decomposition (A v_j = λ_j v_j to 1e-10·max|λ| on a few columns): the
    // identity above is not two copies of the same wrong answer
    const [w, v] = t;
    const maxLambda = Math.max(Math.abs(w[0]), Math.abs(w[499]));
    for (const j of [0, 250, 499]) {
      let worst = 0;
      for (let i = 0; i < 500; i++) {
        let av = 0;
        for (let k = 0; k < 500; k++) av += a[i * 500 + k] * v[k * 500 + j];
        worst = Math.max(worst, Math.abs(av - w[j] * v[i * 500 + j]));
      }
      expect(worst, `column ${j}`).toBeLessThan(1e-10 * maxLambda);
    }
  });
});

describe('the package entry point in Node', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const script = (body: string) =>
    spawnSync(process.execPath, ['--input-type=module', '-e', `import * as g from './dist/bindings/index.node.js';\n${body}`], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('loads the threaded build by default, the single one on request, and the process exits by itself', () => {
    const r = script(`
      await g.initLinalg();
      const n = 600, a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = 1 / (1 + i + j);
      const w = g.eigvalsh(a, n);
      console.log(JSON.stringify({ threads: g.linalgThreads(), top: w[n - 1], worker: typeof globalThis.Worker }));`);
    expect(r.error, 'the process did not exit within 60 s').toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.threads).toBe(2);
    expect(out.worker, 'the threaded glue must not leave a global Worker behind').toBe('undefined');
    const s = script(`
      await g.initLinalg(undefined, { threads: 1 });
      const n = 600, a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = 1 / (1 + i + j);
      console.log(JSON.stringify({ threads: g.linalgThreads(), top: g.eigvalsh(a, n)[n - 1] }));`);
    expect(s.status, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout)).toEqual({ threads: 1, top: out.top });
    expect(typeof out.top).toBe('number');
  });

  it('rejects a bad threads option, naming it', () => {
    const r = script(`
      for (const opts of [{ threads: 3 }, { threads: 0 }]) {
        try { await g.initLinalg(undefined, opts); console.log('no error'); } catch (e) { console.log(e.name + ': ' + e.message); }
      }
      try { await g.initLinalg(new Uint8Array(8), { threads: 2 }); console.log('no error'); } catch (e) { console.log(e.name + ': ' + e.message); }`);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('RangeError: initLinalg: options.threads must be 1 or 2, got number 3');
    expect(lines[1]).toBe('RangeError: initLinalg: options.threads must be 1 or 2, got number 0');
    expect(lines[2]).toMatch(/^RangeError: initLinalg: options.threads = 2 needs the threaded build/);
  });
});
