// The one place where a sampler id becomes code (ids shared with bindings/samplers/*.ts `coreId`).
// Every function aborts on an unknown id: nothing falls through to another sampler.
// Adding a sampler: its family file writes (A, b, Q) (see coefficients.ts), and one line per
// function below (docs/adding-a-sampler.md).
import { EM, EI, DDPM, EM_ALPHA, EULER, HEUN, RK4, paperPrepare, paperCoefficients, paperStages } from './paper';
import {
  eulerPrepare, eulerCoefficients, dpmpp2mPrepare, dpmpp2mCoefficients, eulerAncestralPrepare, eulerAncestralCoefficients,
  heunPrepare, heunCoefficients, dpm2Prepare, dpm2AncestralPrepare, dpm2Coefficients, lmsPrepare, lmsCoefficients,
  dpmpp2sAncestralPrepare, dpmpp2sAncestralCoefficients, dpmppSdePrepare, dpmppSdeCoefficients,
  dpmpp2mSdePrepare, dpmpp2mSdeCoefficients, dpmpp3mSdePrepare, dpmpp3mSdeCoefficients, dpmFastPrepare, dpmFastCoefficients,
} from './k-diffusion';
import { dpmSolverPrepare, dpmSolverCoefficients } from './dpm-solver';
import { unipcPrepare, unipcCoefficients } from './uni-pc';
import {
  ddimPrepare, ddpmDiffusersPrepare, vpDiscreteCoefficients, flowPrepare, flowCoefficients,
  FLOW_EULER_METHOD, FLOW_HEUN_METHOD, FLOW_MIDPOINT_METHOD,
} from './diffusers';
import { ablationPrepare, ablationCoefficients, ablationDeterministic } from './edm';
import { VP_LINEAR, EDM, VP_COSINE, DDPM_LINEAR, SD_SCALED_LINEAR, RECTIFIED_FLOW } from '../processes/dispatch';
import { stepLoops } from '../kernels/general';

export const KD_EULER: i32 = 7;
export const KD_DPMPP_2M: i32 = 8;
export const KD_EULER_ANCESTRAL: i32 = 9;
export const KD_HEUN: i32 = 10;
export const KD_DPM_2: i32 = 11;
export const KD_DPM_2_ANCESTRAL: i32 = 12;
export const KD_LMS: i32 = 13;
export const KD_DPMPP_2S_ANCESTRAL: i32 = 14;
export const KD_DPMPP_SDE: i32 = 15;
export const KD_DPMPP_2M_SDE: i32 = 16;
export const KD_DPMPP_3M_SDE: i32 = 17;
export const KD_DPM_FAST: i32 = 18;
export const DPM_SOLVER: i32 = 40;
export const UNIPC: i32 = 41;
// NVlabs/edm and diffusers (ids from 30: the numbers in between are left to other families).
export const EDM_SAMPLER: i32 = 30;
export const EDM_ABLATION: i32 = 31;
export const DF_DDIM: i32 = 32;
export const DF_DDPM: i32 = 33;
export const FLOW_EULER: i32 = 34;
export const FLOW_HEUN: i32 = 35;
export const FLOW_MIDPOINT: i32 = 36;

function unknown(id: i32): void {
  throw new Error('gaussdiff core: unknown sampler id ' + id.toString());
}

/** The VP processes DPM-Solver's NoiseScheduleVP covers (linear, discrete, cosine). */
function needVP(id: i32, process: i32): void {
  if (process != VP_LINEAR && process != VP_COSINE && process != DDPM_LINEAR && process != SD_SCALED_LINEAR) needProcess(id, process, VP_LINEAR);
}

function needProcess(id: i32, process: i32, wanted: i32): void {
  if (process != wanted) throw new Error('gaussdiff core: sampler ' + id.toString() + ' does not run on forward process ' + process.toString());
}

function needDiscrete(id: i32, process: i32): void {
  if (process != DDPM_LINEAR && process != SD_SCALED_LINEAR) needProcess(id, process, DDPM_LINEAR);
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
  if (id == KD_HEUN || id == KD_DPM_2 || id == KD_DPM_2_ANCESTRAL || id == KD_DPMPP_2S_ANCESTRAL || id == KD_DPMPP_SDE || id == KD_DPM_FAST) return 1;
  if (id == KD_DPMPP_2M_SDE) return 2;
  if (id == KD_DPMPP_3M_SDE) return 3;
  if (id == KD_LMS) return 4;
  if (id == DPM_SOLVER) return 3;
  if (id == UNIPC) return 4;
  if (id == EDM_SAMPLER || id == EDM_ABLATION || id == DF_DDIM || id == DF_DDPM || id == FLOW_EULER || id == FLOW_HEUN || id == FLOW_MIDPOINT) return 1;
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
  if (id == KD_HEUN || id == KD_DPM_2) return load<f64>(params) == 0.0; // s_churn = 0
  // [eta, s_noise, …]: no noise when either is 0.
  if (id == KD_DPM_2_ANCESTRAL || id == KD_DPMPP_2S_ANCESTRAL || id == KD_DPMPP_SDE || id == KD_DPMPP_2M_SDE || id == KD_DPMPP_3M_SDE) {
    return load<f64>(params) == 0.0 || load<f64>(params, 8) == 0.0;
  }
  if (id == KD_LMS) return true;
  if (id == KD_DPM_FAST) return load<f64>(params, 24) == 0.0 || load<f64>(params, 32) == 0.0; // eta, s_noise
  if (id == DPM_SOLVER || id == UNIPC) return true;
  if (id == EDM_SAMPLER) return load<f64>(params, 32) == 0.0; // S_churn = 0
  if (id == EDM_ABLATION) return ablationDeterministic(params);
  if (id == DF_DDIM) return load<f64>(params, 8) == 0.0; // eta = 0
  if (id == DF_DDPM) return false;
  if (id == FLOW_EULER || id == FLOW_HEUN || id == FLOW_MIDPOINT) return true;
  unknown(id);
  return false;
}

/** The per-step table of a grid (heap-allocated; the caller frees it). hs: step sizes or 0 (paper.ts). */
export function samplerPrepare(id: i32, params: usize, process: i32, pp: usize, times: usize, hs: usize, K: i32): usize {
  if (id >= EM && id <= RK4) { needProcess(id, process, VP_LINEAR); return paperPrepare(id, params, pp, times, hs, K); }
  if (id == KD_EULER) { needProcess(id, process, EDM); return eulerPrepare(params, times, K); }
  if (id == KD_DPMPP_2M) { needProcess(id, process, EDM); return dpmpp2mPrepare(times, K); }
  if (id == KD_EULER_ANCESTRAL) { needProcess(id, process, EDM); return eulerAncestralPrepare(params, times, K); }
  if (id == KD_HEUN) { needProcess(id, process, EDM); return heunPrepare(params, times, K); }
  if (id == KD_DPM_2) { needProcess(id, process, EDM); return dpm2Prepare(params, times, K); }
  if (id == KD_DPM_2_ANCESTRAL) { needProcess(id, process, EDM); return dpm2AncestralPrepare(params, times, K); }
  if (id == KD_LMS) { needProcess(id, process, EDM); return lmsPrepare(params, times, K); }
  if (id == KD_DPMPP_2S_ANCESTRAL) { needProcess(id, process, EDM); return dpmpp2sAncestralPrepare(params, times, K); }
  if (id == KD_DPMPP_SDE) { needProcess(id, process, EDM); return dpmppSdePrepare(params, times, K); }
  if (id == KD_DPMPP_2M_SDE) { needProcess(id, process, EDM); return dpmpp2mSdePrepare(params, times, K); }
  if (id == KD_DPMPP_3M_SDE) { needProcess(id, process, EDM); return dpmpp3mSdePrepare(params, times, K); }
  if (id == KD_DPM_FAST) { needProcess(id, process, EDM); return dpmFastPrepare(params, times, K); }
  if (id == DPM_SOLVER) { needVP(id, process); return dpmSolverPrepare(params, process, pp, times, K); }
  if (id == UNIPC) { needVP(id, process); return unipcPrepare(params, process, pp, times, K); }
  // edm_sampler = sample_heun's arithmetic on its own grid: [S_churn, S_min, S_max, S_noise] after 4 grid parameters
  if (id == EDM_SAMPLER) { needProcess(id, process, EDM); return heunPrepare(params + 32, times, K); }
  if (id == EDM_ABLATION) { needProcess(id, process, EDM); return ablationPrepare(params, times, K); }
  if (id == DF_DDIM) { needDiscrete(id, process); return ddimPrepare(params, process, pp, times, K); }
  if (id == DF_DDPM) { needDiscrete(id, process); return ddpmDiffusersPrepare(params, process, pp, times, K); }
  if (id == FLOW_EULER) { needProcess(id, process, RECTIFIED_FLOW); return flowPrepare(FLOW_EULER_METHOD, process, pp, times, K); }
  if (id == FLOW_HEUN) { needProcess(id, process, RECTIFIED_FLOW); return flowPrepare(FLOW_HEUN_METHOD, process, pp, times, K); }
  if (id == FLOW_MIDPOINT) { needProcess(id, process, RECTIFIED_FLOW); return flowPrepare(FLOW_MIDPOINT_METHOD, process, pp, times, K); }
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
  else if (id == KD_HEUN) heunCoefficients(table, k, L, s, wantB, wantQ);
  else if (id == KD_DPM_2 || id == KD_DPM_2_ANCESTRAL) dpm2Coefficients(table, k, L, s, wantB, wantQ);
  else if (id == KD_LMS) lmsCoefficients(table, k, L, s, wantB, wantQ);
  else if (id == KD_DPMPP_2S_ANCESTRAL) dpmpp2sAncestralCoefficients(table, k, L, s, wantB, wantQ);
  else if (id == KD_DPMPP_SDE) dpmppSdeCoefficients(table, k, L, s, wantB, wantQ);
  else if (id == KD_DPMPP_2M_SDE) dpmpp2mSdeCoefficients(table, k, L, s, wantB, wantQ);
  else if (id == KD_DPMPP_3M_SDE) dpmpp3mSdeCoefficients(table, k, L, s, wantB, wantQ);
  else if (id == KD_DPM_FAST) dpmFastCoefficients(table, k, L, s, wantB, wantQ);
  else if (id == DPM_SOLVER) dpmSolverCoefficients(table, k, L, s, wantB, wantQ);
  else if (id == UNIPC) unipcCoefficients(table, k, L, s, wantB, wantQ);
  else if (id == EDM_SAMPLER) heunCoefficients(table, k, L, s, wantB, wantQ);
  else if (id == EDM_ABLATION) ablationCoefficients(table, k, L, s, wantB, wantQ);
  else if (id == DF_DDIM || id == DF_DDPM) vpDiscreteCoefficients(table, k, L, s, wantB, wantQ);
  else if (id == FLOW_EULER) flowCoefficients(FLOW_EULER_METHOD, table, k, L, s, wantB, wantQ);
  else if (id == FLOW_HEUN) flowCoefficients(FLOW_HEUN_METHOD, table, k, L, s, wantB, wantQ);
  else if (id == FLOW_MIDPOINT) flowCoefficients(FLOW_MIDPOINT_METHOD, table, k, L, s, wantB, wantQ);
  else unknown(id);
}

/**
 * Step k as a program on vectors (stages.ts) into out (STAGE_RECORD slots, zeroed by the caller),
 * from the table of samplerPrepare: what the data-space samplers run with any score function.
 * Aborts for a sampler that has no vector program yet.
 */
export function samplerStages(id: i32, table: usize, k: i32, out: usize): void {
  if (id >= EM && id <= RK4) { paperStages(id, table, k, out); return; }
  throw new Error('gaussdiff core: sampler ' + id.toString() + ' has no vector program (samplerStages)');
}

/**
 * The kernel's step loops (kernels/general.ts stepLoops) instantiated once per sampler, with the id
 * a constant: the coefficient dispatch and the state size fold away inside each loop. Each copy is
 * its own function (loops<ID> below): one function holding every copy has so many locals that the
 * optimiser's time grows far faster than the number of samplers.
 */
export function samplerLoops(
  id: i32, det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32,
  out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize,
): void {
  if (id == EM) loopsEM(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == EI) loopsEI(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == DDPM) loopsDDPM(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == EM_ALPHA) loopsEM_ALPHA(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == EULER) loopsEULER(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == HEUN) loopsHEUN(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == RK4) loopsRK4(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == KD_EULER) loopsKD_EULER(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == KD_DPMPP_2M) loopsKD_DPMPP_2M(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == KD_EULER_ANCESTRAL) loopsKD_EULER_ANCESTRAL(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == KD_HEUN) loopsKD_HEUN(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == KD_DPM_2) loopsKD_DPM_2(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == KD_DPM_2_ANCESTRAL) loopsKD_DPM_2_ANCESTRAL(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == KD_LMS) loopsKD_LMS(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == KD_DPMPP_2S_ANCESTRAL) loopsKD_DPMPP_2S_ANCESTRAL(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == KD_DPMPP_SDE) loopsKD_DPMPP_SDE(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == KD_DPMPP_2M_SDE) loopsKD_DPMPP_2M_SDE(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == KD_DPMPP_3M_SDE) loopsKD_DPMPP_3M_SDE(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == KD_DPM_FAST) loopsKD_DPM_FAST(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == DPM_SOLVER) loopsDPM_SOLVER(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == UNIPC) loopsUNIPC(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == EDM_SAMPLER) loopsEDM_SAMPLER(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == EDM_ABLATION) loopsEDM_ABLATION(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == DF_DDIM) loopsDF_DDIM(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == DF_DDPM) loopsDF_DDPM(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == FLOW_EULER) loopsFLOW_EULER(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == FLOW_HEUN) loopsFLOW_HEUN(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else if (id == FLOW_MIDPOINT) loopsFLOW_MIDPOINT(det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
  else unknown(id);
}

function loopsEM(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(EM, stateSize(EM), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsEI(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(EI, stateSize(EI), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsDDPM(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(DDPM, stateSize(DDPM), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsEM_ALPHA(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(EM_ALPHA, stateSize(EM_ALPHA), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsEULER(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(EULER, stateSize(EULER), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsHEUN(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(HEUN, stateSize(HEUN), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsRK4(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(RK4, stateSize(RK4), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsKD_EULER(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(KD_EULER, stateSize(KD_EULER), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsKD_DPMPP_2M(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(KD_DPMPP_2M, stateSize(KD_DPMPP_2M), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsKD_EULER_ANCESTRAL(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(KD_EULER_ANCESTRAL, stateSize(KD_EULER_ANCESTRAL), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsKD_HEUN(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(KD_HEUN, stateSize(KD_HEUN), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsKD_DPM_2(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(KD_DPM_2, stateSize(KD_DPM_2), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsKD_DPM_2_ANCESTRAL(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(KD_DPM_2_ANCESTRAL, stateSize(KD_DPM_2_ANCESTRAL), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsKD_LMS(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(KD_LMS, stateSize(KD_LMS), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsKD_DPMPP_2S_ANCESTRAL(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(KD_DPMPP_2S_ANCESTRAL, stateSize(KD_DPMPP_2S_ANCESTRAL), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsKD_DPMPP_SDE(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(KD_DPMPP_SDE, stateSize(KD_DPMPP_SDE), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsKD_DPMPP_2M_SDE(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(KD_DPMPP_2M_SDE, stateSize(KD_DPMPP_2M_SDE), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsKD_DPMPP_3M_SDE(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(KD_DPMPP_3M_SDE, stateSize(KD_DPMPP_3M_SDE), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsKD_DPM_FAST(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(KD_DPM_FAST, stateSize(KD_DPM_FAST), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsDPM_SOLVER(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(DPM_SOLVER, stateSize(DPM_SOLVER), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsUNIPC(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(UNIPC, stateSize(UNIPC), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsEDM_SAMPLER(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(EDM_SAMPLER, stateSize(EDM_SAMPLER), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsDF_DDIM(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(DF_DDIM, stateSize(DF_DDIM), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsDF_DDPM(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(DF_DDPM, stateSize(DF_DDPM), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsFLOW_EULER(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(FLOW_EULER, stateSize(FLOW_EULER), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsFLOW_HEUN(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(FLOW_HEUN, stateSize(FLOW_HEUN), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsFLOW_MIDPOINT(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(FLOW_MIDPOINT, stateSize(FLOW_MIDPOINT), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
function loopsEDM_ABLATION(det: bool, table: usize, levels: usize, K: i32, lam: usize, w: usize, meanSq: usize, n: i32, out: usize, traj: usize, vOut: usize, mOut: usize, prior: f64, s: usize): void {
  stepLoops(EDM_ABLATION, stateSize(EDM_ABLATION), det, table, levels, K, lam, w, meanSq, n, out, traj, vOut, mOut, prior, s);
}
