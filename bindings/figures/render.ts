/**
 * Drawing the figures' data (figures-data.ts) as standalone SVG with Observable Plot — the same
 * code in Node and in browsers. Plot needs a DOM `document`: the page's own in a browser, else
 * (Node) a linkedom document. Both Plot and linkedom load on first use, so importing the package
 * does not load them.
 */
import { checkFigureData, type FigureData, type FigurePanel, type FigureSeries } from './data.js';
import { badType, checkOptions } from '../runtime/errors.js';
import { SCHEME_LIST } from '../samplers/index.js';

/** Okabe–Ito, the colour-blind-safe palette (Okabe & Ito 2008); black for the continuous processes. */
export const FIGURE_COLORS: Record<string, string> = {
  ...Object.fromEntries(SCHEME_LIST.map((s) => [s.id, s.colour])), sde: '#000000', ode: '#000000',
};

/** ODE schemes and the continuous ODE dashed, SDEs solid (a second cue besides colour). */
const DASH = { sde: undefined, ode: '6,3' } as const;
/** em-alpha shares RK4's colour (rarely shown together): it gets its own dash. */
const DASH_OVERRIDE: Record<string, string> = { 'em-alpha': '1,3' };

export interface RenderOptions {
  /** A DOM document (default: the page's `document`, or a linkedom document in Node). */
  document?: Document;
  /** Size of one panel in px (default 640 × 400). */
  width?: number;
  height?: number;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

type PlotModule = typeof import('@observablehq/plot');
let plotModule: Promise<PlotModule> | undefined;
let nodeDocument: Promise<Document> | undefined;

function loadPlot(): Promise<PlotModule> {
  // An optional peer dependency (7 MB with d3): `.catch` also tells bundlers (esbuild) that a
  // missing package is handled at run time, not a build error.
  plotModule ??= import('@observablehq/plot').catch((e: unknown) => {
    plotModule = undefined;
    throw new Error(`gaussdiff figures need the npm package @observablehq/plot (and linkedom in Node): npm i @observablehq/plot linkedom (${(e as Error).message.split('\n')[0]})`);
  });
  return plotModule;
}

/**
 * Makes a DOM document where there is none (Node: linkedom). Installed by the Node entry point, so
 * that browser bundles never include linkedom; a browser has `document` (a Web Worker passes one).
 */
export type DocumentFactory = () => Promise<Document>;
let documentFactory: DocumentFactory | undefined;

export function setDocumentFactory(f: DocumentFactory): void {
  documentFactory = f;
}

async function documentFor(options: RenderOptions): Promise<Document> {
  if (options.document) return options.document;
  const g = globalThis as { document?: Document };
  if (g.document) return g.document;
  if (!documentFactory) throw new Error('gaussdiff figures: no DOM document here (a Web Worker?); pass { document }');
  nodeDocument ??= documentFactory().catch((e: unknown) => {
    nodeDocument = undefined;
    throw new Error(`gaussdiff figures need a DOM document: in Node the npm package linkedom (npm i linkedom), or pass { document } (${(e as Error).message.split('\n')[0]})`);
  });
  return nodeDocument;
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹',
};

/** 10^k as "10⁻³" (1 and 10 plainly); other values in short plain form. */
export function formatLogTick(x: number): string {
  if (typeof x !== 'number' || !(x > 0) || !Number.isFinite(x)) throw badType('x', x, 'a finite number > 0 (a tick of a log axis)');
  const k = Math.round(Math.log10(x));
  if (Math.abs(x - 10 ** k) <= 1e-9 * 10 ** k) {
    if (k === 0) return '1';
    if (k === 1) return '10';
    return '10' + String(k).split('').map((ch) => SUPERSCRIPT[ch]).join('');
  }
  return String(Number(x.toPrecision(2)));
}

/** The points a log axis can show, split into runs at every omitted point (null, ≤ 0 on a log axis). */
function segments(s: FigureSeries, xLog: boolean): { x: number; y: number; run: number }[][] {
  const runs: { x: number; y: number; run: number }[][] = [];
  let current: { x: number; y: number; run: number }[] = [];
  for (const p of s.points) {
    const ok = p.y !== null && Number.isFinite(p.y) && p.y > 0 && Number.isFinite(p.x) && (!xLog || p.x > 0);
    if (ok) current.push({ x: p.x, y: p.y as number, run: runs.length });
    else if (current.length) {
      runs.push(current);
      current = [];
    }
  }
  if (current.length) runs.push(current);
  return runs;
}

/** Log ticks: every power of ten in [lo, hi]; with fewer than two, also 2· and 5·. */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) {
    const p = 10 ** k;
    if (p >= lo * (1 - 1e-12) && p <= hi * (1 + 1e-12)) ticks.push(p);
  }
  if (ticks.length >= 2) {
    const step = Math.ceil(ticks.length / 8); // at most ~8 labels
    return ticks.filter((_, i) => i % step === 0);
  }
  const more: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** k;
      if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12)) more.push(v);
    }
  }
  return more.length ? more : [lo, hi];
}

function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** A log domain: the data's range widened to whole powers of ten when that is less than 10×. */
function logDomain(lo: number, hi: number): [number, number] {
  if (!(lo > 0) || !(hi > 0)) return [1e-3, 1];
  if (lo === hi) return [lo / 10, hi * 10];
  const a = 10 ** Math.floor(Math.log10(lo));
  const b = 10 ** Math.ceil(Math.log10(hi));
  return [lo / a < 10 ? a : lo, b / hi < 10 ? b : hi];
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function label(s: FigureSeries): string {
  return s.label;
}

function styleOf(s: FigureSeries): { stroke: string; dash?: string; width: number } {
  return {
    stroke: s.colour ?? FIGURE_COLORS[s.key] ?? '#000000',
    dash: s.dash ?? DASH_OVERRIDE[s.key] ?? DASH[s.kind],
    width: s.continuous ? 2.2 : 1.6,
  };
}

/** One panel as an SVG element (Plot). */
function panelSvg(
  Plot: PlotModule, doc: Document, fig: FigureData, panel: FigurePanel, withLegend: boolean,
  width: number, height: number, yDomain: [number, number],
): SVGSVGElement {
  const xLog = fig.x.type === 'log';
  const marks: unknown[] = [];
  const labelChars = Math.max(...fig.panels.flatMap((p) => p.series.map((s) => label(s).length)));
  const noteLines = withLegend && fig.note ? wrap(fig.note, Math.max(labelChars + 4, 30)) : [];
  const legendWidth = withLegend ? 24 + 6.2 * Math.max(labelChars, ...noteLines.map((l) => l.length - 4)) : 0;
  for (const s of panel.series) {
    const { stroke, dash, width: strokeWidth } = styleOf(s);
    const runs = segments(s, xLog);
    const rows = runs.flat();
    marks.push(
      Plot.line(rows, {
        x: 'x', y: 'y', z: 'run', stroke, strokeWidth, strokeDasharray: dash, ariaDescription: `series ${label(s)}`,
      }),
    );
    // A point with omitted neighbours on both sides would vanish from a line: mark it.
    const lonely = runs.filter((r) => r.length === 1).flat();
    if (lonely.length) marks.push(Plot.dot(lonely, { x: 'x', y: 'y', r: 2, fill: stroke, ariaDescription: `points ${label(s)}` }));
  }
  if (panel.title) {
    marks.push(Plot.text([panel.title], { frameAnchor: 'top', dy: -14, fontSize: 12, fontWeight: 'bold', text: (d: string) => d, ariaDescription: 'panel title' }));
  }
  if (withLegend) {
    const series = panel.series;
    marks.push((_index: unknown, _scales: unknown, _values: unknown, dims: { width: number; marginRight: number; marginTop: number }) => {
      const g = doc.createElementNS(SVG_NS, 'g');
      g.setAttribute('aria-label', 'legend');
      g.setAttribute('font-size', '11');
      const x0 = dims.width - dims.marginRight + 12;
      series.forEach((s, i) => {
        const { stroke, dash, width: w } = styleOf(s);
        const y = dims.marginTop + 8 + 17 * i;
        const entry = doc.createElementNS(SVG_NS, 'g');
        entry.setAttribute('aria-label', 'legend entry');
        const line = doc.createElementNS(SVG_NS, 'line');
        for (const [k, v] of Object.entries({ x1: x0, x2: x0 + 22, y1: y, y2: y, stroke, 'stroke-width': w })) line.setAttribute(k, String(v));
        if (dash) line.setAttribute('stroke-dasharray', dash);
        const text = doc.createElementNS(SVG_NS, 'text');
        for (const [k, v] of Object.entries({ x: x0 + 28, y, dy: '0.32em', 'text-anchor': 'start', fill: 'currentColor' })) text.setAttribute(k, String(v));
        text.textContent = label(s);
        entry.append(line, text);
        g.append(entry);
      });
      // The figure's note (KL figures: which KL; infinite values are gaps, not drawn).
      if (noteLines.length) {
        const note = doc.createElementNS(SVG_NS, 'text');
        for (const [k, v] of Object.entries({ x: x0, y: dims.marginTop + 8 + 17 * series.length + 6, 'text-anchor': 'start', fill: '#555', 'font-style': 'italic' })) note.setAttribute(k, String(v));
        note.setAttribute('aria-label', 'note');
        noteLines.forEach((l, i) => {
          const span = doc.createElementNS(SVG_NS, 'tspan');
          span.setAttribute('x', String(x0));
          span.setAttribute('dy', i === 0 ? '0.32em' : '1.3em');
          span.textContent = l;
          note.append(span);
        });
        g.append(note);
      }
      return g as unknown as SVGElement;
    });
  }
  const xs = panel.series.flatMap((s) => segments(s, xLog).flat().map((p) => p.x));
  const [xlo, xhi] = xs.length ? extent(xs) : [xLog ? 1e-3 : 0, 1];
  const xScale = xLog
    ? { type: 'log' as const, domain: logDomain(xlo, xhi), ticks: logTicks(...logDomain(xlo, xhi)), tickFormat: formatLogTick }
    : { type: 'linear' as const, domain: [xlo, xhi], nice: true };
  return Plot.plot({
    document: doc,
    className: 'gaussdiff-figure',
    width: width + legendWidth,
    height,
    marginLeft: 62,
    marginRight: 16 + legendWidth,
    marginTop: panel.title ? 34 : 22,
    marginBottom: 44,
    style: { background: 'white', color: '#222' },
    x: { ...xScale, label: fig.x.label, labelAnchor: 'center', labelArrow: 'none', grid: true },
    y: {
      type: 'log', domain: yDomain, ticks: logTicks(...yDomain), tickFormat: formatLogTick,
      label: fig.y.label, labelAnchor: 'top', labelArrow: 'none', grid: true,
    },
    marks: marks as NonNullable<Parameters<PlotModule['plot']>[0]>['marks'],
  }) as SVGSVGElement;
}

function withNamespace(svg: string): string {
  return /^<svg[^>]*\sxmlns=/.test(svg) ? svg : svg.replace(/^<svg/, `<svg xmlns="${SVG_NS}"`);
}

/**
 * Draw a figure as a standalone SVG document (a string starting with `<svg xmlns=…`): labelled
 * axes, log ticks at powers of ten, a legend, one line per series; undefined points are left out
 * (the line breaks there), never drawn as 0; the figure's `note` (if any) under the legend.
 * Several panels (Figure 2) sit side by side.
 */
export async function renderFigure(fig: FigureData, options: RenderOptions = {}): Promise<string> {
  checkFigureData(fig);
  checkOptions(options);
  const [Plot, doc] = await Promise.all([loadPlot(), documentFor(options)]);
  const width = options.width ?? 640;
  const height = options.height ?? 400;
  const ys = fig.panels.flatMap((p) => p.series.flatMap((s) => segments(s, fig.x.type === 'log').flat().map((q) => q.y)));
  const [ylo, yhi] = ys.length ? extent(ys) : [1e-3, 1];
  const yDomain = logDomain(ylo, yhi);
  const svgs = fig.panels.map((p, i) => panelSvg(Plot, doc, fig, p, i === fig.panels.length - 1, width, height, yDomain));
  const title = fig.title;
  if (svgs.length === 1) {
    const svg = svgs[0];
    svg.setAttribute('aria-label', title);
    return withNamespace(svg.outerHTML);
  }
  // Side by side in one outer <svg>, each panel a nested <svg> at its offset.
  let x = 0;
  const outer = doc.createElementNS(SVG_NS, 'svg');
  for (const svg of svgs) {
    const w = Number(svg.getAttribute('width'));
    svg.setAttribute('x', String(x));
    svg.setAttribute('y', '0');
    outer.append(svg);
    x += w;
  }
  outer.setAttribute('width', String(x));
  outer.setAttribute('height', String(height));
  outer.setAttribute('viewBox', `0 0 ${x} ${height}`);
  outer.setAttribute('aria-label', title);
  outer.setAttribute('font-family', 'system-ui, sans-serif');
  return withNamespace(outer.outerHTML);
}
