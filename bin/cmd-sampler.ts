/**
 * `gaussdiff run … --sampler NAME`: one library sampler (a registry entry) run exactly
 * (docs/MATH-samplers.md §1, §6) — the contract of issue 11 item 5:
 *   gaussdiff run INPUT --sampler NAME [--model M] [--sigmas LIST | --scheduler S --steps N
 *     [--sigma-min X] [--sigma-max X] [--rho X]] [--param key=value]... [--start conventional|exact|comfy]
 *     [--variances] --format json
 * → {"sampler","model","params","sigmas"|"times","nfe","start","w2","trajectory"[,"variances"]}.
 */
import {
  runSampler, SAMPLER_REGISTRY, SCHEDULERS, getSampler, getProcess, getScheduler, type SamplerRunOptions,
} from '../bindings/index.node.js';
import { parseParam } from '../bindings/samplers/params.js';
import type { SamplerSpec } from '../bindings/samplers/types.js';
import { UsageError, Progress, parse, number, list, checkOut, outputFormat, keyValues, start as startCore } from './common.js';
import { INPUT_FLAGS, INPUT_HELP, fitMeta, type Output } from './inputs.js';
import { METRIC_FLAGS, METRIC_HELP, metricOptions } from './metrics.js';
import { SCORE_FLAGS, SCORE_HELP, loadScoredInputs, scoreFlagMessage, scoreSamples } from './score.js';

export const SAMPLER_FLAGS = {
  sampler: { type: 'string' },
  model: { type: 'string' },
  sigmas: { type: 'string' },
  scheduler: { type: 'string' },
  steps: { type: 'string' },
  'sigma-min': { type: 'string' },
  'sigma-max': { type: 'string' },
  rho: { type: 'string' },
  param: { type: 'string', multiple: true },
  'model-param': { type: 'string', multiple: true },
  'scheduler-param': { type: 'string', multiple: true },
  start: { type: 'string' },
  variances: { type: 'boolean' },
  'no-trajectory': { type: 'boolean' },
  format: { type: 'string' },
} as const;

/** Grid-builder flags → the builders' parameter names (k-diffusion's keywords). */
const GRID_FLAGS = { 'sigma-min': 'sigma_min', 'sigma-max': 'sigma_max', rho: 'rho' } as const;

/** Starts on the command line: the source's own initial noise, or the exact marginal. */
export const CLI_STARTS = ['conventional', 'exact', 'comfy'] as const;

export const SAMPLER_HELP = () => `Usage: gaussdiff run INPUT --sampler NAME [options] --format json

${INPUT_HELP}
  --sampler NAME    a library's sampler by its own name (k-diffusion's without sample_):
${wrap(Object.keys(SAMPLER_REGISTRY).join(', '), 20, 98)}
  --model M         forward process (default: the sampler's, edm for k-diffusion)
  --sigmas LIST     the grid, comma-separated and decreasing (e.g. 80,20,5,1,0.2,0) …
  --scheduler S     … or a grid builder (default: the sampler's, karras) with
  --steps N         number of steps, and its parameters
  --sigma-min X, --sigma-max X, --rho X   (karras: 0.002, 80, 7)
  --scheduler-param key=value
                    any other grid-builder parameter by its source's name (repeatable), e.g.
                    final_sigmas_type=sigma_min, linear_steps=5 (gaussdiff sigmas --help)
  --model-param key=value
                    a model parameter (repeatable): rf shift, vp betaMin/betaMax/T, sd and
                    ddpm-linear beta_start/beta_end/num_train_timesteps, …
  --param key=value a sampler parameter by its source's keyword name (repeatable):
                    --param eta=0.5 --param solver_type=heun --param s_churn=40; booleans
                    true|false; every parameter and its default is listed in the output
  --start S         conventional (the source's initial noise: σ₀·z for k-diffusion, default),
                    exact (the exact marginal at the first level) or comfy (ComfyUI's start for
                    ε-prediction models: √(1 + σ₀²)·z; model edm with the VP model's σ grid)
  --variances       also the output variance per input eigenvalue, in input order
  --no-trajectory   leave out "trajectory" (the grid and the final numbers stay)
${METRIC_HELP}
${SCORE_HELP}
  --format json     (the only format)
  --out FILE.json   write there instead of stdout

JSON: {"sampler","model","params":{…every parameter, defaults filled},"sigmas":[…],"nfe",
"start","w2","trajectory":[…]} (+ "variances" with --variances; "times" instead of "sigmas" on
processes whose grids are diffusion times). w2 = W2 to the data; trajectory[k] = W2 to the exact
marginal at sigmas[k]; null marks an infinite or undefined value. With --mean/--score-mean also
"meanError" (W2² = meanError² + the covariance part; "outputMeans" with --variances); with
--metric kl|both "kl":{"forward","reverse"} (kl alone: no "w2"); with --per-eigenvalue
"perEigenvalue" (docs/metrics.md).`;

/** `text` in lines of at most `width` characters, each indented by `indent` spaces. */
function wrap(text: string, indent: number, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => ' '.repeat(indent) + l).join('\n');
}

/** The API names options as in code; the messages here name the flags. */
function flagMessage(message: string): string {
  return scoreFlagMessage(message)
    .replace(/^params\.([A-Za-z_0-9]+)/, '--param $1')
    .replace(/^schedulerParams\.(sigma_min|sigma_max|rho)/, (_m, k: string) => `--${k === 'rho' ? 'rho' : k.replace('_', '-')}`)
    .replace(/^schedulerParams\.([A-Za-z_0-9]+)/, '--scheduler-param $1')
    .replace(/^processParams\.([A-Za-z_0-9]+)/, '--model-param $1')
    .replace(/^times(\.length|\[\d+\])?/, (_m, tail: string | undefined) => `--sigmas${tail ?? ''}`)
    .replace(/^process\b/, '--model')
    .replace(/^(sampler|scheduler|steps|start)\b/, '--$1');
}

/**
 * `--param key=value` (the sampler's own keyword names, parsed by its spec) and `--start`: the
 * flags every command that runs one registry sampler reads (run --sampler, tune).
 */
export function samplerFlags(spec: { params: SamplerSpec['params'] }, v: Record<string, unknown>): { params: Record<string, number | string | boolean>; startFlag: (typeof CLI_STARTS)[number] } {
  const params: Record<string, number | string | boolean> = {};
  for (const item of (v.param as string[] | undefined) ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param must be key=value (got ${JSON.stringify(item)})`);
    const key = item.slice(0, eq);
    if (Object.hasOwn(params, key)) throw new UsageError(`--param ${key} is given twice; give it once`);
    try {
      params[key] = parseParam('params', spec.params, key, item.slice(eq + 1));
    } catch (e) {
      throw new UsageError(flagMessage((e as Error).message));
    }
  }
  const startFlag = v.start === undefined ? 'conventional' : String(v.start);
  if (!(CLI_STARTS as readonly string[]).includes(startFlag)) throw new UsageError(`--start must be one of ${CLI_STARTS.join(', ')} (got ${JSON.stringify(startFlag)})`);
  return { params, startFlag: startFlag as (typeof CLI_STARTS)[number] };
}

export async function cmdRunSampler(argv: string[]): Promise<Output> {
  const { values: v } = parse('run', argv, { ...INPUT_FLAGS, ...SAMPLER_FLAGS, ...METRIC_FLAGS, ...SCORE_FLAGS });
  if (v.help) return { text: SAMPLER_HELP() + '\n' };
  outputFormat(v, { '.json': 'json' }, ['json'], 'json');
  let spec;
  try {
    spec = getSampler('sampler', v.sampler, 'sampler');
  } catch (e) {
    throw new UsageError(flagMessage((e as Error).message));
  }
  const { params, startFlag } = samplerFlags(spec, v);
  const options: SamplerRunOptions = { sampler: spec.id as never, params, start: startFlag === 'exact' ? 'exact' : startFlag === 'comfy' ? 'comfy' : 'prior', variances: v.variances === true, ...metricOptions(v) };
  if (v.model !== undefined) options.process = String(v.model);
  if (v['model-param'] !== undefined) options.processParams = keyValues('model-param', v['model-param']) as Record<string, number>;
  const gridFlags = Object.keys(GRID_FLAGS).filter((f) => v[f] !== undefined);
  if (spec.ownGrid) {
    // dpm_fast: the grid comes from its parameters (--param sigma_min=… --param n=…).
    for (const f of ['sigmas', 'scheduler', 'steps', 'scheduler-param', ...gridFlags]) {
      if (v[f] !== undefined) throw new UsageError(`--${f} is not for ${spec.id}: it builds its own grid from its parameters (${spec.params.map((p) => p.name).join(', ')})`);
    }
  } else if (v.sigmas !== undefined) {
    for (const f of ['scheduler', 'steps', 'scheduler-param', ...gridFlags]) {
      if (v[f] !== undefined) throw new UsageError(`--${f} cannot be combined with --sigmas (the grid is given)`);
    }
    options.times = list('sigmas', v.sigmas as string)!.map((s) => number('sigmas', s) as number);
  } else {
    if (v.steps === undefined) throw new UsageError('--steps is required (an integer ≥ 1), or give the grid with --sigmas');
    options.steps = number('steps', v.steps as string);
    if (v.scheduler !== undefined) options.scheduler = String(v.scheduler);
    if (gridFlags.length) {
      let scheduler;
      try {
        scheduler = getScheduler(options.scheduler ?? spec.defaultScheduler, 'scheduler');
      } catch (e) {
        throw new UsageError(flagMessage((e as Error).message));
      }
      const sp: Record<string, number> = {};
      for (const f of gridFlags) {
        const key = GRID_FLAGS[f as keyof typeof GRID_FLAGS];
        if (!scheduler.params.some((p) => p.name === key)) throw new UsageError(`--${f} is not a parameter of the grid builder ${scheduler.id}`);
        sp[key] = number(f, v[f] as string) as number;
      }
      options.schedulerParams = sp;
    }
    if (v['scheduler-param'] !== undefined) {
      const id = options.scheduler ?? spec.defaultScheduler;
      const choiceKeys = Object.hasOwn(SCHEDULERS, id) ? SCHEDULERS[id].params.filter((p) => p.type === 'choice').map((p) => p.name) : [];
      const extra = keyValues('scheduler-param', v['scheduler-param'], choiceKeys);
      for (const key of Object.keys(extra)) {
        if (options.schedulerParams && Object.hasOwn(options.schedulerParams, key)) throw new UsageError(`--scheduler-param ${key} is also given by its own flag; give it once`);
      }
      options.schedulerParams = { ...(options.schedulerParams ?? {}), ...extra } as Record<string, number>;
    }
  }
  const progress = new Progress('run', v);
  if (v.out !== undefined) await checkOut(v.out as string);
  await startCore(v);
  // A wrong score (bin/score.ts): with --score-cov the data stay a matrix (no eigvalsh of it).
  const { spectrum, fit, options: scored } = await loadScoredInputs(v, progress);
  Object.assign(options, scored);
  progress.phase(spectrum ? `${spec.id} on ${spectrum.distinct} distinct eigenvalues` : `${spec.id}, score of ${v['score-cov']}`);
  let r;
  try {
    r = await runSampler(spectrum, options);
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new UsageError(flagMessage(e.message));
    throw e;
  }
  const gridKey = getProcess(r.process).gridUnit === 'sigma' ? 'sigmas' : 'times';
  const out: Record<string, unknown> = {
    sampler: r.sampler,
    model: r.process,
    params: r.params,
    [gridKey]: r.times,
    nfe: r.nfe,
    start: startFlag,
    w2: r.w2,
    trajectory: r.trajectory,
  };
  if (options.metric === 'kl') delete out.w2;
  if (v['no-trajectory'] === true) delete out.trajectory;
  if (v['model-param'] !== undefined) out.modelParams = r.processParams;
  if (r.meanError !== undefined) out.meanError = r.meanError;
  if (r.kl) out.kl = r.kl;
  if (r.variances) out.variances = Array.from(r.variances);
  if (r.variances && r.outputMeans) out.outputMeans = Array.from(r.outputMeans);
  if (r.perEigenvalue) out.perEigenvalue = r.perEigenvalue;
  const { variances: _v, scoreSpectrum: _s, mean: _m, scoreMean: _sm, metric: _k, perEigenvalue: _p, ...plainRun } = options;
  const fitted = await scoreSamples(v, spectrum, plainRun);
  if (fitted) out.scoreSamples = fitted;
  return { text: JSON.stringify({ ...out, ...fitMeta(fit) }, null, 2) + '\n', out: v.out as string | undefined, progress };
}
