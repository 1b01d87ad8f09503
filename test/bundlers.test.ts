/**
 * The packed package in bundled web apps, with no configuration, no import map and no copied
 * files: `npm pack` of this repository is installed into a fresh app folder (test/helpers/
 * packed-app.js), the app of test/apps/ (it imports `gaussdiff` by name and runs the parity
 * suite, test/browser/parity.js) is built by Vite (`vite build`, and served by the Vite dev
 * server), esbuild (`--bundle --format=esm --loader:.wasm=file`) and webpack 5 (no config file),
 * served on 127.0.0.1 and run in headless Chromium. `run`, `ablation` (on this thread, and on two
 * worker threads: the Web Workers must start from the bundle), and `eigvalsh`/`eigh` must give the
 * numbers of the package's Node entry bit for bit (Object.is on every number; the serialised results
 * identical).
 *
 * Vite and webpack copy the .wasm files and the worker (checked: exactly those two .wasm files are
 * emitted and fetched as application/wasm; the worker is a file); esbuild copies neither, so the
 * package falls back on its inlined copies (checked: the two .wasm URLs 404, the workers start from
 * Blobs). Also checked without a browser: the inlined copies are the current files.
 *
 * Skips with one line when Chromium is missing (fails instead with GAUSSDIFF_REQUIRE_BROWSER=1).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as suite from './browser/parity.js';
import { chromiumMissing, describeWithChromium, launchChromium } from './helpers/chromium.js';
import { BIN, packedApp, ROOT, runTool, toolEnv } from './helpers/packed-app.js';
import { startStaticServer } from './helpers/static-server.js';

/** The parity sections compared in every app (`linalg` holds the eigvalsh and eigh cases). */
const SECTIONS = ['run', 'ablation', 'ablation (default threads)', 'linalg'];
const LOAD_TIMEOUT_MS = 30_000;

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const PACKAGED_WASM: Record<string, string> = {
  [sha(readFileSync(resolve(ROOT, 'build/core.wasm')))]: 'build/core.wasm',
  [sha(readFileSync(resolve(ROOT, 'cpp/dist/linalg.wasm')))]: 'cpp/dist/linalg.wasm',
};

describe('the inlined copies (dist/bindings/inline.js) are the current files', () => {
  it('holds build/core.wasm, cpp/dist/linalg.wasm and the self-contained worker', async () => {
    const inline = await import(pathToFileURL(resolve(ROOT, 'dist/bindings/inline.js')).href);
    expect(gunzipSync(Buffer.from(inline.wasm.core, 'base64')).equals(readFileSync(resolve(ROOT, 'build/core.wasm')))).toBe(true);
    expect(gunzipSync(Buffer.from(inline.wasm.linalg, 'base64')).equals(readFileSync(resolve(ROOT, 'cpp/dist/linalg.wasm')))).toBe(true);
    const worker = readFileSync(resolve(ROOT, 'dist/bindings/worker.browser.js'), 'utf8');
    expect(inline.worker).toBe(worker);
    // One module with nothing to resolve: it runs from a Blob and in a page without a bundler.
    expect(worker).not.toMatch(/^\s*import\b|\bimport\s*\(|^\s*export\b.*\bfrom\b/m);
  });
});

type Mode = 'files' | 'inlined';

interface AppCase {
  name: string;
  /** How the package's .wasm files and worker reach the page. */
  mode: Mode;
  /** Build in the app folder; the folder served (static), or undefined for a dev server. */
  build?: (dir: string) => Promise<string>;
  /** Start a server of its own (the Vite dev server) instead. */
  serve?: (dir: string) => Promise<{ url: string; close(): Promise<void> }>;
}

const APPS: AppCase[] = [
  {
    name: 'Vite (vite build)',
    mode: 'files',
    async build(dir) {
      await runTool(join(BIN, 'vite'), ['build', '--outDir', 'dist-vite', '--logLevel', 'warn'], { cwd: dir });
      return 'dist-vite';
    },
  },
  { name: 'Vite (dev server)', mode: 'files', serve: viteDevServer },
  {
    name: 'esbuild (--bundle --format=esm --loader:.wasm=file)',
    mode: 'inlined',
    async build(dir) {
      await runTool(join(BIN, 'esbuild'), ['src/index.js', '--bundle', '--format=esm', '--loader:.wasm=file', '--outdir=dist-esbuild', '--log-level=warning'], { cwd: dir });
      cpSync(join(dir, 'esbuild.html'), join(dir, 'dist-esbuild/index.html'));
      return 'dist-esbuild';
    },
  },
  {
    name: 'webpack 5 (no configuration)',
    mode: 'files',
    async build(dir) {
      // Zero configuration: webpack's default entry is ./src/index.js.
      await runTool(join(BIN, 'webpack'), ['--mode', 'production', '--output-path', 'dist-webpack'], { cwd: dir });
      cpSync(join(dir, 'webpack.html'), join(dir, 'dist-webpack/index.html'));
      return 'dist-webpack';
    },
  },
];

/** `vite` (dev) in the app folder on a free loopback port; resolves with the address it prints. */
async function viteDevServer(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const child: ChildProcess = spawn(join(BIN, 'vite'), ['--host', '127.0.0.1', '--port', '0', '--strictPort'], { cwd: dir, env: toolEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the Vite dev server printed no address in 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the Vite dev server exited (${code}):\n${output}`));
    });
  });
  return {
    url,
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Every file under `dir`, relative to it. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
}

let app: Awaited<ReturnType<typeof packedApp>> | undefined;
let browser: Browser | undefined;
const nodeWire: Record<string, string> = {};

beforeAll(async () => {
  if (chromiumMissing()) return; // the suite below skips (or fails) saying so
  app = await packedApp('bundlers');
  cpSync(resolve(ROOT, 'test/apps'), app.dir, { recursive: true });
  // Node: the same tarball's `node` entry.
  const api = await import(pathToFileURL(join(app.dir, 'node_modules/gaussdiff/dist/bindings/index.node.js')).href);
  for (const name of SECTIONS) nodeWire[name] = suite.wireJson(await suite.computeSection(name, { api, linalg: api }));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  app?.remove();
});

/** What the page loaded: responses (url, status, type), workers, errors. */
interface PageLog {
  responses: { url: string; status: number; type: string }[];
  workers: string[];
  errors: string[];
}

async function openApp(url: string): Promise<{ page: Page; log: PageLog }> {
  const page = await browser!.newPage();
  const log: PageLog = { responses: [], workers: [], errors: [] };
  page.on('response', (r) => log.responses.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] ?? '' }));
  page.on('worker', (w) => log.workers.push(w.url()));
  page.on('pageerror', (e) => log.errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => log.errors.push(`requestfailed: ${r.url()} (${r.failure()?.errorText})`));
  await page.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
  try {
    await page.waitForFunction(() => (globalThis as any).__parity?.status === 'ready', null, { timeout: LOAD_TIMEOUT_MS });
  } catch {
    throw new Error(`the app did not start in Chromium:\n${log.errors.join('\n')}\n${log.responses.map((r) => `${r.status} ${r.url}`).join('\n')}`);
  }
  return { page, log };
}

describeWithChromium('gaussdiff in bundled web apps (Chromium)', () => {
  for (const c of APPS) describe(c.name, () => {
    let served: { url: string; close(): Promise<void> } | undefined;
    let out: string | undefined;
    let opened: { page: Page; log: PageLog } | undefined;

    afterAll(async () => {
      await opened?.page.close();
      await served?.close();
    });

    if (c.build) {
      it('builds, emitting the two .wasm files only where the bundler copies them', async () => {
        out = await c.build!(app!.dir);
        const files = listFiles(join(app!.dir, out));
        const wasm = files.filter((f) => f.endsWith('.wasm'));
        if (c.mode === 'files') {
          // The packaged files, each once; nothing else of the package (a template URL would copy it all).
          expect(wasm.map((f) => PACKAGED_WASM[sha(readFileSync(join(app!.dir, out!, f)))]).sort()).toEqual(['build/core.wasm', 'cpp/dist/linalg.wasm']);
        } else {
          expect(wasm).toEqual([]);
        }
        expect(files.filter((f) => !/\.(js|html|wasm)$/.test(f)), 'files other than .js, .html, .wasm').toEqual([]);
      });
    }

    it('runs in Chromium: run, ablation (worker threads) and eigvalsh/eigh = Node, bit for bit', async () => {
      if (c.serve) served = await c.serve(app!.dir);
      else {
        if (!out) throw new Error('not built (see the build test)');
        served = await startStaticServer({ root: join(app!.dir, out) });
      }
      opened = await openApp(c.serve ? served.url : new URL('index.html', served.url).href);
      for (const name of SECTIONS) {
        let browserJson: string;
        try {
          browserJson = await opened.page.evaluate((n) => (globalThis as any).__parity.compute(n), name);
        } catch (e) {
          throw new Error(`${name} threw in the ${c.name} app: ${e instanceof Error ? e.message : String(e)}\n${opened.log.errors.join('\n')}`);
        }
        const { numbers, diffs } = suite.compareWire(JSON.parse(nodeWire[name]), JSON.parse(browserJson));
        expect(diffs, `${name}: Node and the ${c.name} app differ`).toEqual([]);
        expect(numbers, `${name}: numbers compared`).toBeGreaterThan(10);
        expect(browserJson, name).toBe(nodeWire[name]);
      }
    });

    it(c.mode === 'files' ? 'fetched the copied .wasm files and worker' : 'used the inlined copies (the bundle has no files beside it)', () => {
      if (!opened) throw new Error('the app did not run (see the previous test)');
      const { responses, workers, errors } = opened.log;
      const wasm = responses.filter((r) => /\.wasm(\?|$)/.test(new URL(r.url).pathname + new URL(r.url).search));
      expect(workers.length, 'Web Workers started').toBeGreaterThan(0);
      if (c.mode === 'files') {
        expect(wasm.map((r) => [r.status, r.type]), wasm.map((r) => r.url).join(', ')).toEqual([
          [200, 'application/wasm'],
          [200, 'application/wasm'],
        ]);
        expect(workers.filter((u) => u.startsWith('blob:'))).toEqual([]);
        expect(responses.filter((r) => r.status >= 400)).toEqual([]);
        expect(errors).toEqual([]);
      } else {
        // Beside the bundle there is nothing: the two fetches fail, then the inlined copies serve.
        expect(wasm.map((r) => [relative('/', new URL(r.url).pathname), r.status]).sort()).toEqual([
          ['build/core.wasm', 404],
          ['cpp/dist/linalg.wasm', 404],
        ]);
        expect(workers.every((u) => u.startsWith('blob:')), workers.join(', ')).toBe(true);
        expect(errors.filter((e) => !e.includes('.wasm'))).toEqual([]);
      }
    });
  });
});
