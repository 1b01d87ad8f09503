// The parity suite (test/browser/parity.js) in a server-side runtime: Node, Deno or Bun run this
// same file, in a folder where the packed gaussdiff is installed (test/runtimes.test.ts copies it
// there, with the suite beside it), importing the package by its bare name as an app would.
//
//   <runtime> run-parity.js OUT.json SECTION...
//
// Writes { section: wire JSON } to OUT.json (test/browser/parity.js's lossless form), then exits:
// the ablation's idle worker threads must not keep a runtime alive.
import { writeFileSync } from 'node:fs';
import * as api from 'gaussdiff';
import * as suite from './parity/browser/parity.js';

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const [out, ...sections] = args;
const results = {};
for (const name of sections) results[name] = suite.wireJson(await suite.computeSection(name, { api, linalg: api }));
writeFileSync(out, JSON.stringify({ linalgThreads: api.linalgThreads(), results }));
if (globalThis.Deno) globalThis.Deno.exit(0);
else process.exit(0);
