// A seeded random orthogonal matrix for the sampler tests.
import { createRng } from '../../dist/bindings/index.node.js';

/** d × d orthogonal, row-major, column j = vector j: Gram–Schmidt (twice) of seeded normals. */
export function randomOrthogonal(d, seed) {
  const a = createRng(seed).fillNormal(new Float64Array(d * d));
  const q = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const v = new Float64Array(d);
    for (let i = 0; i < d; i++) v[i] = a[i * d + j];
    for (let pass = 0; pass < 2; pass++) {
      for (let l = 0; l < j; l++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += q[i * d + l] * v[i];
        for (let i = 0; i < d; i++) v[i] -= dot * q[i * d + l];
      }
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < d; i++) q[i * d + j] = v[i] / norm;
  }
  return q;
}
