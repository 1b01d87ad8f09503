/**
 * Library samplers' figures and the report's samplers section (bindings/figures/samplers.ts,
 * `gaussdiff figure --kind nfe`, `figure --kind eigen --samplers`, `report`): one series per
 * sampler (and grid builder), its points exactly `compare`'s cells (NFE, W2) or `runSampler`'s
 * per-eigenvalue variances; the SVG parsed with linkedom.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser } from 'linkedom';
import { compareSync, init, runSamplerSync, syntheticSpectrum, SAMPLER_REGISTRY } from '../dist/bindings/index.node.js';
import {
  figureNfeData, figureNfe, figureSamplerEigenData, renderFigure, renderCompare, nfeFigureOf, logGrid, type FigureData,
} from '../dist/bindings/figures.node.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'gaussdiff.js');
const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-figures-samplers-'));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

const LAM = [0, 1e-4, 1e-3, 0.02, 0.2, 1, 1, 3.5, 40, 150];

function parseSvg(svg: string) {
  return new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement as unknown as Element;
}
const texts = (el: Element, selector: string) => Array.from(el.querySelectorAll(selector)).map((t) => t.textContent ?? '');
function seriesGroups(el: Element): Map<string, Element> {
  const out = new Map<string, Element>();
  for (const g of Array.from(el.querySelectorAll('g[aria-description^="series "]'))) out.set(g.getAttribute('aria-description')!.slice('series '.length), g);
  return out;
}

beforeAll(async () => {
  await init();
});

describe('W2 against NFE (figureNfeData, figure --kind nfe)', () => {
  it('one series per sampler (and grid builder), its points compare\'s (NFE, W2) cells; log axes; registry colours', async () => {
    const samplers = ['euler', 'heun', 'dpm_fast', 'dpmpp_2m'];
    const data = await figureNfeData(LAM, { samplers, schedulers: ['karras', 'exponential'], steps: [4, 8, 16] });
    const cells = compareSync(LAM, { samplers, schedulers: ['karras', 'exponential'], steps: [4, 8, 16] }).cells;
    expect(data.kind).toBe('nfe');
    expect(data.x.type).toBe('log');
    expect(data.y.type).toBe('log');
    const series = data.panels[0].series;
    expect(series.map((s) => s.label)).toEqual([
      'euler (karras)', 'euler (exponential)', 'heun (karras)', 'heun (exponential)', 'dpm_fast (own grid)', 'dpmpp_2m (karras)', 'dpmpp_2m (exponential)',
    ]);
    for (const s of series) {
      const [sampler, scheduler] = (s.key as string).split('/');
      expect(s.points).toEqual(cells.filter((c) => c.sampler === sampler && c.scheduler === scheduler).map((c) => ({ x: c.nfe, y: c.w2 })));
      expect(s.colour).toBe(SAMPLER_REGISTRY[sampler].colour);
    }
    // heun: NFE 2N − 1 on the x axis
    expect(series[2].points.map((p) => p.x)).toEqual([7, 15, 31]);
    const el = parseSvg(await renderFigure(data));
    expect(texts(el, 'g[aria-label="legend entry"] text')).toEqual(series.map((s) => s.label));
    expect([...seriesGroups(el).keys()]).toEqual(series.map((s) => s.label));
    // a sampler's grid builders share its colour and differ by dash
    const g = [...seriesGroups(el).values()];
    expect(g[0].getAttribute('stroke')).toBe(g[1].getAttribute('stroke'));
    expect(g[0].getAttribute('stroke-dasharray')).not.toBe(g[1].getAttribute('stroke-dasharray'));
    expect(g[0].getAttribute('stroke')).not.toBe(g[2].getAttribute('stroke'));
  });

  it('nfeFigureOf(compare result) = figureNfeData; figureNfe draws it; invalid options throw before any work', async () => {
    const options = { samplers: ['euler', 'dpmpp_2m_sde'], steps: [3, 9] };
    expect(nfeFigureOf(compareSync(LAM, options))).toEqual(await figureNfeData(LAM, options));
    expect((await figureNfe(LAM, options)).startsWith('<svg xmlns=')).toBe(true);
    await expect(figureNfeData(LAM, { samplers: ['nope'] })).rejects.toThrow(/^samplers must be one of/);
  });

  it('CLI: an SVG with one series per sampler; json/csv carry the same numbers; bad flags exit 2', async () => {
    const spectrum = path.join(dir, 'lam.json');
    writeFileSync(spectrum, JSON.stringify(LAM));
    const out = path.join(dir, 'nfe.svg');
    const r = await cli('figure', '--kind', 'nfe', '--spectrum', spectrum, '--samplers', 'euler,heun,dpmpp_sde', '--steps', '4,8', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const el = parseSvg(readFileSync(out, 'utf8'));
    expect([...seriesGroups(el).keys()]).toEqual(['euler', 'heun', 'dpmpp_sde']);
    const json = JSON.parse((await cli('figure', '--kind', 'nfe', '--spectrum', spectrum, '--samplers', 'euler,heun,dpmpp_sde', '--steps', '4,8', '--format', 'json')).stdout) as FigureData;
    const cells = compareSync(LAM, { samplers: ['euler', 'heun', 'dpmpp_sde'], steps: [4, 8] }).cells;
    expect(json.panels[0].series.flatMap((s) => s.points)).toEqual(cells.map((c) => ({ x: c.nfe, y: c.w2 })));
    // default steps
    const d = JSON.parse((await cli('figure', '--kind', 'nfe', '--spectrum', spectrum, '--samplers', 'euler', '--format', 'json')).stdout) as FigureData;
    expect(d.panels[0].series[0].points.map((p) => p.x)).toEqual([5, 10, 20, 50, 100, 200]);
    for (const [a, message] of [
      [['--samplers', 'nope'], /--samplers must be one of/],
      [[], /--samplers is required/],
      [['--samplers', 'euler', '--schemes', 'em'], /--schemes is for the paper's schemes/],
      [['--samplers', 'euler', '--points', '9'], /--points is for --kind eigen/],
    ] as [string[], RegExp][]) {
      const bad = await cli('figure', '--kind', 'nfe', '--spectrum', spectrum, ...a);
      expect(bad.code, a.join(' ')).toBe(2);
      expect(bad.stderr).toMatch(message);
    }
    const time = await cli('figure', '--kind', 'time', '--spectrum', spectrum, '--samplers', 'euler');
    expect(time.code).toBe(2);
    expect(time.stderr).toMatch(/--samplers is for --kind nfe or eigen/);
  });
});

describe('per-eigenvalue error of chosen samplers (figureSamplerEigenData, figure --kind eigen --samplers)', () => {
  it('one series per sampler: |√v(λ) − √λ| from runSampler\'s variances on the λ grid', async () => {
    const data = await figureSamplerEigenData({ samplers: ['euler', 'heun', 'dpm_fast'], steps: 6, points: 7, lambdaMin: 1e-3, lambdaMax: 10 });
    const grid = Array.from(logGrid(1e-3, 10, 7));
    expect(data.panels[0].series.map((s) => s.label)).toEqual(['euler (NFE 6)', 'heun (NFE 11)', 'dpm_fast (NFE 6)']);
    const v = {
      euler: runSamplerSync(grid, { sampler: 'euler', steps: 6, variances: true }).variances!,
      heun: runSamplerSync(grid, { sampler: 'heun', steps: 6, variances: true }).variances!,
      dpm_fast: runSamplerSync(grid, { sampler: 'dpm_fast', params: { n: 6 }, variances: true }).variances!,
    };
    data.panels[0].series.forEach((s, j) => {
      const vs = Object.values(v)[j];
      s.points.forEach((p, i) => {
        expect(p.x).toBe(grid[i]);
        // |√v − √λ| within 1e-12 relative of the direct form
        const direct = Math.abs(Math.sqrt(vs[i]) - Math.sqrt(grid[i]));
        expect(Math.abs(p.y! - direct)).toBeLessThanOrEqual(1e-12 * Math.max(direct, 1e-300) + 1e-15);
      });
    });
    // The squares summed over a spectrum are its W2²: on the grid itself, as runSampler's w2.
    const w2 = runSamplerSync(grid, { sampler: 'euler', steps: 6 }).w2!;
    const sum = data.panels[0].series[0].points.reduce((a, p) => a + p.y! * p.y!, 0);
    expect(Math.abs(Math.sqrt(sum) - w2)).toBeLessThanOrEqual(1e-12 * w2);
  });

  it('CLI: an SVG with one series per sampler; --steps must be one value', async () => {
    const out = path.join(dir, 'eig.svg');
    const r = await cli('figure', '--kind', 'eigen', '--samplers', 'euler,dpmpp_2m', '--steps', '8', '--points', '9', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect([...seriesGroups(parseSvg(readFileSync(out, 'utf8'))).keys()]).toEqual(['euler (NFE 8)', 'dpmpp_2m (NFE 8)']);
    const bad = await cli('figure', '--kind', 'eigen', '--samplers', 'euler', '--steps', '8,9');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--steps takes one value for --kind eigen/);
  });
});

describe('report: the samplers section', () => {
  const spectrumFile = path.join(dir, 'syn.json');
  beforeAll(() => writeFileSync(spectrumFile, JSON.stringify(Array.from(syntheticSpectrum(200)))));
  const paper = ['--nfe', '50', '--eps', '0', '--figure-nfe', '50'];

  it('HTML: a Samplers heading, compare\'s table on the report\'s data, and the NFE figure', async () => {
    const out = path.join(dir, 'report.html');
    const r = await cli('report', '--spectrum', spectrumFile, ...paper, '--samplers', 'euler,heun,dpm_fast', '--steps', '5,10', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<h2>Samplers</h2>');
    const cells = compareSync(JSON.parse(readFileSync(spectrumFile, 'utf8')), { samplers: ['euler', 'heun', 'dpm_fast'], steps: [5, 10] });
    const md = renderCompare({ ...cells, start: 'conventional' }, 'md', {});
    for (const row of md.split('\n').filter((l) => l.startsWith('| euler') || l.startsWith('| heun') || l.startsWith('| dpm_fast'))) {
      const c = row.slice(1, -1).split('|').map((x) => x.trim());
      expect(html).toContain(`<tr>${c.map((x, i) => (i < 2 ? `<th>${x}</th>` : `<td>${x}</td>`)).join('')}</tr>`);
    }
    const figures = html.match(/<figure>[\s\S]*?<\/figure>/g) ?? [];
    expect(figures).toHaveLength(4);
    expect(figures[3]).toMatch(/<figcaption>Samplers\. W2 to the data against NFE/);
    expect(html).not.toMatch(/https?:/i);
  });

  it('by default every library sampler of the edm model; Markdown writes NAME-nfe.svg; --no-samplers omits it', async () => {
    const out = path.join(dir, 'rep.md');
    const r = await cli('report', '--spectrum', spectrumFile, ...paper, '--format', 'md', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('## Samplers');
    expect(md).toContain('](rep-nfe.svg)');
    expect(existsSync(path.join(dir, 'rep-nfe.svg'))).toBe(true);
    for (const s of Object.values(SAMPLER_REGISTRY).filter((x) => x.processes.includes('edm'))) {
      expect(md).toMatch(new RegExp(`\\| ${s.id} \\| (karras|own) \\|`));
    }
    const none = path.join(dir, 'none.md');
    expect((await cli('report', '--spectrum', spectrumFile, ...paper, '--format', 'md', '--no-samplers', '--out', none)).code).toBe(0);
    expect(readFileSync(none, 'utf8')).not.toContain('## Samplers');
    const bad = await cli('report', '--spectrum', spectrumFile, '--samplers', 'nope', '--out', path.join(dir, 'bad.html'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--samplers must be one of/);
    expect(existsSync(path.join(dir, 'bad.html'))).toBe(false);
  });
});
