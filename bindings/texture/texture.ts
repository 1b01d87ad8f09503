/**
 * ADSN Gaussian textures (docs/MATH.md §6–7; the paper's §5 and Appendices H–I): the spectrum of an RGB
 * image, exact samples, the samplers of docs/MATH.md §4 run on texture vectors with the exact score, and
 * the empirical W2 of a set of samples (the paper's eq. 21). The numbers come from the core
 * (assembly/texture.ts); this file validates, copies and shapes.
 *
 * Images are {@link RgbImage}s: interleaved RGB, row-major (height × width × 3), values in [0, 1].
 */
import { initCore } from '../runtime/core.js';
import { callTexture } from './fft.js';
import { checkRgbImage, decodePng, encodePng, type RgbImage } from '../io/png.js';
import { badType, badValue, checkFinite, checkPositiveInteger, checkOptions } from '../runtime/errors.js';
import type { Init, Scheme, ScheduleOptions } from '../options/defaults.js';
import { SCHEMES as SCHEME_REGISTRY } from '../samplers/index.js';
import { packParams } from '../samplers/params.js';
import { PROCESSES } from '../processes/index.js';
import { paperGrid, resolveSchemeRun } from '../exact/engine.js';
import type { Basis } from '../sampling/sampling.js';

/** The ADSN model of an image. */
export interface AdsnSpectrum {
  /**
   * The 3·width·height eigenvalues of the covariance, in the order of the paper's ADSN.npy: the
   * width·height frequency eigenvalues λ(ξ) = Σ_c |t̂_c(ξ)|² in fftshift order (row-major over
   * (ξ_row, ξ_col) after numpy.fft.fftshift), then 2·width·height zeros. Pass to `run`,
   * `ablation`, `continuous`.
   */
  values: Float64Array;
  /** λ(ξ) in natural DFT order: index r·width + c is the frequency (r, c) (row, column). */
  frequencyValues: Float64Array;
  /** Per-channel mean ū of the image (R, G, B). */
  mean: Float64Array;
  /** The texton t = (p − p̄)/√(width·height), p the periodic component: interleaved RGB. */
  texton: Float64Array;
  width: number;
  height: number;
}

/** Largest image (width · height) accepted: 4096 × 4096. */
export const TEXTURE_MAX_PIXELS = 4096 * 4096;

function checkSize(width: number, height: number, name: string): void {
  if (width * height > TEXTURE_MAX_PIXELS) throw badValue(`${name} size`, `${width}×${height}`, `at most ${TEXTURE_MAX_PIXELS} pixels`);
}

/**
 * The ADSN spectrum of an RGB image (after `await init()`): Moisan's periodic component p of u
 * (no spurious cross in the spectrum), the texton t = (p − p̄)/√(MN), and per frequency the
 * eigenvalue Σ_c |t̂_c(ξ)|² (unnormalised DFT) with two zeros (docs/MATH.md §6).
 * @example adsnSpectrumSync({ width: 2, height: 1, data: Float64Array.of(0, 0, 0, 1, 1, 1) }).frequencyValues
 *          // → [0, 0.375]: the periodic component is (1/4, 3/4), t = ∓(1/4)/√2, |t̂(1)|² = 1/8 per channel
 */
export function adsnSpectrumSync(image: RgbImage, name = 'image'): AdsnSpectrum {
  const { data, width, height } = checkRgbImage(image, name);
  checkSize(width, height, name);
  const n = width * height;
  const { outputs } = callTexture([data], [3 * n, n, 3, 3 * n], (core, [img], [values, freq, mean, texton]) =>
    core.adsnSpectrum(img, height, width, values, freq, mean, texton),
  );
  const [values, frequencyValues, mean, texton] = outputs;
  return { values, frequencyValues, mean, texton, width, height };
}

/**
 * {@link adsnSpectrumSync} from PNG bytes (any PNG: grey, RGB, RGBA, palette, 1–16 bits; see
 * `decodePng`) or from an {@link RgbImage}.
 * @example (await adsnSpectrum(readFileSync('fabric.png'))).values // ≈ the paper's ADSN.npy (to 1e-3)
 */
export async function adsnSpectrum(image: Uint8Array | ArrayBuffer | RgbImage, name = 'image'): Promise<AdsnSpectrum> {
  await initCore();
  const rgb = image instanceof Uint8Array || image instanceof ArrayBuffer ? await decodePng(image, name) : image;
  return adsnSpectrumSync(rgb, name);
}

function checkModel(model: unknown, name = 'model'): AdsnSpectrum {
  const m = model as AdsnSpectrum;
  if (typeof m !== 'object' || m === null || !(m.texton instanceof Float64Array) || !(m.mean instanceof Float64Array)) {
    throw badType(name, model, 'an ADSN model from adsnSpectrum()');
  }
  if (!Number.isInteger(m.width) || !Number.isInteger(m.height) || m.width < 1 || m.height < 1
    || m.texton.length !== 3 * m.width * m.height || m.mean.length !== 3) {
    throw badValue(`${name}.texton.length`, m.texton.length, `3 · width · height (width ${m.width}, height ${m.height})`);
  }
  return m;
}

function checkSeed(seed: unknown): number {
  const s = checkFinite('seed', seed);
  if (!Number.isSafeInteger(s) || s < 0) throw badValue('seed', s, 'an integer in [0, 2^53)');
  return s;
}

/** Largest n · 3 · width · height of one sampling call (2^26 values: 512 MiB of samples). */
export const TEXTURE_MAX_VALUES = 2 ** 26;

function checkCount(n: unknown, model: AdsnSpectrum): number {
  const count = checkPositiveInteger('n', n);
  const values = count * 3 * model.width * model.height;
  if (values > TEXTURE_MAX_VALUES) throw badValue('n', count, `at most ${Math.floor(TEXTURE_MAX_VALUES / (3 * model.width * model.height))} for a ${model.width}×${model.height} texture (memory)`);
  return count;
}

function split(all: Float64Array, count: number, size: number): Float64Array[] {
  return Array.from({ length: count }, (_, j) => all.slice(j * size, (j + 1) * size));
}

export interface AdsnSampleOptions {
  /** Number of samples (default 1). */
  n?: number;
  /** Seed of the core's generator (xoshiro256+, ziggurat normals); default 0. */
  seed?: number;
}

/**
 * Exact ADSN samples (docs/MATH.md §6): X_c = t_c ⋆ W + ū_c, one white noise W ~ N(0, I) shared by the
 * channels, periodic convolution by FFT. Samples are RgbImage data (not clamped).
 * @example adsnSampleSync(model, { n: 2, seed: 1 }).length // → 2
 */
export function adsnSampleSync(model: AdsnSpectrum, options: AdsnSampleOptions = {}): Float64Array[] {
  const m = checkModel(model);
  checkOptions(options);
  const count = checkCount(options.n ?? 1, m);
  const seed = checkSeed(options.seed ?? 0);
  const d = 3 * m.width * m.height;
  const { outputs } = callTexture([m.texton, m.mean], [count * d], (core, [t, mean], [out]) =>
    core.adsnSamples(t, mean, m.height, m.width, count, seed, out),
  );
  return split(outputs[0], count, d);
}

export interface TextureSampleOptions extends ScheduleOptions, AdsnSampleOptions {
  /** Scheme (default 'em'). */
  scheme?: Scheme;
  /** Number of steps K ≥ 1 (default 1000). */
  steps?: number;
  /** Truncation time ε ∈ [0, T) (default 0; Heun and RK4 need ε > 0 on textures). */
  eps?: number;
  /** Start: 'N0' = N(0, I) (default) or 'pT' = the exact p_T. */
  init?: Init;
  /** α of 'em-alpha' (default 1). */
  alpha?: number;
}

export interface TextureSampleResult {
  scheme: Scheme;
  steps: number;
  nfe: number;
  eps: number;
  init: Init;
  seed: number;
  width: number;
  height: number;
  /** The samples, each RgbImage data (mean added, not clamped). */
  samples: Float64Array[];
}

/**
 * Run a sampler of docs/MATH.md §4 on `n` texture vectors with the exact score −Σ_t^{-1} y (docs/MATH.md §7).
 * The score is diagonal in Σ's real Fourier × channel eigenbasis (assembly/texture.ts), so the
 * vectors are kept there: each step costs O(n · 3MN) (one fresh normal per coordinate for SDE
 * schemes) and each sample goes back to pixels by one inverse FFT at the end. With this exact score
 * the samples' law is N(0, V_K) of the variance recursion (test/texture.test.ts checks it).
 * @example sampleTextureSync(model, { scheme: 'em', steps: 100, n: 4 }).samples.length // → 4
 */
export function sampleTextureSync(model: AdsnSpectrum, options: TextureSampleOptions = {}): TextureSampleResult {
  const m = checkModel(model);
  checkOptions(options);
  const { schedule, scheme, K, eps, init, alpha } = resolveSchemeRun(options);
  const count = checkCount(options.n ?? 1, m);
  const seed = checkSeed(options.seed ?? 0);
  if ((scheme === 'heun' || scheme === 'rk4') && eps === 0) {
    throw badValue('eps', eps, `> 0 for ${scheme} on a texture (its last step evaluates the score at t = ε, where the zero eigenvalues of the ADSN covariance give λ_ε = 0)`);
  }
  // The scheme as a registry entry on the VP process and the paper's uniform grid
  // (bindings/schedulers/uniform.ts): the core steps with the entry's own coefficients.
  const spec = SCHEME_REGISTRY[scheme];
  const { processParams, times, h } = paperGrid(scheme, K, eps, schedule);
  const n = m.width * m.height;
  const d = 3 * n;
  const sde = spec.kind === 'sde' ? 1 : 0;
  // One core call per step: the engine optimises the step function after its first calls.
  const { result, outputs } = callTexture(
    [m.texton, m.mean, packParams(spec.params, { alpha }), processParams, times, h],
    [count * d, count * d, n, 6 * n],
    (c, [t, mean, params, pp, tm, hs], [out, y, lam, hat]) => {
      const table = c.textureSamplerStart(t, m.height, m.width, count, spec.coreId, params, PROCESSES.vp.coreId, pp, tm, hs, K, init === 'pT' ? 0 : 1, seed, y, lam, hat);
      let bad = 0;
      // (A failure inside the core discards the whole instance, table included: runtime/core.ts.)
      for (let k = 0; k < K; k++) bad |= c.textureSamplerSteps(y, lam, n, count, spec.coreId, table, sde, k, k + 1);
      c.textureSamplerEnd(table);
      c.textureSamplerFinish(hat, mean, m.height, m.width, count, y, out);
      return bad;
    },
  );
  if (result !== 0) throw new Error(`gaussdiff: ${scheme} divided by λ_t = 0 on this texture (use ε > 0)`);
  return {
    scheme, steps: K, nfe: spec.nfe(K, {}, times), eps, init, seed, width: m.width, height: m.height,
    samples: split(outputs[0], count, d),
  };
}

/** See {@link sampleTextureSync}; starts the core first. */
export async function sampleTexture(model: AdsnSpectrum, options: TextureSampleOptions = {}): Promise<TextureSampleResult> {
  await initCore();
  return sampleTextureSync(model, options);
}

/** See {@link adsnSampleSync}; starts the core first. */
export async function adsnSample(model: AdsnSpectrum, options: AdsnSampleOptions = {}): Promise<Float64Array[]> {
  await initCore();
  return adsnSampleSync(model, options);
}

export interface TextureW2 {
  /** The empirical W2 (the paper's eq. 21). */
  w2: number;
  /** Its square from the directions with eigenvalue λ(ξ): Σ_ξ (√σ̂(ξ) − √λ(ξ))². */
  principal: number;
  /** Its square from the zero-eigenvalue directions: the samples' energy outside t̂(ξ). */
  residual: number;
}

/**
 * The empirical W2 between samples and ADSN (docs/MATH.md §6, the paper's eq. 21): per frequency the
 * variance of the samples (minus the model's mean ū) along t̂(ξ)/|t̂(ξ)| and along the two
 * zero-eigenvalue directions, then the commuting formula. It assumes the samples Gaussian and
 * diagonal in Σ's basis, so it **underestimates** the true distance; with few samples it is
 * biased upwards by the sampling noise (about √(3MN/n)·typical √λ scale).
 * @example textureEmpiricalW2(model, adsnSampleSync(model, { n: 16 })).w2 // small: exact samples
 */
export function textureEmpiricalW2(model: AdsnSpectrum, samples: readonly Float64Array[]): TextureW2 {
  const m = checkModel(model);
  if (!Array.isArray(samples) || samples.length === 0) throw badValue('samples', samples, 'a non-empty array of RgbImage data');
  const d = 3 * m.width * m.height;
  const all = new Float64Array(samples.length * d);
  samples.forEach((s, j) => {
    const checked = checkRgbImage({ data: s, width: m.width, height: m.height }, `samples[${j}]`);
    all.set(checked.data, j * d);
  });
  const { outputs } = callTexture([m.texton, m.mean, all], [3], (core, [t, mean, x], [out]) =>
    core.textureEmpiricalW2sq(t, mean, m.height, m.width, samples.length, x, out),
  );
  const [sq, principal, residual] = outputs[0];
  return { w2: Math.sqrt(sq), principal, residual };
}

/** One sample as PNG bytes: clamped to [0, 1] for display, 8-bit RGB. */
export function textureToPng(sample: Float64Array, model: { width: number; height: number }): Promise<Uint8Array> {
  if (typeof model !== 'object' || model === null) return Promise.reject(badType('model', model, 'an object { width, height } (the texture model)'));
  return encodePng({ data: sample, width: model.width, height: model.height });
}

/**
 * The texture's orthonormal eigenbasis as a dense 3MN × 3MN matrix (column k = the image, no
 * mean, of unit coordinate k; coordinates k < MN have eigenvalue frequencyValues[k], the others 0).
 * For tests on tiny images.
 */
export function textureBasisSync(model: AdsnSpectrum): Float64Array {
  const m = checkModel(model);
  const d = 3 * m.width * m.height;
  if (d > 3 * 32 * 32) throw badValue('model size', `${m.width}×${m.height}`, 'at most 32×32 pixels (a dense matrix)');
  const { outputs } = callTexture([m.texton], [d * d], (core, [t], [out]) => core.textureBasis(t, m.height, m.width, out));
  return outputs[0];
}

/**
 * The texture's covariance as an eigen-model for the general samplers (`sampleScheme`,
 * `sampleGaussian`, `empiricalW2` in bindings/sampling/sampling.ts): `{ values, basis }`, `values[k]` the
 * eigenvalue of coordinate k (k < MN: frequencyValues[k]; then 2MN zeros) and `basis` the real
 * Fourier × channel eigenbasis applied by FFTs (`toData`: coordinates → pixels, interleaved RGB
 * without the mean; `toCoords`: the transpose), O(MN log MN) per vector instead of a dense
 * (3MN)² matrix. Lets a user-supplied score (a network) run on textures in data space.
 * @example sampleSchemeSync(textureEigenModel(model), { n: 4, scheme: 'em', steps: 100 }) // centred samples
 */
export function textureEigenModel(model: AdsnSpectrum): { values: Float64Array; basis: Basis } {
  const m = checkModel(model);
  const n = m.width * m.height;
  const d = 3 * n;
  const values = new Float64Array(d);
  values.set(m.frequencyValues);
  const texton = m.texton.slice();
  const apply = (input: Float64Array, count: number, toCoords: boolean): Float64Array => {
    const c = checkPositiveInteger('count', count);
    if (!(input instanceof Float64Array) || input.length !== c * d) throw badValue('input.length', input?.length, `count · ${d}`);
    const { outputs } = callTexture([texton, input], [c * d], (core, [t, x], [out]) =>
      core.textureBasisApply(t, m.height, m.width, c, toCoords ? 1 : 0, x, out),
    );
    return outputs[0];
  };
  return {
    values,
    basis: {
      dim: d,
      toData: (coords, count) => apply(coords, count, false),
      toCoords: (x, count) => apply(x, count, true),
    },
  };
}

/**
 * Moisan's periodic component of an RGB image (J. Math. Imaging Vis. 39, 2011), in pixel space:
 * u − s with s the smooth component (Δs = the border jumps, mean 0). `adsnSpectrum` uses the same
 * decomposition in the Fourier domain; this is the direct form, for display and tests.
 * @example periodicComponentSync({ width: 2, height: 1, data: Float64Array.of(0, 0, 0, 1, 1, 1) }).data // → [0.25 ×3, 0.75 ×3]
 */
export function periodicComponentSync(image: RgbImage): RgbImage {
  const { data, width, height } = checkRgbImage(image);
  checkSize(width, height, 'image');
  const { outputs } = callTexture([data], [data.length], (core, [img], [out]) => core.periodicComponent(img, height, width, out));
  return { data: outputs[0], width, height };
}

/** Standard normals from the core's generator (for tests of the generator). */
export function coreNormalsSync(seed: number, n: number): Float64Array {
  const s = checkSeed(seed);
  const count = checkPositiveInteger('n', n);
  const { outputs } = callTexture([], [count], (core, _, [out]) => core.normals(s, count, out));
  return outputs[0];
}

export { decodePng, encodePng, checkRgbImage, PNG_MAX_PIXELS } from '../io/png.js';
export type { RgbImage, DecodedImage } from '../io/png.js';
