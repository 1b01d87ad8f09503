// Calling an exported function of the raw emscripten linalg glue (cpp/dist/linalg*.mjs) from a
// test: Float64 buffers allocated in WASM memory, inputs copied in, outputs copied out, everything
// freed whatever happens. Works for both builds: the threaded one's memory may grow on its second
// thread, so the heap view is taken afresh from the (shared) memory.
import { expect } from 'vitest';

const heap = (m) => new Float64Array(m.wasmMemory ? m.wasmMemory.buffer : m.HEAPF64.buffer);

/** m[fn](...scalarsBefore, ...pointers of inputs and outputs, ...scalarsAfter) must return 0. */
export function callGlue(m, fn, scalarsBefore, inputs, outSizes, scalarsAfter = []) {
  const ptrs = [];
  try {
    for (const x of inputs) ptrs.push(m._malloc(Math.max(8, x.length * 8)));
    for (const s of outSizes) ptrs.push(m._malloc(Math.max(8, s * 8)));
    inputs.forEach((x, i) => heap(m).set(x, ptrs[i] / 8));
    const status = m[fn](...scalarsBefore, ...ptrs, ...scalarsAfter);
    expect(status, `${fn} status`).toBe(0);
    return outSizes.map((s, i) => heap(m).slice(ptrs[inputs.length + i] / 8, ptrs[inputs.length + i] / 8 + s));
  } finally {
    for (const p of ptrs) m._free(p);
  }
}
