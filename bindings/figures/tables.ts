/** Rendering of results as Markdown, LaTeX, CSV and JSON (the CLI's --format). */
import type { AblationResult, Distance, RunResult } from '../api.js';
import { KIND, type Scheme } from '../options/defaults.js';
import { SCHEMES as SCHEME_REGISTRY } from '../samplers/index.js';
import { badType, badValue, checkChoice } from '../runtime/errors.js';

/**
 * A distance the way the paper prints it: '-' when undefined or infinite, '0' when exactly zero,
 * two significant digits in scientific notation below 0.01 and from 100 up ('6.7E-04', '2.4E+03'),
 * two decimals otherwise.
 */
export function formatDistance(x: Distance): string {
  if (x === null) return '-';
  if (typeof x !== 'number') throw badType('x', x, 'a distance (a number ≥ 0, or null)');
  if (!(x >= 0)) throw badValue('x', x, 'a distance (a number ≥ 0, or null)');
  if (x === 0) return '0';
  if (x < 0.01 || x >= 100) {
    const [mant, exp] = x.toExponential(1).split('e');
    const e = Number(exp);
    return `${mant}E${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return x.toFixed(2);
}

const INIT_LABEL = { pT: 'p_T', N0: 'N(0,I)' } as const;
/** Row labels from the scheme registry (bindings/samplers/). */
const SCHEME_LABEL: Record<string, string> = Object.fromEntries(Object.values(SCHEME_REGISTRY).map((s) => [s.id, s.label]));

interface Grid {
  header: string[];
  rows: string[][];
}

/**
 * The paper's layout (Tables 1, 5, 6): one row per scheme and ε; columns the continuous process
 * (shown on the first SDE and the first ODE scheme, as in the paper) and each NFE, each split
 * into the starts p_T and N(0, I).
 */
function ablationGrid(r: AblationResult, show: (x: Distance) => string = formatDistance): Grid {
  const schemes = [...new Set(r.cells.map((c) => c.scheme))];
  const epss = [...new Set(r.cells.map((c) => c.eps))];
  const nfes = [...new Set(r.cells.map((c) => c.nfe))];
  const header = ['scheme', 'ε', 'Continuous p_T', 'Continuous N(0,I)'];
  for (const n of nfes) header.push(`NFE=${n} p_T`, `NFE=${n} N(0,I)`);
  const firstOfKind = new Map<string, string>();
  for (const s of schemes) {
    const kind = KIND[s as Scheme] ?? 'sde';
    if (!firstOfKind.has(kind)) firstOfKind.set(kind, s);
  }
  const rows: string[][] = [];
  for (const s of schemes) {
    const kind = [...firstOfKind].find(([, first]) => first === s)?.[0];
    for (const eps of epss) {
      const row = [SCHEME_LABEL[s] ?? s, String(eps)];
      for (const init of ['pT', 'N0'] as const) {
        const c = kind ? r.continuous.find((x) => x.scheme === kind && x.eps === eps && x.init === init) : undefined;
        row.push(c ? show(c.w2) : '');
      }
      for (const n of nfes) {
        for (const init of ['pT', 'N0'] as const) {
          const cell = r.cells.find((c) => c.scheme === s && c.eps === eps && c.nfe === n && c.init === init);
          row.push(cell ? show(cell.w2) : '');
        }
      }
      rows.push(row);
    }
  }
  return { header, rows };
}

function markdown({ header, rows }: Grid): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

function csv({ header, rows }: Grid): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [header, ...rows].map((r) => r.map(quote).join(',')).join('\n') + '\n';
}

function latex(g: Grid, caption: string): string {
  const nfeCount = (g.header.length - 4) / 2;
  const esc = (s: string) => s.replace(/ε/g, '$\\varepsilon$').replace(/α/g, '$\\alpha$').replace(/_/g, '\\_');
  const nfes = g.header.slice(4).filter((_, i) => i % 2 === 0).map((h) => h.replace(/ p_T$/, '').replace('NFE=', ''));
  const out = [
    '\\begin{table}',
    '\\centering',
    `\\caption{${esc(caption)}}`,
    `\\begin{tabular}{ll${'cc'.repeat(nfeCount + 1)}}`,
    '\\hline',
    ` & & \\multicolumn{2}{c}{Continuous}${nfes.map((n) => ` & \\multicolumn{2}{c}{NFE = ${n}}`).join('')} \\\\`,
    ` & $\\varepsilon$${' & $p_T$ & $\\mathcal{N}(0,I)$'.repeat(nfeCount + 1)} \\\\`,
    '\\hline',
    ...g.rows.map((r) => r.map(esc).join(' & ') + ' \\\\'),
    '\\hline',
    '\\end{tabular}',
    '\\end{table}',
  ];
  return out.join('\n') + '\n';
}

export type TableFormat = 'md' | 'latex' | 'csv' | 'json';

/** A distance in full precision (the shortest text that reads back to the same double), '-' when undefined. */
function fullPrecision(x: Distance): string {
  return x === null ? '-' : String(x);
}

/**
 * The ablation table: md and latex print values as the paper does (formatDistance); csv keeps
 * full precision (for further computation), json the numbers themselves.
 */
/** The arguments every renderer shares: a result object, a format among `formats`, a meta object. */
function checkRenderArguments(r: unknown, format: unknown, formats: readonly TableFormat[], meta: unknown, arrays: string[]): void {
  if (typeof r !== 'object' || r === null || arrays.some((k) => !Array.isArray((r as Record<string, unknown>)[k]))) {
    throw badType('result', r, `a result object with ${arrays.join(' and ')} arrays`);
  }
  checkChoice('format', format, formats);
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw badType('meta', meta, 'a plain object');
}

export function renderAblation(r: AblationResult, format: TableFormat, meta: Record<string, unknown>): string {
  checkRenderArguments(r, format, ['md', 'latex', 'csv', 'json'], meta, ['cells', 'continuous']);
  if (format === 'json') return JSON.stringify({ ...meta, cells: r.cells, continuous: r.continuous }, null, 2) + '\n';
  if (format === 'csv') return csv(ablationGrid(r, fullPrecision));
  const grid = ablationGrid(r);
  const caption = `W2 errors (${r.paper ? "paper's NFE conventions" : 'honest NFE budget'}); spectrum: ${meta.spectrum as string}`;
  if (format === 'latex') return latex(grid, caption);
  return `${caption}\n\n${markdown(grid)}`;
}

/** One run; without `trajectory` only the final W2 (no times, no per-step table). */
export function renderRun(r: RunResult, format: 'json' | 'md', meta: Record<string, unknown>, options: { trajectory: boolean } = { trajectory: true }): string {
  checkRenderArguments(r, format, ['json', 'md'], meta, ['times', 'trajectory']);
  if (typeof options !== 'object' || options === null || typeof options.trajectory !== 'boolean') {
    throw badType('options', options, '{ trajectory: boolean }');
  }
  const { variances: _v, times, trajectory, ...plain } = r;
  if (format === 'json') {
    return JSON.stringify(options.trajectory ? { ...plain, times, trajectory, ...meta } : { ...plain, ...meta }, null, 2) + '\n';
  }
  const lines = [
    `${SCHEME_LABEL[r.scheme]}: ${r.steps} steps (NFE ${r.nfe}), ε = ${r.eps}, start ${INIT_LABEL[r.init]}; spectrum: ${meta.spectrum as string}`,
    '',
    ...(r.w2 === undefined ? [] : [`W2 to the data: ${formatDistance(r.w2)}${r.w2 === null ? '' : ` (${r.w2})`}`]),
    // Means and KL (docs/metrics.md), when the run has them.
    ...(r.meanError === undefined ? [] : [`Mean error |output mean − data mean|: ${r.meanError === null ? '-' : String(r.meanError)}`]),
    ...(r.kl === undefined ? [] : [`KL(sampler ‖ data): ${r.kl.forward ?? '-'}; KL(data ‖ sampler): ${r.kl.reverse ?? '-'}`]),
    '',
  ];
  if (options.trajectory) {
    lines.push(markdown({
      header: ['k', 't_k', 'W2(N(0,V_k), p_{t_k})'],
      rows: times.map((t, k) => [String(k), String(t), trajectory[k] === null ? '-' : String(trajectory[k])]),
    }));
  }
  return lines.join('\n');
}

/** The cells of `compare` (bindings/exact/compare.ts), as `renderCompare` reads them. */
export interface CompareTable {
  model: string;
  start: string;
  /** 'w2' (default), 'kl' or 'both': the numbers the md and latex cells show. */
  metric?: string;
  cells: readonly {
    sampler: string; scheduler: string; steps: number; nfe: number; w2: Distance;
    meanError?: Distance; kl?: { forward: number | null; reverse: number | null };
  }[];
}

/** A W2 with four significant digits ('-' when undefined): samplers differ by more than the paper's two. */
function fourDigits(x: Distance): string {
  return x === null ? '-' : x === 0 ? '0' : x.toPrecision(4);
}

const COMPARE_METRICS = ['w2', 'kl', 'both'] as const;

/** A cell's number in md and latex: W2, KL(sampler ‖ data), or "W2 / KL". */
function compareValue(c: CompareTable['cells'][number], metric: (typeof COMPARE_METRICS)[number]): string {
  if (metric === 'w2') return fourDigits(c.w2);
  if (c.kl === undefined) throw badValue('cells[].kl', c.kl, `present with metric ${metric} (compare's cells with metric kl or both)`);
  const kl = fourDigits(c.kl.forward);
  return metric === 'kl' ? kl : `${fourDigits(c.w2)} / ${kl}`;
}

/**
 * The practitioner's ablation as a table: one row per sampler and grid builder ('own' for
 * samplers that build their own grid), one column per step count, each cell "W2 (NFE)" (metric
 * kl: "KL (NFE)", both: "W2 / KL (NFE)", KL = KL(sampler ‖ data)).
 */
function compareGrid(r: CompareTable, metric: (typeof COMPARE_METRICS)[number]): Grid {
  const steps = [...new Set(r.cells.map((c) => c.steps))];
  const rows: string[][] = [];
  const keys = [...new Set(r.cells.map((c) => `${c.sampler}\u0000${c.scheduler}`))];
  for (const key of keys) {
    const [sampler, scheduler] = key.split('\u0000');
    const row = [sampler, scheduler];
    for (const n of steps) {
      const c = r.cells.find((x) => x.sampler === sampler && x.scheduler === scheduler && x.steps === n);
      row.push(c ? `${compareValue(c, metric)} (${c.nfe})` : '');
    }
    rows.push(row);
  }
  return { header: ['sampler', 'scheduler', ...steps.map((n) => `N = ${n}`)], rows };
}

const COMPARE_CAPTION = {
  w2: 'W2 to the data',
  kl: 'KL(sampler ‖ data) in nats',
  both: 'W2 to the data / KL(sampler ‖ data) in nats',
} as const;

/**
 * `compare`'s result (`gaussdiff compare --format`): md and latex one row per sampler and grid
 * builder, a column per step count, each cell "W2 (NFE)" with four significant digits (metric
 * kl: "KL (NFE)"; both: "W2 / KL (NFE)"; KL is KL(sampler ‖ data)); csv one line per cell
 * (sampler,scheduler,steps,nfe,w2 in full precision, '-' when undefined; mean_error when the
 * cells have one; kl_forward,kl_reverse with metric kl or both, and no w2 with kl alone); json
 * `{ …meta, model, start, [metric,] params, cells }` (metric kl: cells without w2, as `run`).
 */
export function renderCompare(r: CompareTable & { params?: unknown }, format: TableFormat, meta: Record<string, unknown>): string {
  checkRenderArguments(r, format, ['md', 'latex', 'csv', 'json'], meta, ['cells']);
  const metric = checkChoice('metric', r.metric ?? 'w2', COMPARE_METRICS);
  if (format === 'json') {
    const cells = metric === 'kl' ? r.cells.map(({ w2: _w2, ...rest }) => rest) : r.cells;
    return JSON.stringify({ ...meta, model: r.model, start: r.start, ...(metric !== 'w2' ? { metric } : {}), ...(r.params ? { params: r.params } : {}), cells }, null, 2) + '\n';
  }
  if (format === 'csv') {
    const withMean = r.cells.some((c) => c.meanError !== undefined);
    const header = ['sampler', 'scheduler', 'steps', 'nfe', ...(metric !== 'kl' ? ['w2'] : []), ...(withMean ? ['mean_error'] : []), ...(metric !== 'w2' ? ['kl_forward', 'kl_reverse'] : [])];
    return csv({
      header,
      rows: r.cells.map((c) => [
        c.sampler, c.scheduler, String(c.steps), String(c.nfe),
        ...(metric !== 'kl' ? [fullPrecision(c.w2)] : []),
        ...(withMean ? [c.meanError === undefined ? '' : fullPrecision(c.meanError)] : []),
        ...(metric !== 'w2' ? [fullPrecision(c.kl?.forward ?? null), fullPrecision(c.kl?.reverse ?? null)] : []),
      ]),
    });
  }
  const grid = compareGrid(r, metric);
  const spectrum = meta.spectrum === undefined ? '' : `; spectrum: ${meta.spectrum as string}`;
  const score = meta.score === undefined ? '' : `; ${meta.score as string}`;
  const caption = `${COMPARE_CAPTION[metric]} (NFE in parentheses); model ${r.model}, start ${r.start}${spectrum}${score}`;
  if (format === 'md') return `${caption}\n\n${markdown(grid)}`;
  const esc = (s: string) => s.replace(/_/g, '\\_');
  return [
    '\\begin{table}',
    '\\centering',
    `\\caption{${esc(caption).replace(/‖/g, '$\\|$')}}`,
    `\\begin{tabular}{ll${'r'.repeat(grid.header.length - 2)}}`,
    '\\hline',
    `sampler & scheduler${grid.header.slice(2).map((h) => ` & $${h}$`).join('')} \\\\`,
    '\\hline',
    ...grid.rows.map((row) => row.map((c) => esc(c).replace(/ \((\d+)\)$/, (_m, nfe: string) => `\\,(${nfe})`)).join(' & ') + ' \\\\'),
    '\\hline',
    '\\end{tabular}',
    '\\end{table}',
  ].join('\n') + '\n';
}
