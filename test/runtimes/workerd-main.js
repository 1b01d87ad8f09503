// The parity suite (test/browser/parity.js) in Cloudflare's workerd, as a Worker would use the
// package: this module is bundled by esbuild with the packed gaussdiff (conditions workerd, worker,
// browser: the package's browser entry) and served by workerd; each request runs one section.
//
// workerd compiles no WebAssembly at run time ("Wasm code generation disallowed by embedder"):
// the .wasm files are modules of the Worker, imported as compiled WebAssembly.Module objects
// (esbuild --loader:.wasm=copy keeps these imports; wrangler does the same) and passed to init().
import * as api from 'gaussdiff';
import core from 'gaussdiff/core.wasm';
import linalg from 'gaussdiff/linalg.wasm';
import * as suite from './parity/browser/parity.js';

export default {
  async fetch(request) {
    const name = new URL(request.url).searchParams.get('section');
    try {
      await api.init(core, linalg);
      return new Response(suite.wireJson(await suite.computeSection(name, { api, linalg: api })));
    } catch (e) {
      return new Response(`${name}: ${e instanceof Error ? e.stack : String(e)}`, { status: 500 });
    }
  },
};
