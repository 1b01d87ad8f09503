/** The defaults of every option, in one place (the paper's settings, docs/MATH.md §1 and §4). */

/** The seven schemes, in the order of the core's ids (assembly/schemes.ts). */
export const SCHEMES = ['em', 'ei', 'ddpm', 'em-alpha', 'euler', 'heun', 'rk4'] as const;
export type Scheme = (typeof SCHEMES)[number];

/** The six schemes of the paper's Table 3, in its row order. */
export const PAPER_SCHEMES: readonly Scheme[] = ['em', 'ei', 'ddpm', 'euler', 'heun', 'rk4'];

/** Score evaluations per step (docs/MATH.md §4). */
export const EVALUATIONS: Record<Scheme, number> = {
  em: 1, ei: 1, ddpm: 1, 'em-alpha': 1, euler: 1, heun: 2, rk4: 4,
};

/** SDE schemes (stochastic, compared with the continuous SDE) and ODE schemes. */
export const KIND: Record<Scheme, 'sde' | 'ode'> = {
  em: 'sde', ei: 'sde', ddpm: 'sde', 'em-alpha': 'sde', euler: 'ode', heun: 'ode', rk4: 'ode',
};

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
