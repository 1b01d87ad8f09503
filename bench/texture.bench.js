#!/usr/bin/env node
/**
 * Textures: the ADSN spectrum of an RGB image and the texture samplers, WASM core
 * (dist/bindings) vs NumPy (numpy.fft, spawned: bench/texture_numpy.py) vs pure-JS baselines of
 * the same algorithms, in one run.
 *
 *   node bench/texture.bench.js [--sizes 64,128,256,512] [--repeats 7] [--sample-size 256]
 *                               [--samples 16] [--steps 1000] [--sample-repeats 3] [--no-numpy] [--json out.json]
 *
 * Inputs: test/fixtures/data/fabric.png (256×256 RGB, the paper's texture), decoded once; smaller sizes
 * are its top-left crops, 512 tiles it 2×2. NumPy has no PNG decoder here, so both sides time the
 * spectrum from the RGB array; the WASM time from the PNG bytes (decode + spectrum) is reported too.
 * Spectrum: periodic component, texton, Σ_c |t̂_c|², fftshift (docs/MATH.md §6). Sampling: Euler–Maruyama,
 * `steps` steps, `samples` samples, start N(0, I), ε = 0, in the Fourier eigenbasis, back to pixels
 * (docs/MATH.md §7). The pure-JS baselines: the spectrum with an iterative radix-2 FFT (power-of-two
 * sizes), the sampler's step recursion with bindings/sampling/random.ts's generator (recursion only, at
 * the smaller sample size). Timings: one warm-up for the spectrum (the first call of a fresh module
 * runs in the baseline compiler), then the median of `repeats` calls; the sampler runs are
 * seconds long and are timed without warm-up, median of `sample-repeats`.
 * Exits 1 on NaN, or if NumPy's and the core's spectra differ by more than 1e-12·max λ.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const flag = (name) => args.includes(`--${name}`);
const SIZES = opt('sizes', '64,128,256,512').split(',').map(Number);
const REPEATS = Number(opt('repeats', '7'));
const SAMPLE_SIZE = Number(opt('sample-size', '256'));
const SAMPLES = Number(opt('samples', '16'));
const STEPS = Number(opt('steps', '1000'));
const SAMPLE_REPEATS = Number(opt('sample-repeats', '3'));
const SMALL = 64;

const g = await import(new URL('../dist/bindings/index.node.js', import.meta.url).href);
const { createRng } = await import(new URL('../dist/bindings/sampling/random.js', import.meta.url).href);
await g.init();

const fabricBytes = readFileSync(path.resolve(root, 'test/fixtures/data/fabric.png'));
const fabric = await g.decodePng(fabricBytes);

/** Top-left crop (size ≤ 256) or periodic tiling (size > 256) of fabric. */
function image(size) {
  const data = new Float64Array(3 * size * size);
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) for (let k = 0; k < 3; k++) {
    data[3 * (r * size + c) + k] = fabric.data[3 * ((r % 256) * 256 + (c % 256)) + k];
  }
  return { width: size, height: size, data };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(fn, repeats, warm = true) {
  if (warm) fn();
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

async function timeAsync(fn, repeats) {
  await fn();
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

// ---- pure-JS baseline: the same spectrum with an iterative radix-2 FFT -------------------------
function fft1(re, im, n, inverse) {
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b] * cr - im[b] * ci;
        const xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
}

function fft2js(re, im, rows, cols, inverse) {
  const r = new Float64Array(Math.max(rows, cols));
  const i = new Float64Array(Math.max(rows, cols));
  for (let y = 0; y < rows; y++) {
    const row = re.subarray(y * cols, (y + 1) * cols);
    const rowI = im.subarray(y * cols, (y + 1) * cols);
    fft1(row, rowI, cols, inverse);
  }
  for (let x = 0; x < cols; x++) {
    for (let y = 0; y < rows; y++) {
      r[y] = re[y * cols + x];
      i[y] = im[y * cols + x];
    }
    fft1(r, i, rows, inverse);
    for (let y = 0; y < rows; y++) {
      re[y * cols + x] = r[y];
      im[y * cols + x] = i[y];
    }
  }
  if (inverse) for (let k = 0; k < rows * cols; k++) {
    re[k] /= rows * cols;
    im[k] /= rows * cols;
  }
}

function spectrumJs({ width: W, height: H, data }) {
  const n = W * H;
  const lam = new Float64Array(n);
  for (let ch = 0; ch < 3; ch++) {
    const u = Float64Array.from({ length: n }, (_, i) => data[3 * i + ch]);
    const v = new Float64Array(n);
    for (let x = 0; x < W; x++) {
      const j = u[(H - 1) * W + x] - u[x];
      v[x] += j;
      v[(H - 1) * W + x] -= j;
    }
    for (let y = 0; y < H; y++) {
      const j = u[y * W + W - 1] - u[y * W];
      v[y * W] += j;
      v[y * W + W - 1] -= j;
    }
    const vi = new Float64Array(n);
    fft2js(v, vi, H, W, false);
    for (let q = 0; q < H; q++) for (let r = 0; r < W; r++) {
      const k = q * W + r;
      const den = 2 * Math.cos((2 * Math.PI * q) / H) + 2 * Math.cos((2 * Math.PI * r) / W) - 4;
      const f = k === 0 ? 0 : 1 / den;
      v[k] *= f;
      vi[k] *= f;
    }
    fft2js(v, vi, H, W, true);
    let mean = 0;
    for (let k = 0; k < n; k++) mean += u[k] - v[k];
    mean /= n;
    const t = Float64Array.from(u, (x, k) => (x - v[k] - mean) / Math.sqrt(n));
    const ti = new Float64Array(n);
    fft2js(t, ti, H, W, false);
    for (let k = 0; k < n; k++) lam[k] += t[k] * t[k] + ti[k] * ti[k];
  }
  const values = new Float64Array(3 * n);
  for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) {
    values[r * W + c] = lam[((r - (H >> 1) + H) % H) * W + ((c - (W >> 1) + W) % W)];
  }
  return values;
}

// ---- pure-JS baseline: the sampler's step recursion (EM) ----------------------------------------
function recursionJs(model, count, steps, seed) {
  const n = model.width * model.height;
  const d = 3 * n;
  const lam = new Float64Array(d);
  lam.set(model.frequencyValues);
  const rng = createRng(seed);
  const y = new Float64Array(d * count);
  rng.fillNormal?.(y) ?? y.forEach((_, i) => (y[i] = rng.normal()));
  const bMin = 0.05;
  const bMax = 10;
  const h = 1 / steps;
  for (let k = 0; k < steps; k++) {
    const t = 1 - k / steps;
    const B = bMin * t + ((bMax - bMin) * t * t) / 2;
    const s = Math.exp(-2 * B);
    const hb = h * (bMin + (bMax - bMin) * t);
    const sq = Math.sqrt(2 * hb);
    for (let i = 0; i < d; i++) {
      const a = 1 + hb * (1 - 2 / (s * lam[i] + 1 - s));
      const o = i * count;
      for (let j = 0; j < count; j++) y[o + j] = a * y[o + j] + sq * rng.normal();
    }
  }
  return y;
}

// ---- run ----------------------------------------------------------------------------------------
const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-texture-bench-'));
const files = SIZES.map((s) => {
  const f = path.join(dir, `img${s}.npy`);
  writeFileSync(f, g.toNpy({ shape: [s, s, 3], data: image(s).data }));
  return f;
});
const sampleFile = path.join(dir, `sample${SAMPLE_SIZE}.npy`);
writeFileSync(sampleFile, g.toNpy({ shape: [SAMPLE_SIZE, SAMPLE_SIZE, 3], data: image(SAMPLE_SIZE).data }));
const smallFile = path.join(dir, `sample${SMALL}.npy`);
writeFileSync(smallFile, g.toNpy({ shape: [SMALL, SMALL, 3], data: image(SMALL).data }));

let failed = false;
const rows = [];
for (const [k, size] of SIZES.entries()) {
  const img = image(size);
  const wasm = time(() => g.adsnSpectrumSync(img), REPEATS);
  const js = (size & (size - 1)) === 0 ? time(() => spectrumJs(img), Math.min(REPEATS, 3)) : null;
  const values = g.adsnSpectrumSync(img).values;
  const jsValues = spectrumJs(img);
  let maxJs = 0;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) failed = true;
    max = Math.max(max, values[i]);
    maxJs = Math.max(maxJs, Math.abs(values[i] - jsValues[i]));
  }
  if (maxJs > 1e-12 * max) {
    console.error(`spectrum ${size}: the JS baseline differs by ${maxJs}`);
    failed = true;
  }
  rows.push({ size, wasm, js, file: files[k], max, values });
}
const png = await timeAsync(() => g.adsnSpectrum(fabricBytes), REPEATS);
const decode = await timeAsync(() => g.decodePng(fabricBytes), REPEATS);

// Sampling: WASM at SAMPLE_SIZE and SMALL, JS recursion at SMALL.
const bigModel = g.adsnSpectrumSync(image(SAMPLE_SIZE));
const smallModel = g.adsnSpectrumSync(image(SMALL));
const emOpts = { scheme: 'em', steps: STEPS, eps: 0, init: 'N0', n: SAMPLES, seed: 1 };
let bigSamples;
const wasmBig = time(() => (bigSamples = g.sampleTextureSync(bigModel, emOpts).samples), SAMPLE_REPEATS, false);
let smallSamples;
const wasmSmall = time(() => (smallSamples = g.sampleTextureSync(smallModel, emOpts).samples), SAMPLE_REPEATS, false);
const jsSmall = time(() => recursionJs(smallModel, SAMPLES, STEPS, 1), 1, false);
const exactBig = (await g.run(bigModel.values, emOpts)).w2;
const exactSmall = (await g.run(smallModel.values, emOpts)).w2;
const empBig = g.textureEmpiricalW2(bigModel, bigSamples).w2;
const empSmall = g.textureEmpiricalW2(smallModel, smallSamples).w2;
if (![empBig, empSmall, exactBig, exactSmall].every(Number.isFinite)) failed = true;

let numpy = null;
if (!flag('no-numpy')) {
  const runPy = (extra) => {
    const r = spawnSync('python3', [path.join(root, 'bench/texture_numpy.py'), ...extra], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`texture_numpy.py failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const spec = runPy(['--images', files.join(','), '--repeats', String(REPEATS)]);
  const big = runPy(['--sample-image', sampleFile, '--samples', String(SAMPLES), '--steps', String(STEPS), '--sample-repeats', String(SAMPLE_REPEATS)]);
  const small = runPy(['--sample-image', smallFile, '--samples', String(SAMPLES), '--steps', String(STEPS), '--sample-repeats', String(SAMPLE_REPEATS)]);
  numpy = { version: spec.numpy, python: spec.python, spectrum: spec.spectrum, big: big.sampling, small: small.sampling };
  for (const [k, r] of rows.entries()) {
    const ref = g.parseNpy(readFileSync(spec.spectrum[k].values_npy)).data;
    let d = 0;
    for (let i = 0; i < ref.length; i++) d = Math.max(d, Math.abs(ref[i] - r.values[i]));
    r.numpy = spec.spectrum[k].median;
    r.numpyDiff = d;
    if (!(d <= 1e-12 * r.max)) {
      console.error(`spectrum ${r.size}: numpy differs by ${d} (max λ ${r.max})`);
      failed = true;
    }
  }
}

const fmt = (x) => (x === null || x === undefined ? '–' : x >= 1 ? x.toFixed(2) + ' s' : (x * 1000).toFixed(x < 0.01 ? 2 : 1) + ' ms');
const ratio = (a, b) => (a && b ? (a / b).toFixed(2) + '×' : '–');
const lines = [];
lines.push(`Machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}; Node ${process.version}; ` +
  `numpy ${numpy?.version ?? '–'} (Python ${numpy?.python ?? '–'})`);
lines.push('');
lines.push('ADSN spectrum from the RGB array (median):');
lines.push('');
lines.push('| size | WASM | NumPy | pure JS (radix-2) | NumPy / WASM | JS / WASM | max |WASM − NumPy| |');
lines.push('|---|---|---|---|---|---|---|');
for (const r of rows) {
  lines.push(`| ${r.size}×${r.size} | ${fmt(r.wasm)} | ${fmt(r.numpy)} | ${fmt(r.js)} | ${ratio(r.numpy, r.wasm)} | ${ratio(r.js, r.wasm)} | ${r.numpyDiff?.toExponential(1) ?? '–'} |`);
}
lines.push('');
lines.push(`From fabric.png's bytes (decode + spectrum), WASM: ${fmt(png)} (decode alone, fast-png: ${fmt(decode)}).`);
lines.push('');
lines.push(`Sampling: ${SAMPLES} samples, EM, ${STEPS} steps, ε = 0, start N(0, I) (median of ${SAMPLE_REPEATS}):`);
lines.push('');
lines.push('| size | WASM | NumPy | pure-JS recursion only | NumPy / WASM | JS / WASM | empirical W2 WASM / NumPy | exact W2 |');
lines.push('|---|---|---|---|---|---|---|---|');
lines.push(`| ${SAMPLE_SIZE}×${SAMPLE_SIZE} | ${fmt(wasmBig)} | ${fmt(numpy?.big?.median)} | – | ${ratio(numpy?.big?.median, wasmBig)} | – | ${empBig.toFixed(3)} / ${numpy?.big?.empiricalW2?.toFixed(3) ?? '–'} | ${exactBig?.toFixed(3)} |`);
lines.push(`| ${SMALL}×${SMALL} | ${fmt(wasmSmall)} | ${fmt(numpy?.small?.median)} | ${fmt(jsSmall)} | ${ratio(numpy?.small?.median, wasmSmall)} | ${ratio(jsSmall, wasmSmall)} | ${empSmall.toFixed(3)} / ${numpy?.small?.empiricalW2?.toFixed(3) ?? '–'} | ${exactSmall?.toFixed(3)} |`);
console.log(lines.join('\n'));
if (opt('json', undefined)) {
  writeFileSync(opt('json'), JSON.stringify({ rows: rows.map(({ values, ...r }) => r), png, decode, wasmBig, wasmSmall, jsSmall, exactBig, exactSmall, empBig, empSmall, numpy }, null, 2));
}
if (failed) process.exit(1);
