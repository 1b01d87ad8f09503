/**
 * The numbers behind the paper's figures (docs/MATH.md §5), as plain JSON-able series: Figure 1a (W2 to
 * p_t along the generation), Figure 1b (final W2 against the truncation time ε) and Figure 2
 * (each eigenvalue's contribution |√v_K(λ) − √λ|). Every number comes from the public API
 * (`run`, `continuous`, `ablation`); this file only chooses what to ask and shapes the answers.
 * Rendering is in figures-render.ts, so a Web Worker can compute these and a page draw them.
 */
import { ablation, continuous, init, run } from '../api.js';
import { SCHEME_LIST } from '../samplers/index.js';
import { DEFAULTS, EVALUATIONS, INITS, KIND, PAPER_SCHEMES, SCHEMES, type Init, type Scheme, type ScheduleOptions } from '../options/defaults.js';
import type { Distance } from '../exact/engine.js';
import type { BreakdownStage } from '../exact/breakdown.js';
import { checkSteps, marginalAt, resolveSchedule, type Schedule } from '../exact/engine.js';
import { badValue, checkChoice, checkFinite, checkPositiveInteger, badType, checkOptions } from '../runtime/errors.js';
import { prepareSpectrum, type Spectrum, type SpectrumInput } from '../options/spectrum.js';
import { klOfLaws } from '../exact/metrics.js';
import { klName, metricNote, resolveFigureMetric, type FigureMetricOptions, type ResolvedFigureMetric } from './metric.js';

/** One curve: a scheme at its step count, or the exact continuous SDE (α = 1) / ODE (α = 0). */
export interface FigureSeries {
  /** 'em' … 'rk4', or 'sde' / 'ode' for the continuous processes; a library sampler's id (with its grid builder: 'heun/karras'); or a breakdown stage. */
  key: Scheme | 'sde' | 'ode' | BreakdownStage | (string & {});
  /** Legend text. */
  label: string;
  /** Stochastic or deterministic (drawn solid or dashed). */
  kind: 'sde' | 'ode';
  continuous: boolean;
  /** Steps K of a scheme (docs/MATH.md §5: K = NFE/evaluations − 1). */
  steps?: number;
  /** x, y; y null where the value is infinite or undefined (drawn as a gap, never as 0). */
  points: { x: number; y: Distance }[];
  /** Line colour (default: FIGURE_COLORS[key]); library samplers take their registry colour. */
  colour?: string;
  /** SVG dash pattern (default: by kind, ODE dashed); samplers' curves tell grid builders apart by it. */
  dash?: string;
}

export interface FigurePanel {
  title: string;
  series: FigureSeries[];
}

export type FigureKind = 'time' | 'eps' | 'eigen' | 'nfe' | 'breakdown' | 'score-samples';

/** A figure before drawing: what `renderFigure` draws and what the CSV/JSON downloads contain. */
export interface FigureData {
  kind: FigureKind;
  title: string;
  x: { label: string; type: 'linear' | 'log' };
  y: { label: string; type: 'log' };
  panels: FigurePanel[];
  /** Every setting used (NFE, steps per scheme, ε, start, schedule, …). */
  settings: Record<string, unknown>;
  /** A line drawn under the legend (KL figures: which KL, and how many infinite values are gaps). */
  note?: string;
}

/** Options shared by the three figures. */
export interface FigureCommonOptions extends ScheduleOptions {
  /** Schemes (default the paper's six: em, ei, ddpm, euler, heun, rk4). */
  schemes?: readonly Scheme[];
  /**
   * Score-evaluation budget (default 1000). As in the paper's Figure 1, a scheme with e score
   * evaluations per step runs K = ⌊NFE/e⌋ − 1 steps (NFE − 1, NFE/2 − 1, NFE/4 − 1).
   */
  nfe?: number;
  /** Start: 'N0' = N(0, I) (default) or 'pT'. */
  init?: Init;
  /** α of the 'em-alpha' scheme (default 1). */
  alpha?: number;
}

export interface FigureTimeOptions extends FigureCommonOptions {
  /** Truncation time ε (default 0): the grids run from T down to ε. */
  eps?: number;
  /** Grid times at which the continuous SDE/ODE are evaluated (default 100, spread over the 1-evaluation grid). */
  continuousPoints?: number;
}

export interface FigureEpsOptions extends FigureCommonOptions {
  /** Truncation times ε > 0 (log axis), default 1e-5 … 1e-1 (1, 2, 5 per decade). */
  eps?: readonly number[];
  /** Worker threads of its `ablation()` grid (default as `ablation`). */
  threads?: number;
}

export interface FigureEigenOptions extends FigureCommonOptions, FigureMetricOptions {
  /** One panel per truncation time (default [0, 1e-3], the paper's Figure 2 a and b). */
  eps?: readonly number[];
  /** The λ grid: `points` log-spaced values from `lambdaMin` to `lambdaMax` (defaults 1e-5, 1e3, 161). */
  lambdaMin?: number;
  lambdaMax?: number;
  points?: number;
}

/** The figures' defaults (merged under every call's options). */
export const FIGURE_DEFAULTS = {
  schemes: PAPER_SCHEMES,
  nfe: 1000,
  init: 'N0' as Init,
  timeEps: 0,
  continuousPoints: 100,
  epsList: [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1] as readonly number[],
  eigenEps: [0, 1e-3] as readonly number[],
  lambdaMin: 1e-5,
  lambdaMax: 1e3,
  points: 161,
} as const;

/** Labels from the registry (bindings/samplers/). */
export const SCHEME_LABELS = Object.fromEntries(SCHEME_LIST.map((s) => [s.id, s.label])) as Record<Scheme, string>;

/** Steps of a scheme at a score-evaluation budget in the paper's Figure 1 (docs/MATH.md §5). */
export function figureSteps(scheme: Scheme, nfe: number): number {
  return Math.floor(checkPositiveInteger('nfe', nfe) / EVALUATIONS[checkChoice('scheme', scheme, SCHEMES)]) - 1;
}

interface Common {
  schedule: Schedule;
  schemes: Scheme[];
  nfe: number;
  init: Init;
  alpha: number;
  steps: Partial<Record<Scheme, number>>;
}

function common(o: FigureCommonOptions): Common {
  checkOptions(o);
  const schedule = resolveSchedule(o);
  const given = o.schemes ?? FIGURE_DEFAULTS.schemes;
  if (!Array.isArray(given) || given.length === 0) throw badType('schemes', given, 'a non-empty array of scheme names');
  const schemes = [...new Set(given.map((s, i) => checkChoice(`schemes[${i}]`, s, SCHEMES)))];
  const nfe = checkPositiveInteger('nfe', o.nfe ?? FIGURE_DEFAULTS.nfe);
  const init = checkChoice('init', o.init ?? FIGURE_DEFAULTS.init, INITS);
  const alpha = checkFinite('alpha', o.alpha ?? DEFAULTS.alpha);
  const steps: Partial<Record<Scheme, number>> = {};
  for (const s of schemes) {
    const K = figureSteps(s, nfe);
    if (K < 1) throw badValue('nfe', nfe, `at least ${2 * EVALUATIONS[s]} for ${s} (K = NFE/${EVALUATIONS[s]} − 1 steps)`);
    // The step count comes from nfe: an error names nfe, the option given, not steps.
    steps[s] = checkSteps('nfe', K, nfe);
  }
  return { schedule, schemes, nfe, init, alpha, steps };
}

/**
 * Check the options the figures share (schemes, nfe and the steps it gives, start, α, schedule)
 * without computing anything, e.g. before a report's long ablation. After `await init()`.
 */
export function checkFigureCommon(options: FigureCommonOptions): void {
  common(options);
}

function settingsOf(c: Common, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    schemes: c.schemes, nfe: c.nfe, steps: c.steps, init: c.init, ...extra,
    betaMin: c.schedule.betaMin, betaMax: c.schedule.betaMax, T: c.schedule.T,
    ...(c.schemes.includes('em-alpha') ? { alpha: c.alpha } : {}),
    stepsRule: 'K = floor(NFE / evaluations per step) - 1 (paper Figure 1)',
  };
}

function schemeSeries(s: Scheme, K: number, points: FigureSeries['points']): FigureSeries {
  return { key: s, label: `${SCHEME_LABELS[s]} (K = ${K})`, kind: KIND[s], continuous: false, steps: K, points };
}

function continuousSeries(kind: 'sde' | 'ode', points: FigureSeries['points']): FigureSeries {
  return { key: kind, label: kind === 'sde' ? 'continuous SDE' : 'continuous ODE', kind, continuous: true, points };
}

const INIT_TEXT: Record<Init, string> = { pT: 'p_T', N0: 'N(0, I)' };

/**
 * W2 between the continuous α-process at time t and p_t. The process on [t, T] is the exact
 * α-process for data p_t = N(0, Σ_t) (eigenvalues λ_t, docs/MATH.md §1) under the schedule restricted to
 * [t, T] — still linear: β from β_t to βmax over a horizon T − t — stopped at ε' = 0; so
 * `continuous()` on that spectrum and schedule measures it against p_t.
 */
async function continuousToMarginal(spectrum: Spectrum, s: Schedule, t: number, init: Init): Promise<[Distance, Distance]> {
  const { spectrum: marginal, beta } = marginalAt(spectrum, s, t);
  const restricted = { betaMin: beta, betaMax: s.betaMax, T: s.T - t };
  const sde = await continuous(marginal, { ...restricted, eps: 0, alpha: 1, init });
  const ode = await continuous(marginal, { ...restricted, eps: 0, alpha: 0, init });
  return [sde.w2, ode.w2];
}

/**
 * Figure 1a: W2(N(0, V_k), p_{t_k}) along each scheme's grid from T down to ε, and the
 * continuous SDE and ODE at (up to `continuousPoints`) times of the finest grid.
 * @example (await figureTimeData(syntheticSpectrum())).panels[0].series.length // → 8 (6 schemes + SDE + ODE)
 */
export async function figureTimeData(input: SpectrumInput, options: FigureTimeOptions = {}): Promise<FigureData> {
  await init();
  const c = common(options);
  const spectrum = prepareSpectrum(input);
  const eps = checkFinite('eps', options.eps ?? FIGURE_DEFAULTS.timeEps);
  if (eps < 0 || eps >= c.schedule.T) throw badValue('eps', eps, `in [0, T) with T = ${c.schedule.T}`);
  const points = checkPositiveInteger('continuousPoints', options.continuousPoints ?? FIGURE_DEFAULTS.continuousPoints);
  const series: FigureSeries[] = [];
  let finest: number[] = [];
  for (const s of c.schemes) {
    const r = await run(spectrum, { ...c.schedule, scheme: s, steps: c.steps[s], eps, init: c.init, alpha: c.alpha });
    if (r.times.length > finest.length) finest = r.times;
    series.push(schemeSeries(s, r.steps, r.times.map((x, k) => ({ x, y: r.trajectory[k] }))));
  }
  // At t = T the continuous processes have only their start (T' = 0 has no schedule): begin at t_1.
  const inner = finest.slice(1);
  const stride = Math.max(1, Math.ceil(inner.length / points));
  const times = inner.filter((_, i) => i % stride === 0 || i === inner.length - 1);
  const sde: FigureSeries['points'] = [];
  const ode: FigureSeries['points'] = [];
  for (const t of times) {
    const [a, b] = await continuousToMarginal(spectrum, c.schedule, t, c.init);
    sde.push({ x: t, y: a });
    ode.push({ x: t, y: b });
  }
  series.push(continuousSeries('sde', sde), continuousSeries('ode', ode));
  return {
    kind: 'time',
    title: `W2 to p_t along the generation (NFE = ${c.nfe}, ε = ${eps}, start ${INIT_TEXT[c.init]})`,
    x: { label: 't', type: 'linear' },
    y: { label: 'W2(law at t, p_t)', type: 'log' },
    panels: [{ title: '', series }],
    settings: settingsOf(c, { eps, continuousPoints: points, dim: spectrum.dim }),
  };
}

/**
 * Figure 1b: the final W2 to the data against the truncation time ε (log–log), each scheme at
 * its step count and the continuous SDE and ODE. Computed with `ablation()` (worker threads).
 * @example (await figureEpsData(syntheticSpectrum(), { eps: [1e-3, 1e-2] })).panels[0].series[0].points.length // → 2
 */
export async function figureEpsData(input: SpectrumInput, options: FigureEpsOptions = {}): Promise<FigureData> {
  await init();
  const c = common(options);
  const spectrum = prepareSpectrum(input);
  const given = options.eps ?? FIGURE_DEFAULTS.epsList;
  if (!Array.isArray(given) || given.length === 0) throw badType('eps', given, 'a non-empty array of truncation times');
  const epss = given.map((x, i) => {
    const e = checkFinite(`eps[${i}]`, x);
    if (e <= 0 || e >= c.schedule.T) throw badValue(`eps[${i}]`, e, `in (0, T) with T = ${c.schedule.T} (a log axis has no ε = 0)`);
    return e;
  });
  // The ablation's paper mode gives K = n − 1 for n grid points (⌊n/4⌋ − 1 for RK4): asking
  // n = NFE for those and n = ⌊NFE/2⌋ for Heun gives Figure 1's K = NFE/e − 1 for every scheme.
  const groups: { schemes: Scheme[]; nfe: number }[] = [];
  const heun = c.schemes.filter((s) => s === 'heun');
  const rest = c.schemes.filter((s) => s !== 'heun');
  if (rest.length) groups.push({ schemes: rest, nfe: c.nfe });
  if (heun.length) groups.push({ schemes: heun, nfe: Math.floor(c.nfe / 2) });
  const w2 = new Map<string, Distance>();
  for (const g of groups) {
    const r = await ablation(spectrum, { ...c.schedule, schemes: g.schemes, nfe: [g.nfe], eps: epss, paper: true, alpha: c.alpha, threads: options.threads });
    for (const cell of r.cells) if (cell.init === c.init) w2.set(`${cell.scheme}|${cell.eps}`, cell.w2);
  }
  const series: FigureSeries[] = c.schemes.map((s) =>
    schemeSeries(s, c.steps[s]!, epss.map((x) => ({ x, y: w2.get(`${s}|${x}`) ?? null }))),
  );
  for (const [kind, alpha] of [['sde', 1], ['ode', 0]] as const) {
    const pts: FigureSeries['points'] = [];
    for (const x of epss) pts.push({ x, y: (await continuous(spectrum, { ...c.schedule, eps: x, alpha, init: c.init })).w2 });
    series.push(continuousSeries(kind, pts));
  }
  return {
    kind: 'eps',
    title: `Final W2 to the data against the truncation time (NFE = ${c.nfe}, start ${INIT_TEXT[c.init]})`,
    x: { label: 'ε', type: 'log' },
    y: { label: 'W2(law at ε, data)', type: 'log' },
    panels: [{ title: '', series }],
    settings: settingsOf(c, { eps: epss, dim: spectrum.dim }),
  };
}

/** `points` log-spaced values from a to b (both included). */
export function logGrid(a: number, b: number, points: number): Float64Array {
  const out = new Float64Array(points);
  const la = Math.log10(a);
  const lb = Math.log10(b);
  for (let i = 0; i < points; i++) out[i] = points === 1 ? a : 10 ** (la + ((lb - la) * i) / (points - 1));
  out[points - 1] = b;
  return out;
}

/** |√v − √λ| in the stable form |v − λ| / (√v + √λ) (docs/MATH.md §3); null when v is not a finite variance. */
function rootError(v: number, lambda: number): Distance {
  if (!Number.isFinite(v) || v < 0) return null;
  const den = Math.sqrt(v) + Math.sqrt(lambda);
  return den === 0 ? 0 : Math.abs(v - lambda) / den;
}

/**
 * Figure 2: each eigenvalue's contribution |√v_K(λ) − √λ| to the final W2, on a log grid of λ,
 * one panel per ε (default ε = 0 and 1e-3), each scheme and the continuous SDE/ODE. Needs no
 * spectrum: the grid is the spectrum.
 * @example (await figureEigenData({ points: 9 })).panels.length // → 2
 */
export async function figureEigenData(options: FigureEigenOptions = {}): Promise<FigureData> {
  await init();
  const c = common(options);
  const lambdaMin = checkFinite('lambdaMin', options.lambdaMin ?? FIGURE_DEFAULTS.lambdaMin);
  const lambdaMax = checkFinite('lambdaMax', options.lambdaMax ?? FIGURE_DEFAULTS.lambdaMax);
  if (lambdaMin <= 0) throw badValue('lambdaMin', lambdaMin, '> 0 (a log grid)');
  if (lambdaMax <= lambdaMin) throw badValue('lambdaMax', lambdaMax, `> lambdaMin = ${lambdaMin}`);
  const points = checkPositiveInteger('points', options.points ?? FIGURE_DEFAULTS.points);
  const given = options.eps ?? FIGURE_DEFAULTS.eigenEps;
  if (!Array.isArray(given) || given.length === 0) throw badType('eps', given, 'a non-empty array of truncation times');
  const epss = given.map((x, i) => {
    const e = checkFinite(`eps[${i}]`, x);
    if (e < 0 || e >= c.schedule.T) throw badValue(`eps[${i}]`, e, `in [0, T) with T = ${c.schedule.T}`);
    return e;
  });
  const m = resolveFigureMetric(options);
  const grid = logGrid(lambdaMin, lambdaMax, points);
  const spectrum = prepareSpectrum(grid, 'lambda grid');
  const panels: FigurePanel[] = [];
  for (const eps of epss) {
    const series: FigureSeries[] = [];
    for (const s of c.schemes) {
      const r = await run(spectrum, { ...c.schedule, scheme: s, steps: c.steps[s], eps, init: c.init, alpha: c.alpha, variances: true });
      series.push(schemeSeries(s, r.steps, eigenPoints(grid, r.variances!, m)));
    }
    if (m.metric === 'w2') {
      // A one-eigenvalue spectrum's W2 is that eigenvalue's contribution.
      for (const [kind, alpha] of [['sde', 1], ['ode', 0]] as const) {
        const pts: FigureSeries['points'] = [];
        for (const x of grid) pts.push({ x, y: (await continuous([x], { ...c.schedule, eps, alpha, init: c.init })).w2 });
        series.push(continuousSeries(kind, pts));
      }
    } else {
      // The continuous processes' per-direction KL: continuous() with perEigenvalue on the grid.
      for (const [kind, alpha] of [['sde', 1], ['ode', 0]] as const) {
        const e = (await continuous(spectrum, { ...c.schedule, eps, alpha, init: c.init, metric: 'kl', perEigenvalue: true })).perEigenvalue!;
        const kl = m.kl === 'forward' ? e.klForward! : e.klReverse!;
        series.push(continuousSeries(kind, Array.from(grid, (x, i) => ({ x, y: kl[i] }))));
      }
    }
    panels.push({ title: `ε = ${eps}`, series });
  }
  const fig: FigureData = {
    kind: 'eigen',
    title: m.metric === 'w2'
      ? `Contribution of each eigenvalue to the final W2 (NFE = ${c.nfe}, start ${INIT_TEXT[c.init]})`
      : `Contribution of each eigenvalue to the final ${klName(m.kl)} (NFE = ${c.nfe}, start ${INIT_TEXT[c.init]})`,
    x: { label: 'λ', type: 'log' },
    y: { label: eigenAxisLabel(m, 'v_K(λ)'), type: 'log' },
    panels,
    settings: settingsOf(c, { eps: epss, lambdaMin, lambdaMax, points, ...metricSettings(m) }),
  };
  const note = metricNote(fig, m);
  return note === undefined ? fig : { ...fig, note };
}

/**
 * One direction's error on a λ grid from the output variances: |√v − √λ| (W2's term) or that
 * direction's KL (klOfLaws, docs/metrics.md §2; null where infinite or undefined).
 */
export function eigenPoints(grid: Float64Array, v: Float64Array, m: ResolvedFigureMetric): FigureSeries['points'] {
  if (m.metric === 'w2') return Array.from(grid, (x, i) => ({ x, y: rootError(v[i], x) }));
  const k = klOfLaws({ lambda: grid, variance: v, meanError: null });
  const kl = m.kl === 'forward' ? k.forward : k.reverse;
  return Array.from(grid, (x, i) => ({ x, y: kl[i] }));
}

/** The y label of a per-eigenvalue figure: |√v − √λ| or the direction's KL, naming the metric. */
export function eigenAxisLabel(m: ResolvedFigureMetric, v: string): string {
  if (m.metric === 'w2') return `|√${v} − √λ|`;
  return m.kl === 'forward' ? `KL(N(0, ${v}) ‖ N(0, λ)), nats` : `KL(N(0, λ) ‖ N(0, ${v})), nats`;
}

/** The settings entries of a figure's metric (none for W2, the default). */
export function metricSettings(m: ResolvedFigureMetric): Record<string, unknown> {
  return m.metric === 'w2' ? {} : { metric: m.metric, kl: m.kl };
}

/** A FigureData as made by the figure*Data functions: panels of series of points. */
export function checkFigureData(fig: unknown, name = 'fig'): FigureData {
  if (typeof fig !== 'object' || fig === null) throw badType(name, fig, 'a FigureData object (from figureTimeData, figureEpsData or figureEigenData)');
  const f = fig as FigureData;
  if (!Array.isArray(f.panels)) throw badType(`${name}.panels`, f.panels, 'an array of panels');
  if (typeof f.x !== 'object' || f.x === null || typeof f.y !== 'object' || f.y === null) throw badType(`${name}.x`, f.x, 'an axis { label, type }');
  f.panels.forEach((p, i) => {
    if (typeof p !== 'object' || p === null || !Array.isArray(p.series)) throw badType(`${name}.panels[${i}]`, p, 'a panel { title, series: [] }');
    p.series.forEach((s, j) => {
      if (typeof s !== 'object' || s === null || !Array.isArray(s.points)) throw badType(`${name}.panels[${i}].series[${j}]`, s, 'a series { label, points: [] }');
    });
  });
  return f;
}

/** The figure's numbers as CSV: panel, series, x, y (empty y = undefined). */
export function figureCsv(fig: FigureData): string {
  checkFigureData(fig);
  const rows = ['panel,series,x,y'];
  for (const p of fig.panels) {
    for (const s of p.series) {
      for (const pt of s.points) rows.push(`${JSON.stringify(p.title)},${JSON.stringify(s.label)},${pt.x},${pt.y ?? ''}`);
    }
  }
  return rows.join('\n') + '\n';
}
