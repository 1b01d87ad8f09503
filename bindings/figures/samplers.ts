/**
 * Figures of library samplers (issue 11 item 5): W2 against NFE (`compare`'s cells, one curve per
 * sampler and grid builder, log–log) and each eigenvalue's error |√v(λ) − √λ| for chosen samplers
 * (`runSampler` with `variances` on a log grid of λ, as Figure 2 does for the paper's schemes).
 * Numbers from the public API only; drawing is render.ts's.
 */
import { compare, init, runSampler } from '../api.js';
import type { CompareOptions, CompareResult } from '../exact/compare.js';
import { OWN_GRID, planCompare } from '../exact/compare.js';
import { SAMPLERS } from '../samplers/index.js';
import type { Start } from '../exact/run-sampler.js';
import type { ParamValue } from '../samplers/params.js';
import { badType, badValue, checkFinite, checkOptions, checkPositiveInteger } from '../runtime/errors.js';
import { prepareSpectrum, type SpectrumInput } from '../options/spectrum.js';
import { eigenAxisLabel, eigenPoints, logGrid, metricSettings, FIGURE_DEFAULTS, type FigureData, type FigureSeries } from './data.js';
import { klName, metricNote, resolveFigureMetric, type FigureMetricOptions, type ResolvedFigureMetric } from './metric.js';

/** Dash patterns telling a sampler's grid builders apart (the first solid). */
const SCHEDULER_DASH = ['none', '6,3', '2,2', '10,3,2,3', '1,4'] as const;

/** Step counts of the NFE figure when none are given: 5 … 200, about 3 per decade. */
export const NFE_FIGURE_STEPS: readonly number[] = [5, 10, 20, 50, 100, 200];

/**
 * `compare`'s options, and the metric drawn: `metric` 'w2' (default) or 'kl' (then `kl`:
 * 'forward' (default) = KL(output ‖ data), or 'reverse'); 'both' is not a figure (one y axis).
 */
export type FigureNfeOptions = Omit<CompareOptions, 'steps' | 'onProgress' | 'metric'> & FigureMetricOptions & { steps?: readonly number[]; onProgress?: CompareOptions['onProgress'] };

/**
 * W2 (or KL, `metric: 'kl'`) to the data against NFE (log–log): one curve per sampler (and grid
 * builder, when several are given: dashed differently), its points `compare`'s cells in step
 * order; an infinite KL is a gap in its line (and counted in the figure's note).
 * @example (await figureNfeData(syntheticSpectrum(), { samplers: ['euler', 'heun'], steps: [5, 10] })).panels[0].series.length // → 2
 */
export async function figureNfeData(input: SpectrumInput, options: FigureNfeOptions): Promise<FigureData> {
  await init();
  const { kl: _kl, ...o } = checkOptions(options);
  const m = resolveFigureMetric(options);
  return nfeFigureOf(await compare(input, { ...o, metric: m.metric, steps: o.steps ?? NFE_FIGURE_STEPS }), m.metric === 'kl' ? m : { metric: 'w2' });
}

/**
 * The W2-against-NFE figure of a comparison already computed (`compare`'s result): one curve per
 * sampler and grid builder. `metric: 'kl'` draws the cells' KL (`kl`: 'forward' by default, or
 * 'reverse'); the default is the comparison's own metric ('kl' when it has only KL, else 'w2').
 */
export function nfeFigureOf(r: CompareResult, metric: FigureMetricOptions = {}): FigureData {
  if (typeof r !== 'object' || r === null || !Array.isArray(r.cells)) throw badType('result', r, 'a result of compare()');
  const m = resolveFigureMetric({ metric: r.metric === 'kl' ? 'kl' : 'w2', ...checkOptions(metric, 'metric') });
  if (m.metric === 'kl' && r.cells.some((c) => c.kl === undefined)) throw badValue('result.metric', r.metric, "'kl' or 'both' for a KL figure (compare's cells carry kl only then)");
  const schedulers = [...new Set(r.cells.filter((c) => c.scheduler !== OWN_GRID).map((c) => c.scheduler))];
  const series: FigureSeries[] = [];
  for (const key of [...new Set(r.cells.map((c) => `${c.sampler}/${c.scheduler}`))]) {
    const cells = r.cells.filter((c) => `${c.sampler}/${c.scheduler}` === key);
    const { sampler, scheduler } = cells[0];
    const spec = SAMPLERS[sampler];
    if (!spec) throw badValue('result.cells[].sampler', sampler, `one of ${Object.keys(SAMPLERS).join(', ')}`);
    series.push({
      key,
      label: schedulers.length > 1 || scheduler === OWN_GRID ? `${sampler} (${scheduler === OWN_GRID ? 'own grid' : scheduler})` : sampler,
      kind: spec.kind,
      continuous: false,
      colour: spec.colour,
      ...(schedulers.length > 1 ? { dash: SCHEDULER_DASH[Math.max(0, schedulers.indexOf(scheduler)) % SCHEDULER_DASH.length] } : {}),
      points: cells.map((c) => ({ x: c.nfe, y: m.metric === 'w2' ? c.w2 : c.kl![m.kl] })),
    });
  }
  const fig: FigureData = {
    kind: 'nfe',
    title: `${m.metric === 'w2' ? 'W2 to the data' : klName(m.kl)} against NFE (model ${r.model}, start ${r.start === 'exact' ? 'exact' : 'conventional'}${schedulers.length === 1 ? `, ${schedulers[0]} grid` : ''})`,
    x: { label: 'NFE', type: 'log' },
    y: { label: m.metric === 'w2' ? 'W2(output, data)' : `${klName(m.kl)}, nats`, type: 'log' },
    panels: [{ title: '', series }],
    settings: {
      model: r.model, start: r.start, samplers: Object.keys(r.params), schedulers, steps: [...new Set(r.cells.map((c) => c.steps))],
      ...metricSettings(m), params: r.params, cells: r.cells,
    },
  };
  const note = metricNote(fig, m);
  return note === undefined ? fig : { ...fig, note };
}

export interface FigureSamplerEigenOptions extends FigureMetricOptions {
  /** Library samplers (one curve each). */
  samplers: readonly string[];
  /** Grid builder of every curve (default: the first sampler's); own-grid samplers use theirs. */
  scheduler?: string;
  /** Steps of every curve (own-grid samplers: their size parameter, as in `compare`). */
  steps: number;
  model?: string;
  start?: Start;
  /** As `compare`'s: `eta` for every sampler that has it, `euler.s_churn` for one. */
  params?: Record<string, ParamValue>;
  /** The λ grid: `points` log-spaced values (defaults as Figure 2's: 1e-5 … 1e3, 161). */
  lambdaMin?: number;
  lambdaMax?: number;
  points?: number;
}

/**
 * Each eigenvalue's contribution |√v(λ) − √λ| to the final W2 (W2² is the sum of their squares
 * over the spectrum), or with `metric: 'kl'` its KL (the total KL is their sum), on a log grid of
 * λ, one curve per sampler: where in the spectrum a sampler loses its accuracy.
 * @example (await figureSamplerEigenData({ samplers: ['euler', 'dpmpp_2m'], steps: 10, points: 9 })).panels[0].series.length // → 2
 */
export async function figureSamplerEigenData(options: FigureSamplerEigenOptions): Promise<FigureData> {
  await init();
  const o = checkOptions(options);
  const steps = checkPositiveInteger('steps', o.steps);
  // The same validation as compare's (samplers, model, grid builder, parameters), all up front.
  const plan = planCompare({ samplers: o.samplers, schedulers: o.scheduler === undefined ? undefined : [o.scheduler], steps: [steps], model: o.model, start: o.start, params: o.params });
  const lambdaMin = checkFinite('lambdaMin', o.lambdaMin ?? FIGURE_DEFAULTS.lambdaMin);
  const lambdaMax = checkFinite('lambdaMax', o.lambdaMax ?? FIGURE_DEFAULTS.lambdaMax);
  if (lambdaMin <= 0) throw badValue('lambdaMin', lambdaMin, '> 0 (a log grid)');
  if (lambdaMax <= lambdaMin) throw badValue('lambdaMax', lambdaMax, `> lambdaMin = ${lambdaMin}`);
  const points = checkPositiveInteger('points', o.points ?? FIGURE_DEFAULTS.points);
  const m: ResolvedFigureMetric = resolveFigureMetric(o);
  const grid = logGrid(lambdaMin, lambdaMax, points);
  const spectrum = prepareSpectrum(grid, 'lambda grid');
  const series: FigureSeries[] = [];
  for (const c of plan.cells) {
    const spec = SAMPLERS[c.sampler];
    const run = c.run;
    const gridOptions = c.scheduler === OWN_GRID ? {} : { scheduler: c.scheduler, steps };
    const r = await runSampler(spectrum, {
      sampler: c.sampler as never, process: run.process.id, ...gridOptions, params: run.params as Record<string, ParamValue>,
      start: run.start, variances: true,
    });
    series.push({
      key: `${c.sampler}/${c.scheduler}`,
      label: `${c.sampler} (NFE ${c.nfe})`,
      kind: spec.kind,
      continuous: false,
      colour: spec.colour,
      points: eigenPoints(grid, r.variances!, m),
    });
  }
  const schedulers = [...new Set(plan.cells.map((c) => c.scheduler))].filter((g) => g !== OWN_GRID);
  const fig: FigureData = {
    kind: 'eigen',
    title: `Contribution of each eigenvalue to the final ${m.metric === 'w2' ? 'W2' : klName(m.kl)} (${steps} steps${schedulers.length ? `, ${schedulers[0]} grid` : ''}, model ${plan.model})`,
    x: { label: 'λ', type: 'log' },
    y: { label: eigenAxisLabel(m, 'v(λ)'), type: 'log' },
    panels: [{ title: '', series }],
    settings: { samplers: plan.cells.map((c) => c.sampler), scheduler: schedulers[0] ?? OWN_GRID, steps, model: plan.model, start: plan.start, params: plan.params, lambdaMin, lambdaMax, points, ...metricSettings(m) },
  };
  const note = metricNote(fig, m);
  return note === undefined ? fig : { ...fig, note };
}
