// The paper's data, committed as fixtures (test/fixtures/data/README.md gives their source).
// The one place tests and benchmarks find them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of test/fixtures/data/ (ends with a separator). */
export const DATA_DIR = fileURLToPath(new URL('../fixtures/data/', import.meta.url));

/** The bytes of one data file: 'cifar10.npy', 'ADSN.npy' or 'fabric.png'. */
export function readData(name) {
  return new Uint8Array(readFileSync(DATA_DIR + name));
}
