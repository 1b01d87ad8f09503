/**
 * PNG in and out for textures, through the npm package fast-png (pure JS, Node and browsers).
 * It is imported on first use, so the rest of the API loads without it (a page without a bundler
 * maps "fast-png", "fflate" and "iobuffer" in its import map only if it decodes PNGs).
 */
import { badType, badValue } from '../runtime/errors.js';

/** An RGB image: `data` interleaved R, G, B per pixel, row-major (height × width × 3), values in [0, 1]. */
export interface RgbImage {
  width: number;
  height: number;
  data: Float64Array;
}

/** A decoded PNG: RGB in [0, 1], plus what the file held. */
export interface DecodedImage extends RgbImage {
  /** Bits per sample in the file (1, 2, 4, 8 or 16). */
  depth: number;
  /** Channels in the file: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA (1 for palette images). */
  channels: number;
  /** A palette (indexed-colour) image. */
  indexed: boolean;
  /** The file had an alpha channel (it is ignored: textures are opaque). */
  alpha: boolean;
}

type FastPng = typeof import('fast-png');
let fastPng: Promise<FastPng> | undefined;

function library(): Promise<FastPng> {
  fastPng ??= import('fast-png').catch((e) => {
    fastPng = undefined;
    throw new Error(`gaussdiff: PNG support needs the package fast-png (${(e as Error).message})`);
  });
  return fastPng;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/**
 * The most pixels `decodePng` accepts (4096 × 4096, as many as a texture may have): checked on the
 * IHDR header before anything is inflated, so a small file declaring 20000 × 20000 is rejected at
 * once instead of after minutes and gigabytes.
 */
export const PNG_MAX_PIXELS = 4096 * 4096;

/** Width and height from the IHDR chunk, which the PNG format requires first. */
function headerSize(b: Uint8Array): { width: number; height: number } | undefined {
  const type = String.fromCharCode(b[12], b[13], b[14], b[15]);
  if (b.length < 24 || type !== 'IHDR') return undefined;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Sample `x` (column) of row `y` of unfiltered PNG data with `depth` bits per sample. */
function unpacker(data: ArrayLike<number>, width: number, samplesPerPixel: number, depth: number) {
  if (depth >= 8) {
    const perRow = width * samplesPerPixel;
    return (y: number, i: number) => data[y * perRow + i];
  }
  const bytesPerRow = Math.ceil((width * samplesPerPixel * depth) / 8);
  const mask = (1 << depth) - 1;
  return (y: number, i: number) => {
    const bit = i * depth;
    const byte = data[y * bytesPerRow + (bit >> 3)];
    return (byte >> (8 - depth - (bit & 7))) & mask;
  };
}

/**
 * Decode a PNG file into RGB in [0, 1]. Grey images are copied to the three channels; alpha is
 * dropped; palette images are looked up; 16-bit samples divide by 65535, 8-bit by 255, 1/2/4-bit
 * grey by 2^depth − 1.
 * @throws TypeError when `bytes` is not a PNG file; RangeError when it is corrupt or empty.
 * @example (await decodePng(readFileSync('fabric.png'))).width // → 256
 */
export async function decodePng(bytes: Uint8Array | ArrayBuffer, name = 'png'): Promise<DecodedImage> {
  if (!(bytes instanceof Uint8Array || bytes instanceof ArrayBuffer)) throw badType(name, bytes, 'the bytes of a PNG file (Uint8Array)');
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (b.length < 8 || SIGNATURE.some((x, i) => b[i] !== x)) {
    throw new TypeError(`${name} is not a PNG file (no PNG signature; got ${b.length} bytes starting ${Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ')})`);
  }
  const declared = headerSize(b);
  if (!declared) throw new RangeError(`${name} is a corrupt PNG file (no IHDR chunk after the signature)`);
  if (declared.width * declared.height > PNG_MAX_PIXELS) {
    throw badValue(`${name} size`, `${declared.width}×${declared.height}`, `at most ${PNG_MAX_PIXELS} pixels (4096×4096), as declared in its header`);
  }
  const png = await library();
  let decoded;
  try {
    decoded = png.decode(b);
  } catch (e) {
    throw new RangeError(`${name} is a corrupt PNG file (${(e as Error).message})`);
  }
  const { width, height, depth, channels } = decoded;
  if (!(width >= 1 && height >= 1)) throw badValue(`${name} size`, `${width}×${height}`, 'at least 1×1');
  const indexed = decoded.palette !== undefined && channels === 1;
  const expected = Math.ceil((width * channels * depth) / 8) * height;
  const stored = depth === 16 ? decoded.data.length * 2 : decoded.data.length;
  if (stored < expected) throw new RangeError(`${name} is a corrupt PNG file (${stored} bytes of pixel data, ${expected} expected)`);
  const get = unpacker(decoded.data, width, channels, depth);
  const data = new Float64Array(width * height * 3);
  const scale = 1 / ((depth === 16 ? 65536 : 1 << depth) - 1);
  const palette = decoded.palette;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = 3 * (y * width + x);
      if (indexed) {
        const entry = palette![get(y, x)];
        if (entry === undefined) throw new RangeError(`${name} is a corrupt PNG file (palette index ${get(y, x)} out of range at pixel (${x}, ${y}))`);
        data[o] = entry[0] / 255;
        data[o + 1] = entry[1] / 255;
        data[o + 2] = entry[2] / 255;
      } else if (channels <= 2) {
        data[o] = data[o + 1] = data[o + 2] = get(y, channels * x) * scale;
      } else {
        const i = channels * x;
        data[o] = get(y, i) * scale;
        data[o + 1] = get(y, i + 1) * scale;
        data[o + 2] = get(y, i + 2) * scale;
      }
    }
  }
  return { width, height, data, depth, channels, indexed, alpha: !indexed && (channels === 2 || channels === 4) };
}

/** Validate an RgbImage: positive integer sizes, data length 3·width·height, finite values. */
export function checkRgbImage(image: unknown, name = 'image'): RgbImage {
  if (typeof image !== 'object' || image === null) throw badType(name, image, 'an object { data, width, height }');
  const { data, width, height } = image as { data: unknown; width: number; height: number };
  if (!Number.isInteger(width) || width < 1) throw badValue(`${name}.width`, width, 'a positive integer');
  if (!Number.isInteger(height) || height < 1) throw badValue(`${name}.height`, height, 'a positive integer');
  if (!(data instanceof Float64Array || data instanceof Float32Array || Array.isArray(data))) {
    throw badType(`${name}.data`, data, 'a Float64Array (interleaved RGB)');
  }
  if (data.length !== 3 * width * height) {
    throw badValue(`${name}.data.length`, data.length, `3 · width · height = ${3 * width * height} (interleaved RGB)`);
  }
  const out = data instanceof Float64Array ? data : Float64Array.from(data as ArrayLike<number>);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      const p = Math.floor(i / 3);
      throw badValue(`${name}.data[${i}]`, out[i], `finite (pixel (${p % width}, ${Math.floor(p / width)}), channel ${'RGB'[i % 3]})`);
    }
  }
  return { data: out, width, height };
}

/**
 * Encode an RGB image as an 8-bit RGB PNG: values clamped to [0, 1] (for display), then
 * round(255 · x). NaN is an error.
 * @example (await encodePng({ width: 1, height: 1, data: Float64Array.of(1, 0.5, -3) })) // PNG of one pixel (255, 128, 0)
 */
export async function encodePng(image: RgbImage): Promise<Uint8Array> {
  const { data, width, height } = checkRgbImage(image);
  const bytes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) bytes[i] = Math.round(255 * Math.min(1, Math.max(0, data[i])));
  const png = await library();
  return png.encode({ width, height, data: bytes, channels: 3, depth: 8 });
}
