/**
 * NVlabs/edm `generate.py ablation_sampler` (Karras et al. 2022: the generalised sampler of their
 * ablations, every combination of solver, time discretization, σ(t) schedule and s(t) scaling): a
 * registry entry that builds its own grid (reported as the levels σ(t_k), then 0); numbers in
 * assembly/samplers/edm.ts (docs/MATH-samplers.md §5.22). The network is exact: round_sigma is the
 * identity and its σ range unbounded. The kernel tracks x/s(t) (VE coordinates on the edm process):
 * the output (t_N = 0, s = 1) and its W2 are the sampler's; the trajectory is in VE coordinates.
 */
import type { SamplerSpec } from './types.js';
import type { AnyParamValues } from './params.js';
import { badValue } from '../runtime/errors.js';
import { roundHalfEven } from './diffusers.js';
import * as dm from '../runtime/detmath.js';

const vpSigma = (bd: number, bm: number) => (t: number) => dm.pow(dm.pow(Math.E, 0.5 * bd * t ** 2 + bm * t) - 1, 0.5);

/** The source's σ range: sigma_min/sigma_max = 0 stands for its None (the discretization's default). */
export function ablationRange(p: AnyParamValues): [number, number] {
  const d = p.discretization as string, eps = p.epsilon_s as number;
  const lo = (p.sigma_min as number) > 0 ? (p.sigma_min as number) : ({ vp: vpSigma(19.9, 0.1)(eps), ve: 0.02, iddpm: 0.002, edm: 0.002 } as Record<string, number>)[d];
  const hi = (p.sigma_max as number) > 0 ? (p.sigma_max as number) : ({ vp: vpSigma(19.9, 0.1)(1), ve: 100, iddpm: 81, edm: 80 } as Record<string, number>)[d];
  return [lo, hi];
}

export const spec = {
  id: 'edm_ablation',
  group: 'sampler',
  coreId: 31,
  source: { origin: 'NVlabs/edm', function: 'generate.py ablation_sampler', math: 'docs/MATH-samplers.md §5.22' },
  kind: 'ode',
  stateSize: 1,
  nfe: (_steps, params) => (params.solver === 'heun' ? 2 * (params.num_steps as number) - 1 : (params.num_steps as number)),
  params: [
    { name: 'num_steps', type: 'number', default: 18, min: 2, max: 2 ** 20, integer: true, doc: 'N: grid points before t_N = 0' },
    { name: 'sigma_min', type: 'number', default: 0, min: 0, doc: 'last nonzero σ; 0 = the source\'s None: vp σ(epsilon_s) of β_d 19.9, β_min 0.1; ve 0.02; iddpm, edm 0.002' },
    { name: 'sigma_max', type: 'number', default: 0, min: 0, doc: 'first σ; 0 = the source\'s None: vp σ(1) ≈ 152.2; ve 100; iddpm 81; edm 80' },
    { name: 'rho', type: 'number', default: 7, above: 0, doc: 'ρ of the edm discretization' },
    { name: 'solver', type: 'choice', choices: ['euler', 'heun'], default: 'heun', doc: 'Euler, or Heun (2nd order; Euler on the last step)' },
    { name: 'discretization', type: 'choice', choices: ['vp', 've', 'iddpm', 'edm'], default: 'edm', doc: 'the time steps: vp (uniform t to epsilon_s), ve (geometric σ²), iddpm (the M-step cosine table), edm (Karras ρ)' },
    { name: 'schedule', type: 'choice', choices: ['vp', 've', 'linear'], default: 'linear', doc: 'σ(t): vp sqrt(e^{½β_d t² + β_min t} − 1), ve √t, linear t' },
    { name: 'scaling', type: 'choice', choices: ['vp', 'none'], default: 'none', doc: 's(t): vp 1/sqrt(1 + σ(t)²), none 1' },
    { name: 'epsilon_s', type: 'number', default: 1e-3, above: 0, max: 1, doc: 'the vp discretization\'s last t (and the vp β fit)' },
    { name: 'C_1', type: 'number', default: 0.001, above: 0, doc: 'iddpm: the floor of ᾱ(j − 1)/ᾱ(j)' },
    { name: 'C_2', type: 'number', default: 0.008, min: 0, doc: 'iddpm: the cosine offset' },
    { name: 'M', type: 'number', default: 1000, min: 1, max: 2 ** 20, integer: true, doc: 'iddpm: the table\'s steps' },
    { name: 'alpha', type: 'number', default: 1, above: 0, doc: 'Heun: the intermediate point t̂ + αh (1 = trapezoid)' },
    { name: 'S_churn', type: 'number', default: 0, min: 0, doc: 'churn: γ = min(S_churn/num_steps, √2 − 1) on σ(t) ∈ [S_min, S_max]' },
    { name: 'S_min', type: 'number', default: 0, min: 0, doc: 'lowest σ that gets churn' },
    { name: 'S_max', type: 'number', default: Infinity, min: 0, infinite: true, doc: 'highest σ that gets churn (default ∞)' },
    { name: 'S_noise', type: 'number', default: 1, min: 0, doc: 'scale of the churn noise' },
  ],
  processes: ['edm'],
  defaultScheduler: 'karras',
  label: 'EDM ablation sampler (NVlabs/edm)',
  colour: '#882255',
  stepsParam: 'num_steps',
  /** σ_steps of the discretization (float64, as the source), then 0. */
  ownGrid(p) {
    const N = p.num_steps as number;
    const [lo, hi] = ablationRange(p);
    if (!(lo < hi)) throw badValue('params.sigma_min', lo, `< params.sigma_max = ${hi}`);
    const eps = p.epsilon_s as number;
    const bd = 2 * (dm.log(lo ** 2 + 1) / eps - dm.log(hi ** 2 + 1)) / (eps - 1);
    const bm = dm.log(hi ** 2 + 1) - 0.5 * bd;
    const out = new Float64Array(N + 1);
    const d = p.discretization as string;
    if (d === 'vp') {
      for (let i = 0; i < N; i++) out[i] = vpSigma(bd, bm)(1 + i / (N - 1) * (eps - 1));
    } else if (d === 've') {
      for (let i = 0; i < N; i++) out[i] = dm.pow(hi ** 2 * dm.pow(lo ** 2 / hi ** 2, i / (N - 1)), 0.5);
    } else if (d === 'iddpm') {
      const M = p.M as number, C1 = p.C_1 as number, C2 = p.C_2 as number;
      const u = new Float64Array(M + 1);
      // The source's ᾱ(j) = (0.5 π j / M / (C_2 + 1)).sin() ** 2 with j an int64 tensor: torch promotes
      // to float32 (the default dtype), so every operation rounds to float32 (the u recursion is float64).
      const f = Math.fround;
      const alphaBar = (j: number) => { const x = f(f(f(f(0.5 * Math.PI) * j) / f(M)) / f(C2 + 1)); const sn = f(dm.sin(x)); return f(sn * sn); };
      for (let j = M; j > 0; j--) u[j - 1] = dm.pow((u[j] ** 2 + 1) / Math.max(f(alphaBar(j - 1) / alphaBar(j)), f(C1)) - 1, 0.5);
      const kept = Array.from(u).filter((x) => x >= lo && x <= hi);
      if (kept.length === 0) throw badValue('params.sigma_min', lo, `such that some of the iddpm table's levels lie in [sigma_min, sigma_max] (none in [${lo}, ${hi}])`);
      for (let i = 0; i < N; i++) out[i] = kept[roundHalfEven((kept.length - 1) / (N - 1) * i)];
    } else {
      const rho = p.rho as number, a = dm.pow(hi, 1 / rho), b = dm.pow(lo, 1 / rho);
      for (let i = 0; i < N; i++) out[i] = dm.pow(a + i / (N - 1) * (b - a), rho);
    }
    return out;
  },
} as const satisfies SamplerSpec;
