/**
 * Every grid builder against its library's own numbers (docs/samplers.md, docs/MATH-samplers.md §4).
 *
 * - k-diffusion (get_sigmas_karras/exponential/polyexponential/vp) and DPM-Solver (get_time_steps
 *   on NoiseScheduleVP linear and discrete): test/fixtures/schedulers/*.json, made by
 *   make_fixtures.py running the libraries' unmodified files in float64 (torch 1.13); the commit of
 *   each is recorded in its JSON. Tolerance, relative to the grid's largest value: 2e-15 for
 *   k-diffusion (torch's vectorised linspace and pow round differently from the scalar formula: ≤ 1.1e-15
 *   seen, karras's 7th power amplifying), 4.5e-16 for DPM-Solver's time_uniform/time_quadratic
 *   (1 ulp), 1e-14 for logSNR (DPM-Solver sums log(1 − β) where we sum log1p(−β), and inverts λ by
 *   logaddexp where we use the model's σ → t: ≤ 6e-15 seen).
 * - diffusers (EulerDiscreteScheduler.set_timesteps, timestep_spacing linspace/leading/trailing):
 *   diffusers.json, made by the same script running that file (its config machinery stubbed) in its
 *   own float32 arithmetic. We compute in float64 with the stable ᾱ of docs/MATH-samplers.md §2, so
 *   they agree to diffusers' float32 rounding: 2e-4 relative per σ (1 − ᾱ₀ = 1e-4 on ddpm-linear is
 *   held in float32 to 6e-8 absolute; seen 8.3e-5 there, 1.3e-5 on sd), lengths equal.
 * - ComfyUI (samplers.py schedulers, nodes_align_your_steps.py): running it is impractical here (it
 *   cannot be fetched whole), so the numbers below were derived by hand from its source files, with
 *   its own arithmetic: the σ table computed in float64 and stored as float32 (model_sampling.sigmas,
 *   log_sigmas), timesteps by torch.linspace in float32, the result a float32 FloatTensor; Beta
 *   quantiles by an independent hypergeometric series. These agree to float32 rounding: 2e-6
 *   relative per value (kl_optimal 1e-5: ComfyUI's float32 tan near π/2).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, sigmas, SCHEDULERS } from '../dist/bindings/index.node.js';
import { betaCdf, betaPpf } from '../dist/bindings/schedulers/beta.js';

interface Case { scheduler: string; model?: string; modelParams?: Record<string, number>; steps: number; params: Record<string, number | string>; sigmas?: number[]; times?: number[] }
interface Fixture { repo: string; commit: string; file: string; cases: Case[] }

const fixture = (name: string): Fixture => JSON.parse(readFileSync(new URL(`./fixtures/schedulers/${name}.json`, import.meta.url), 'utf8'));

function grid(c: Case): number[] {
  const g = sigmas({ scheduler: c.scheduler, steps: c.steps, model: c.model, modelParams: c.modelParams, params: c.params });
  return (g.sigmas ?? g.times)!;
}

/** max |got − want| / max |want|. */
function scaledError(got: number[], want: number[]): number {
  const scale = Math.max(...want.map(Math.abs));
  return Math.max(...want.map((w, i) => Math.abs(got[i] - w))) / scale;
}

beforeAll(async () => { await init(); });

describe.each([
  ['k-diffusion', { karras: 2e-15, exponential: 2e-15, polyexponential: 2e-15, vp: 2e-15 }],
  ['dpm-solver', { time_uniform: 4.5e-16, time_quadratic: 4.5e-16, logSNR: 1e-14 }],
] as const)('%s fixtures (its own code, float64)', (name, tol) => {
  const f = fixture(name);
  it('were made from a recorded commit', () => expect(f.commit).toMatch(/^[0-9a-f]{40}$/));
  it.each(Object.entries(tol))('%s within %s of the largest value', (scheduler, t) => {
    const cases = f.cases.filter((c) => c.scheduler === scheduler);
    expect(cases.length).toBeGreaterThan(5);
    for (const c of cases) {
      const want = (c.sigmas ?? c.times)!;
      const got = grid(c);
      expect(got.length, `${scheduler} ${c.model ?? ''} ${c.steps}`).toBe(want.length);
      expect(scaledError(got, want), `${scheduler} ${c.model ?? ''} ${c.steps} ${JSON.stringify(c.params)}`).toBeLessThanOrEqual(t);
      if (c.sigmas) expect(got[got.length - 1]).toBe(0);
    }
  });
});

/**
 * Hand-derived from ComfyUI's source (see the header): Stable Diffusion's model (ModelSamplingDiscrete),
 * and rectified flow with shift 3 (ModelSamplingDiscreteFlow: σ(ts) = shift·t/(1 + (shift − 1)t),
 * t = ts/1000), 10 steps unless said.
 */
const PINNED: Case[] = [
  { scheduler: 'simple', model: 'rf', modelParams: { shift: 3 }, steps: 10, params: {}, sigmas: [1.0, 0.9642857313156128, 0.9230769276618958, 0.875, 0.8181818127632141, 0.75, 0.6666666865348816, 0.5625, 0.4285714328289032, 0.25, 0.0] },
  { scheduler: 'normal', model: 'rf', modelParams: { shift: 3 }, steps: 10, params: {}, sigmas: [1.0, 0.9601292610168457, 0.913348913192749, 0.8576923608779907, 0.790368378162384, 0.7072784900665283, 0.602150559425354, 0.4648760259151459, 0.2780487835407257, 0.008928571827709675, 0.0] },
  { scheduler: 'simple', model: 'sd', steps: 10, params: {}, sigmas: [14.614641189575195, 8.302803039550781, 5.08776330947876, 3.3210830688476562, 2.276463031768799, 1.6128861904144287, 1.1605783700942993, 0.8298595547676086, 0.5692849159240723, 0.3416738212108612, 0.0] },
  { scheduler: 'normal', model: 'sd', steps: 10, params: {}, sigmas: [14.614639965274872, 7.839882839462661, 4.609174407859923, 2.9183070637562905, 1.9501614912887488, 1.3449277801199182, 0.9323579674939492, 0.6249769188493638, 0.3686577184437814, 0.029167160652628452, 0.0] },
  { scheduler: 'sgm_uniform', model: 'sd', steps: 10, params: {}, sigmas: [14.614639965274872, 8.30717061441218, 5.092407971015866, 3.3250688859355546, 2.279730369375705, 1.6155803103768211, 1.162864568329174, 0.8318837370687243, 0.5711888950939736, 0.34370482850380507, 0.0] },
  { scheduler: 'ddim_uniform', model: 'sd', steps: 10, params: {}, sigmas: [8.390685081481934, 5.134430885314941, 3.3477635383605957, 2.292853832244873, 1.6236920356750488, 1.1682159900665283, 0.8356528282165527, 0.57405024766922, 0.34618669748306274, 0.04131441190838814, 0.0] },
  { scheduler: 'beta', model: 'sd', steps: 10, params: {}, sigmas: [14.614641189575195, 11.542770385742188, 7.371844291687012, 4.372801780700684, 2.6152358055114746, 1.6182788610458374, 1.0273293256759644, 0.6548853516578674, 0.3955096900463104, 0.1990586221218109, 0.0] },
  { scheduler: 'linear_quadratic', model: 'sd', steps: 10, params: {}, sigmas: [14.614641189575195, 14.5415678024292, 14.46849536895752, 14.395421981811523, 14.322348594665527, 14.249275207519531, 13.620844841003418, 11.88170337677002, 9.031847953796387, 5.071280479431152, 0.0] },
  // linear_steps (ComfyUI's linear_quadratic_schedule(model_sampling, steps, threshold_noise=0.025, linear_steps=None))
  { scheduler: 'linear_quadratic', model: 'sd', steps: 10, params: { linear_steps: 3 }, sigmas: [14.614641189575195, 14.492852210998535, 14.371064186096191, 14.249275207519531, 13.854083061218262, 12.912084579467773, 11.423280715942383, 9.387669563293457, 6.805253028869629, 3.676029682159424, 0.0] },
  { scheduler: 'linear_quadratic', model: 'sd', steps: 10, params: { linear_steps: 9 }, sigmas: [14.614641189575195, 14.574045181274414, 14.533448219299316, 14.492852210998535, 14.452256202697754, 14.411660194396973, 14.371064186096191, 14.330467224121094, 14.289871215820312, 14.249275207519531, 0.0] },
  { scheduler: 'linear_quadratic', model: 'sd', steps: 7, params: { linear_steps: 1, threshold_noise: 0.1 }, sigmas: [14.614641189575195, 13.153176307678223, 11.569924354553223, 9.743094444274902, 7.6726861000061035, 5.358701705932617, 2.8011395931243896, 0.0] },
  { scheduler: 'kl_optimal', model: 'sd', steps: 10, params: {}, sigmas: [14.614632606506348, 4.2323503494262695, 2.393718957901001, 1.597065806388855, 1.1329967975616455, 0.8152444958686829, 0.5729142427444458, 0.3724841773509979, 0.19528833031654358, 0.029167158529162407, 0.0] },
  { scheduler: 'align_your_steps', model: 'sd', steps: 20, params: {}, sigmas: [14.6146412293, 9.727466615157105, 6.474576095599999, 5.001565274654029, 3.8636745985, 3.2266261195737584, 2.694615152, 2.253258225244809, 1.8841921177, 1.6208888809875748, 1.3943805091999997, 1.1595443524964124, 0.9642583904000002, 0.7931279201530576, 0.6523686016, 0.5093886125631185, 0.39774562719999995, 0.24549484017003614, 0.15152326620000003, 0.06647934322957856, 0.0] },
  { scheduler: 'align_your_steps', model: 'sd', steps: 5, params: {}, sigmas: [14.6146412293, 3.8636745985, 1.8841921177, 0.9642583904000002, 0.39774562719999995, 0.0] },
];

describe('diffusers fixtures (Euler/DPMSolverMultistep/UniPCMultistep set_timesteps, their own float32 arithmetic)', () => {
  const f = fixture('diffusers');
  it('were made from a recorded commit', () => expect(f.commit).toMatch(/^[0-9a-f]{40}$/));
  it.each(['linspace', 'leading', 'trailing'])('%s: same length, each σ within 2e-4 relative, last 0 or σ₀ (final_sigmas_type)', (scheduler) => {
    const cases = f.cases.filter((c) => c.scheduler === scheduler);
    expect(cases.length).toBeGreaterThan(10);
    for (const c of cases) {
      const got = grid(c);
      const name = `${scheduler} ${c.model} ${c.steps} ${JSON.stringify(c.params)}`;
      expect(got.length, name).toBe(c.sigmas!.length);
      c.sigmas!.forEach((w, i) => expect(Math.abs(got[i] - w), `${name} [${i}]`).toBeLessThanOrEqual(2e-4 * w));
      if (c.params.final_sigmas_type === 'sigma_min') expect(got[got.length - 1]).toBeGreaterThan(0);
      else expect(got[got.length - 1]).toBe(0);
    }
  });
  it('covers every scheduler_class × final_sigmas_type; the multistep classes give n + 1 timesteps with the last dropped', () => {
    for (const cls of ['EulerDiscreteScheduler', 'DPMSolverMultistepScheduler', 'UniPCMultistepScheduler']) {
      for (const fin of ['zero', 'sigma_min']) {
        const n = f.cases.filter((c) => (c.params.scheduler_class ?? 'EulerDiscreteScheduler') === cls && (c.params.final_sigmas_type ?? 'zero') === fin).length;
        expect(n, `${cls} ${fin}`).toBeGreaterThanOrEqual(24);
      }
    }
    // linspace, 10 steps, SD: Euler's timesteps are fractional (999, 888, …), the multistep classes' round(linspace(0, 999, 11)) reversed: 999, 899, …
    const euler = grid({ scheduler: 'linspace', model: 'sd', steps: 10, params: {} });
    const dpm = grid({ scheduler: 'linspace', model: 'sd', steps: 10, params: { scheduler_class: 'DPMSolverMultistepScheduler' } });
    expect(dpm[0]).toBe(euler[0]);
    expect(dpm[1]).not.toBe(euler[1]);
    const σ0 = grid({ scheduler: 'trailing', model: 'sd', steps: 10, params: { final_sigmas_type: 'sigma_min' } });
    expect(σ0[10]).toBeCloseTo(0.029167, 6);
  });
});

describe('ComfyUI, pinned by hand from its source', () => {
  it.each(PINNED.map((c) => [`${c.scheduler} ${c.model} ${c.steps} ${JSON.stringify(c.params)}`, c] as const))('%s', (_n, c) => {
    const got = grid(c);
    expect(got.length).toBe(c.sigmas!.length);
    const tol = c.scheduler === 'kl_optimal' ? 1e-5 : 2e-6;
    c.sigmas!.forEach((w, i) => expect(Math.abs(got[i] - w), `${c.scheduler}[${i}]`).toBeLessThanOrEqual(tol * w));
  });
  it('align_your_steps at 10 steps is the published SD1 table (then 0)', () => {
    const got = sigmas({ scheduler: 'align_your_steps', steps: 10, model: 'sd' }).sigmas!;
    expect(got.slice(0, 10)).toEqual([14.6146412293, 6.4745760956, 3.8636745985, 2.6946151520, 1.8841921177, 1.3943805092, 0.9642583904, 0.6523686016, 0.3977456272, 0.1515232662]);
    expect(got[10]).toBe(0);
    expect(sigmas({ scheduler: 'align_your_steps', steps: 10, model: 'sd', params: { sdxl: 1 } }).sigmas![1]).toBe(6.3184485287);
    expect(sigmas({ scheduler: 'align_your_steps', steps: 10, model: 'edm' }).sigmas![0]).toBe(700);
  });
  it('linear_quadratic: linear_steps 0 is the source\'s None (steps // 2); linear_steps ≥ steps is rejected (the source divides by zero)', () => {
    expect(sigmas({ scheduler: 'linear_quadratic', steps: 10, model: 'sd', params: { linear_steps: 0 } }).sigmas).toEqual(sigmas({ scheduler: 'linear_quadratic', steps: 10, model: 'sd', params: { linear_steps: 5 } }).sigmas);
    expect(() => sigmas({ scheduler: 'linear_quadratic', steps: 10, model: 'sd', params: { linear_steps: 10 } })).toThrow(/schedulerParams\.linear_steps must be < steps = 10/);
    expect(() => sigmas({ scheduler: 'linear_quadratic', steps: 10, model: 'sd', params: { linear_steps: 2.5 } })).toThrow(/linear_steps.*an integer/);
  });
  it('ddim_uniform can give one more step than asked (ComfyUI: every N // n-th level from timestep 1)', () => {
    // N = 1000, n = 7: stride 142, timesteps 1, 143, …, 995: 8 levels, then 0
    expect(sigmas({ scheduler: 'ddim_uniform', steps: 7, model: 'sd' }).sigmas!.length).toBe(9);
  });
});

describe('Beta quantiles (ComfyUI beta uses scipy.stats.beta.ppf)', () => {
  it('CDF: symmetric laws give ½ at ½; Beta(1, 1) is uniform; Beta(2, 1) is x²', () => {
    expect(Math.abs(betaCdf(0.5, 0.6, 0.6) - 0.5)).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(betaCdf(0.3, 1, 1) - 0.3)).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(betaCdf(0.3, 2, 1) - 0.09)).toBeLessThanOrEqual(1e-15);
  });
  it('ppf inverts the CDF to 1e-14 and ends at 0 and 1', () => {
    for (const q of [0.01, 0.1, 0.37, 0.5, 0.9, 0.999]) expect(Math.abs(betaCdf(betaPpf(q, 0.6, 0.6), 0.6, 0.6) - q)).toBeLessThanOrEqual(1e-14);
    expect(betaPpf(0, 0.6, 0.6)).toBe(0);
    expect(betaPpf(1, 0.6, 0.6)).toBe(1);
  });
});

describe('sigmas(): options, validated naming them', () => {
  it('σ builders give sigmas, time builders give times; model defaults fill sigma_min/sigma_max and t_end/t_start', () => {
    const k = sigmas({ scheduler: 'karras', steps: 3, model: 'sd' });
    expect(k.params.sigma_max).toBeCloseTo(14.6146, 4);
    expect(Math.abs(k.sigmas![0] - k.params.sigma_max)).toBeLessThanOrEqual(4e-15 * k.params.sigma_max);
    const d = sigmas({ scheduler: 'logSNR', steps: 4, model: 'ddpm-linear' });
    expect(d.times![0]).toBe(1);
    expect(d.times![4]).toBe(1e-3);
    expect(sigmas({ scheduler: 'time_uniform', steps: 2, params: { t_end: 0.01 } }).times).toEqual([1, 0.505, 0.01]);
  });
  it('unknown keys, bad values, unknown builders and models, models a builder does not take', () => {
    expect(() => sigmas({ scheduler: 'karras', steps: 3, params: { nope: 1 } })).toThrow(/schedulerParams\.nope/);
    expect(() => sigmas({ scheduler: 'karras', steps: 3, params: { rho: -1 } })).toThrow(/schedulerParams\.rho/);
    expect(() => sigmas({ scheduler: 'nope', steps: 3 })).toThrow(/scheduler/);
    expect(() => sigmas({ scheduler: 'karras', steps: 0 })).toThrow(/steps/);
    expect(() => sigmas({ scheduler: 'karras', steps: 3, model: 'nope' })).toThrow(/model/);
    expect(() => sigmas({ scheduler: 'normal', steps: 3, model: 'edm' })).toThrow(/model/);
    expect(() => sigmas({ scheduler: 'time_uniform', steps: 3, params: { t_end: 2 } })).toThrow(/t_end/);
  });
  it('every builder has a default model it runs on', () => {
    for (const id of Object.keys(SCHEDULERS)) expect(sigmas({ scheduler: id, steps: 5 }).scheduler).toBe(id);
  });
});

describe('runs on a builder\'s grid', () => {
  it('a σ grid on a model that steps in t runs at the model\'s times of those levels', async () => {
    const { runSamplerSync, PROCESSES } = await import('../dist/bindings/index.node.js');
    const r = runSamplerSync([0.5, 2], { scheme: 'ei', steps: 6, scheduler: 'karras' });
    const vp = PROCESSES.vp;
    const pv = { betaMin: 0.05, betaMax: 10, T: 1 };
    const want = sigmas({ scheduler: 'karras', steps: 6, model: 'vp' }).sigmas!.map((s: number) => vp.time(s, pv));
    expect(r.times).toEqual(want);
    expect(Math.abs(r.times[0] - 1)).toBeLessThanOrEqual(1e-15);
    expect(r.times[6]).toBe(0);
    expect(r.w2).toBeGreaterThan(0);
  });
  it('a DPM-Solver time grid runs as is', async () => {
    const { runSamplerSync } = await import('../dist/bindings/index.node.js');
    const r = runSamplerSync([0.5, 2], { scheme: 'euler', steps: 5, scheduler: 'logSNR', schedulerParams: { t_end: 1e-3 } });
    expect(r.times).toEqual(sigmas({ scheduler: 'logSNR', steps: 5, model: 'vp', params: { t_end: 1e-3 } }).times);
  });
});
