/**
 * The metric a figure draws (docs/metrics.md §2, "Figures"): W2 (default) or one direction of the
 * KL divergence, `forward` = KL(output ‖ data) by default, `reverse` = KL(data ‖ output). Shared by
 * the W2-against-NFE figure and both per-eigenvalue figures (the paper's schemes and library
 * samplers), so that their options, axis labels and gap notes say the same thing.
 */
import { badValue, checkChoice, checkOptions } from '../runtime/errors.js';
import type { Kl } from '../exact/metrics.js';
import type { FigureData } from './data.js';

/** What a figure can draw on its one y axis ('both' of `run` has two numbers: not a figure). */
export const FIGURE_METRICS = ['w2', 'kl'] as const;
export type FigureMetric = (typeof FIGURE_METRICS)[number];

/** KL's two directions, the keys of `Kl`: forward = KL(output ‖ data), reverse = KL(data ‖ output). */
export const KL_DIRECTIONS = ['forward', 'reverse'] as const satisfies readonly (keyof Kl)[];
export type KlDirection = (typeof KL_DIRECTIONS)[number];

/** The options every metric-aware figure takes. */
export interface FigureMetricOptions {
  /** 'w2' (default) or 'kl' (nats; null values — infinite KL — are left out, the line has a gap). */
  metric?: FigureMetric;
  /** With metric 'kl': 'forward' (default, KL(output ‖ data)) or 'reverse' (KL(data ‖ output)). */
  kl?: KlDirection;
}

/** A figure's resolved metric. */
export interface ResolvedFigureMetric {
  metric: FigureMetric;
  kl: KlDirection;
}

/**
 * Validate `metric` and `kl` (kl only with metric 'kl').
 * @example resolveFigureMetric({ metric: 'kl' }) // → { metric: 'kl', kl: 'forward' }
 */
export function resolveFigureMetric(options: FigureMetricOptions): ResolvedFigureMetric {
  const o = checkOptions(options);
  const metric = checkChoice('metric', o.metric ?? 'w2', FIGURE_METRICS);
  if (o.kl !== undefined && metric !== 'kl') throw badValue('kl', o.kl, `absent unless metric is 'kl' (metric is '${metric}')`);
  return { metric, kl: checkChoice('kl', o.kl ?? 'forward', KL_DIRECTIONS) };
}

/** "KL(output ‖ data)" or "KL(data ‖ output)". */
export function klName(kl: KlDirection): string {
  return kl === 'forward' ? 'KL(output ‖ data)' : 'KL(data ‖ output)';
}

/**
 * The note of a KL figure: which KL, in nats, and how many values are infinite or undefined (left
 * out of the lines: a gap, never a number). Undefined for W2 figures.
 */
export function metricNote(fig: Pick<FigureData, 'panels'>, m: ResolvedFigureMetric): string | undefined {
  if (m.metric !== 'kl') return undefined;
  let gaps = 0;
  for (const p of fig.panels) for (const s of p.series) for (const q of s.points) if (q.y === null) gaps++;
  const which = `${klName(m.kl)} in nats (${m.kl} KL)`;
  return gaps === 0
    ? `${which}; every value finite`
    : `${which}; gaps: ${gaps} point${gaps === 1 ? '' : 's'} where KL is infinite or undefined (a zero variance on one side), not drawn`;
}
