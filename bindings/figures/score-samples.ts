/**
 * Figure: W2 against N when the score is the sample covariance of N draws of the data
 * (docs/MATH-samplers.md §7c), for a few samplers: each point is the Monte Carlo mean over fitted
 * covariances (scoreSamplesSync), plus the ideal sampler's delta-method curve. Numbers only; drawn
 * by renderFigure like the paper's figures.
 */
import { init } from '../api.js';
import { deltaScoreSamples, scoreSamplesSync } from '../exact/score-samples.js';
import { getSampler } from '../samplers/index.js';
import { badType, badValue, checkOptions, checkPositiveInteger } from '../runtime/errors.js';
import { prepareSpectrum, type SpectrumInput } from '../options/spectrum.js';
import type { Seed } from '../sampling/random.js';
import type { FigureData, FigureSeries } from './data.js';

export interface FigureScoreSamplesOptions {
  /** Paper schemes or library samplers by id (a scheme id wins; default euler, heun, em). */
  samplers?: readonly string[];
  /** The N values (default 10 log-spaced from 2d to 1000d). */
  samples?: readonly number[];
  /** Steps of every sampler (default 20). */
  steps?: number;
  /** Draws per point (default 10). */
  draws?: number;
  /** Seed (default 0): the same draws for every sampler. */
  seed?: Seed;
}

/**
 * The figure's numbers. d³ work per draw: keep d small (a few hundred) or the draws few.
 * @example (await figureScoreSamplesData([0.5, 2], { samples: [10, 100], draws: 2 })).panels[0].series.length // → 4
 */
export async function figureScoreSamplesData(input: SpectrumInput, options: FigureScoreSamplesOptions = {}): Promise<FigureData> {
  await init();
  checkOptions(options);
  const spectrum = prepareSpectrum(input);
  const ids = options.samplers ?? ['euler', 'heun', 'em'];
  if (!Array.isArray(ids) || ids.length === 0) throw badType('samplers', ids, 'a non-empty array of sampler or scheme ids');
  const d = spectrum.dim;
  const ns = options.samples ?? Array.from({ length: 10 }, (_, i) => Math.round(2 * d * 500 ** (i / 9)) + 1);
  if (!Array.isArray(ns) || ns.length === 0) throw badType('samples', ns, 'a non-empty array of sample counts');
  ns.forEach((n, i) => { if (!(Number.isInteger(n) && n >= 2)) throw badValue(`samples[${i}]`, n, 'an integer ≥ 2'); });
  const steps = checkPositiveInteger('steps', options.steps ?? 20);
  const draws = checkPositiveInteger('draws', options.draws ?? 10);
  const seed = options.seed ?? 0;
  const series: FigureSeries[] = [];
  for (const [j, id] of ids.entries()) {
    let group: 'scheme' | 'sampler';
    try {
      getSampler('scheme', id, 'samplers');
      group = 'scheme';
    } catch {
      getSampler('sampler', id, `samplers[${j}]`);
      group = 'sampler';
    }
    const spec = getSampler(group, id, 'samplers');
    const points = ns.map((n) => {
      const r = scoreSamplesSync(spectrum, { [group]: id, steps }, { samples: n, draws, seed });
      return { x: n, y: r.monteCarlo!.w2.mean };
    });
    series.push({ key: id as FigureSeries['key'], label: `${spec.label} (${steps} steps)`, kind: spec.kind === 'ode' ? 'ode' : 'sde', continuous: false, steps, points });
  }
  series.push({
    key: 'sde', label: 'ideal sampler, delta method', kind: 'sde', continuous: true,
    points: ns.map((n) => ({ x: n, y: Math.sqrt(deltaScoreSamples(spectrum.eigenvalues, n - 1)) })),
  });
  return {
    kind: 'score-samples',
    title: `W2 to the data when the score is fitted on N samples (mean of ${draws} draws)`,
    x: { label: 'N (samples the score\'s covariance is fitted on)', type: 'log' },
    y: { label: 'W2(output, data)', type: 'log' },
    panels: [{ title: '', series }],
    settings: { samplers: ids, samples: ns, steps, draws, seed: String(seed), dim: d, start: 'prior', ddof: 1 },
  };
}
