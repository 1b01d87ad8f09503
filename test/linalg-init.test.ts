// Start-up of the linalg module: use before init, failed init and retry, a compiled
// WebAssembly.Module as input, and one shared promise. (Own file: module state is per test file.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eigvalsh, initLinalg } from '../dist/bindings/linalg/linalg.js';

const wasm = new Uint8Array(readFileSync(new URL('../cpp/dist/linalg.wasm', import.meta.url)));

describe('initLinalg', () => {
  it('functions called before initialisation throw an Error that says to await initLinalg()', () => {
    expect(() => eigvalsh([[1]])).toThrow(/eigvalsh\(\) called before initLinalg\(\) finished/);
  });

  it('rejects bad bytes with an Error and can be retried', async () => {
    await expect(initLinalg(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]))).rejects.toThrow(
      /could not instantiate the linalg WebAssembly module/,
    );
    await expect(initLinalg('nope' as unknown as Uint8Array)).rejects.toThrow(TypeError);
    // A compiled module is accepted; calls after the first return the same promise.
    const p = initLinalg(new WebAssembly.Module(wasm));
    expect(initLinalg()).toBe(p);
    await p;
    expect(Array.from(eigvalsh([[2, 0], [0, 1]]))).toEqual([1, 2]);
  });
});
