#!/usr/bin/env node
/**
 * `npm run web`: serve the repository root on 127.0.0.1 (loopback only, no network needed) and
 * print the explorer's address; `/` redirects to it.
 *
 *   node web/serve.js [--port N] [--no-build]
 *
 * --port N    default 8080; when 8080 is busy the next free port up to 8089 is taken (one line says
 *             so); a busy port given with --port is an error (one line, exit 1); 0 picks a free one.
 * --no-build  serve what is built, even if the sources are newer.
 *
 * Before serving, `npm run build` runs only when an output (build/core.wasm, dist/…) is missing or
 * older than its sources (assembly/, bindings/, bin/, asconfig.json, tsconfig.json).
 *
 * Every response carries the cross-origin isolation headers (COOP same-origin, COEP require-corp):
 * the page is then `crossOriginIsolated`, has SharedArrayBuffer, and the explorer's worker loads the
 * threaded eigensolver (cpp/dist/linalg-mt). Without them (a static host that does not set them)
 * the page runs the single-threaded build, with the same numbers.
 * Uses the same static server as the browser tests (correct MIME types for modules and .wasm).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../test/helpers/static-server.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The headers that make the page cross-origin isolated (SharedArrayBuffer, threads in WASM). */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/** The explorer's path on the server. */
export const EXPLORER_PATH = '/web/index.html';

export const DEFAULT_PORT = 8080;
/** Ports tried after a busy default port: 8081 … 8089. */
export const PORT_TRIES = 10;

/**
 * The explorer's server: the static server on `root` with the isolation headers (unless
 * `isolated: false`) and `/`, `/web`, `/web/` redirected to the explorer.
 * @returns the static server ({ url, port, log, close }) and `explorerUrl`
 */
export async function startExplorerServer({ root = ROOT, port = 0, isolated = true } = {}) {
  const redirects = Object.fromEntries(['/', '/web', '/web/'].map((p) => [p, EXPLORER_PATH]));
  const server = await startStaticServer({ root, port, headers: isolated ? ISOLATION_HEADERS : {}, redirects });
  return { ...server, explorerUrl: new URL(EXPLORER_PATH, server.url).href };
}

/**
 * Start on `port`, or, when it is busy and `tries` > 1, on the next ports. Resolves with the
 * server; rejects with the last EADDRINUSE error when all are busy.
 */
export async function listenFrom(port, tries = 1, options = {}) {
  for (let i = 0; ; i++) {
    try {
      return await startExplorerServer({ ...options, port: port + i });
    } catch (e) {
      if (e?.code !== 'EADDRINUSE' || i + 1 >= tries || port === 0) throw e;
    }
  }
}

function files(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

const mtime = (f) => statSync(f).mtimeMs;

/**
 * Why `npm run build` is needed, as short sentences (empty when every output is newer than its
 * sources): build/core.wasm against assembly/ and asconfig.json; each dist/ .js file against its
 * .ts source in bindings/ and bin/, and all of them against tsconfig.json and the .d.ts sources.
 */
export function staleOutputs(root = ROOT) {
  const reasons = [];
  const rel = (f) => relative(root, f).split('\\').join('/');
  const core = resolve(root, 'build/core.wasm');
  const asSources = [...files(resolve(root, 'assembly'), (n) => n.endsWith('.ts')), resolve(root, 'asconfig.json')].filter(existsSync);
  if (!existsSync(core)) reasons.push('build/core.wasm is missing');
  else {
    const newer = asSources.find((f) => mtime(f) > mtime(core));
    if (newer) reasons.push(`${rel(newer)} is newer than build/core.wasm`);
  }
  const tsSources = ['bindings', 'bin'].flatMap((d) => files(resolve(root, d), (n) => n.endsWith('.ts')));
  const shared = [...tsSources.filter((f) => f.endsWith('.d.ts')), resolve(root, 'tsconfig.json')].filter(existsSync);
  const newestShared = shared.reduce((a, f) => (a && mtime(a) >= mtime(f) ? a : f), undefined);
  for (const src of tsSources.filter((f) => !f.endsWith('.d.ts'))) {
    const out = resolve(root, 'dist', relative(root, src)).replace(/\.ts$/, '.js');
    if (!existsSync(out)) {
      reasons.push(`${rel(out)} is missing`);
      break;
    }
    const t = mtime(out);
    if (mtime(src) > t) {
      reasons.push(`${rel(src)} is newer than ${rel(out)}`);
      break;
    }
    if (newestShared && mtime(newestShared) > t) {
      reasons.push(`${rel(newestShared)} is newer than ${rel(out)}`);
      break;
    }
  }
  return reasons;
}

function runBuild() {
  // Under `npm run`, npm_execpath is npm's own script: run the same npm.
  const npm = process.env.npm_execpath;
  const r = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: ROOT, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  return r.status === 0;
}

async function main(argv) {
  const at = argv.indexOf('--port');
  const explicit = at >= 0;
  const port = explicit ? Number(argv[at + 1]) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`web/serve.js: --port must be an integer from 0 to 65535 (got ${argv[at + 1]})`);
    return 2;
  }
  if (!argv.includes('--no-build')) {
    const stale = staleOutputs();
    if (stale.length) {
      console.log(`web: building (${stale[0]})`);
      if (!runBuild()) {
        console.error('web/serve.js: npm run build failed');
        return 1;
      }
    } else {
      console.log('web: the build is up to date');
    }
  }
  for (const f of ['dist/bindings/index.browser.js', 'build/core.wasm']) {
    if (!existsSync(resolve(ROOT, f))) {
      console.error(`web/serve.js: ${f} is missing: run npm run build first`);
      return 1;
    }
  }
  let server;
  try {
    server = await listenFrom(port, explicit ? 1 : PORT_TRIES);
  } catch (e) {
    if (e?.code !== 'EADDRINUSE') throw e;
    console.error(explicit
      ? `web/serve.js: port ${port} is busy (another server is running there?); choose another with --port N, or --port 0 for any free port`
      : `web/serve.js: ports ${port}–${port + PORT_TRIES - 1} are busy; choose one with --port N, or --port 0 for any free port`);
    return 1;
  }
  if (server.port !== port && port !== 0) console.log(`web: port ${port} is busy; using ${server.port}`);
  console.log(`gaussdiff explorer: ${server.explorerUrl}  (Ctrl-C to stop)`);
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const code = await main(process.argv.slice(2));
  if (code !== undefined) process.exit(code);
}
