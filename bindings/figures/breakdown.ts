/**
 * The error-breakdown figure (docs/metrics.md §3): each eigen-direction's W2² against its
 * eigenvalue for the four cumulative runs of `errorBreakdown` (truncation; + discretization;
 * + initialization; + score). The vertical gap between two curves is what that source adds in
 * that direction. λ = 0 directions and zero errors cannot sit on the log axes and are left out
 * (they are in the totals and in the JSON/CSV numbers).
 */
import { init } from '../api.js';
import { errorBreakdown, type ErrorBreakdown } from '../exact/breakdown.js';
import type { SamplerRunOptions } from '../exact/run-sampler.js';
import type { SpectrumInput } from '../options/spectrum.js';
import type { FigureData } from './data.js';
import { badType, badValue, checkOptions } from '../runtime/errors.js';
import { getSampler } from '../samplers/index.js';

/** Okabe–Ito colours of the stages (colour-blind safe), in order. */
const STAGE_COLOURS = { truncation: '#000000', discretization: '#0072B2', initialization: '#E69F00', score: '#D55E00' } as const;

/** A breakdown as figure data (series sorted by eigenvalue). */
export function breakdownFigureData(b: ErrorBreakdown, settings: Record<string, unknown> = {}, kind: 'sde' | 'ode' = 'ode'): FigureData {
  if (kind !== 'sde' && kind !== 'ode') throw badValue('kind', kind, "'sde' or 'ode' (the sampler's kind: solid or dashed lines)");
  if (typeof b !== 'object' || b === null || !Array.isArray(b.eigenvalues) || !Array.isArray(b.stages)) {
    throw badType('breakdown', b, 'an ErrorBreakdown (from errorBreakdown)');
  }
  b.stages.forEach((s, i) => {
    if (typeof s !== 'object' || s === null || !(s.stage in STAGE_COLOURS) || !Array.isArray(s.w2sq) || s.w2sq.length !== b.eigenvalues.length) {
      throw badType(`breakdown.stages[${i}]`, s, 'a stage { stage, label, w2, w2sq } with one w2sq per eigenvalue');
    }
  });
  checkOptions(settings, 'settings');
  const order = b.eigenvalues.map((_, i) => i).sort((i, j) => b.eigenvalues[i] - b.eigenvalues[j]);
  return {
    kind: 'breakdown',
    title: 'Error by source, per eigen-direction (cumulative runs)',
    x: { label: 'eigenvalue λ', type: 'log' },
    y: { label: 'W2² of the direction', type: 'log' },
    panels: [{
      title: '',
      series: b.stages.map((s) => ({
        key: s.stage,
        label: s.label,
        // The truncation stage is the exact (continuous) flow: dashed; the sampler's runs by its kind.
        kind: s.stage === 'truncation' ? 'ode' as const : kind,
        continuous: s.stage === 'truncation',
        colour: STAGE_COLOURS[s.stage],
        points: order.map((i) => ({ x: b.eigenvalues[i], y: s.w2sq[i] })),
      })),
    }],
    settings: { ...settings, parts: b.parts, w2: Object.fromEntries(b.stages.map((s) => [s.stage, s.w2])) },
  };
}

/**
 * The numbers of the breakdown figure for a run (the options of `runSampler` with `mean`,
 * `scoreMean`); draw them with `renderFigure`.
 * @example renderFigure(await figureBreakdownData(spectrum, { sampler: 'euler', steps: 10 }))
 */
export async function figureBreakdownData(spectrum: SpectrumInput, options: SamplerRunOptions): Promise<FigureData> {
  await init();
  const b = errorBreakdown(spectrum, options);
  const { mean: _m, scoreMean: _s, means: _ms, ...rest } = options ?? {};
  const spec = rest.scheme !== undefined ? getSampler('scheme', rest.scheme, 'scheme') : getSampler('sampler', rest.sampler, 'sampler');
  return breakdownFigureData(b, { run: rest }, spec.kind);
}
