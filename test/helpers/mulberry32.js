// mulberry32: a tiny seeded generator (integer operations only, so every engine gives the same
// bits). The one copy shared by the tests, the browser parity page, fixtures and benchmarks.

/** uint32 seed → function returning the next uint32 of the stream. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
