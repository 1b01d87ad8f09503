/**
 * A one-file report: the spectrum's summary, the ablation table, the three figures and every
 * setting, as self-contained HTML (no network references: inline styles, inline SVG) or as
 * Markdown with the SVG files beside it. Platform-neutral strings; the CLI writes them.
 */
import { prepareSpectrum, type SpectrumInput } from '../options/spectrum.js';
import { badType, badValue } from '../runtime/errors.js';

/** What the report says about the spectrum. */
export interface SpectrumSummary {
  /** Dimension d (number of eigenvalues). */
  dim: number;
  /** Distinct eigenvalues. */
  distinct: number;
  /** Eigenvalues equal to 0. */
  zeros: number;
  min: number;
  max: number;
  /** tr Σ = Σ λ_i. */
  trace: number;
}

/**
 * @example spectrumSummary([0, 1, 1, 4]) // → { dim: 4, distinct: 3, zeros: 1, min: 0, max: 4, trace: 6 }
 */
export function spectrumSummary(input: SpectrumInput): SpectrumSummary {
  const s = prepareSpectrum(input);
  let trace = 0;
  let zeros = 0;
  for (let i = 0; i < s.distinct; i++) {
    trace += s.values[i] * s.weights[i];
    if (s.values[i] === 0) zeros += s.weights[i];
  }
  return { dim: s.dim, distinct: s.distinct, zeros, min: s.values[0], max: s.values[s.distinct - 1], trace };
}

export function escapeHtml(s: string): string {
  if (typeof s !== 'string') throw badType('s', s, 'a string');
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A Markdown pipe table (as `renderAblation(…, 'md')` writes it, caption line first) as an HTML
 * <table>: the first row is the header, the separator row is dropped.
 */
export function markdownTableToHtml(md: string): string {
  if (typeof md !== 'string') throw badType('md', md, 'a string (a Markdown pipe table)');
  const lines = md.split('\n').filter((l) => l.startsWith('|'));
  const cells = (l: string) => l.slice(1, -1).split('|').map((c) => c.trim());
  const [head, , ...body] = lines;
  if (!head) return '';
  const th = cells(head).map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const rows = body.map((l) => `<tr>${cells(l).map((c, i) => (i < 2 ? `<th>${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`);
  return `<table class="ablation">\n<thead><tr>${th}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

/** An inline SVG for an HTML page: the namespace declaration is implied there, so it is dropped. */
export function inlineSvg(svg: string): string {
  if (typeof svg !== 'string') throw badType('svg', svg, 'an SVG string');
  return svg.replace(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, '<svg');
}

export interface ReportFigure {
  /** e.g. 'Figure 1a'. */
  name: string;
  title: string;
  svg: string;
  /** File name of the SVG (Markdown reports). */
  file?: string;
}

export interface ReportContent {
  title: string;
  /** Where the spectrum came from. */
  source: string;
  summary: SpectrumSummary;
  /** The ablation table as `renderAblation(…, 'md')` writes it (caption, blank line, table). */
  tableMarkdown: string;
  figures: ReportFigure[];
  /**
   * Library samplers compared on the same spectrum (`compare`): the table as `renderCompare(…,
   * 'md')` writes it, and the W2-against-NFE figure; `metric` 'kl' when the table and figure
   * show the forward KL (default 'w2'). Absent: no samplers section.
   */
  samplers?: { tableMarkdown: string; figure?: ReportFigure; metric?: 'w2' | 'kl' };
  /** Every setting used, by section. */
  settings: Record<string, unknown>;
}

/** A ReportContent: the fields the report reads, with their types. */
function checkReport(r: unknown): ReportContent {
  if (typeof r !== 'object' || r === null) throw badType('report', r, 'a ReportContent object { title, source, summary, tableMarkdown, figures, settings }');
  const c = r as ReportContent;
  for (const key of ['title', 'source', 'tableMarkdown'] as const) {
    if (typeof c[key] !== 'string') throw badType(`report.${key}`, c[key], 'a string');
  }
  if (typeof c.summary !== 'object' || c.summary === null) throw badType('report.summary', c.summary, 'a SpectrumSummary (from spectrumSummary)');
  if (!Array.isArray(c.figures)) throw badType('report.figures', c.figures, 'an array of figures');
  c.figures.forEach((f, i) => {
    if (typeof f !== 'object' || f === null || typeof f.svg !== 'string') throw badType(`report.figures[${i}]`, f, 'a figure { name, title, svg }');
  });
  if (typeof c.settings !== 'object' || c.settings === null) throw badType('report.settings', c.settings, 'an object');
  if (c.samplers !== undefined) {
    if (typeof c.samplers !== 'object' || c.samplers === null || typeof c.samplers.tableMarkdown !== 'string') throw badType('report.samplers', c.samplers, 'an object { tableMarkdown, figure? }');
    if (c.samplers.metric !== undefined && c.samplers.metric !== 'w2' && c.samplers.metric !== 'kl') throw badValue('report.samplers.metric', c.samplers.metric, "'w2' or 'kl'");
    if (c.samplers.figure !== undefined && (typeof c.samplers.figure !== 'object' || c.samplers.figure === null || typeof c.samplers.figure.svg !== 'string')) throw badType('report.samplers.figure', c.samplers.figure, 'a figure { name, title, svg }');
  }
  return c;
}

/** What the samplers section's cells hold (W2, or the forward KL with `metric: 'kl'`). */
function samplersText(samplers: NonNullable<ReportContent['samplers']>): string {
  return samplers.metric === 'kl'
    ? 'Library samplers (gaussdiff compare --metric kl): KL(output ‖ data) in nats with four significant digits, NFE in parentheses; “-” marks an infinite or undefined KL (a gap in the figure).'
    : 'Library samplers (gaussdiff compare): W2 with four significant digits, NFE in parentheses; “-” marks an infinite or undefined value.';
}

function summaryRows(r: ReportContent): [string, string][] {
  const s = r.summary;
  return [
    ['source', r.source],
    ['dimension d', String(s.dim)],
    ['distinct eigenvalues', String(s.distinct)],
    ['zero eigenvalues', String(s.zeros)],
    ['min λ', String(s.min)],
    ['max λ', String(s.max)],
    ['trace Σ λ', String(s.trace)],
  ];
}

const CSS = `body{font:15px/1.45 system-ui,sans-serif;color:#222;max-width:1500px;margin:2em auto;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
thead th{background:#f3f3f3}tbody th{text-align:left;font-weight:normal}
table.summary th{text-align:left}
figure{margin:1em 0;overflow-x:auto}figcaption{font-weight:600;margin-bottom:.4em}
pre{background:#f6f6f6;padding:.8em;overflow-x:auto;font-size:13px}`;

/** JSON with arrays of numbers and strings kept on one line. */
function compactJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s*((?:[-\w."@ ]+,\s*)*[-\w."@ ]+)\s*\]/g, (_m, items: string) => `[${items.split(/,\s*/).join(', ')}]`);
}

/** The report as one self-contained HTML file (no scripts, no external resources). */
export function reportHtml(r: ReportContent): string {
  checkReport(r);
  const [caption, ...rest] = r.tableMarkdown.split('\n');
  const summary = summaryRows(r).map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n');
  const figureHtml = (f: ReportFigure) => `<figure>\n<figcaption>${escapeHtml(`${f.name}. ${f.title}`)}</figcaption>\n${inlineSvg(f.svg)}\n</figure>`;
  const figures = r.figures.map(figureHtml).join('\n');
  let samplers = '';
  if (r.samplers) {
    const [samplersCaption, ...table] = r.samplers.tableMarkdown.split('\n');
    samplers = `<h2>Samplers</h2>
<p>${escapeHtml(samplersCaption)}</p>
${markdownTableToHtml(table.join('\n'))}
<p>${escapeHtml(samplersText(r.samplers))}</p>
${r.samplers.figure ? figureHtml(r.samplers.figure) + '\n' : ''}`;
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(r.title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(r.title)}</h1>
<h2>Spectrum</h2>
<table class="summary">
${summary}
</table>
<h2>Ablation</h2>
<p>${escapeHtml(caption)}</p>
${markdownTableToHtml(rest.join('\n'))}
<p>Values as printed in the paper; “-” marks an infinite or undefined value.</p>
<h2>Figures</h2>
${figures}
${samplers}<h2>Settings</h2>
<pre>${escapeHtml(compactJson(r.settings))}</pre>
</body>
</html>
`;
}

/** The report as Markdown; the figures are referenced by their `file` names (written beside it). */
export function reportMarkdown(r: ReportContent): string {
  checkReport(r);
  const summary = ['| | |', '|---|---|', ...summaryRows(r).map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`)].join('\n');
  const figureMd = (f: ReportFigure) => `### ${f.name}. ${f.title}\n\n![${f.name}](${f.file ?? ''})\n`;
  const figures = r.figures.map(figureMd).join('\n');
  const samplers = r.samplers
    ? `## Samplers\n\n${r.samplers.tableMarkdown.trimEnd()}\n\n${samplersText(r.samplers)}\n\n${r.samplers.figure ? figureMd(r.samplers.figure) + '\n' : ''}`
    : '';
  return `# ${r.title}

## Spectrum

${summary}

## Ablation

${r.tableMarkdown.trimEnd()}

Values as printed in the paper; “-” marks an infinite or undefined value.

## Figures

${figures}
${samplers}## Settings

\`\`\`json
${compactJson(r.settings)}
\`\`\`
`;
}
