/** The paper's grid (docs/MATH.md §4): K steps uniform in t from T down to ε. */
import type { SchedulerSpec } from './types.js';
import { badValue } from '../runtime/errors.js';

export const spec: SchedulerSpec = {
  id: 'uniform',
  label: 'uniform in t',
  source: 'Pierret & Galerne 2025 §4 (numpy.linspace(T, ε, K + 1))',
  processes: ['vp'],
  params: [{ name: 'eps', type: 'number', default: 0, min: 0, doc: 'truncation time ε ∈ [0, T)' }],
  /** t_k = T − (T − ε) k / K, the last point ε exactly (as numpy.linspace; same arithmetic as the core's gridTime). */
  build(K, { eps }, { T }) {
    if (!(eps < T)) throw badValue('schedulerParams.eps', eps, `in [0, T) with T = ${T}`);
    const t = new Float64Array(K + 1);
    for (let k = 0; k <= K; k++) t[k] = k === K ? eps : T - (T - eps) * k / K;
    return t;
  },
  /** h = (T − ε)/K for every step (docs/MATH.md §4). */
  stepSizes(K, { eps }, { T }) {
    return new Float64Array(K).fill((T - eps) / K);
  },
};
