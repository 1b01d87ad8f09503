/**
 * The Node/browser parity suite, shared VERBATIM by both sides: test/browser.test.ts imports it in
 * Node with the package's `node` entry, test/browser/parity.html imports it in Chromium with the
 * `browser` entry. Each section gets the same context and returns plain data, which both sides
 * put through `toWire` (lossless JSON: -0, NaN, ±Infinity, typed arrays and undefined survive)
 * so the test can compare every number with Object.is.
 *
 * Plain ESM, no imports: this file must load unchanged in a browser and in Node.
 *
 * To add a check: add a section to SECTIONS. `needs` lists the optional modules it uses
 * (currently only 'linalg'); the test runs a section in both places, and skips it, visibly, only
 * when a module it needs is not built.
 */

export const SEED = 0x9e3779b9;

import { mulberry32 } from '../helpers/mulberry32.js';

export { mulberry32 };

/**
 * A synthetic covariance spectrum of n eigenvalues: u³·scale with u uniform on a 2^-32 grid
 * (exactly rounded ops only, so identical in every engine), a decade-spread scale, ~2% exact
 * zeros and ~5% exact duplicates (to exercise grouping), in shuffled order.
 */
export function syntheticSpectrum(n, seed = SEED) {
  const next = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = next();
    if (r % 50 === 0) out[i] = 0;
    else if (i > 0 && r % 20 === 1) out[i] = out[next() % i];
    else {
      const u = next() / 4294967296;
      const scale = [0.01, 0.1, 1, 10][r % 4];
      out[i] = u * u * u * scale;
    }
  }
  return out;
}

/** A seeded symmetric n×n matrix, row-major: (G + Gᵀ)/2, G uniform in [-1, 1) (exact ops only). */
export function seededSymmetric(n, seed = SEED) {
  const next = mulberry32(seed);
  const g = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) g[k] = next() / 2147483648 - 1;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (g[i * n + j] + g[j * n + i]) / 2;
  return a;
}

/** Small spectrum with a zero eigenvalue (ε = 0 makes heun/rk4 divide by it → null) and duplicates. */
export const SMALL = Object.freeze([0, 0, 1e-4, 0.5, 1, 1, 2, 4, 9.5]);
export const SYNTHETIC_SIZE = 3000;

/** A bad call: what was thrown, described the same way in both realms. */
async function outcome(fn) {
  try {
    const value = await fn();
    return { threw: false, value };
  } catch (e) {
    if (!(e instanceof Error)) return { threw: true, nonError: String(e) };
    return {
      threw: true,
      name: e.name,
      ctor: e.constructor?.name ?? null,
      isTypeError: e instanceof TypeError,
      isRangeError: e instanceof RangeError,
      message: e.message,
    };
  }
}

/** Every section: ctx = { api, linalg? } → plain data. */
export const SECTIONS = {
  run: {
    needs: [],
    async compute({ api }) {
      const synthetic = syntheticSpectrum(SYNTHETIC_SIZE);
      const configs = [
        { label: 'small/default schedule/eps 0', spectrum: SMALL, options: { steps: 50, eps: 0, alpha: 1, variances: true } },
        {
          label: 'small/beta 0.1..20/eps 1e-3',
          spectrum: SMALL,
          options: { steps: 100, eps: 1e-3, alpha: 0.5, betaMin: 0.1, betaMax: 20, T: 1 },
        },
        {
          label: 'small/T 2/eps 1e-5/alpha 0',
          spectrum: Float64Array.from(SMALL),
          options: { steps: 64, eps: 1e-5, alpha: 0, betaMin: 0.05, betaMax: 10, T: 2 },
        },
        { label: 'synthetic/default/eps 1e-4', spectrum: synthetic, options: { steps: 120, eps: 1e-4, alpha: 0.25 } },
        { label: 'synthetic/default/eps 0', spectrum: synthetic, options: { steps: 40, eps: 0 } },
      ];
      const out = [];
      for (const { label, spectrum, options } of configs) {
        for (const scheme of api.SCHEMES) {
          for (const init of api.INITS) {
            out.push({ label, scheme, init, result: await api.run(spectrum, { ...options, scheme, init }) });
          }
        }
      }
      // Defaults only (scheme em, 1000 steps, N0, eps 0).
      out.push({ label: 'small/all defaults', result: await api.run(SMALL) });
      return out;
    },
  },

  continuous: {
    needs: [],
    async compute({ api }) {
      const synthetic = syntheticSpectrum(SYNTHETIC_SIZE);
      const out = [];
      for (const [name, spectrum] of [['small', SMALL], ['synthetic', synthetic]]) {
        for (const schedule of [{}, { betaMin: 0.1, betaMax: 20, T: 1.5 }]) {
          for (const eps of [0, 1e-5, 1e-3]) {
            for (const alpha of [0, 0.5, 1]) {
              for (const init of api.INITS) {
                out.push({ name, schedule, result: await api.continuous(spectrum, { ...schedule, eps, alpha, init }) });
              }
            }
          }
        }
      }
      return out;
    },
  },

  // The ablation on this thread (threads: 1; older builds ignore the option): the numbers.
  ablation: {
    needs: [],
    async compute({ api }) {
      const synthetic = syntheticSpectrum(SYNTHETIC_SIZE);
      const progress = [];
      const paper = await api.ablation(synthetic, {
        paper: true,
        threads: 1,
        onProgress: (done, total) => progress.push([done, total]),
      });
      const honest = await api.ablation(synthetic, {
        schemes: api.SCHEMES,
        nfe: [40, 120],
        eps: [0, 1e-3],
        alpha: 0.5,
        betaMin: 0.1,
        betaMax: 12,
        threads: 1,
      });
      return { paper, progress, honest, spectrumSum: synthetic.reduce((s, x) => s + x, 0) };
    },
  },

  // The ablation exactly as a user calls it, default options: where the entry installs a worker
  // platform (Node worker_threads, browser module Workers) the passes run in workers. Only the
  // last progress call is kept: with several workers the order of the calls is not fixed.
  'ablation (default threads)': {
    needs: [],
    async compute({ api }) {
      const synthetic = syntheticSpectrum(SYNTHETIC_SIZE);
      let last = null;
      // Small grids run on one thread by default; a large one (≥ WORKER_MIN_WORK values × steps)
      // and an explicit threads: 2 use the worker threads (Web Workers in the page).
      const paper = await api.ablation(synthetic, { paper: true, onProgress: (done, total) => (last = [done, total]) });
      const workers = await api.ablation(synthetic, { paper: true, threads: 2 });
      const large = syntheticSpectrum(40000);
      const big = await api.ablation(large, { paper: true, nfe: [1000] }); // 40000 × 4 × 1248 ≈ 2e8
      return { paper, last, workers, big: { threads: big.threads, cells: big.cells } };
    },
  },

  // The built-in example spectrum (CLI and explorer default): the same bits on every engine.
  examples: {
    needs: [],
    async compute({ api }) {
      return { synthetic: api.syntheticSpectrum(), small: api.syntheticSpectrum(50, 3, 2.5), other: api.syntheticSpectrum(20, 1, 2) };
    },
  },

  errors: {
    needs: [],
    async compute({ api }) {
      const S = SMALL;
      const cases = {
        'spectrum is a string': () => api.run('1, 2, 3'),
        'spectrum is empty': () => api.run([]),
        'spectrum has NaN': () => api.run([1, NaN]),
        'spectrum has a string': () => api.run([1, '2']),
        'spectrum is negative': () => api.continuous([1, -0.5]),
        'unknown scheme': () => api.run(S, { scheme: 'leapfrog' }),
        'steps 0': () => api.run(S, { steps: 0 }),
        'steps 2.5': () => api.run(S, { steps: 2.5 }),
        'steps "10"': () => api.run(S, { steps: '10' }),
        'steps 2^31': () => api.run(S, { steps: 2 ** 31 }),
        'eps = T': () => api.run(S, { eps: 1 }),
        'eps -0.1': () => api.continuous(S, { eps: -0.1 }),
        'ddpm too few steps': () => api.run(S, { scheme: 'ddpm', steps: 5, eps: 1e-3 }),
        'bad init': () => api.run(S, { init: 'N1' }),
        'alpha -1': () => api.run(S, { scheme: 'em-alpha', alpha: -1 }),
        'alpha NaN': () => api.continuous(S, { alpha: NaN }),
        'betaMax < betaMin': () => api.run(S, { betaMin: 2, betaMax: 1 }),
        'T 0': () => api.continuous(S, { T: 0 }),
        'betaMax Infinity': () => api.run(S, { betaMax: Infinity }),
        'ablation nfe too small for rk4 (paper)': () => api.ablation(S, { paper: true, nfe: [4] }),
        'ablation schemes empty': () => api.ablation(S, { schemes: [] }),
        'ablation schemes not an array': () => api.ablation(S, { schemes: 'em' }),
        'ablation eps out of range': () => api.ablation(S, { eps: [0, 2] }),
        'ablation ddpm nfe too small': () => api.ablation(S, { nfe: [10] }),
      };
      const out = {};
      for (const [name, fn] of Object.entries(cases)) out[name] = await outcome(fn);
      // After all those failures the core still works, and gives the same numbers.
      out['usable afterwards'] = await outcome(() => api.run(S, { scheme: 'rk4', steps: 30, eps: 1e-3 }));
      return out;
    },
  },

  // The practitioner's ablation: every registry sampler of the edm model (own-grid ones in their
  // 'own' row) × step counts, a start and parameters; and its up-front validation errors. (Grids
  // with exp/log/pow are compared bit for bit in the `grids` section.)
  compare: {
    needs: [],
    async compute({ api }) {
      const synthetic = syntheticSpectrum(SYNTHETIC_SIZE);
      const samplers = Object.keys(api.SAMPLER_REGISTRY).filter((s) => api.SAMPLER_REGISTRY[s].processes.includes('edm') && !api.SAMPLER_REGISTRY[s].ownGrid);
      const all = await api.compare(synthetic, { samplers, schedulers: ['linear_quadratic'], steps: [5, 12], model: 'edm' });
      const exact = await api.compare(SMALL, { samplers: ['euler', 'dpmpp_2m'], schedulers: ['linear_quadratic'], steps: [7], start: 'exact', params: { s_churn: 1 } });
      const errors = {};
      errors['unknown sampler'] = await outcome(() => api.compare(SMALL, { samplers: ['leapfrog'], steps: [3] }));
      errors['scheduler of another model'] = await outcome(() => api.compare(SMALL, { samplers: ['euler'], schedulers: ['time_uniform'], steps: [3] }));
      errors['steps 0'] = await outcome(() => api.compare(SMALL, { samplers: ['euler'], steps: [0] }));
      return { all, exact, errors };
    },
  },

  // Every grid built in JavaScript with exp/log/pow/tan/… (karras, exponential, polyexponential,
  // vp, kl_optimal, beta, align_your_steps, the processes' σ(t) and t(σ) behind dpm_solver's
  // grids, the samplers' own grids): bindings/runtime/detmath.ts computes them in IEEE arithmetic
  // only, so they and the runs on them are the same bits in every engine (docs/ARCHITECTURE.md,
  // "Determinism across runtimes"). Math.exp & co. differ in the last bit between Node 20's V8 and
  // Chromium's for ~10 % of such values (measured).
  grids: {
    needs: [],
    async compute({ api }) {
      const synthetic = syntheticSpectrum(SYNTHETIC_SIZE);
      const builders = [];
      for (const [id, spec] of Object.entries(api.SCHEDULERS)) {
        for (const model of spec.processes) {
          for (const steps of [3, 10, 37]) builders.push({ id, model, steps, grid: await outcome(() => api.sigmas({ scheduler: id, steps, model })) });
        }
      }
      const own = [];
      const ownCases = (id, spec) => {
        const steps = spec.stepsParam ? { [spec.stepsParam]: 7 } : {};
        if (id === 'dpm_solver') return ['time_uniform', 'logSNR', 'time_quadratic'].flatMap((skip_type) => [1, 2, 3].map((order) => ({ ...steps, skip_type, order })));
        if (id === 'edm_ablation') return ['vp', 've', 'iddpm', 'edm'].map((discretization) => ({ ...steps, discretization }));
        return [steps];
      };
      for (const [id, spec] of Object.entries(api.SAMPLER_REGISTRY)) {
        if (!spec.ownGrid) continue;
        for (const model of spec.processes) {
          for (const params of ownCases(id, spec)) own.push({ id, model, params, result: await outcome(() => api.run(SMALL, { sampler: id, model, params })) });
        }
      }
      const runs = [];
      const pairs = [['heun', 'karras', 'edm'], ['euler_ancestral', 'exponential', 'edm'], ['dpmpp_2m', 'polyexponential', 'edm'], ['dpmpp_2m_sde', 'kl_optimal', 'edm'], ['lms', 'align_your_steps', 'edm']];
      for (const [sampler, scheduler, model] of pairs) {
        runs.push({ sampler, scheduler, model, result: await outcome(() => api.run(synthetic, { sampler, scheduler, steps: 12, model })) });
      }
      // beta's grid is for sd/ddpm-linear/rf: run euler on its σ's as a given grid.
      const beta = api.sigmas({ scheduler: 'beta', steps: 12, model: 'sd' }).sigmas;
      runs.push({ sampler: 'euler', scheduler: 'beta (sd) as sigmas', result: await outcome(() => api.run(synthetic, { sampler: 'euler', sigmas: beta, model: 'edm' })) });
      const compare = await outcome(() => api.compare(SMALL, { samplers: ['heun', 'dpmpp_2m', 'dpm_fast'], schedulers: ['karras', 'exponential'], steps: [5, 9], model: 'edm' }));
      return { builders, own, runs, compare };
    },
  },

  // A wrong score of any covariance Σ̂ (not commuting with the data's Σ): compare(null, { cov,
  // scoreCov, … }) with means (data coordinates) and KL; the dense work in the Eigen module
  // (threaded in Node, single-threaded here), the same bits; and its errors.
  scoreCov: {
    needs: [],
    async compute({ api }) {
      const cov = [[2, 0.3, 0, 0.1], [0.3, 1, 0.2, 0], [0, 0.2, 0.5, 0.05], [0.1, 0, 0.05, 0.3]];
      const scoreCov = [[1.8, -0.2, 0.1, 0], [-0.2, 1.2, 0, 0.1], [0.1, 0, 0.6, 0], [0, 0.1, 0, 0.25]];
      const base = { samplers: ['euler', 'heun', 'dpmpp_2m', 'dpm_fast'], schedulers: ['linear_quadratic'], steps: [4, 9], model: 'edm', cov, scoreCov };
      const out = {};
      for (const start of ['prior', 'exact']) {
        out[`w2 ${start}`] = await api.compare(null, { ...base, start });
        out[`both ${start}`] = await api.compare(null, { ...base, start, metric: 'both', mean: [0.5, -0.2, 0.1, 0.3], scoreMean: [0.4, 0, 0.1, 0.2] });
      }
      out['size'] = await outcome(() => api.compare(null, { ...base, scoreCov: [[1, 0], [0, 1]] }));
      out['not PSD'] = await outcome(() => api.compare(null, { ...base, scoreCov: [[1, 2, 0, 0], [2, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]] }));
      return out;
    },
  },

  linalg: {
    needs: ['linalg'],
    async compute({ linalg }) {
      await linalg.initLinalg();
      const out = {};
      for (const n of [1, 2, 7, 48]) {
        out[`eigvalsh seeded ${n}×${n}`] = linalg.eigvalsh(seededSymmetric(n, SEED + n), n);
      }
      // Large enough for every two-part product of cpp/src/parallel.h to take its second thread in
      // Node's threaded build (symv from order 384, updates and Q from 192); Chromium runs the
      // single-threaded build, so equality here is the builds' bit-identity.
      out['eigvalsh seeded 1100×1100'] = linalg.eigvalsh(seededSymmetric(1100, SEED + 1100), 1100);
      out['eigh seeded 300×300'] = linalg.eigh(seededSymmetric(300, SEED + 300), 300);
      out['eigvalsh rows [[2,1],[1,2]]'] = linalg.eigvalsh([[2, 1], [1, 2]]);
      out['eigvalsh asymmetric'] = await outcome(() => linalg.eigvalsh([[1, 2], [3, 4]]));
      out['eigvalsh not square'] = await outcome(() => linalg.eigvalsh([1, 2, 3]));
      out['eigvalsh NaN entry'] = await outcome(() => linalg.eigvalsh([[1, NaN], [NaN, 1]]));
      return out;
    },
  },
};

export async function computeSection(name, ctx) {
  const section = SECTIONS[name];
  if (!section) throw new Error(`parity: no section ${JSON.stringify(name)}`);
  for (const need of section.needs) {
    if (!ctx[need]) throw new Error(`parity: section ${name} needs ${need}, which was not loaded`);
  }
  return section.compute(ctx);
}

/**
 * Lossless JSON-safe form: finite numbers stay numbers (JSON round-trips them exactly); -0, NaN,
 * ±Infinity, undefined, typed arrays and bigint become tagged objects.
 */
export function toWire(value) {
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return { $num: '-0' };
    if (!Number.isFinite(value)) return { $num: String(value) };
    return value;
  }
  if (value === undefined) return { $undefined: true };
  if (typeof value === 'bigint') return { $bigint: String(value) };
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return { $typed: value.constructor.name, values: Array.from(value, toWire) };
  }
  if (Array.isArray(value)) return value.map(toWire);
  const out = {};
  for (const key of Object.keys(value).sort()) out[key] = toWire(value[key]);
  return out;
}

/** Section result → JSON text (what crosses from the page to the test). */
export function wireJson(value) {
  return JSON.stringify(toWire(value));
}

/**
 * Compare two wire trees. Numbers with Object.is, everything else strictly; returns the numbers
 * compared and up to `limit` differences as 'path: node … browser …'.
 */
export function compareWire(a, b, limit = 25) {
  const diffs = [];
  let numbers = 0;
  let nulls = 0;
  const show = (v) => (typeof v === 'object' && v !== null ? JSON.stringify(v).slice(0, 120) : String(v));
  const walk = (x, y, path) => {
    if (diffs.length >= limit) return;
    if (typeof x === 'number' && typeof y === 'number') {
      numbers++;
      if (!Object.is(x, y)) diffs.push(`${path}: node ${x} ≠ browser ${y}`);
      return;
    }
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') {
      if (x === null && y === null) nulls++;
      if (!Object.is(x, y)) diffs.push(`${path}: node ${show(x)} ≠ browser ${show(y)}`);
      return;
    }
    if (Array.isArray(x) !== Array.isArray(y)) {
      diffs.push(`${path}: node ${show(x)} ≠ browser ${show(y)}`);
      return;
    }
    if (Array.isArray(x)) {
      if (x.length !== y.length) diffs.push(`${path}.length: node ${x.length} ≠ browser ${y.length}`);
      for (let i = 0; i < Math.min(x.length, y.length); i++) walk(x[i], y[i], `${path}[${i}]`);
      return;
    }
    const kx = Object.keys(x).sort();
    const ky = Object.keys(y).sort();
    if (kx.join('\u0000') !== ky.join('\u0000')) diffs.push(`${path}: keys node [${kx}] ≠ browser [${ky}]`);
    for (const k of kx) if (k in y) walk(x[k], y[k], `${path}.${k}`);
  };
  walk(a, b, '$');
  return { numbers, nulls, diffs };
}
