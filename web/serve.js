#!/usr/bin/env node
/**
 * `npm run web`: serve the repository root on 127.0.0.1 (loopback only, no network needed) and
 * print the explorer's address. Options: --port N (default 8080; 0 picks a free one).
 * Uses the same static server as the browser tests (correct MIME types for modules and .wasm).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { startStaticServer } from '../test/helpers/static-server.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--port');
const port = at > 0 ? Number(process.argv[at + 1]) : 8080;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`web/serve.js: --port must be an integer from 0 to 65535 (got ${process.argv[at + 1]})`);
  process.exit(2);
}
for (const f of ['dist/bindings/index.browser.js', 'build/core.wasm']) {
  if (!existsSync(resolve(ROOT, f))) {
    console.error(`web/serve.js: ${f} is missing: run npm run build first`);
    process.exit(1);
  }
}
const server = await startStaticServer({ root: ROOT, port });
console.log(`gaussdiff explorer: ${server.url}web/index.html  (Ctrl-C to stop)`);
const stop = () => server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
