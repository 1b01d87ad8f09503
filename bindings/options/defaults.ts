/** The defaults of every option, in one place (the paper's settings, docs/MATH.md §1 and §4). */
import { SCHEME_LIST, type SchemeId } from '../samplers/index.js';

/** The seven schemes, in the order of the core's ids (from the registry, bindings/samplers/). */
export const SCHEMES: readonly SchemeId[] = SCHEME_LIST.map((s) => s.id);
export type Scheme = SchemeId;

/** The six schemes of the paper's Table 3, in its row order. */
export const PAPER_SCHEMES: readonly Scheme[] = ['em', 'ei', 'ddpm', 'euler', 'heun', 'rk4'];

/** Score evaluations per step (docs/MATH.md §4), from each registry entry's NFE rule. */
export const EVALUATIONS = Object.fromEntries(SCHEME_LIST.map((s) => [s.id, s.nfe(1)])) as Record<Scheme, number>;

/** SDE schemes (stochastic, compared with the continuous SDE) and ODE schemes, from the registry. */
export const KIND = Object.fromEntries(SCHEME_LIST.map((s) => [s.id, s.kind])) as Record<Scheme, 'sde' | 'ode'>;

/** Starts: `pT` = the exact forward marginal p_T (no initialization error); `N0` = N(0, I). */
export const INITS = ['pT', 'N0'] as const;
export type Init = (typeof INITS)[number];

export interface ScheduleOptions {
  /** β at t = 0 (default 0.05). */
  betaMin?: number;
  /** β at t = T (default 10). */
  betaMax?: number;
  /** Time horizon T (default 1). */
  T?: number;
}

/**
 * The horizons T the schedule can be computed for: B_t = βmin·t + (βmax − βmin)·t²/(2T) squares t,
 * and t² underflows below T ≈ 1.5e-154 (T = 1e-300 lost the βmax term and gave W2 = 6.8e12) and
 * overflows above T ≈ 6.7e153. Shared by the engine and continuousErrorMatrix.
 */
export const T_RANGE = [1e-150, 1e150] as const;

export const DEFAULTS = {
  betaMin: 0.05,
  betaMax: 10,
  T: 1,
  eps: 0,
  init: 'N0' as Init,
  alpha: 1,
  scheme: 'em' as Scheme,
  steps: 1000,
  /** The ablation grid of the paper's Tables 1, 5, 6. */
  ablationSchemes: PAPER_SCHEMES,
  ablationNfe: [50, 250, 500, 1000] as readonly number[],
  ablationEps: [0, 1e-5, 1e-4, 1e-3] as readonly number[],
} as const;
