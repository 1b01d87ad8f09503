/**
 * KL of the exact continuous α-process (`continuous(…, { metric, perEigenvalue })`, `gaussdiff
 * continuous --metric`; docs/metrics.md §2, docs/MATH.md §2):
 *  1. against an independent reference written here from docs/MATH.md §2's closed form: the
 *     variance v(ε) = e^{−2α(B_T−B_ε)} (λ_ε/λ_T)^{1+α} v_T + λ_ε − e^{−2α(B_T−B_ε)} λ_ε^{1+α} λ_T^{−α}
 *     with v_T = 1 (N0) or λ_T (pT), and the textbook 1-D KL ½(v/λ − 1 − ln(v/λ)) per direction:
 *     variances 1e-12 relative, KL 1e-8 relative (the textbook form loses digits when v ≈ λ; the
 *     spectra keep |v/λ − 1| ≥ 1e-4, so at most ~4 digits of 16);
 *  2. identities: the exact start (pT) at ε = 0 has KL 0 (for any α, zero eigenvalues included);
 *     with pT the KL does not depend on α (only truncation); Σ per-direction KL = total; the
 *     per-direction W2² add up to the core's W2²;
 *  3. the dense path at d = 5 in a rotated basis: continuousErrorMatrix (Eigen's matrix forms,
 *     cpp/src/linalg.cpp) + klGaussian (non-commuting KL) give the same KL (1e-9 relative); with a
 *     start covariance that does not commute with Σ that composition is how KL is had (continuous
 *     itself takes eigenvalues only);
 *  4. null rules: a zero eigenvalue with noise left in it is null (both directions, totals and
 *     that direction), never a large finite number; the other directions stay numbers;
 *  5. the CLI contract `continuous --metric both --format json` → {"w2", "kl": {"forward",
 *     "reverse"}}, --metric kl without "w2", --per-eigenvalue, null in JSON, and exit 2 naming
 *     --metric / --per-eigenvalue's API errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ablation, continuous, continuousErrorMatrix, init, initLinalg, klGaussian } from '../dist/bindings/index.node.js';
import { randomOrthogonal } from './helpers/orthogonal.js';

const BETA_MIN = 0.05;
const BETA_MAX = 10;
const T = 1;
const B = (t: number) => BETA_MIN * t + ((BETA_MAX - BETA_MIN) * t * t) / (2 * T);
const marginal = (l: number, t: number) => Math.exp(-2 * B(t)) * l + 1 - Math.exp(-2 * B(t));
/** docs/MATH.md §2, literally. */
function refVariance(l: number, eps: number, alpha: number, init: 'N0' | 'pT'): number {
  const le = marginal(l, eps);
  const lT = marginal(l, T);
  const vT = init === 'pT' ? lT : 1;
  const decay = Math.exp(-2 * alpha * (B(T) - B(eps)));
  return decay * (le / lT) ** (1 + alpha) * vT + le - decay * le ** (1 + alpha) * lT ** -alpha;
}
/** The textbook KL(N(0, a) ‖ N(0, b)) in one dimension. */
const kl1 = (a: number, b: number) => 0.5 * (a / b - 1 - Math.log(a / b));
const close = (a: number, b: number, rel: number, abs = 0) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;

const LAMBDA = [0.01, 0.3, 0.3, 1.7, 25, 900];

beforeAll(async () => {
  await init();
  await initLinalg(new Uint8Array(readFileSync(new URL('../cpp/dist/linalg.wasm', import.meta.url))));
});

describe('continuous: KL against the closed form (docs/MATH.md §2)', () => {
  it('per-direction variances (1e-12) and KL both ways (1e-8), totals, both starts, α ∈ {0, 0.5, 1, 2}, ε ∈ {1e-3, 0.05}', async () => {
    for (const alpha of [0, 0.5, 1, 2]) {
      for (const eps of [1e-3, 0.05]) {
        for (const start of ['N0', 'pT'] as const) {
          const what = `α = ${alpha}, ε = ${eps}, ${start}`;
          const r = await continuous(LAMBDA, { eps, alpha, init: start, metric: 'both', perEigenvalue: true });
          const e = r.perEigenvalue!;
          const v = LAMBDA.map((l) => refVariance(l, eps, alpha, start));
          expect(e.eigenvalues, what).toEqual(LAMBDA);
          e.variances.forEach((x, i) => expect(close(x!, v[i], 1e-12), `${what}: v[${i}] = ${x} vs ${v[i]}`).toBe(true));
          const fwd = LAMBDA.map((l, i) => kl1(v[i], l));
          const rev = LAMBDA.map((l, i) => kl1(l, v[i]));
          e.klForward!.forEach((x, i) => expect(close(x!, fwd[i], 1e-8, 1e-15), `${what}: forward[${i}] = ${x} vs ${fwd[i]}`).toBe(true));
          e.klReverse!.forEach((x, i) => expect(close(x!, rev[i], 1e-8, 1e-15), `${what}: reverse[${i}] = ${x} vs ${rev[i]}`).toBe(true));
          const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
          expect(close(r.kl!.forward!, sum(fwd), 1e-8), what).toBe(true);
          expect(close(r.kl!.reverse!, sum(rev), 1e-8), what).toBe(true);
          // The parts add up: Σ per-direction KL = the total; Σ w2sq = the core's W2² (another code path).
          expect(close(sum(e.klForward as number[]), r.kl!.forward!, 1e-14), what).toBe(true);
          expect(close(sum(e.w2sq as number[]), r.w2! ** 2, 1e-12), what).toBe(true);
          // The metric does not change W2: the plain call gives the same number, bit for bit.
          expect((await continuous(LAMBDA, { eps, alpha, init: start })).w2, what).toBe(r.w2);
        }
      }
    }
  });

  it('metric kl, w2 and perEigenvalue give the fields asked for; the defaults are unchanged', async () => {
    const plain = await continuous(LAMBDA, { eps: 1e-3 });
    expect(Object.keys(plain).sort()).toEqual(['alpha', 'eps', 'init', 'w2']);
    const kl = await continuous(LAMBDA, { eps: 1e-3, metric: 'kl' });
    expect(Object.keys(kl).sort()).toEqual(['alpha', 'eps', 'init', 'kl', 'w2']);
    expect(kl.w2).toBe(plain.w2);
    const per = await continuous(LAMBDA, { eps: 1e-3, perEigenvalue: true });
    expect(per.kl).toBeUndefined();
    expect(per.perEigenvalue!.klForward).toBeUndefined();
    expect(per.perEigenvalue!.w2sq).toHaveLength(LAMBDA.length);
  });
});

describe('ablation: the continuous columns carry KL with metric kl/both', () => {
  it('each column\'s kl is continuous(…, { metric })\'s, bit for bit; none without a metric', async () => {
    const r = await ablation([0, ...LAMBDA], { schemes: ['em', 'euler'], nfe: [10], eps: [0, 1e-3], metric: 'both', threads: 1 });
    expect(r.continuous).toHaveLength(8);
    for (const c of r.continuous) {
      const one = await continuous([0, ...LAMBDA], { eps: c.eps, alpha: c.scheme === 'sde' ? 1 : 0, init: c.init, metric: 'both' });
      expect(c.kl, JSON.stringify(c)).toEqual(one.kl);
      expect(c.w2).toBe(one.w2);
    }
    // ε > 0 leaves noise in the zero direction: null, not a large number
    expect(r.continuous.filter((c) => c.eps > 0).every((c) => c.kl!.forward === null)).toBe(true);
    const plain = await ablation(LAMBDA, { schemes: ['em'], nfe: [10], eps: [0], threads: 1 });
    expect(plain.continuous.every((c) => !('kl' in c))).toBe(true);
  });
});

describe('continuous: identities', () => {
  it('the exact start at ε = 0 has KL 0 (any α, zero eigenvalues included); with pT, KL does not depend on α', async () => {
    for (const alpha of [0, 1, 3]) {
      const r = await continuous([0, ...LAMBDA], { eps: 0, alpha, init: 'pT', metric: 'both', perEigenvalue: true });
      expect(r.kl!.forward!).toBeLessThanOrEqual(1e-15);
      expect(r.kl!.reverse!).toBeLessThanOrEqual(1e-15);
      expect(r.w2!).toBeLessThanOrEqual(1e-12);
    }
    const a = await continuous(LAMBDA, { eps: 0.02, alpha: 0, init: 'pT', metric: 'both' });
    const b = await continuous(LAMBDA, { eps: 0.02, alpha: 1, init: 'pT', metric: 'both' });
    expect(a.kl).toEqual(b.kl);
    expect(a.kl!.forward!).toBeGreaterThan(0);
  });

  it('ε → 0 with the exact start: KL → 0 like ε² (truncation: λ_ε − λ ≈ 2B_ε(1 − λ), B_ε ≈ βmin·ε; KL ≈ Σ x²/4)', async () => {
    const kls = [];
    for (const eps of [1e-4, 1e-5, 1e-6]) kls.push((await continuous(LAMBDA, { eps, init: 'pT', metric: 'kl' })).kl!.forward!);
    // (B(1e-4)/B(1e-5))² ≈ 101.8, (B(1e-5)/B(1e-6))² ≈ 100.2
    expect(kls[0] / kls[1]).toBeGreaterThan(99);
    expect(kls[0] / kls[1]).toBeLessThan(104);
    expect(kls[1] / kls[2]).toBeGreaterThan(98);
    expect(kls[1] / kls[2]).toBeLessThan(102);
  });
});

describe('continuous: the dense path (continuousErrorMatrix + klGaussian) at d = 5', () => {
  const d = 5;
  const lam = [0.02, 0.4, 1, 2.5, 12];
  const U = randomOrthogonal(d, 4242) as Float64Array;
  const dense = (diag: readonly number[]) => {
    const s = new Float64Array(d * d);
    for (let k = 0; k < d; k++) for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) s[r * d + c] += diag[k] * U[r * d + k] * U[c * d + k];
    return s;
  };
  const sigma = dense(lam);
  const identity = dense([1, 1, 1, 1, 1]);

  it('N(0, I) start, SDE and ODE: the same KL both ways (1e-9 relative)', async () => {
    for (const alpha of [1, 0]) {
      for (const eps of [1e-3, 0.1]) {
        const m = continuousErrorMatrix(sigma, identity, { alpha, eps });
        const r = await continuous(lam, { alpha, eps, metric: 'both' });
        const fwd = klGaussian(null, m.cov, null, sigma)!;
        const rev = klGaussian(null, sigma, null, m.cov)!;
        expect(close(r.kl!.forward!, fwd, 1e-9), `α = ${alpha}, ε = ${eps}: ${r.kl!.forward} vs ${fwd}`).toBe(true);
        expect(close(r.kl!.reverse!, rev, 1e-9), `α = ${alpha}, ε = ${eps}: ${r.kl!.reverse} vs ${rev}`).toBe(true);
      }
    }
  });

  it('a start that does not commute with Σ: KL by klGaussian on continuousErrorMatrix\'s covariance; it differs from the commuting start of the same eigenvalues', () => {
    const C = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) C[i * d + j] = (i === j ? 1.5 : 0) + 0.1 * Math.cos(i + 2 * j) * Math.cos(j + 2 * i);
    const m = continuousErrorMatrix(sigma, C, { alpha: 1, eps: 1e-2 });
    const kl = klGaussian(null, m.cov, null, sigma);
    expect(kl).not.toBeNull();
    expect(kl!).toBeGreaterThan(0);
    expect(Number.isFinite(kl!)).toBe(true);
  });
});

describe('continuous: infinite KL is null', () => {
  it('a zero eigenvalue with noise left in it (ε > 0): totals and that direction null, the others numbers', async () => {
    const lam = [0, 0.5, 4];
    for (const [eps, start] of [[1e-3, 'N0'], [1e-3, 'pT'], [0.3, 'N0']] as const) {
      const r = await continuous(lam, { eps, init: start, metric: 'both', perEigenvalue: true });
      const what = `ε = ${eps}, ${start}`;
      expect(r.kl, what).toEqual({ forward: null, reverse: null });
      const e = r.perEigenvalue!;
      expect(e.klForward![0], what).toBeNull();
      expect(e.klReverse![0], what).toBeNull();
      for (const i of [1, 2]) {
        expect(typeof e.klForward![i], what).toBe('number');
        expect(e.klForward![i]!).toBeLessThan(10);
      }
      expect(e.klForwardShare!.every((x) => x === null), what).toBe(true);
      expect(typeof r.w2, what).toBe('number');
    }
  });

  it('at ε = 0 the process collapses a zero eigenvalue exactly (λ_0 = 0 gives v = 0, docs/MATH.md §2): that direction\'s KL is 0, even from N(0, I)', async () => {
    const r = await continuous([0, 0.5, 4], { eps: 0, init: 'N0', metric: 'both', perEigenvalue: true });
    expect(r.perEigenvalue!.variances[0]).toBe(0);
    expect(r.perEigenvalue!.klForward![0]).toBe(0);
    expect(r.perEigenvalue!.klReverse![0]).toBe(0);
    expect(r.kl!.forward!).toBeGreaterThan(0);
  });

  it('bad metric or perEigenvalue: RangeError / TypeError naming the option', async () => {
    await expect(continuous(LAMBDA, { eps: 0, metric: 'kl2' as never })).rejects.toThrow(/^metric must be one of w2, kl, both \(got "kl2"\)/);
    await expect(continuous(LAMBDA, { eps: 0, perEigenvalue: 'yes' as never })).rejects.toThrow(TypeError);
    await expect(continuous(LAMBDA, { eps: 0, perEigenvalue: 'yes' as never })).rejects.toThrow(/^perEigenvalue must be a boolean/);
  });
});

describe('CLI: continuous --metric', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const bin = path.join(root, 'bin', 'gaussdiff.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-continuous-kl-'));
  const cli = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir }, (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }));
  });
  const spectrum = path.join(dir, 'lam.json');
  writeFileSync(spectrum, JSON.stringify(LAMBDA));

  it('--metric both --format json → {"alpha","eps","init","w2","kl":{"forward","reverse"}}, the API\'s numbers', async () => {
    const r = await cli('continuous', '--spectrum', spectrum, '--eps', '1e-3', '--alpha', '0', '--metric', 'both', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['alpha', 'eps', 'init', 'w2', 'kl']);
    expect(Object.keys(json.kl)).toEqual(['forward', 'reverse']);
    const api = await continuous(LAMBDA, { eps: 1e-3, alpha: 0, metric: 'both' });
    expect(json.w2).toBe(api.w2);
    expect(json.kl).toEqual(api.kl);
    // independent: the closed form
    const v = LAMBDA.map((l) => refVariance(l, 1e-3, 0, 'N0'));
    expect(close(json.kl.forward, LAMBDA.reduce((a, l, i) => a + kl1(v[i], l), 0), 1e-8)).toBe(true);
  });

  it('--metric kl has no "w2"; --per-eigenvalue adds the table; null in JSON for an infinite KL', async () => {
    const kl = JSON.parse((await cli('continuous', '--spectrum', spectrum, '--eps', '1e-3', '--metric', 'kl')).stdout);
    expect(kl.w2).toBeUndefined();
    expect(typeof kl.kl.forward).toBe('number');
    const per = JSON.parse((await cli('continuous', '--spectrum', spectrum, '--eps', '1e-3', '--metric', 'both', '--per-eigenvalue')).stdout);
    expect(per.perEigenvalue.klForward).toHaveLength(LAMBDA.length);
    expect(per.perEigenvalue.eigenvalues).toEqual(LAMBDA);
    const zero = path.join(dir, 'zero.json');
    writeFileSync(zero, JSON.stringify([0, 1, 2]));
    const z = await cli('continuous', '--spectrum', zero, '--eps', '1e-3', '--metric', 'both');
    expect(z.code, z.stderr).toBe(0);
    expect(z.stdout).toMatch(/"forward": null/);
    expect(JSON.parse(z.stdout).kl).toEqual({ forward: null, reverse: null });
  });

  it('bad --metric exits 2 naming the flag; --help lists --metric', async () => {
    const bad = await cli('continuous', '--spectrum', spectrum, '--eps', '0', '--metric', 'w3');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--metric must be one of w2, kl, both \(got "w3"\)/);
    const help = await cli('continuous', '--help');
    expect(help.stdout).toMatch(/--metric M +w2 \(default\), kl/);
    expect(help.stdout).toMatch(/--per-eigenvalue/);
  });
});
