// The app of test/bundlers.test.ts: an app that installed the packed gaussdiff imports it by its
// bare name, as any app would (named imports; no import map, no copied files, no bundler
// configuration). The page runs sections of the parity suite (test/browser/parity.js, copied next
// to this file by the test) on demand.
import { run, continuous, ablation, SCHEMES, INITS, initLinalg, eigvalsh, eigh } from 'gaussdiff';
import * as suite from './parity/browser/parity.js';

const api = { run, continuous, ablation, SCHEMES, INITS };
const linalg = { initLinalg, eigvalsh, eigh };

window.__parity = {
  status: 'ready',
  async compute(name) {
    return suite.wireJson(await suite.computeSection(name, { api, linalg }));
  },
};
