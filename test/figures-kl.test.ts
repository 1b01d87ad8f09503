/**
 * KL in the figures and the report (bindings/figures/metric.ts; `figure --kind nfe|eigen --metric
 * kl [--kl reverse]`, `report --metric kl`; docs/metrics.md "Figures"):
 *  1. the points are the metric asked for: the NFE figure's y = compare's cells' kl.forward (or
 *     .reverse), bit for bit; the per-eigenvalue figures' y = the 1-D KL of the run's variance
 *     (klNormal, 1e-14), and the continuous SDE/ODE curves = continuous([λ]) one eigenvalue at a
 *     time (1e-13 against the perEigenvalue path the figure uses);
 *  2. the axis label and title name the metric, and the SVG changes with it (fails if ignored);
 *  3. an infinite KL is a gap: null in JSON, empty in CSV, no point drawn, counted in the note;
 *  4. errors name the flag (--metric on time/eps, both, --kl without kl, report --no-samplers);
 *  5. report --figure-nfe messages name --figure-nfe (not --nfe or --steps), before any work;
 *  6. a sweep plan's options axis: unknown keys exit 2 naming their JSON path; metric kl
 *     records klForward/klReverse (the run's kl).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser } from 'linkedom';
import {
  compareSync, continuous, init, klNormal, run, runSamplerSync, syntheticSpectrum, SAMPLER_RUN_OPTIONS, SCHEME_RUN_OPTIONS,
} from '../dist/bindings/index.node.js';
import {
  figureEigenData, figureNfeData, figureSamplerEigenData, logGrid, nfeFigureOf, renderFigure, resolveFigureMetric, type FigureData,
} from '../dist/bindings/figures.node.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'gaussdiff.js');
const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-figures-kl-'));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** A zero eigenvalue: dpm_fast (whose grid stops at σ_min > 0) leaves noise there: KL = ∞. */
const LAM = [0, 1e-3, 0.02, 0.2, 1, 3.5, 40];
const SAMPLERS = ['euler', 'heun', 'dpm_fast'];
const spectrumFile = path.join(dir, 'lam.json');

const parseSvg = (svg: string) => new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement as unknown as Element;
const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));

beforeAll(async () => {
  await init();
  writeFileSync(spectrumFile, JSON.stringify(LAM));
});

describe('figure --kind nfe --metric kl', () => {
  it('the points are compare\'s kl.forward (default) or kl.reverse; labels name the metric; infinite KL is a gap counted in the note', async () => {
    const cells = compareSync(LAM, { samplers: SAMPLERS, steps: [4, 8], metric: 'kl' }).cells;
    const w2 = await figureNfeData(LAM, { samplers: SAMPLERS, steps: [4, 8] });
    const fwd = await figureNfeData(LAM, { samplers: SAMPLERS, steps: [4, 8], metric: 'kl' });
    const rev = await figureNfeData(LAM, { samplers: SAMPLERS, steps: [4, 8], metric: 'kl', kl: 'reverse' });
    expect(fwd.panels[0].series.flatMap((s) => s.points)).toEqual(cells.map((c) => ({ x: c.nfe, y: c.kl!.forward })));
    expect(rev.panels[0].series.flatMap((s) => s.points)).toEqual(cells.map((c) => ({ x: c.nfe, y: c.kl!.reverse })));
    expect(w2.panels[0].series.flatMap((s) => s.points)).toEqual(cells.map((c) => ({ x: c.nfe, y: c.w2 })));
    // euler and heun end at σ = 0 (finite KL); dpm_fast does not: its KL is infinite → null.
    const dpmFast = fwd.panels[0].series.find((s) => s.key === 'dpm_fast/own')!;
    expect(dpmFast.points.map((p) => p.y)).toEqual([null, null]);
    expect(fwd.panels[0].series[0].points.every((p) => typeof p.y === 'number' && p.y > 0)).toBe(true);
    expect(w2.y.label).toBe('W2(output, data)');
    expect(fwd.y.label).toBe('KL(output ‖ data), nats');
    expect(rev.y.label).toBe('KL(data ‖ output), nats');
    expect(fwd.title).toMatch(/^KL\(output ‖ data\) against NFE/);
    expect(w2.note).toBeUndefined();
    expect(fwd.note).toMatch(/forward KL.*gaps: 2 points where KL is infinite or undefined/);
    expect(fwd.settings).toMatchObject({ metric: 'kl', kl: 'forward' });
    // nfeFigureOf on a comparison with KL: the same figure.
    expect(nfeFigureOf(compareSync(LAM, { samplers: SAMPLERS, steps: [4, 8], metric: 'both' }), { metric: 'kl' }).panels).toEqual(fwd.panels);
    // The SVG: the y label, the note, and no point drawn for the nulls.
    const svg = await renderFigure(fwd);
    expect(svg).toContain('KL(output ‖ data), nats');
    expect(svg).not.toContain('W2(output, data)');
    const el = parseSvg(svg);
    const note = el.querySelector('text[aria-label="note"]');
    expect(note?.textContent).toContain('gaps: 2 points');
    const dpmGroup = el.querySelector('g[aria-description="series dpm_fast (own grid)"]');
    expect(dpmGroup === null || dpmGroup.querySelectorAll('path').length === 0).toBe(true);
  });

  it('CLI: --metric kl changes the numbers, the y axis and the note; json/csv carry null / empty for infinite KL', async () => {
    const args = ['figure', '--kind', 'nfe', '--spectrum', spectrumFile, '--samplers', SAMPLERS.join(','), '--steps', '4,8'];
    const w2 = await cli(...args);
    const kl = await cli(...args, '--metric', 'kl');
    expect(kl.code, kl.stderr).toBe(0);
    expect(kl.stdout).not.toBe(w2.stdout);
    expect(kl.stdout).toContain('KL(output ‖ data), nats');
    expect(w2.stdout).toContain('W2(output, data)');
    const yTicks = (svg: string) => Array.from(parseSvg(svg).querySelectorAll('g[aria-label="y-axis tick label"] text')).map((t) => t.textContent).join(',');
    expect(yTicks(kl.stdout)).not.toBe(yTicks(w2.stdout));
    const json = JSON.parse((await cli(...args, '--metric', 'kl', '--kl', 'reverse', '--format', 'json')).stdout) as FigureData;
    const cells = compareSync(LAM, { samplers: SAMPLERS, steps: [4, 8], metric: 'kl' }).cells;
    expect(json.panels[0].series.flatMap((s) => s.points)).toEqual(cells.map((c) => ({ x: c.nfe, y: c.kl!.reverse })));
    const csv = (await cli(...args, '--metric', 'kl', '--format', 'csv')).stdout.trim().split('\n');
    expect(csv.filter((l) => l.startsWith('"","dpm_fast (own grid)"'))).toEqual(['"","dpm_fast (own grid)",4,', '"","dpm_fast (own grid)",8,']);
  });
});

describe('figure --kind eigen --metric kl', () => {
  it('the paper\'s schemes: each direction\'s KL of run\'s variances (1e-14); the continuous curves = continuous() one eigenvalue at a time (1e-13)', async () => {
    const grid = Array.from(logGrid(1e-3, 100, 6));
    for (const kl of ['forward', 'reverse'] as const) {
      const data = await figureEigenData({ schemes: ['em', 'heun'], nfe: 40, eps: [0, 1e-2], points: 6, lambdaMin: 1e-3, lambdaMax: 100, metric: 'kl', kl });
      expect(data.y.label).toBe(kl === 'forward' ? 'KL(N(0, v_K(λ)) ‖ N(0, λ)), nats' : 'KL(N(0, λ) ‖ N(0, v_K(λ))), nats');
      expect(data.title).toContain(kl === 'forward' ? 'KL(output ‖ data)' : 'KL(data ‖ output)');
      for (const [p, eps] of [[0, 0], [1, 1e-2]] as const) {
        const series = data.panels[p].series;
        for (const [j, scheme] of (['em', 'heun'] as const).entries()) {
          const v = (await run(grid, { scheme, steps: scheme === 'em' ? 39 : 19, eps, variances: true })).variances!;
          series[j].points.forEach((pt, i) => {
            const ref = kl === 'forward' ? klNormal(0, v[i], 0, grid[i])! : klNormal(0, grid[i], 0, v[i])!;
            expect(close(pt.y!, ref, 1e-14), `${scheme} ε = ${eps} λ = ${grid[i]}`).toBe(true);
          });
        }
        for (const [j, alpha] of [[2, 1], [3, 0]] as const) {
          for (const [i, x] of grid.entries()) {
            const one = (await continuous([x], { eps, alpha, metric: 'kl' })).kl![kl]!;
            expect(close(series[j].points[i].y!, one, 1e-13), `${series[j].label} ε = ${eps} λ = ${x}`).toBe(true);
          }
        }
      }
    }
    const w2 = await figureEigenData({ schemes: ['em'], nfe: 40, points: 6, lambdaMin: 1e-3, lambdaMax: 100 });
    expect(w2.y.label).toBe('|√v_K(λ) − √λ|');
    expect(w2.note).toBeUndefined();
  });

  it('library samplers (--samplers): each direction\'s KL of runSampler\'s variances; the CLI\'s SVG names KL and differs from W2\'s', async () => {
    const data = await figureSamplerEigenData({ samplers: ['euler', 'dpmpp_2m'], steps: 6, points: 5, lambdaMin: 1e-2, lambdaMax: 10, metric: 'kl' });
    const grid = Array.from(logGrid(1e-2, 10, 5));
    for (const [j, sampler] of ['euler', 'dpmpp_2m'].entries()) {
      const v = runSamplerSync(grid, { sampler, steps: 6, variances: true }).variances!;
      data.panels[0].series[j].points.forEach((p, i) => expect(close(p.y!, klNormal(0, v[i], 0, grid[i])!, 1e-14)).toBe(true));
    }
    expect(data.y.label).toBe('KL(N(0, v(λ)) ‖ N(0, λ)), nats');
    expect(data.note).toMatch(/every value finite/);
    const args = ['figure', '--kind', 'eigen', '--samplers', 'euler', '--steps', '6', '--points', '7'];
    const a = await cli(...args);
    const b = await cli(...args, '--metric', 'kl');
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toContain('KL(N(0, v(λ)) ‖ N(0, λ)), nats');
    expect(a.stdout).toContain('|√v(λ) − √λ|');
    expect(b.stdout).not.toBe(a.stdout);
    const paper = await cli('figure', '--kind', 'eigen', '--schemes', 'em', '--nfe', '20', '--points', '5', '--metric', 'kl', '--kl', 'reverse', '--format', 'json');
    expect(paper.code, paper.stderr).toBe(0);
    expect(JSON.parse(paper.stdout).settings).toMatchObject({ metric: 'kl', kl: 'reverse' });
  });
});

describe('errors', () => {
  it('API: metric both or kl without metric kl are RangeErrors naming the option', () => {
    expect(() => resolveFigureMetric({ metric: 'both' as never })).toThrow(/^metric must be one of w2, kl \(got "both"\)/);
    expect(() => resolveFigureMetric({ kl: 'reverse' })).toThrow(/^kl must be absent unless metric is 'kl'/);
    expect(() => resolveFigureMetric({ metric: 'kl', kl: 'sideways' as never })).toThrow(/^kl must be one of forward, reverse/);
    expect(() => nfeFigureOf(compareSync(LAM, { samplers: ['euler'], steps: [4] }), { metric: 'kl' })).toThrow(/^result\.metric must be 'kl' or 'both'/);
  });

  it('CLI: exit 2 naming the flag', async () => {
    for (const [args, message] of [
      [['--kind', 'time', '--metric', 'kl'], /--metric is for --kind nfe or eigen \(got --kind time\)/],
      [['--kind', 'eps', '--metric', 'w2'], /--metric is for --kind nfe or eigen \(got --kind eps\)/],
      [['--kind', 'nfe', '--samplers', 'euler', '--metric', 'both'], /--metric must be w2 or kl for a figure/],
      [['--kind', 'nfe', '--samplers', 'euler', '--metric', 'kll'], /--metric must be one of w2, kl \(got "kll"\)/],
      [['--kind', 'nfe', '--samplers', 'euler', '--kl', 'reverse'], /--kl needs --metric kl/],
      [['--kind', 'eigen', '--metric', 'kl', '--kl', 'up'], /--kl must be one of forward, reverse \(got "up"\)/],
    ] as [string[], RegExp][]) {
      const r = await cli('figure', '--spectrum', spectrumFile, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    const help = await cli('figure', '--help');
    expect(help.stdout).toMatch(/--metric M +nfe, eigen: w2 \(default\) or kl/);
    expect(help.stdout).toMatch(/forward KL\(output‖data\)/);
  });
});

describe('report', () => {
  const syn = path.join(dir, 'syn.json');
  beforeAll(() => writeFileSync(syn, JSON.stringify(Array.from(syntheticSpectrum(100)))));
  const paper = ['--nfe', '20', '--eps', '0', '--figure-nfe', '20', '--schemes', 'em,heun'];

  it('--metric kl: the samplers table and figure show the forward KL, and say so', async () => {
    const out = path.join(dir, 'kl.html');
    const r = await cli('report', '--spectrum', syn, ...paper, '--samplers', 'euler,heun', '--steps', '4,8', '--metric', 'kl', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('KL(sampler ‖ data) in nats');
    expect(html).toContain('KL(output ‖ data) in nats with four significant digits');
    expect(html).toMatch(/<figcaption>Samplers\. KL\(output ‖ data\) against NFE/);
    const cells = compareSync(JSON.parse(readFileSync(syn, 'utf8')), { samplers: ['euler'], steps: [4], metric: 'kl' }).cells;
    expect(html).toContain(`<td>${Number(cells[0].kl!.forward!.toPrecision(4))} (4)</td>`);
    const w2 = path.join(dir, 'w2.html');
    expect((await cli('report', '--spectrum', syn, ...paper, '--samplers', 'euler,heun', '--steps', '4,8', '--out', w2)).code).toBe(0);
    expect(readFileSync(w2, 'utf8')).toMatch(/<figcaption>Samplers\. W2 to the data against NFE/);
    const bad = await cli('report', '--spectrum', syn, ...paper, '--no-samplers', '--metric', 'kl', '--out', path.join(dir, 'bad.html'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--metric cannot be combined with --no-samplers/);
  });

  it('--figure-nfe errors name --figure-nfe (not --nfe or --steps), before the ablation, nothing written', async () => {
    for (const [value, message] of [
      ['3', /--figure-nfe must be at least 4 for heun/],
      ['20000000', /--figure-nfe must be small enough to give at most \d+ steps/],
      ['0', /--figure-nfe must be a positive integer/],
    ] as const) {
      const out = path.join(dir, `nfe-${value}.html`);
      const r = await cli('report', '--spectrum', syn, '--nfe', '20', '--eps', '0', '--schemes', 'em,heun', '--figure-nfe', value, '--no-samplers', '--out', out);
      expect(r.code, value).toBe(2);
      expect(r.stderr, value).toMatch(message);
      expect(r.stderr, value).not.toMatch(/(^|\s)--(nfe|steps)\b/);
      expect(existsSync(out)).toBe(false);
    }
    // figure itself still names its own --nfe
    const f = await cli('figure', '--kind', 'eps', '--spectrum', syn, '--nfe', '20000000');
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/--nfe must be small enough/);
  });
});

describe('sweep plan: the options axis', () => {
  it('unknown keys exit 2 naming their JSON path and the run options; known ones run, metric kl records klForward/klReverse', async () => {
    const plan = (name: string, grid: unknown) => {
      const f = path.join(dir, name);
      writeFileSync(f, JSON.stringify({ inputs: [{ spectrum: 'lam.json' }], grid }));
      return f;
    };
    const bad = [
      [plan('p1.json', [{ sampler: 'euler', steps: 4, options: { metrc: 'kl' } }]), /\$\.grid\[0\]\.options\.metrc: is not a run option of library samplers/],
      [plan('p2.json', [{ scheme: 'em', steps: 4, options: [{ metric: 'kl' }, { perEigenvalues: true }] }]), /\$\.grid\[0\]\.options\[1\]\.perEigenvalues: is not a run option of the paper's schemes/],
      // a sampler-only option on a scheme cell
      [plan('p3.json', [{ scheme: 'em', steps: 4, options: { means: [0, 0, 0, 0, 0, 0, 0] } }]), /\$\.grid\[0\]\.options\.means: is not a run option of the paper's schemes/],
    ] as const;
    for (const [file, message] of bad) {
      const r = await cli('sweep', file, '--no-progress', '--out', path.join(dir, 'never'));
      expect(r.code, file).toBe(2);
      expect(r.stderr, file).toMatch(message);
    }
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
    // The lists are the API's option names: every key the message offers is one.
    expect(SCHEME_RUN_OPTIONS).toContain('metric');
    expect(SAMPLER_RUN_OPTIONS).toContain('means');
    expect(SCHEME_RUN_OPTIONS).not.toContain('means');
    const good = plan('p4.json', [{ sampler: 'euler', steps: 4, options: { metric: 'both' } }]);
    const out = path.join(dir, 'p4.results');
    const r = await cli('sweep', good, '--no-progress', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const line = JSON.parse(readFileSync(path.join(out, readdirSync(out)[0]), 'utf8').trim());
    const api = runSamplerSync(LAM, { sampler: 'euler', steps: 4, metric: 'both' });
    expect(line.result.klForward).toBe(api.kl!.forward);
    expect(line.result.klReverse).toBe(api.kl!.reverse);
    expect(line.result.w2).toBe(api.w2);
  });
});
