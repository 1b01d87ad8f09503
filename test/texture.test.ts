// ADSN textures (docs/MATH.md §6–7): the spectrum against numpy (test/fixtures/texture/make_fixtures.py)
// and against the paper's ADSN.npy, the eigen-decomposition against an explicitly built
// covariance, exact samples and the samplers by Monte Carlo against the exact theory (fixed seeds,
// stated bounds), the empirical W2 against a plain-JS implementation, PNG in/out, bad input, CLI.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  init, run, eigvalsh, parseNpy, fft2Sync, adsnSpectrum, adsnSpectrumSync, adsnSampleSync, sampleTextureSync,
  textureEmpiricalW2, decodePng, encodePng, textureToPng, textureEigenModel, sampleSchemeSync, type AdsnSpectrum,
} from '../dist/bindings/index.node.js';
import { textureBasisSync, coreNormalsSync, periodicComponentSync } from '../dist/bindings/texture/texture.js';
import * as fastPng from 'fast-png';
import { readData } from './helpers/data.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/texture/fixtures.json', import.meta.url), 'utf8'));
const U = 2.220446049250313e-16;

beforeAll(async () => {
  await init();
});

function fixtureImage(name: string) {
  const f = fixtures[name];
  return { width: f.width as number, height: f.height as number, data: Float64Array.from(f.image as number[]) };
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The explicit ADSN covariance (3MN × 3MN, index 3·pixel + channel): Cov(X_c(p), X_d(q)) = Σ_r t_c(p − r) t_d(q − r). */
function covarianceOf(model: AdsnSpectrum): Float64Array {
  const { width: W, height: H, texton: t } = model;
  const n = W * H;
  const d = 3 * n;
  const C = new Float64Array(d * d);
  for (let p = 0; p < n; p++) {
    const pr = Math.floor(p / W);
    const pc = p % W;
    for (let q = 0; q < n; q++) {
      const qr = Math.floor(q / W);
      const qc = q % W;
      for (let c = 0; c < 3; c++) {
        for (let e = 0; e < 3; e++) {
          let s = 0;
          for (let rr = 0; rr < H; rr++) {
            for (let rc = 0; rc < W; rc++) {
              const a = ((pr - rr + H) % H) * W + ((pc - rc + W) % W);
              const b = ((qr - rr + H) % H) * W + ((qc - rc + W) % W);
              s += t[3 * a + c] * t[3 * b + e];
            }
          }
          C[(3 * p + c) * d + 3 * q + e] = s;
        }
      }
    }
  }
  return C;
}

/** Eigenvalue of coordinate slot k of the sampler's basis. */
function slotEigenvalue(model: AdsnSpectrum, k: number): number {
  return k < model.width * model.height ? model.frequencyValues[k] : 0;
}

/** Coordinates c = Bᵀ (x − ū) of samples in the basis B (column k = slot k). */
function toCoordinates(B: Float64Array, model: AdsnSpectrum, samples: Float64Array[]): Float64Array[] {
  const d = 3 * model.width * model.height;
  return samples.map((x) => {
    const c = new Float64Array(d);
    for (let r = 0; r < d; r++) {
      const v = x[r] - model.mean[r % 3];
      for (let k = 0; k < d; k++) c[k] += B[r * d + k] * v;
    }
    return c;
  });
}

describe('adsnSpectrum', () => {
  for (const name of ['small', 'tiny', 'even']) {
    it(`${name} (${fixtures[name].height}×${fixtures[name].width}): mean, texton, eigenvalues and their fftshift order = numpy to 1e-13 relative`, () => {
      const f = fixtures[name];
      const model = adsnSpectrumSync(fixtureImage(name));
      const n = f.width * f.height;
      expect(maxAbs(model.mean, f.mean)).toBeLessThanOrEqual(1e-15);
      expect(maxAbs(model.texton, f.texton)).toBeLessThanOrEqual(1e-15);
      const scale = Math.max(...(f.frequencyValues as number[]));
      expect(maxAbs(model.frequencyValues, f.frequencyValues) / scale).toBeLessThanOrEqual(1e-13);
      expect(model.values.length).toBe(3 * n);
      expect(maxAbs(model.values.subarray(0, n), f.shifted) / scale).toBeLessThanOrEqual(1e-13);
      expect(model.values.subarray(n).every((x) => x === 0)).toBe(true);
      expect(model.width).toBe(f.width);
      expect(model.height).toBe(f.height);
    });
  }

  it('the periodic component in pixel space = numpy (to 1e-15) and agrees with the Fourier-domain texton of adsnSpectrum', () => {
    for (const name of ['small', 'tiny', 'even']) {
      const f = fixtures[name];
      const p = periodicComponentSync(fixtureImage(name));
      expect(maxAbs(p.data, f.periodic)).toBeLessThanOrEqual(1e-15);
      const model = adsnSpectrumSync(fixtureImage(name));
      const n = f.width * f.height;
      const t = Float64Array.from(p.data, (x, i) => (x - model.mean[i % 3]) / Math.sqrt(n));
      expect(maxAbs(model.texton, t)).toBeLessThanOrEqual(1e-15);
    }
    expect(Array.from(periodicComponentSync({ width: 2, height: 1, data: Float64Array.of(0, 0, 0, 1, 1, 1) }).data, (x) => +x.toFixed(15))).toEqual([0.25, 0.25, 0.25, 0.75, 0.75, 0.75]);
  });

  it("fabric.png reproduces the paper's ADSN.npy to 1.1e-3 absolute (docs/MATH.md §6)", async () => {
    const model = await adsnSpectrum(readData('fabric.png'));
    const ref = parseNpy(readData('ADSN.npy')).data;
    expect(model.values.length).toBe(ref.length);
    expect(ref.length).toBe(196608);
    expect(maxAbs(model.values, ref)).toBeLessThanOrEqual(1.1e-3);
    expect(model.width).toBe(256);
    expect(model.height).toBe(256);
  });

  it('the doc example: a 2×1 image with pixels 0 and 1 (periodic component 1/4, 3/4) has eigenvalues [0, 0.375]', () => {
    const model = adsnSpectrumSync({ width: 2, height: 1, data: Float64Array.of(0, 0, 0, 1, 1, 1) });
    expect(Array.from(model.frequencyValues, (x) => +x.toFixed(14))).toEqual([0, 0.375]);
    expect(Array.from(model.texton, (x) => +(x * Math.SQRT2).toFixed(14))).toEqual([-0.25, -0.25, -0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(model.mean)).toEqual([0.5, 0.5, 0.5]);
  });

  it('a 1×1 image: one zero eigenvalue per frequency and channel', () => {
    const model = adsnSpectrumSync({ width: 1, height: 1, data: Float64Array.of(0.2, 0.4, 0.6) });
    expect(Array.from(model.values)).toEqual([0, 0, 0]);
  });

  it('a constant image has the zero spectrum', () => {
    const flat = adsnSpectrumSync({ width: 6, height: 4, data: new Float64Array(72).fill(0.3) });
    expect(Math.max(...flat.values)).toBeLessThanOrEqual(1e-30);
    expect(Array.from(flat.mean, (x) => +x.toFixed(15))).toEqual([0.3, 0.3, 0.3]);
  });

  it('4×6 random image: the FFT spectrum = eigvalsh of the explicit 72 × 72 covariance (to 1e-12 · max λ)', () => {
    const model = adsnSpectrumSync(fixtureImage('tiny'));
    const C = covarianceOf(model);
    const dense = eigvalsh(C, 72);
    const fft = Float64Array.from(model.values).sort();
    const scale = fft[fft.length - 1];
    expect(maxAbs(dense, fft) / scale).toBeLessThanOrEqual(1e-12);
  });

  it('PNG bytes and the decoded RgbImage give the same model', async () => {
    const bytes = readData('fabric.png');
    const a = await adsnSpectrum(bytes);
    const b = adsnSpectrumSync(await decodePng(bytes));
    expect(maxAbs(a.values, b.values)).toBe(0);
  });
});

describe('the eigenbasis of the samplers', () => {
  it('4×6: the basis is orthonormal (to 1e-14) and diagonalises the explicit covariance: C B = B Λ (to 1e-13 · max λ)', () => {
    const model = adsnSpectrumSync(fixtureImage('tiny'));
    const d = 72;
    const B = textureBasisSync(model);
    const C = covarianceOf(model);
    let maxOrth = 0;
    let maxEig = 0;
    const scale = Math.max(...model.values);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let r = 0; r < d; r++) s += B[r * d + i] * B[r * d + j];
        maxOrth = Math.max(maxOrth, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    for (let r = 0; r < d; r++) {
      for (let k = 0; k < d; k++) {
        let s = 0;
        for (let l = 0; l < d; l++) s += C[r * d + l] * B[l * d + k];
        maxEig = Math.max(maxEig, Math.abs(s - B[r * d + k] * slotEigenvalue(model, k)));
      }
    }
    expect(maxOrth).toBeLessThanOrEqual(1e-14);
    expect(maxEig / scale).toBeLessThanOrEqual(1e-13);
  });

  it('5×7 (odd sizes: no self-conjugate frequency but 0) and 8×8: orthonormal to 1e-14', () => {
    for (const name of ['small', 'even']) {
      const model = adsnSpectrumSync(fixtureImage(name));
      const d = 3 * model.width * model.height;
      const B = textureBasisSync(model);
      let maxOrth = 0;
      for (let i = 0; i < d; i++) {
        for (let j = i; j < d; j++) {
          let s = 0;
          for (let r = 0; r < d; r++) s += B[r * d + i] * B[r * d + j];
          maxOrth = Math.max(maxOrth, Math.abs(s - (i === j ? 1 : 0)));
        }
      }
      expect(maxOrth).toBeLessThanOrEqual(1e-14);
    }
  });
});

describe('textureEigenModel: the Fourier basis for the general samplers', () => {
  it('toData = the dense basis B (to 1e-15), toCoords = Bᵀ: toCoords(toData(c)) = c to 1e-14', () => {
    const m = adsnSpectrumSync(fixtureImage('tiny'));
    const d = 72;
    const B = textureBasisSync(m);
    const { values, basis } = textureEigenModel(m);
    expect(basis.dim).toBe(d);
    expect(Array.from(values.subarray(0, 24))).toEqual(Array.from(m.frequencyValues));
    const c = Float64Array.from({ length: 2 * d }, (_, i) => Math.sin(i + 1));
    const x = basis.toData(c, 2);
    for (let j = 0; j < 2; j++) {
      for (let r = 0; r < d; r++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += B[r * d + k] * c[j * d + k];
        expect(Math.abs(x[j * d + r] - s)).toBeLessThanOrEqual(1e-15 * d);
      }
    }
    expect(maxAbs(basis.toCoords(x, 2), c)).toBeLessThanOrEqual(1e-14);
  });

  it('sampleScheme (bindings/sampling/sampling.ts) on the texture: EM K=10, 20000 samples, coordinate variances = run() within 6σ', async () => {
    const m = adsnSpectrumSync(fixtureImage('tiny'));
    const model = textureEigenModel(m);
    const d = 72;
    const n = 20000;
    const { samples } = sampleSchemeSync(model, { n, scheme: 'em', steps: 10, seed: 3 });
    const c = model.basis.toCoords(samples, n);
    const { variances: v } = (await run(model.values, { scheme: 'em', steps: 10, variances: true })) as { variances: Float64Array };
    let worst = 0;
    for (let k = 0; k < d; k++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += c[j * d + k] ** 2;
      worst = Math.max(worst, Math.abs(s / n - v[k]) / (v[k] * Math.sqrt(2 / n)));
    }
    expect(worst).toBeLessThan(6);
  });
});

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| ≤ 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

describe("the core's normal generator (ziggurat on xoshiro256+)", () => {
  const n = 1_000_000;
  it('1e6 draws: mean, variance, 4th moment within 5σ; tail beyond 3.4426 (the ziggurat base) within 5σ; Kolmogorov–Smirnov D < 1.95/√n (p = 0.001)', () => {
    const z = coreNormalsSync(12345, n);
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    let tail = 0;
    for (const x of z) {
      m1 += x;
      m2 += x * x;
      m4 += x ** 4;
      if (Math.abs(x) > 3.442619855899) tail++;
    }
    m1 /= n;
    m2 /= n;
    m4 /= n;
    expect(Math.abs(m1)).toBeLessThanOrEqual(5 / Math.sqrt(n));
    expect(Math.abs(m2 - 1)).toBeLessThanOrEqual(5 * Math.sqrt(2 / n));
    expect(Math.abs(m4 - 3)).toBeLessThanOrEqual(5 * Math.sqrt(96 / n));
    const pTail = 2 * (1 - normalCdf(3.442619855899));
    expect(Math.abs(tail / n - pTail)).toBeLessThanOrEqual(5 * Math.sqrt((pTail * (1 - pTail)) / n));
    const sorted = Float64Array.from(z).sort();
    let D = 0;
    for (let i = 0; i < n; i++) {
      const F = normalCdf(sorted[i]);
      D = Math.max(D, Math.abs(F - i / n), Math.abs(F - (i + 1) / n));
    }
    expect(D).toBeLessThan(1.95 / Math.sqrt(n));
  });

  it('the same seed gives the same stream; another seed another', () => {
    expect(Array.from(coreNormalsSync(7, 5))).toEqual(Array.from(coreNormalsSync(7, 5)));
    expect(coreNormalsSync(8, 5)[0]).not.toBe(coreNormalsSync(7, 5)[0]);
  });
});

describe('exact ADSN samples (X = t ⋆ W + ū)', () => {
  it('4×6, 20000 samples: the sample covariance = the explicit covariance, every entry within 6σ', () => {
    const model = adsnSpectrumSync(fixtureImage('tiny'));
    const d = 72;
    const n = 20000;
    const samples = adsnSampleSync(model, { n, seed: 3 });
    expect(samples.length).toBe(n);
    const C = covarianceOf(model);
    const S = new Float64Array(d * d);
    for (const x of samples) {
      const y = Float64Array.from(x, (v, i) => v - model.mean[i % 3]);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) S[i * d + j] += y[i] * y[j];
    }
    let worst = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        const sd = Math.sqrt((C[i * d + i] * C[j * d + j] + C[i * d + j] ** 2) / n);
        worst = Math.max(worst, Math.abs(S[i * d + j] / n - C[i * d + j]) / sd);
      }
    }
    expect(worst).toBeLessThan(6);
  });

  it('odd counts (the last sample has no FFT partner), seeds reproduce, the mean is added', () => {
    const model = adsnSpectrumSync(fixtureImage('small'));
    const a = adsnSampleSync(model, { n: 3, seed: 11 });
    const b = adsnSampleSync(model, { n: 3, seed: 11 });
    const c = adsnSampleSync(model, { n: 3, seed: 12 });
    expect(a.length).toBe(3);
    expect(maxAbs(a[2], b[2])).toBe(0);
    expect(maxAbs(a[0], c[0])).toBeGreaterThan(0);
    // Σ over pixels of t ⋆ W is (Σ t)(Σ W) = 0: each sample's channel mean is ū exactly (to round-off).
    for (const x of a) {
      for (let ch = 0; ch < 3; ch++) {
        let s = 0;
        for (let i = ch; i < x.length; i += 3) s += x[i];
        expect(Math.abs(s / 35 - model.mean[ch])).toBeLessThanOrEqual(1e-14);
      }
    }
  });
});

describe('samplers on texture vectors (exact score in the Fourier eigenbasis)', () => {
  const model = () => adsnSpectrumSync(fixtureImage('tiny'));
  const cases = [
    { scheme: 'em', steps: 20, eps: 0, init: 'N0' },
    { scheme: 'ei', steps: 10, eps: 1e-3, init: 'pT' },
    { scheme: 'ddpm', steps: 25, eps: 0, init: 'N0' },
    { scheme: 'em-alpha', steps: 15, eps: 1e-4, init: 'N0', alpha: 0.5 },
    { scheme: 'euler', steps: 12, eps: 0, init: 'N0' },
    { scheme: 'heun', steps: 8, eps: 1e-3, init: 'pT' },
    { scheme: 'rk4', steps: 5, eps: 1e-2, init: 'N0' },
  ] as const;
  for (const opts of cases) {
    it(`${opts.scheme} K=${opts.steps} ε=${opts.eps} ${opts.init}: 20000 samples; per eigen-coordinate variance = v_K of run() within 6σ (σ = v·√(2/n)), cross-covariances within 6σ`, () => {
      const m = model();
      const d = 72;
      const n = 20000;
      const result = sampleTextureSync(m, { ...opts, n, seed: 99 });
      expect(result.samples.length).toBe(n);
      const B = textureBasisSync(m);
      const coords = toCoordinates(B, m, result.samples);
      const lam = Float64Array.from({ length: d }, (_, k) => slotEigenvalue(m, k));
      const theory = run(lam, { ...opts, variances: true }) as unknown as Promise<{ variances: Float64Array }>;
      return theory.then(({ variances: v }) => {
        let worstVar = 0;
        let worstCov = 0;
        for (let i = 0; i < d; i++) {
          for (let j = i; j < d; j++) {
            let s = 0;
            for (const c of coords) s += c[i] * c[j];
            s /= n;
            if (i === j) worstVar = Math.max(worstVar, Math.abs(s - v[i]) / (v[i] * Math.sqrt(2 / n)));
            else worstCov = Math.max(worstCov, Math.abs(s) / Math.sqrt((v[i] * v[j]) / n));
          }
        }
        expect(worstVar).toBeLessThan(6);
        expect(worstCov).toBeLessThan(6);
      });
    });
  }

  it('the empirical W2 of 20000 EM samples ≈ the exact W2 of run() (within 2%); of exact samples ≈ 0', async () => {
    const m = model();
    const n = 20000;
    const opts = { scheme: 'em', steps: 10, eps: 0, init: 'N0' } as const;
    const exact = (await run(m.values, opts)).w2!;
    const emp = textureEmpiricalW2(m, sampleTextureSync(m, { ...opts, n, seed: 5 }).samples);
    expect(Math.abs(emp.w2 - exact) / exact).toBeLessThan(0.02);
    const ideal = textureEmpiricalW2(m, adsnSampleSync(m, { n, seed: 6 }));
    expect(ideal.w2).toBeLessThan(0.1 * exact);
    // No energy outside t̂(ξ) but round-off.
    expect(ideal.residual).toBeLessThanOrEqual(1e-12 * m.values.reduce((a, b) => a + b));
  });

  it('the same seed gives the same samples; pT vs N0 differ', () => {
    const m = model();
    const a = sampleTextureSync(m, { scheme: 'em', steps: 5, n: 2, seed: 1 }).samples;
    const b = sampleTextureSync(m, { scheme: 'em', steps: 5, n: 2, seed: 1 }).samples;
    const c = sampleTextureSync(m, { scheme: 'em', steps: 5, n: 2, seed: 1, init: 'pT' }).samples;
    expect(maxAbs(a[1], b[1])).toBe(0);
    expect(maxAbs(a[1], c[1])).toBeGreaterThan(0);
  });
});

describe('empirical W2 (eq. 21)', () => {
  it('= a plain-JS implementation (fft2 per channel, projections on t̂/|t̂|) to 1e-12 relative', () => {
    const m = adsnSpectrumSync(fixtureImage('small'));
    const samples = sampleTextureSync(m, { scheme: 'euler', steps: 7, n: 5, seed: 2 }).samples;
    const { width: W, height: H } = m;
    const N = W * H;
    const hat = [0, 1, 2].map((c) => fft2Sync(Float64Array.from({ length: N }, (_, i) => m.texton[3 * i + c]), undefined, H, W));
    const sig = new Float64Array(N);
    const tot = new Float64Array(N);
    for (const x of samples) {
      const X = [0, 1, 2].map((c) => fft2Sync(Float64Array.from({ length: N }, (_, i) => (x[3 * i + c] - m.mean[c]) / Math.sqrt(N)), undefined, H, W));
      for (let i = 0; i < N; i++) {
        let pr = 0;
        let pi = 0;
        let norm = 0;
        for (let c = 0; c < 3; c++) {
          pr += hat[c].re[i] * X[c].re[i] + hat[c].im[i] * X[c].im[i];
          pi += hat[c].re[i] * X[c].im[i] - hat[c].im[i] * X[c].re[i];
          norm += hat[c].re[i] ** 2 + hat[c].im[i] ** 2;
          tot[i] += X[c].re[i] ** 2 + X[c].im[i] ** 2;
        }
        sig[i] += norm > 0 ? (pr * pr + pi * pi) / norm : 0;
      }
    }
    let sq = 0;
    for (let i = 0; i < N; i++) {
      const s = sig[i] / samples.length;
      sq += (Math.sqrt(s) - Math.sqrt(m.frequencyValues[i])) ** 2 + (tot[i] / samples.length - s);
    }
    const got = textureEmpiricalW2(m, samples);
    expect(Math.abs(got.w2 - Math.sqrt(sq)) / Math.sqrt(sq)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(got.principal + got.residual - got.w2 ** 2)).toBeLessThanOrEqual(1e-12 * got.w2 ** 2);
  });

  it('fabric.png, 16 samples: exact ADSN samples are far closer than EM with 10 steps', async () => {
    const m = await adsnSpectrum(readData('fabric.png'));
    const exact = textureEmpiricalW2(m, adsnSampleSync(m, { n: 16, seed: 1 })).w2;
    const em10 = textureEmpiricalW2(m, sampleTextureSync(m, { scheme: 'em', steps: 10, n: 16, seed: 1 }).samples).w2;
    expect(exact).toBeLessThan(0.5 * em10);
  });
});

describe('PNG in and out', () => {
  it('fabric.png: 256×256 8-bit RGB, values k/255', async () => {
    const img = await decodePng(readData('fabric.png'));
    expect([img.width, img.height, img.depth, img.channels, img.alpha, img.indexed]).toEqual([256, 256, 8, 3, false, false]);
    expect(img.data.length).toBe(3 * 256 * 256);
    expect(img.data.every((x) => Number.isInteger(Math.round(x * 255 * 1e6) / 1e6) && x >= 0 && x <= 1)).toBe(true);
  });

  it('encode → decode: 8-bit quantisation (|error| ≤ 0.5/255), clamping to [0, 1]', async () => {
    const data = Float64Array.from({ length: 3 * 5 * 4 }, (_, i) => (i * 0.37) % 1);
    data[0] = -0.5;
    data[1] = 7;
    const back = await decodePng(await encodePng({ width: 5, height: 4, data }));
    expect([back.width, back.height]).toEqual([5, 4]);
    expect(back.data[0]).toBe(0);
    expect(back.data[1]).toBe(1);
    for (let i = 2; i < data.length; i++) expect(Math.abs(back.data[i] - data[i])).toBeLessThanOrEqual(0.5 / 255 + 1e-12);
  });

  it('grey 8 and 16 bit, grey + alpha, RGBA, RGB 16 bit: channels and scaling', async () => {
    const grey16 = fastPng.encode({ width: 2, height: 1, data: Uint16Array.of(0, 65535), channels: 1, depth: 16 });
    expect(Array.from((await decodePng(grey16)).data)).toEqual([0, 0, 0, 1, 1, 1]);
    const grey8 = fastPng.encode({ width: 1, height: 1, data: Uint8Array.of(51), channels: 1, depth: 8 });
    expect(Array.from((await decodePng(grey8)).data)).toEqual([0.2, 0.2, 0.2]);
    const ga = await decodePng(fastPng.encode({ width: 1, height: 1, data: Uint8Array.of(255, 0), channels: 2, depth: 8 }));
    expect([Array.from(ga.data), ga.alpha]).toEqual([[1, 1, 1], true]);
    const rgba = await decodePng(fastPng.encode({ width: 1, height: 1, data: Uint8Array.of(255, 0, 51, 10), channels: 4, depth: 8 }));
    expect([Array.from(rgba.data), rgba.alpha, rgba.channels]).toEqual([[1, 0, 0.2], true, 4]);
    const rgb16 = await decodePng(fastPng.encode({ width: 1, height: 1, data: Uint16Array.of(65535, 0, 13107), channels: 3, depth: 16 }));
    expect(Array.from(rgb16.data)).toEqual([1, 0, 0.2]);
    expect(rgb16.depth).toBe(16);
  });

  it('palette images are looked up; 1- and 2-bit grey are unpacked per row (rows padded to whole bytes)', async () => {
    const pal = fastPng.encode({ width: 3, height: 2, data: Uint8Array.of(0, 1, 2, 2, 1, 0), channels: 1, depth: 8, palette: [[255, 0, 0], [0, 255, 0], [0, 0, 255]] });
    const p = await decodePng(pal);
    expect(p.indexed).toBe(true);
    expect(Array.from(p.data)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0]);
    // 3 pixels of 1 bit per row: row 0 = 101, row 1 = 010, each row in its own byte.
    const bits = await decodePng(fastPng.encode({ width: 3, height: 2, data: Uint8Array.of(0b10100000, 0b01000000), channels: 1, depth: 1 }));
    expect(Array.from(bits.data.filter((_, i) => i % 3 === 0))).toEqual([1, 0, 1, 0, 1, 0]);
    const two = await decodePng(fastPng.encode({ width: 3, height: 1, data: Uint8Array.of(0b00011011), channels: 1, depth: 2 }));
    expect(Array.from(two.data.filter((_, i) => i % 3 === 0))).toEqual([0, 1 / 3, 2 / 3]);
  });

  it('textureToPng writes the sample of a model at its size', async () => {
    const m = adsnSpectrumSync(fixtureImage('small'));
    const [x] = adsnSampleSync(m, { n: 1 });
    const img = await decodePng(await textureToPng(x, m));
    expect([img.width, img.height]).toEqual([7, 5]);
  });
});

describe('bad input', () => {
  it('not a PNG: TypeError naming the input; a truncated PNG: RangeError "corrupt"', async () => {
    await expect(decodePng(new TextEncoder().encode('hello world'))).rejects.toThrow(/png is not a PNG file/);
    await expect(adsnSpectrum(new Uint8Array(0), 'x.png')).rejects.toThrow(/x\.png is not a PNG file/);
    const good = readData('fabric.png');
    await expect(adsnSpectrum(new Uint8Array(good.subarray(0, 200)))).rejects.toThrow(/corrupt PNG/);
  });

  it('RgbImage: wrong sizes, wrong length, NaN pixels name the field, the pixel and the channel', () => {
    expect(() => adsnSpectrumSync({ width: 0, height: 1, data: new Float64Array(0) })).toThrow(/image\.width must be a positive integer \(got 0\)/);
    expect(() => adsnSpectrumSync({ width: 2, height: 2, data: new Float64Array(11) })).toThrow(/image\.data\.length must be 3 · width · height = 12 \(interleaved RGB\) \(got 11\)/);
    const data = new Float64Array(12);
    data[7] = NaN;
    expect(() => adsnSpectrumSync({ width: 2, height: 2, data })).toThrow(/image\.data\[7\] must be finite \(got NaN\) \(pixel \(0, 1\)|image\.data\[7\] must be finite \(pixel \(0, 1\), channel G\) \(got NaN\)/);
    expect(() => adsnSpectrumSync(null as never)).toThrow(TypeError);
    expect(() => adsnSpectrumSync({ width: 1.5, height: 2, data: new Float64Array(9) })).toThrow(/image\.width/);
  });

  it('sampler options: n, seed, eps, steps, scheme, model', () => {
    const m = adsnSpectrumSync(fixtureImage('tiny'));
    expect(() => sampleTextureSync(m, { n: 0 })).toThrow(/n must be a positive integer \(got 0\)/);
    expect(() => sampleTextureSync(m, { seed: -1 })).toThrow(/seed must be an integer in \[0, 2\^53\) \(got -1\)/);
    expect(() => sampleTextureSync(m, { seed: 1.5 })).toThrow(/seed/);
    expect(() => sampleTextureSync(m, { scheme: 'heun', steps: 5 })).toThrow(/eps must be > 0 for heun on a texture/);
    expect(() => sampleTextureSync(m, { scheme: 'rk4', steps: 5, eps: 0 })).toThrow(/eps must be > 0 for rk4/);
    expect(() => sampleTextureSync(m, { scheme: 'ddpm', steps: 5 })).toThrow(/steps must be large enough for DDPM.*use at least 21 steps/);
    expect(() => sampleTextureSync(m, { eps: 1 })).toThrow(/eps must be in \[0, T\)/);
    expect(() => sampleTextureSync(m, { scheme: 'nope' as never })).toThrow(/scheme must be one of/);
    expect(() => sampleTextureSync({} as never)).toThrow(/model must be an ADSN model/);
    expect(() => sampleTextureSync(m, { n: 2 ** 30 })).toThrow(/n must be at most/);
    expect(() => textureEmpiricalW2(m, [])).toThrow(/samples must be a non-empty array/);
    expect(() => textureEmpiricalW2(m, [new Float64Array(5)])).toThrow(/samples\[0\]\.data\.length must be 3 · width · height = 72 \(interleaved RGB\) \(got 5\)/);
  });
});

// ---------------------------------------------------------------------------------------------
// CLI

const bin = path.join(root, 'bin', 'gaussdiff.js');
const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-texture-'));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

describe('CLI', () => {
  let small: string;
  let model: AdsnSpectrum;
  beforeAll(async () => {
    // A 24×16 crop of fabric.png (8-bit RGB), written with fast-png.
    const img = await decodePng(readData('fabric.png'));
    const data = new Float64Array(3 * 24 * 16);
    for (let r = 0; r < 16; r++) for (let c = 0; c < 24; c++) for (let k = 0; k < 3; k++) data[3 * (r * 24 + c) + k] = img.data[3 * (r * 256 + c) + k];
    small = path.join(dir, 'crop.png');
    writeFileSync(small, await encodePng({ width: 24, height: 16, data }));
    model = adsnSpectrumSync({ width: 24, height: 16, data });
    writeFileSync(path.join(dir, 'not.png'), 'not a png');
  });

  it('spectrum --texture: the sorted eigenvalues (npy)', async () => {
    const out = path.join(dir, 'spec.npy');
    const r = await cli('spectrum', '--texture', small, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const values = parseNpy(readFileSync(out)).data;
    expect(maxAbs(values, Float64Array.from(model.values).sort())).toBe(0);
  });

  it('run --texture = run(model.values)', async () => {
    const r = await cli('run', '--texture', small, '--scheme', 'ei', '--steps', '50', '--eps', '1e-3', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).w2).toBe((await run(model.values, { scheme: 'ei', steps: 50, eps: 1e-3 })).w2);
  });

  it('sample: N PNG files, empiricalW2 and exactW2 (= run())', async () => {
    const out = path.join(dir, 'samples');
    const r = await cli('sample', '--texture', small, '--scheme', 'heun', '--steps', '20', '--eps', '1e-3', '--n', '3', '--seed', '4', '--out', out, '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.files.map((f: string) => path.basename(f))).toEqual(['sample-000.png', 'sample-001.png', 'sample-002.png']);
    expect(readdirSync(out).sort()).toEqual(['sample-000.png', 'sample-001.png', 'sample-002.png']);
    expect(report.exactW2).toBe((await run(model.values, { scheme: 'heun', steps: 20, eps: 1e-3 })).w2);
    expect(report.empiricalW2).toBeGreaterThan(0);
    const first = await decodePng(readFileSync(report.files[0]));
    expect([first.width, first.height]).toEqual([24, 16]);
    // The PNG is the sampler's sample, clamped and quantised.
    const x = sampleTextureSync(model, { scheme: 'heun', steps: 20, eps: 1e-3, n: 3, seed: 4 }).samples[0];
    for (let i = 0; i < x.length; i++) expect(Math.abs(first.data[i] - Math.min(1, Math.max(0, x[i])))).toBeLessThanOrEqual(0.5 / 255 + 1e-12);
  });

  it('bad input: exit 2, one line naming the flag and the value, nothing written', async () => {
    const out = path.join(dir, 'never');
    const cases: [string[], RegExp][] = [
      [['sample', '--texture', path.join(dir, 'missing.png'), '--scheme', 'em', '--steps', '5', '--out', out], /--texture cannot be read \(got ".*missing\.png": ENOENT\)/],
      [['sample', '--texture', path.join(dir, 'not.png'), '--scheme', 'em', '--steps', '5', '--out', out], /--texture ".*not\.png": not\.png is not a PNG file/],
      [['sample', '--texture', small, '--scheme', 'em', '--steps', '5', '--n', '0', '--out', out], /--n must be an integer ≥ 1 \(got "0"\)/],
      [['sample', '--texture', small, '--scheme', 'em', '--steps', '5', '--seed', '-1', '--out', out], /--seed must be an integer ≥ 0 \(got "-1"\)/],
      [['sample', '--texture', small, '--scheme', 'heun', '--steps', '5', '--out', out], /--eps must be > 0 for heun/],
      [['sample', '--texture', small, '--scheme', 'bogus', '--steps', '5', '--out', out], /--scheme must be one of .* \(got "bogus"\)/],
      [['sample', '--texture', small, '--scheme', 'em', '--steps', '5'], /--out is required/],
      [['sample', '--scheme', 'em', '--steps', '5', '--out', out], /--texture is required/],
      [['sample', '--texture', small, '--scheme', 'em', '--steps', '5', '--out', out, '--format', 'md'], /--format must be one of json \(got "md"\)/],
      [['run', '--texture', small, '--spectrum', 'x.npy', '--scheme', 'em', '--steps', '5'], /cannot be combined/],
      [['spectrum', '--texture', path.join(dir, 'not.png')], /--texture ".*not\.png"/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n').length, r.stderr).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
  });
});
