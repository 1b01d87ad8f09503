/**
 * A tiny static file server for browser tests: serves one folder (the repo root) on 127.0.0.1
 * with an ephemeral port, GET/HEAD only, with the MIME types browsers insist on for ES modules
 * (text/javascript) and WebAssembly streaming (application/wasm), `nosniff` so a wrong type fails
 * here as it would on a real server, and no caching. Every request is logged (method, path,
 * status) so a test can show what the page asked for when something does not load.
 *
 *   const server = await startStaticServer({ root });
 *   server.url            // 'http://127.0.0.1:PORT/'
 *   server.log            // [{ method, path, status, type }]
 *   await server.close(); // also drops keep-alive connections
 *
 * web/serve.js (`npm run web`) adds response headers (cross-origin isolation) and redirects
 * (`/` → the explorer) through the `headers` and `redirects` options.
 */
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.npy': 'application/octet-stream',
};

/**
 * @param {{ root: string, host?: string, port?: number, headers?: Record<string, string>, redirects?: Record<string, string> }} options
 *   host must be a loopback address (default 127.0.0.1); port 0 (default) picks a free one;
 *   headers are added to every response; redirects maps a request path to a Location (302).
 * @returns {Promise<{ url: string, port: number, log: {method: string, path: string, status: number, type?: string}[], close(): Promise<void> }>}
 */
export async function startStaticServer({ root, host = '127.0.0.1', port = 0, headers: extra = {}, redirects = {} }) {
  if (!['127.0.0.1', '::1', 'localhost'].includes(host)) {
    throw new Error(`static-server: refusing to listen on ${host}; loopback only`);
  }
  const base = resolve(root);
  const log = [];

  const server = createServer(async (req, res) => {
    const entry = { method: req.method ?? '', path: req.url ?? '', status: 0 };
    log.push(entry);
    const send = (status, body, headers = {}) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra, ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n', { allow: 'GET, HEAD' });
      let pathname;
      try {
        pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
      } catch {
        return send(400, 'bad request\n');
      }
      if (pathname.includes('\0')) return send(400, 'bad request\n');
      if (Object.hasOwn(redirects, pathname)) return send(302, `see ${redirects[pathname]}\n`, { location: redirects[pathname] });
      const file = resolve(base, `.${pathname}`);
      if (file !== base && !file.startsWith(base + sep)) return send(403, 'forbidden\n');
      let info;
      try {
        info = await stat(file);
      } catch {
        return send(404, `not found: ${pathname}\n`);
      }
      if (!info.isFile()) return send(404, `not a file: ${pathname}\n`);
      const type = MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      entry.status = 200;
      entry.type = type;
      res.writeHead(200, {
        'content-type': type,
        'content-length': info.size,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        ...extra,
      });
      if (req.method === 'HEAD') return res.end();
      const stream = createReadStream(file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch (e) {
      if (!res.headersSent) send(500, `internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      else res.destroy();
    }
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok(undefined);
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('static-server: no TCP address');
  const hostInUrl = address.family === 'IPv6' || address.family === 6 ? `[${address.address}]` : address.address;

  let closing;
  return {
    url: `http://${hostInUrl}:${address.port}/`,
    port: address.port,
    log,
    close() {
      closing ??= new Promise((ok) => {
        server.close(() => ok(undefined));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
