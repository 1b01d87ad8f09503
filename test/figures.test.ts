/**
 * Figures (bindings/figures*.ts) and the `figure` / `report` commands. The SVGs are parsed (with
 * linkedom, the DOM the package uses in Node) and checked for what a reader sees: one line per
 * series, the legend's labels, axis labels, log ticks at powers of ten, undefined points left out.
 * The numbers are checked against docs/MATH.md §2 (continuous processes against p_t, computed here from
 * the closed forms) and against `run` on one-eigenvalue spectra (Figure 2). Tolerances: 1e-9
 * relative unless stated.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser } from 'linkedom';
import { run, continuous, ablation, syntheticSpectrum, toNpy } from '../dist/bindings/index.node.js';
import {
  figureTime, figureEps, figureEigen, figureTimeData, figureEpsData, figureEigenData, renderFigure,
  figureCsv, figureSteps, formatLogTick, spectrumSummary, markdownTableToHtml, renderAblation, type FigureData,
} from '../dist/bindings/figures.node.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'gaussdiff.js');
const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-figures-'));

/** A small spectrum with a zero eigenvalue (so Heun and RK4 are undefined at ε = 0). */
const LAM = [0, 1e-4, 1e-3, 0.02, 0.2, 1, 1, 3.5, 40, 150];
const NFE = 40; // K = 39, 19, 9 for 1-, 2-, 4-evaluation schemes
const SIX = ['em', 'ei', 'ddpm', 'euler', 'heun', 'rk4'] as const;

function parseSvg(svg: string) {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  return doc.documentElement as unknown as Element;
}

const texts = (el: Element, selector: string) => Array.from(el.querySelectorAll(selector)).map((t) => t.textContent ?? '');

/** Vertices of each sub-path of a Plot line path ("M x,y L x,y … M …"). */
function vertices(d: string): [number, number][][] {
  return d.split('M').filter(Boolean).map((part) =>
    part.split('L').map((xy) => xy.replace(/Z$/, '').split(',').map(Number) as [number, number]));
}

function seriesGroups(el: Element): Map<string, Element> {
  const out = new Map<string, Element>();
  for (const g of Array.from(el.querySelectorAll('g[aria-description^="series "]'))) {
    out.set(g.getAttribute('aria-description')!.slice('series '.length), g);
  }
  return out;
}

function relClose(a: number, b: number, rel = 1e-9): void {
  expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(rel * Math.max(Math.abs(a), Math.abs(b), 1e-300));
}

/** docs/MATH.md §1: B_t for the default schedule (βmin 0.05, βmax 10, T 1). */
const B = (t: number) => 0.05 * t + (9.95 * t * t) / 2;
const lamT = (l: number, t: number) => Math.exp(-2 * B(t)) * l + 1 - Math.exp(-2 * B(t));

describe('Figure 1a (figureTime)', () => {
  let svg: string;
  let data: FigureData;
  beforeAll(async () => {
    data = await figureTimeData(LAM, { nfe: NFE, continuousPoints: 12 });
    svg = await renderFigure(data);
  });

  it('is a standalone SVG with one line per scheme plus the continuous SDE and ODE, labelled in the legend', async () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    const el = parseSvg(svg);
    const labels = ['EM (K = 39)', 'EI (K = 39)', 'DDPM (K = 39)', 'Euler (K = 39)', 'Heun (K = 19)', 'RK4 (K = 9)', 'continuous SDE', 'continuous ODE'];
    expect(texts(el, 'g[aria-label="legend entry"] text')).toEqual(labels);
    expect([...seriesGroups(el).keys()]).toEqual(labels);
    // The legend's swatches carry each line's colour and dash.
    const swatches = Array.from(el.querySelectorAll('g[aria-label="legend entry"] line'));
    const groups = [...seriesGroups(el).values()];
    swatches.forEach((line, i) => {
      expect(line.getAttribute('stroke')).toBe(groups[i].getAttribute('stroke'));
      expect(line.getAttribute('stroke-dasharray')).toBe(groups[i].getAttribute('stroke-dasharray'));
    });
    // Okabe–Ito colours, all distinct among the schemes.
    const colours = groups.slice(0, 6).map((g) => g.getAttribute('stroke'));
    expect(new Set(colours).size).toBe(6);
    expect(colours).toEqual(['#E69F00', '#56B4E9', '#009E73', '#0072B2', '#D55E00', '#CC79A7']);
  });

  it('labels the axes and puts log ticks at powers of ten, in order', () => {
    const el = parseSvg(svg);
    expect(texts(el, 'g[aria-label="x-axis label"] text')).toEqual(['t']);
    expect(texts(el, 'g[aria-label="y-axis label"] text')).toEqual(['W2(law at t, p_t)']);
    const ticks = Array.from(el.querySelectorAll('g[aria-label="y-axis tick label"] text'));
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    const exps = ticks.map((t) => t.textContent!).map((s) => (s === '1' ? 0 : s === '10' ? 1 : Number(s.slice(2).replace(/[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]/g, (c) => '-0123456789'['⁻⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(c)]))));
    for (const e of exps) expect(Number.isInteger(e)).toBe(true);
    for (let i = 1; i < exps.length; i++) expect(exps[i]).toBeGreaterThan(exps[i - 1]);
    // Higher powers sit higher (smaller SVG y): a log axis, not reversed.
    const ys = ticks.map((t) => Number(/translate\([^,]+,([^)]+)\)/.exec(t.getAttribute('transform')!)![1]));
    for (let i = 1; i < ys.length; i++) expect(ys[i]).toBeLessThan(ys[i - 1]);
    // Equal spacing per decade.
    const perDecade = ys.map((y, i) => (i ? (ys[i - 1] - y) / (exps[i] - exps[i - 1]) : 0)).slice(1);
    for (const d of perDecade) relClose(d, perDecade[0], 1e-9);
  });

  it('leaves out undefined points: Heun and RK4 end at t = ε = 0 with λ = 0 undefined, drawn one point short', () => {
    const heun = data.panels[0].series.find((s) => s.key === 'heun')!;
    expect(heun.points).toHaveLength(20);
    expect(heun.points.at(-1)!.y).toBeNull();
    expect(heun.points.slice(0, -1).every((p) => typeof p.y === 'number' && p.y > 0)).toBe(true);
    const g = seriesGroups(parseSvg(svg)).get('Heun (K = 19)')!;
    const paths = Array.from(g.querySelectorAll('path'));
    expect(paths).toHaveLength(1);
    expect(vertices(paths[0].getAttribute('d')!)[0]).toHaveLength(19);
    // EM is defined everywhere: all 40 points.
    const em = seriesGroups(parseSvg(svg)).get('EM (K = 39)')!;
    expect(vertices(em.querySelector('path')!.getAttribute('d')!)[0]).toHaveLength(40);
  });

  it('plots exactly run()’s trajectories, on each scheme’s own grid (K = NFE/e − 1)', async () => {
    for (const s of SIX) {
      const r = await run(LAM, { scheme: s, steps: figureSteps(s, NFE), eps: 0, init: 'N0' });
      const series = data.panels[0].series.find((x) => x.key === s)!;
      expect(series.points.map((p) => p.x)).toEqual(r.times);
      expect(series.points.map((p) => p.y)).toEqual(r.trajectory);
    }
    expect([figureSteps('em', 1000), figureSteps('heun', 1000), figureSteps('rk4', 1000)]).toEqual([999, 499, 249]);
  });

  it('continuous SDE and ODE: W2 to p_t from docs/MATH.md §2’s closed forms (N(0, I) start)', () => {
    const [sde, ode] = ['sde', 'ode'].map((k) => data.panels[0].series.find((s) => s.key === k)!);
    expect(sde.points.length).toBeGreaterThanOrEqual(6); // up to 12 (every ⌈39/12⌉-th time) and the last
    expect(sde.points.length).toBeLessThanOrEqual(13);
    expect(sde.points.at(-1)!.x).toBe(0);
    for (let i = 0; i < sde.points.length; i++) {
      const t = sde.points[i].x;
      let s2 = 0;
      let o2 = 0;
      for (const l of LAM) {
        const lt = lamT(l, t);
        const l1 = lamT(l, 1);
        const vSde = lt + Math.exp(-2 * (B(1) - B(t))) * (lt * lt / l1) * (1 / l1 - 1);
        const vOde = lt / l1;
        const sq = (v: number) => (v === lt ? 0 : (v - lt) ** 2 / (Math.sqrt(v) + Math.sqrt(lt)) ** 2);
        s2 += sq(vSde);
        o2 += sq(vOde);
      }
      relClose(sde.points[i].y!, Math.sqrt(s2), 1e-9);
      relClose(ode.points[i].y!, Math.sqrt(o2), 1e-9);
      expect(sde.points[i].y!).toBeLessThanOrEqual(ode.points[i].y! * (1 + 1e-12)); // Proposition 4
    }
  });

  it('at t = ε the continuous error against p_ε is continuous()’s error against the data when ε = 0', async () => {
    const sde = data.panels[0].series.find((s) => s.key === 'sde')!;
    relClose(sde.points.at(-1)!.y!, (await continuous(LAM, { eps: 0, alpha: 1, init: 'N0' })).w2!, 1e-9);
  });

  it('figureTime() = renderFigure(figureTimeData()) and validates its options', async () => {
    expect(await figureTime(LAM, { nfe: NFE, continuousPoints: 12 })).toBe(svg);
    await expect(figureTime(LAM, { nfe: 6 })).rejects.toThrow(/nfe must be at least 8 for rk4/);
    await expect(figureTime(LAM, { eps: 1 })).rejects.toThrow(RangeError);
    await expect(figureTime(LAM, { schemes: ['nope' as never] })).rejects.toThrow(/schemes\[0\]/);
  });
});

describe('Figure 1b (figureEps)', () => {
  const eps = [1e-4, 1e-3, 1e-2, 1e-1];
  let data: FigureData;
  let svg: string;
  beforeAll(async () => {
    data = await figureEpsData(LAM, { nfe: NFE, eps });
    svg = await figureEps(LAM, { nfe: NFE, eps });
  });

  it('final W2 per ε equals run() with K = NFE/e − 1, continuous equals continuous()', async () => {
    for (const s of SIX) {
      const series = data.panels[0].series.find((x) => x.key === s)!;
      expect(series.steps).toBe(figureSteps(s, NFE));
      for (const p of series.points) {
        expect(p.y).toBe((await run(LAM, { scheme: s, steps: figureSteps(s, NFE), eps: p.x, init: 'N0' })).w2);
      }
    }
    for (const [k, alpha] of [['sde', 1], ['ode', 0]] as const) {
      const series = data.panels[0].series.find((x) => x.key === k)!;
      for (const p of series.points) expect(p.y).toBe((await continuous(LAM, { eps: p.x, alpha, init: 'N0' })).w2);
    }
  });

  it('draws log–log axes with labelled decades and the legend', () => {
    const el = parseSvg(svg);
    expect(texts(el, 'g[aria-label="x-axis label"] text')).toEqual(['ε']);
    expect(texts(el, 'g[aria-label="x-axis tick label"] text')).toEqual(['10⁻⁴', '10⁻³', '10⁻²', '10⁻¹']);
    expect(texts(el, 'g[aria-label="legend entry"] text')).toHaveLength(8);
    for (const g of seriesGroups(el).values()) expect(vertices(g.querySelector('path')!.getAttribute('d')!)[0]).toHaveLength(4);
  });

  it('rejects ε = 0 (no place on a log axis), naming it', async () => {
    await expect(figureEps(LAM, { eps: [0, 1e-3] })).rejects.toThrow(/eps\[0\] must be in \(0, T\)/);
  });
});

describe('Figure 2 (figureEigen)', () => {
  let data: FigureData;
  let svg: string;
  beforeAll(async () => {
    data = await figureEigenData({ nfe: NFE, points: 25, lambdaMin: 1e-4, lambdaMax: 1e2 });
    svg = await renderFigure(data);
  });

  it('two panels (ε = 0 and 1e-3) side by side, one legend, the same series in each', () => {
    const el = parseSvg(svg);
    const panels = Array.from(el.querySelectorAll('svg > svg'));
    expect(panels).toHaveLength(2);
    expect(texts(el, 'g[aria-description="panel title"] text')).toEqual(['ε = 0', 'ε = 0.001']);
    expect(el.querySelectorAll('g[aria-label="legend"]')).toHaveLength(1);
    for (const p of panels) expect(seriesGroups(p).size).toBe(8);
    expect(texts(el, 'g[aria-label="x-axis label"] text')).toEqual(['λ', 'λ']);
    expect(texts(el, 'g[aria-label="y-axis label"] text')[0]).toBe('|√v_K(λ) − √λ|');
    expect(texts(panels[0], 'g[aria-label="x-axis tick label"] text')).toEqual(['10⁻⁴', '10⁻³', '10⁻²', '10⁻¹', '1', '10', '10²']);
  });

  it('each point is the W2 of the one-eigenvalue spectrum [λ] (a separate run of the core)', async () => {
    for (const [pi, eps] of [[0, 0], [1, 1e-3]] as const) {
      for (const s of ['em', 'heun'] as const) {
        const series = data.panels[pi].series.find((x) => x.key === s)!;
        for (const p of series.points.filter((_, i) => i % 6 === 0)) {
          const one = await run([p.x], { scheme: s, steps: figureSteps(s, NFE), eps, init: 'N0' });
          if (one.w2 === null) expect(p.y).toBeNull();
          else relClose(p.y!, one.w2, 1e-9);
        }
      }
    }
  });
});

describe('renderFigure: undefined and zero values', () => {
  const fig: FigureData = {
    kind: 'eps', title: 'test', x: { label: 'x', type: 'log' }, y: { label: 'y', type: 'log' }, settings: {},
    panels: [{
      title: '',
      series: [{
        key: 'em', label: 'gappy', kind: 'sde', continuous: false,
        points: [1, 2, 3, 4, 5, 6, 7, 8].map((x, i) => ({ x: 10 ** (x - 5), y: [0.1, 0.2, null, 0.3, 0, 0.5, null, 0.7][i] })),
      }],
    }],
  };

  it('null and (on a log axis) 0 are left out: the line breaks there; a lone point is a dot', async () => {
    const el = parseSvg(await renderFigure(fig));
    const g = seriesGroups(el).get('gappy')!;
    const runs = Array.from(g.querySelectorAll('path')).flatMap((p) => vertices(p.getAttribute('d')!));
    expect(runs.map((r) => r.length)).toEqual([2, 1, 1, 1]);
    // The last three runs are single points (0.3, 0.5, 0.7): dots mark them.
    expect(el.querySelectorAll('g[aria-description="points gappy"] circle')).toHaveLength(3);
    // Nothing is drawn at the bottom of the axis (where a 0 would land on a linear scale).
    const bottom = Math.max(...runs.flat().map(([, y]) => y));
    const y01 = runs[0][0][1];
    expect(bottom).toBeCloseTo(y01, 6); // 0.1 is the smallest plotted value
  });

  it('formatLogTick: powers of ten as 10ⁿ', () => {
    expect([1e-3, 0.1, 1, 10, 100, 1e12, 2e-3].map(formatLogTick)).toEqual(['10⁻³', '10⁻¹', '1', '10', '10²', '10¹²', '0.002']);
  });

  it('figureCsv writes one row per point, empty for undefined', () => {
    const csv = figureCsv(fig).trim().split('\n');
    expect(csv[0]).toBe('panel,series,x,y');
    expect(csv).toHaveLength(9);
    expect(csv[3]).toBe('"","gappy",0.01,');
  });
});

describe('report pieces', () => {
  it('spectrumSummary', () => {
    expect(spectrumSummary([0, 1, 1, 4])).toEqual({ dim: 4, distinct: 3, zeros: 1, min: 0, max: 4, trace: 6 });
  });

  it('markdownTableToHtml keeps every cell of the ablation table', async () => {
    const r = await ablation(LAM, { nfe: [50], eps: [0, 1e-3], threads: 1 });
    const md = renderAblation(r, 'md', { spectrum: 'x' });
    const html = markdownTableToHtml(md);
    const rows = md.split('\n').filter((l) => l.startsWith('|') && !l.startsWith('| ---'));
    expect((html.match(/<tr>/g) ?? []).length).toBe(rows.length);
    for (const row of rows.slice(1)) {
      for (const cell of row.slice(1, -1).split('|').map((c) => c.trim())) expect(html).toContain(cell);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The CLI commands.

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

describe('gaussdiff figure', () => {
  const spectrumFile = path.join(dir, 'lam.npy');
  beforeAll(() => writeFileSync(spectrumFile, toNpy({ shape: [LAM.length], data: Float64Array.from(LAM) })));

  it('--kind time writes the same SVG as the API, atomically', async () => {
    const out = path.join(dir, 'time.svg');
    const r = await cli('figure', '--kind', 'time', '--spectrum', spectrumFile, '--nfe', String(NFE), '--points', '12', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe((await figureTime(LAM, { nfe: NFE, continuousPoints: 12 })) + '\n');
  });

  it('--kind eps and eigen (no input needed for eigen); json and csv formats', async () => {
    const eps = await cli('figure', '--kind', 'eps', '--spectrum', spectrumFile, '--nfe', '40', '--eps', '1e-3,1e-2');
    expect(eps.code, eps.stderr).toBe(0);
    expect(texts(parseSvg(eps.stdout.trim()), 'g[aria-label="legend entry"] text')).toHaveLength(8);
    const eigen = await cli('figure', '--kind', 'eigen', '--nfe', '40', '--points', '9', '--schemes', 'em,heun', '--format', 'json');
    expect(eigen.code, eigen.stderr).toBe(0);
    const data = JSON.parse(eigen.stdout);
    expect(data.kind).toBe('eigen');
    expect(data.panels).toHaveLength(2);
    expect(data.panels[0].series.map((s: { key: string }) => s.key)).toEqual(['em', 'heun', 'sde', 'ode']);
    expect(data.settings).toMatchObject({ nfe: 40, steps: { em: 39, heun: 19 }, eps: [0, 1e-3], points: 9 });
    const csv = await cli('figure', '--kind', 'eigen', '--nfe', '40', '--points', '9', '--schemes', 'em', '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toBe('panel,series,x,y');
    expect(csv.stdout.trim().split('\n')).toHaveLength(1 + 2 * 3 * 9);
  });

  it('bad flags exit 2 naming the flag', async () => {
    for (const [args, pattern] of [
      [['figure'], /--kind is required/],
      [['figure', '--kind', 'bars'], /--kind must be one of time, eps, eigen/],
      [['figure', '--kind', 'eps', '--spectrum', spectrumFile, '--eps', '0,1e-3'], /eps\[0\] must be in \(0, T\)/],
      [['figure', '--kind', 'time', '--spectrum', spectrumFile, '--nfe', '5'], /--nfe must be at least/],
      [['figure', '--kind', 'time', '--spectrum', spectrumFile, '--width', '5'], /--width must be an integer/],
    ] as const) {
      const r = await cli(...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('gaussdiff report', () => {
  const spectrumFile = path.join(dir, 'syn.json');
  // The paper's part alone (the samplers section: test/figures-samplers.test.ts).
  const args = ['--nfe', '50,100', '--eps', '0,1e-3', '--figure-nfe', '40', '--no-samplers'];
  beforeAll(() => writeFileSync(spectrumFile, JSON.stringify(Array.from(syntheticSpectrum(300)))));

  it('HTML: self-contained (no http/https, no scripts), summary, the table, three figures, settings', async () => {
    const out = path.join(dir, 'report.html');
    const r = await cli('report', '--spectrum', spectrumFile, ...args, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html).toMatch(/<th>dimension d<\/th><td>300<\/td>/);
    expect(html).toMatch(/<th>distinct eigenvalues<\/th><td>300<\/td>/);
    // The table: the same cells as `gaussdiff ablation`'s Markdown.
    const table = await ablation(JSON.parse(readFileSync(spectrumFile, 'utf8')), { nfe: [50, 100], eps: [0, 1e-3], threads: 1 });
    const md = renderAblation(table, 'md', { spectrum: 'syn.json (d = 300)' });
    expect(html).toContain(markdownTableToHtml(md.split('\n').slice(1).join('\n')));
    expect((html.match(/<tr>/g) ?? []).length).toBe(7 /* summary */ + 1 + 6 * 2);
    const figures = html.match(/<figure>[\s\S]*?<\/figure>/g) ?? [];
    expect(figures).toHaveLength(3);
    expect(figures.map((f) => /<figcaption>(Figure [12][ab]?)\./.exec(f)![1])).toEqual(['Figure 1a', 'Figure 1b', 'Figure 2']);
    for (const f of figures) expect(f).toMatch(/<svg[\s\S]*<\/svg>/);
    // Every setting: schedule, ablation grid, each figure's NFE and steps.
    expect(html).toContain('&quot;betaMax&quot;: 10');
    expect(html).toContain('&quot;nfe&quot;: [50, 100]');
    expect(html).toMatch(/&quot;rk4&quot;: 9/);
  });

  it('Markdown: the report plus its three SVGs beside it', async () => {
    const out = path.join(dir, 'rep.md');
    const r = await cli('report', '--spectrum', spectrumFile, ...args, '--format', 'md', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    for (const kind of ['time', 'eps', 'eigen']) {
      const file = path.join(dir, `rep-${kind}.svg`);
      expect(existsSync(file)).toBe(true);
      expect(md).toContain(`](rep-${kind}.svg)`);
      expect(readFileSync(file, 'utf8').startsWith('<svg xmlns=')).toBe(true);
    }
    expect(md).toContain('| EM | 0 |');
  });

  it('needs --out (exit 2)', async () => {
    const r = await cli('report', '--spectrum', spectrumFile);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out is required/);
  });
});
