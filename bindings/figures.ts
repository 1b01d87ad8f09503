/**
 * `gaussdiff/figures`: figures, tables and reports, a subpath export of their own so that the main
 * entry needs neither Observable Plot nor a DOM (both optional peers, loaded on first render).
 * The paper's figures as SVG strings, the same in Node and browsers (docs/MATH.md §5): Figure 1a
 * (`figureTime`), Figure 1b (`figureEps`), Figure 2 (`figureEigen`). Each is its data function
 * (figures-data.ts: numbers from the public API) followed by `renderFigure` (figures-render.ts:
 * Observable Plot).
 */
import {
  figureEigenData, figureEpsData, figureTimeData,
  type FigureEigenOptions, type FigureEpsOptions, type FigureTimeOptions,
} from './figures/data.js';
import { renderFigure, type RenderOptions } from './figures/render.js';
import type { SpectrumInput } from './options/spectrum.js';

/**
 * Figure 1a as SVG: W2 to p_t along t for each scheme (K = NFE/e − 1 steps) and for the
 * continuous SDE and ODE; log y axis.
 * @example (await figureTime(syntheticSpectrum(), { nfe: 100 })).startsWith('<svg') // → true
 */
export async function figureTime(spectrum: SpectrumInput, options: FigureTimeOptions & RenderOptions = {}): Promise<string> {
  return renderFigure(await figureTimeData(spectrum, options), options);
}

/**
 * Figure 1b as SVG: final W2 to the data against ε (log–log), each scheme and the continuous SDE/ODE.
 * @example (await figureEps(syntheticSpectrum(), { eps: [1e-4, 1e-3, 1e-2] })).includes('continuous SDE') // → true
 */
export async function figureEps(spectrum: SpectrumInput, options: FigureEpsOptions & RenderOptions = {}): Promise<string> {
  return renderFigure(await figureEpsData(spectrum, options), options);
}

/**
 * Figure 2 as SVG: |√v_K(λ) − √λ| over a log grid of λ, one panel per ε (default 0 and 1e-3).
 * @example (await figureEigen()).includes('ε = 0.001') // → true
 */
export async function figureEigen(options: FigureEigenOptions & RenderOptions = {}): Promise<string> {
  return renderFigure(await figureEigenData(options), options);
}

export {
  figureTimeData, figureEpsData, figureEigenData, figureCsv, figureSteps, logGrid, checkFigureCommon,
  FIGURE_DEFAULTS, SCHEME_LABELS,
} from './figures/data.js';
export type {
  FigureData, FigurePanel, FigureSeries, FigureKind, FigureCommonOptions, FigureTimeOptions,
  FigureEpsOptions, FigureEigenOptions,
} from './figures/data.js';
export { renderFigure, formatLogTick, FIGURE_COLORS } from './figures/render.js';
export type { RenderOptions } from './figures/render.js';
export { spectrumSummary, reportHtml, reportMarkdown, markdownTableToHtml, inlineSvg, escapeHtml } from './figures/report.js';
export type { SpectrumSummary, ReportContent, ReportFigure } from './figures/report.js';
export { formatDistance, renderAblation, renderRun, renderCompare } from './figures/tables.js';
export type { TableFormat, CompareTable } from './figures/tables.js';

// Library samplers' figures: W2 against NFE, and each eigenvalue's error per sampler.
import { figureNfeData, figureSamplerEigenData, type FigureNfeOptions, type FigureSamplerEigenOptions } from './figures/samplers.js';
/**
 * W2 against NFE as SVG (log–log), one curve per sampler (`compare`'s cells).
 * @example (await figureNfe(syntheticSpectrum(), { samplers: ['euler', 'heun'], steps: [5, 10] })).includes('heun') // → true
 */
export async function figureNfe(spectrum: SpectrumInput, options: FigureNfeOptions & RenderOptions): Promise<string> {
  return renderFigure(await figureNfeData(spectrum, options), options);
}
/**
 * Each eigenvalue's error |√v(λ) − √λ| for chosen samplers as SVG, one curve per sampler.
 * @example (await figureSamplerEigen({ samplers: ['euler', 'heun'], steps: 10 })).startsWith('<svg') // → true
 */
export async function figureSamplerEigen(options: FigureSamplerEigenOptions & RenderOptions): Promise<string> {
  return renderFigure(await figureSamplerEigenData(options), options);
}
export { figureNfeData, figureSamplerEigenData, nfeFigureOf, NFE_FIGURE_STEPS } from './figures/samplers.js';
export type { FigureNfeOptions, FigureSamplerEigenOptions } from './figures/samplers.js';
export { figureBreakdownData, breakdownFigureData } from './figures/breakdown.js';
// W2 against N for a score fitted on N samples (docs/MATH-samplers.md §7c).
export { figureScoreSamplesData } from './figures/score-samples.js';
export type { FigureScoreSamplesOptions } from './figures/score-samples.js';
// The metric of the nfe and eigen figures: W2, or KL (forward by default), gaps where infinite.
export { FIGURE_METRICS, KL_DIRECTIONS, resolveFigureMetric } from './figures/metric.js';
export type { FigureMetric, KlDirection, FigureMetricOptions } from './figures/metric.js';
