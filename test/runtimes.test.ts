/**
 * The packed package in other JavaScript runtimes: Deno and Bun (their npm packages' binaries,
 * run offline) run test/runtimes/run-parity.js — the parity suite (test/browser/parity.js) over
 * `import … from 'gaussdiff'` — in an app folder where the tarball is installed, exactly as Node
 * does; Cloudflare's workerd serves the same suite from test/runtimes/workerd-main.js, bundled by
 * esbuild the way wrangler would (the .wasm files as modules, passed to `init`). Every section must
 * give Node's serialised result exactly (Object.is on every number, errors included).
 *
 * Deno and Bun load the package's `node` entry (worker_threads for the ablation grid, the threaded
 * eigensolver); workerd the `browser` entry, without Web Workers.
 *
 * A runtime whose binary is missing (node_modules/.bin, or GAUSSDIFF_DENO / GAUSSDIFF_BUN /
 * GAUSSDIFF_WORKERD) is one skipped test saying so; with GAUSSDIFF_REQUIRE_BROWSER=1 a failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as suite from './browser/parity.js';
import { describeIfAvailable } from './helpers/chromium.js';
import { BIN, packedApp, ROOT, runTool, toolEnv } from './helpers/packed-app.js';

const SECTIONS = Object.keys(suite.SECTIONS);

/** A runtime's binary: $GAUSSDIFF_<NAME>, else the devDependency's; and why it cannot be used. */
function binary(name: string, versionArgs: string[]): { path: string; missing?: string } {
  const variable = `GAUSSDIFF_${name.toUpperCase()}`;
  const path = process.env[variable] ?? join(BIN, name);
  if (!existsSync(path)) return { path, missing: `${name} not found at ${path} (npm ci installs it; or ${variable}=/path)` };
  const probe = spawnSync(path, versionArgs, { encoding: 'utf8', timeout: 30_000 });
  if (probe.status !== 0) return { path, missing: `${path} ${versionArgs.join(' ')} failed: ${probe.error?.message ?? probe.stderr.trim()}` };
  return { path };
}

const DENO = binary('deno', ['--version']);
const BUN = binary('bun', ['--version']);
const WORKERD = binary('workerd', ['--version']);

let app: Awaited<ReturnType<typeof packedApp>> | undefined;
/** Node's results: the same script, the same tarball. */
let node: { linalgThreads: number; results: Record<string, string> } | undefined;
let setupError: Error | undefined;

async function runParity(command: string, args: string[], label: string): Promise<{ linalgThreads: number; results: Record<string, string> }> {
  const out = join(app!.dir, `parity-${label}.json`);
  await runTool(command, [...args, 'src/run-parity.js', out, ...SECTIONS], { cwd: app!.dir, timeout: 180_000 });
  return JSON.parse(readFileSync(out, 'utf8'));
}

beforeAll(async () => {
  if (DENO.missing && BUN.missing && WORKERD.missing) return;
  try {
    app = await packedApp('runtimes');
    for (const f of ['run-parity.js', 'workerd-main.js']) cpSync(resolve(ROOT, 'test/runtimes', f), join(app.dir, 'src', f));
    node = await runParity(process.execPath, [], 'node');
  } catch (e) {
    setupError = e as Error; // each test fails with it
  }
}, 240_000);

afterAll(() => app?.remove());

function nodeResults(): { linalgThreads: number; results: Record<string, string> } {
  if (setupError) throw setupError;
  return node!;
}

function expectSame(name: string, runtime: string, json: string): void {
  const expected = nodeResults().results[name];
  const { numbers, diffs } = suite.compareWire(JSON.parse(expected), JSON.parse(json));
  expect(diffs, `${name}: Node and ${runtime} differ`).toEqual([]);
  expect(numbers, `${name}: numbers compared`).toBeGreaterThan(10);
  expect(json, name).toBe(expected);
}

for (const [runtime, bin, args] of [
  // Deno: read the package, write the result file; nothing else.
  ['Deno', DENO, (dir: string) => ['run', '--allow-read', `--allow-write=${dir}`]],
  ['Bun', BUN, () => []],
] as const) {
  describeIfAvailable(`the parity suite in ${runtime} = Node, bit for bit`, bin.missing, () => {
    let got: Awaited<ReturnType<typeof runParity>> | undefined;
    let failure: Error | undefined;
    beforeAll(async () => {
      if (setupError) return;
      try {
        got = await runParity(bin.path, args(app!.dir), runtime.toLowerCase());
      } catch (e) {
        failure = e as Error;
      }
    }, 240_000);

    for (const name of SECTIONS) {
      it(`${name}: same numbers and errors as Node`, () => {
        nodeResults();
        if (failure) throw failure;
        expectSame(name, runtime, got!.results[name]);
      });
    }

    it('uses the threaded eigensolver, as Node does', () => {
      nodeResults();
      if (failure) throw failure;
      expect(got!.linalgThreads).toBe(nodeResults().linalgThreads);
    });
  });
}

describeIfAvailable("the parity suite in Cloudflare's workerd = Node, bit for bit", WORKERD.missing, () => {
  let server: { socket: string; close(): Promise<void>; log(): string } | undefined;
  let failure: Error | undefined;

  beforeAll(async () => {
    if (setupError) return;
    try {
      server = await startWorkerd(app!.dir);
    } catch (e) {
      failure = e as Error;
    }
  }, 120_000);

  afterAll(() => server?.close());

  for (const name of SECTIONS) {
    if (name === 'ablation (default threads)') {
      it.skip(`${name}: skipped, workerd has no Web Workers (the same passes on one thread are the section "ablation")`, () => {});
      continue;
    }
    it(`${name}: same numbers and errors as Node`, async () => {
      nodeResults();
      if (failure) throw failure;
      const { status, body } = await get(server!.socket, `/?section=${encodeURIComponent(name)}`);
      expect(status, `${body.slice(0, 2000)}\n${server!.log()}`).toBe(200);
      expectSame(name, 'workerd', body);
    });
  }
});

/**
 * Bundle test/runtimes/workerd-main.js with esbuild as wrangler would (conditions workerd, worker,
 * browser; the .wasm imports kept as modules) and serve it with workerd on a Unix socket.
 */
async function startWorkerd(dir: string): Promise<{ socket: string; close(): Promise<void>; log(): string }> {
  const out = join(dir, 'dist-workerd');
  await runTool(join(BIN, 'esbuild'), [
    'src/workerd-main.js', '--bundle', '--format=esm', '--platform=neutral', '--conditions=workerd,worker,browser',
    '--main-fields=module,main', '--loader:.wasm=copy', '--asset-names=[name]', `--outdir=${out}`, '--log-level=warning',
  ], { cwd: dir });
  const socket = join(out, 'workerd.sock');
  writeFileSync(join(out, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .parity) ],
  sockets = [ (name = "http", address = "unix:${socket}", http = (), service = "main") ],
);
const parity :Workerd.Worker = (
  modules = [
    (name = "workerd-main.js", esModule = embed "workerd-main.js"),
    (name = "core.wasm", wasm = embed "core.wasm"),
    (name = "linalg.wasm", wasm = embed "linalg.wasm"),
  ],
  compatibilityDate = "2025-01-01",
);
`);
  const child = spawn(WORKERD.path, ['serve', 'config.capnp'], { cwd: out, env: toolEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let alive = true;
  child.once('exit', () => (alive = false));
  const close = async () => {
    if (alive) child.kill('SIGTERM');
    await exited;
  };
  // Ready when the socket answers.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (!alive) throw new Error(`workerd exited:\n${output}`);
    if (existsSync(socket) && (await get(socket, '/ready').then(() => true, () => false))) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`workerd did not answer on ${socket} in 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { socket, close, log: () => output };
}

function get(socketPath: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ socketPath, path, method: 'GET', timeout: 120_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${path} in 120 s`)));
    req.on('error', fail);
    req.end();
  });
}
