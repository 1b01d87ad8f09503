// The default start-up path: the Node entry point installs the asset reader, and initLinalg()
// without arguments reads cpp/dist/linalg.wasm through it.
import { expect, it } from 'vitest';
import '../dist/bindings/index.node.js';
import { eigvalsh, initLinalg } from '../dist/bindings/linalg/linalg.js';

it('initLinalg() loads cpp/dist/linalg.wasm through the Node entry point', async () => {
  await initLinalg();
  expect(Array.from(eigvalsh([[3]]))).toEqual([3]);
});
