// The one place where a sampler id becomes code (ids shared with bindings/samplers/*.ts `coreId`).
// Every function aborts on an unknown id: nothing falls through to another sampler.
// Adding a sampler: its family file writes (A, b, Q) (see coefficients.ts), and one line per
// function below (docs/adding-a-sampler.md).
import { EM, EI, DDPM, EM_ALPHA, EULER, HEUN, RK4, paperPrepare, paperCoefficients } from './paper';
import {
  eulerPrepare, eulerCoefficients, dpmpp2mPrepare, dpmpp2mCoefficients, eulerAncestralPrepare, eulerAncestralCoefficients,
} from './k-diffusion';
import { VP_LINEAR, EDM } from '../processes/dispatch';
import { stepLoops } from '../kernels/general';

export const KD_EULER: i32 = 7;
export const KD_DPMPP_2M: i32 = 8;
export const KD_EULER_ANCESTRAL: i32 = 9;

function unknown(id: i32): void {
  throw new Error('gaussdiff core: unknown sampler id ' + id.toString());
}

function needProcess(id: i32, process: i32, wanted: i32): void {
  if (process != wanted) throw new Error('gaussdiff core: sampler ' + id.toString() + ' does not run on forward process ' + process.toString());
}

/** State size m (1..4). */
export function samplerStateSize(id: i32): i32 {
  return stateSize(id);
}

// @ts-ignore: decorator
@inline function stateSize(id: i32): i32 {
  if (id >= EM && id <= RK4) return 1;
  if (id == KD_EULER) return 1;
  if (id == KD_DPMPP_2M) return 2;
  if (id == KD_EULER_ANCESTRAL) return 1;
  unknown(id);
  return 0;
}

/**
 * True when Q = 0 at every step with these parameters: the covariance then stays rank one and
 * only the multiplier is tracked (docs/MATH-samplers.md §1).
 */
export function samplerDeterministic(id: i32, params: usize): bool {
  if (id >= EM && id <= EM_ALPHA) return false;
  if (id >= EULER && id <= RK4) return true;
  if (id == KD_EULER) return load<f64>(params) == 0.0; // s_churn = 0
  if (id == KD_DPMPP_2M) return true;
  if (id == KD_EULER_ANCESTRAL) return false;
  unknown(id);
  return false;
}

/** The per-step table of a grid (heap-allocated; the caller frees it). hs: step sizes or 0 (paper.ts). */
export function samplerPrepare(id: i32, params: usize, process: i32, pp: usize, times: usize, hs: usize, K: i32): usize {
  if (id >= EM && id <= RK4) { needProcess(id, process, VP_LINEAR); return paperPrepare(id, params, pp, times, hs, K); }
  if (id == KD_EULER) { needProcess(id, process, EDM); return eulerPrepare(params, times, K); }
  if (id == KD_DPMPP_2M) { needProcess(id, process, EDM); return dpmpp2mPrepare(times, K); }
  if (id == KD_EULER_ANCESTRAL) { needProcess(id, process, EDM); return eulerAncestralPrepare(params, times, K); }
  unknown(id);
  return 0;
}

/** Step k's (A, b, Q) for two eigenvalues L, into the scratch block s (coefficients.ts); b only if wantB, Q only if wantQ. */
// @ts-ignore: decorator
@inline export function samplerCoefficients(id: i32, table: usize, k: i32, L: v128, s: usize, wantB: bool, wantQ: bool): void {
  if (id == EM) paperCoefficients(EM, table, k, L, s, wantB, wantQ);
  else if (id == EI) paperCoefficients(EI, table, k, L, s, wantB, wantQ);
  else if (id == DDPM) paperCoefficients(DDPM, table, k, L, s, wantB, wantQ);
  else if (id == EM_ALPHA) paperCoefficients(EM_ALPHA, table, k, L, s, wantB, wantQ);
  else if (id == EULER) paperCoefficients(EULER, table, k, L, s, wantB, wantQ);
  else if (id == HEUN) paperCoefficients(HEUN, table, k, L, s, wantB, wantQ);
  else if (id == RK4) paperCoefficients(RK4, table, k, L, s, wantB, wantQ);
  else if (id == KD_EULER) eulerCoefficients(table, k, L, s, wantB, wantQ);
  else if (id == KD_DPMPP_2M) dpmpp2mCoefficients(table, k, L, s, wantB, wantQ);
  else if (id == KD_EULER_ANCESTRAL) eulerAncestralCoefficients(table, k, L, s, wantB, wantQ);
  else unknown(id);
}

/**
 * The kernel's step loops (kernels/general.ts stepLoops) instantiated once per sampler, with the id
 * a constant: the coefficient dispatch and the state size fold away inside each loop.
 */
export function samplerLoops(
  id: i32, det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32,
  out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize,
): void {
  if (id == EM) stepLoops(EM, stateSize(EM), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == EI) stepLoops(EI, stateSize(EI), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == DDPM) stepLoops(DDPM, stateSize(DDPM), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == EM_ALPHA) stepLoops(EM_ALPHA, stateSize(EM_ALPHA), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == EULER) stepLoops(EULER, stateSize(EULER), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == HEUN) stepLoops(HEUN, stateSize(HEUN), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == RK4) stepLoops(RK4, stateSize(RK4), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == KD_EULER) stepLoops(KD_EULER, stateSize(KD_EULER), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == KD_DPMPP_2M) stepLoops(KD_DPMPP_2M, stateSize(KD_DPMPP_2M), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == KD_EULER_ANCESTRAL) stepLoops(KD_EULER_ANCESTRAL, stateSize(KD_EULER_ANCESTRAL), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else unknown(id);
}
