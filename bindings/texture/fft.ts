/**
 * The 2-D discrete Fourier transform of the WASM core (assembly/fft.ts): any size — mixed radix
 * 2/3/4/5, Bluestein's chirp-z for other prime factors.
 */
import { callWithArrays, initCore, type CoreExports } from '../runtime/core.js';
import { badType, badValue, checkPositiveInteger, checkOptions } from '../runtime/errors.js';

/** The core's exports (generated types), FFT and textures among them (assembly/fft.ts, assembly/texture.ts). */
export type TextureCore = CoreExports;

/** callWithArrays with the texture exports typed. */
export function callTexture<R>(
  inputs: Float64Array[],
  outputLengths: number[],
  body: (core: TextureCore, inPtrs: number[], outPtrs: number[]) => R,
): { result: R; outputs: Float64Array[] } {
  return callWithArrays(inputs, outputLengths, body);
}

/** Largest number of values (rows · cols) a transform accepts: 2^26 complex values (1 GiB of work space). */
export const FFT_MAX_SIZE = 2 ** 26;

export interface Fft2Options {
  /** Inverse transform (default false). */
  inverse?: boolean;
}

function toFloat64(name: string, a: unknown, n: number): Float64Array {
  if (!(a instanceof Float64Array || a instanceof Float32Array || Array.isArray(a))) {
    throw badType(name, a, 'a Float64Array or an array of numbers');
  }
  if (a.length !== n) throw badValue(`${name}.length`, a.length, `rows · cols = ${n}`);
  const out = a instanceof Float64Array ? a : Float64Array.from(a as ArrayLike<number>);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(out[i])) throw badValue(`${name}[${i}]`, out[i], 'finite');
  }
  return out;
}

/**
 * The 2-D DFT of the complex image `re + i·im` (rows × cols, row-major), after `await init()`.
 * Forward (default): X[k, l] = Σ_{j,m} x[j, m] e^{−2πi (jk/rows + ml/cols)}, unnormalised.
 * Inverse (`{ inverse: true }`): the same with e^{+2πi …}, divided by rows · cols, so
 * `fft2(...fft2(x), {inverse: true})` returns x. `im` may be omitted (a real input).
 * Sizes: any rows, cols ≥ 1 (products of 2, 3, 5 are fastest). Results are fresh arrays.
 * Accuracy: max |error| ≤ 40·u·log2(n + 1)·Σ|x| with u = 2.2e-16, n = rows · cols (test/fft.test.ts).
 * @example fft2Sync([1, 2, 3, 4], undefined, 1, 4) // → { re: [10, -2, -2, -2], im: [0, 2, 0, -2] }
 */
export function fft2Sync(
  re: Float64Array | ArrayLike<number>, im: Float64Array | ArrayLike<number> | undefined,
  rows: number, cols: number, options: Fft2Options = {},
): { re: Float64Array; im: Float64Array } {
  checkPositiveInteger('rows', rows);
  checkPositiveInteger('cols', cols);
  const n = rows * cols;
  if (n > FFT_MAX_SIZE) throw badValue('rows · cols', n, `at most ${FFT_MAX_SIZE}`);
  const r = toFloat64('re', re, n);
  const i = im === undefined ? new Float64Array(n) : toFloat64('im', im, n);
  const inverse = checkOptions(options).inverse === true;
  const { outputs } = callTexture([r, i], [n, n], (core, [pr, pi], [or, oi]) =>
    core.fft2(pr, pi, rows, cols, inverse ? 1 : 0, or, oi),
  );
  return { re: outputs[0], im: outputs[1] };
}

/** See {@link fft2Sync}; starts the core first. */
export async function fft2(
  re: Float64Array | ArrayLike<number>, im: Float64Array | ArrayLike<number> | undefined,
  rows: number, cols: number, options: Fft2Options = {},
): Promise<{ re: Float64Array; im: Float64Array }> {
  await initCore();
  return fft2Sync(re, im, rows, cols, options);
}
