// Every exported function of the Node entry point, called with a wrong argument in each position
// (null, a string, a number, an object, an array, a boolean, NaN) while the others are valid:
// it must throw (or reject with) a TypeError or RangeError whose message names the argument —
// never "Cannot read properties of null", an engine error about a typed-array length, or a NaN
// result. A new export must get a row here (the last test checks that the table is complete).
import { describe, expect, it, beforeAll } from 'vitest';
import * as main from '../dist/bindings/index.node.js';
import * as figures from '../dist/bindings/figures.node.js';

/** Both public entries: `gaussdiff` and `gaussdiff/figures`. */
const api = { ...main, ...figures };

const { init, adsnSpectrumSync, encodePng, toNpy } = api;

const identity = [[1, 0], [0, 1]];
const image = { width: 4, height: 4, data: Float64Array.from({ length: 48 }, (_, i) => ((i * 37) % 17) / 17) };
let model: ReturnType<typeof adsnSpectrumSync>;
let png: Uint8Array;
let npy: Uint8Array;
let figure: Awaited<ReturnType<typeof api.figureEigenData>>;
const csv = new TextEncoder().encode('1,0\n0,1\n');
const report = () => ({
  title: 't', source: 's', summary: api.spectrumSummary([1, 2]), tableMarkdown: 'caption\n\n| a |\n|---|\n| 1 |',
  figures: [], settings: {},
});

/** Valid arguments of every exported function (a getter: some need the started core). */
const VALID: Record<string, () => unknown[]> = {
  ablation: () => [[1, 2], { nfe: [10], eps: [0], schemes: ['em'] }],
  ablationSync: () => [[1, 2], { nfe: [10], eps: [0], schemes: ['em'] }],
  adsnSample: () => [model, { n: 1, seed: 1 }],
  adsnSampleSync: () => [model, { n: 1, seed: 1 }],
  adsnSpectrum: () => [image, 'image'],
  adsnSpectrumSync: () => [image, 'image'],
  compare: () => [[1, 2], { samplers: ['euler', 'dpm_fast'], schedulers: ['karras'], steps: [3] }],
  compareSync: () => [[1, 2], { samplers: ['euler', 'dpm_fast'], schedulers: ['karras'], steps: [3] }],
  ownGridStepsParam: () => ['dpm_fast'],
  planCompare: () => [{ samplers: ['euler', 'dpm_fast'], schedulers: ['karras'], steps: [3] }],
  configureHost: () => [{}],
  continuous: () => [[1, 2], { eps: 0 }],
  continuousSync: () => [[1, 2], { eps: 0 }],
  continuousErrorMatrix: () => [identity, identity, { eps: 0 }],
  covariance: () => [Float64Array.of(0, 0, 2, 2), 2, 2, { ddof: 1 }],
  createRng: () => [1],
  datasetGaussian: () => ['mnist'],
  datasetSpectrum: () => ['mnist'],
  decodePng: () => [png, 'png'],
  escapeHtml: () => ['<a>'],
  formatDistance: () => [0.5],
  inlineSvg: () => ['<svg xmlns="http://www.w3.org/2000/svg"></svg>'],
  renderAblation: () => [{ cells: [], continuous: [], paper: false }, 'md', { spectrum: 's' }],
  renderCompare: () => [{ model: 'edm', start: 'prior', cells: [{ sampler: 'euler', scheduler: 'karras', steps: 2, nfe: 2, w2: 0.5 }] }, 'md', {}],
  renderRun: () => [{ scheme: 'em', steps: 2, nfe: 2, eps: 0, init: 'pT', w2: 0.5, times: [1, 0.5, 0], trajectory: [0, 0, 0.5] }, 'json', {}],
  sampleSpectrum: () => [Float64Array.of(1, 2, 3, 5), 2, 2],
  defaultPsdTolerance: () => [3],
  denseBasis: () => [Float64Array.of(1, 0, 0, 1), 2],
  eigenMoments: () => [Float64Array.of(1, 2, 3, 4), 2, identity],
  eigh: () => [identity, 2],
  eigvalsh: () => [identity, 2],
  empiricalW2: () => [Float64Array.of(1, 2, 3, 4), 2, identity, {}],
  encodePng: () => [image],
  fft2: () => [Float64Array.of(1, 2, 3, 4), undefined, 2, 2, {}],
  fft2Sync: () => [Float64Array.of(1, 2, 3, 4), undefined, 2, 2, {}],
  figureCsv: () => [figure],
  figureEigen: () => [{ points: 3, eigenEps: [0], schemes: ['em'], nfe: 10 }],
  figureEigenData: () => [{ points: 3, eigenEps: [0], schemes: ['em'], nfe: 10 }],
  checkFigureCommon: () => [{ schemes: ['em'], nfe: 10 }],
  resolveFigureMetric: () => [{ metric: 'kl', kl: 'reverse' }],
  figureEps: () => [[1, 2], { epsList: [1e-3], schemes: ['em'], nfe: 10 }],
  figureEpsData: () => [[1, 2], { epsList: [1e-3], schemes: ['em'], nfe: 10 }],
  figureNfe: () => [[1, 2], { samplers: ['euler', 'dpm_fast'], steps: [3] }],
  figureNfeData: () => [[1, 2], { samplers: ['euler', 'dpm_fast'], steps: [3] }],
  nfeFigureOf: () => [{ model: 'edm', start: 'prior', params: {}, cells: [{ sampler: 'euler', scheduler: 'karras', steps: 2, nfe: 2, w2: 0.5 }] }],
  figureSamplerEigen: () => [{ samplers: ['euler'], steps: 3, points: 3 }],
  figureSamplerEigenData: () => [{ samplers: ['euler'], steps: 3, points: 3 }],
  figureSteps: () => ['em', 50],
  figureTime: () => [[1, 2], { schemes: ['em'], nfe: 10, continuousPoints: 3 }],
  figureTimeData: () => [[1, 2], { schemes: ['em'], nfe: 10, continuousPoints: 3 }],
  formatLogTick: () => [10],
  frechetDistance: () => [Float64Array.of(1, 2, 3, 4), 2, Float64Array.of(1, 2, 3, 5), 2, 2],
  logFdlibm: () => [2],
  logGrid: () => [1, 10, 3],
  markdownTableToHtml: () => ['| a |\n|---|\n| 1 |'],
  matrixFromFile: () => [csv, 'a.csv'],
  sigmas: () => [{ scheduler: 'karras', steps: 3, model: 'sd' }],
  parseDelimited: () => ['1,2', 'text'],
  parseJsonArray: () => ['[1, 2]', 'json'],
  parseNpy: () => [npy, 'npy'],
  parseNumericFile: () => [csv, 'a.csv'],
  periodicComponentSync: () => [image],
  prepareSpectrum: () => [[1, 2], 'spectrum'],
  renderFigure: () => [figure, {}],
  reportHtml: () => [report()],
  reportMarkdown: () => [report()],
  resolveModel: () => [identity, 'model'],
  resolveSchedule: () => [{}],
  run: () => [[1, 2], { steps: 3 }],
  runSync: () => [[1, 2], { steps: 3 }],
  runSampler: () => [[1, 2], { sampler: 'dpmpp_2m', steps: 3 }],
  runSamplerSync: () => [[1, 2], { sampler: 'dpmpp_2m', steps: 3 }],
  resolveSamplerRun: () => [{ sampler: 'dpmpp_2m', steps: 3 }],
  tune: () => [[1, 2], { sampler: 'euler', steps: 3, maxIterations: 2 }],
  tuneSync: () => [[1, 2], { sampler: 'euler', steps: 3, maxIterations: 2 }],
  gridGradientSync: () => [[1, 2], { sampler: 'euler', grid: [80, 1, 0.1, 0] }],
  interpolateGrid: () => [[80, 1, 0.1, 0], 5, { model: 'edm' }],
  getSampler: () => ['sampler', 'dpmpp_2m'],
  getProcess: () => ['vp'],
  getScheduler: () => ['karras'],
  sampleGaussian: () => [identity, 2, { seed: 1 }],
  sampleGaussianSync: () => [identity, 2, { seed: 1 }],
  sampleScheme: () => [identity, { n: 2, seed: 1, steps: 3 }],
  sampleSchemeSync: () => [identity, { n: 2, seed: 1, steps: 3 }],
  sampleTexture: () => [model, { n: 1, seed: 1, steps: 3, eps: 0.01 }],
  sampleTextureSync: () => [model, { n: 1, seed: 1, steps: 3, eps: 0.01 }],
  spectrumFromCovariance: () => [identity, 2, {}],
  spectrumSummary: () => [[1, 2]],
  stepsForNfe: () => ['em', 50, false],
  syntheticSpectrum: () => [10, 200, 1.5],
  textureEigenModel: () => [model],
  textureEmpiricalW2: () => [model, [image.data]],
  textureToPng: () => [image.data, { width: 4, height: 4 }],
  toNpy: () => [{ shape: [2], data: Float64Array.of(1, 2) }],
  w2Gaussian: () => [null, identity, null, identity, 2, {}],
  klNormal: () => [0, 1, 0, 2],
  klGaussian: () => [null, identity, null, identity, 2],
  errorBreakdown: () => [[1, 2], { sampler: 'euler', steps: 3, mean: [1, 0], scoreMean: [0.5, 0] }],
  figureBreakdownData: () => [[1, 2], { sampler: 'euler', steps: 3 }],
  breakdownFigureData: () => [api.errorBreakdown([1, 2], { sampler: 'euler', steps: 3 }), {}],
  scoreSamplesSync: () => [[1, 2], { sampler: 'euler', steps: 2 }, { samples: 5, draws: 1 }],
  deltaScoreSamples: () => [[1, 2], 4],
  chi2Quadrature: () => [2, 4],
  figureScoreSamplesData: () => [[1, 2], { samples: [5], draws: 1, steps: 2, samplers: ['euler'] }],
};

/** Functions whose arguments may be anything, with the reason. */
const ANY_ARGUMENTS: Record<string, string> = {
  init: 'later calls share the first call\'s promise and ignore their arguments',
  initLinalg: 'later calls share the first call\'s promise and ignore their arguments',
  isSpectrum: 'a predicate: any value is a valid question',
  linalgThreads: 'no arguments',
  loadMnist: 'no arguments',
};

/** Functions only called with wrong arguments here, with the reason. */
const NOT_CALLED_WITH_VALID_ARGUMENTS: Record<string, string> = {
  datasetGaussian: 'fits the MNIST digits (seconds, and the mnist package may be absent); test/datasets.test.ts calls it',
};

/** Functions that return NaN for a NaN argument, with the reason. */
const NAN_IN_NAN_OUT: Record<string, string> = {
  logFdlibm: 'an elementwise logarithm with Math.log\'s semantics: log(NaN) = NaN',
};

const BAD = [null, 'x', 42, {}, [], true, NaN];

/** Messages of errors that escaped validation. */
const ESCAPED = /Cannot read|Cannot convert|is not a function|is not iterable|is not a constructor|Invalid typed array length|Invalid array length|Array buffer allocation failed|Maximum call stack|of undefined|of null|Cannot (use|create) 'in'/;

async function outcome(name: string, args: unknown[]): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await (api as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...args) };
  } catch (error) {
    return { ok: false, error };
  }
}

function isPlainObject(x: unknown): boolean {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

function containsNaN(value: unknown): boolean {
  return typeof value === 'number' && Number.isNaN(value);
}

beforeAll(async () => {
  await init();
  model = adsnSpectrumSync(image);
  png = await encodePng(image);
  npy = toNpy({ shape: [2], data: Float64Array.of(1, 2) });
  figure = await api.figureEigenData({ points: 3, eigenEps: [0], schemes: ['em'], nfe: 10 });
});

describe('every export validates its arguments', () => {
  it.each(Object.keys(VALID))('%s', async (name) => {
    const valid = VALID[name]();
    if (!(name in NOT_CALLED_WITH_VALID_ARGUMENTS)) {
      const good = await outcome(name, valid);
      expect(good.ok ? 'ok' : String((good as { error: Error }).error), `${name} with valid arguments`).toBe('ok');
    }
    const failures: string[] = [];
    for (let i = 0; i < valid.length; i++) {
      for (const bad of BAD) {
        const args = valid.slice();
        args[i] = bad;
        const r = await outcome(name, args);
        const shown = `${name}(argument ${i} = ${Number.isNaN(bad) ? "NaN" : JSON.stringify(bad)})`;
        // An object argument (options, a model, an image) given as null, a string, a number, an
        // array or a boolean is always an error.
        const mustThrow = isPlainObject(valid[i]) && !isPlainObject(bad);
        if (r.ok) {
          if (containsNaN(r.value) && !(name in NAN_IN_NAN_OUT)) failures.push(`${shown} returned NaN`);
          if (mustThrow) failures.push(`${shown} was accepted`);
          continue;
        }
        const e = r.error as Error;
        if (!(e instanceof TypeError || e instanceof RangeError)) failures.push(`${shown} threw ${e?.constructor?.name}: ${e?.message ?? e}`);
        else if (ESCAPED.test(e.message)) failures.push(`${shown}: ${e.constructor.name}: ${e.message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('the table lists every exported function', () => {
    const functions = Object.keys(api).filter((k) => typeof (api as Record<string, unknown>)[k] === 'function');
    const missing = functions.filter((k) => !(k in VALID) && !(k in ANY_ARGUMENTS));
    expect(missing).toEqual([]);
  });
});
