/**
 * `gaussdiff tune`: the step grid minimising the exact metric for a sampler, a model and a budget
 * (docs/tuning.md). A thin wrapper over the API's `tune`:
 *   gaussdiff tune INPUT --sampler S --steps N[,N…] [--model M] [--metric w2|kl|kl-reverse] [--start …]
 *     [--param key=value]… [--sigma-min X --sigma-max X] [--restarts LIST] [--interpolate LIST]
 *     [--max-iterations N] --format json|md [--out F.json|F.md|F.txt]
 */
import { tune, getSampler, getProcess, SAMPLER_REGISTRY, SCHEDULERS, DEFAULT_RESTARTS, TUNE_METRICS, type TuneOptions, type TuneResult, type TunedGrid } from '../bindings/index.node.js';
import { UsageError, Progress, parse, number, integerFlag, list, checkOut, outputFormat, start as startCore } from './common.js';
import { INPUT_FLAGS, INPUT_HELP, fitMeta, loadSpectrum, type Output } from './inputs.js';
import { samplerFlags } from './cmd-sampler.js';

/** `run --metric both` has no single objective: tune refuses it, saying to choose one (docs/tuning.md §1). */
const BOTH = 'both';

export const TUNE_HELP = () => `Usage: gaussdiff tune INPUT --sampler S --steps N[,N…] [options] --format json|md|txt

${INPUT_HELP}
  --sampler S       a library sampler on a given grid:
${Object.keys(SAMPLER_REGISTRY).filter((id) => !SAMPLER_REGISTRY[id].ownGrid).join(', ').replace(/(.{1,76})(, |$)/g, '                    $1$2\n').replace(/ \n/g, '\n').trimEnd()}
  --steps N[,N…]    steps of the tuned grid; several (e.g. 5,10,20,50) are tuned in turn, each
                    also started from the nearest smaller one interpolated
  --model M         forward process (default: the sampler's, edm for k-diffusion)
  --metric M        the objective: ${Object.keys(TUNE_METRICS).join('|')} (default w2); kl is
                    KL(sampler ‖ data), kl-reverse KL(data ‖ sampler) (run --metric kl's
                    forward and reverse). Each grid reports its w2 and kl whichever is minimised
  --start S         conventional (σ₀·z, default) or exact, as for run
  --param key=value a sampler parameter (repeatable), as for run
  --sigma-min X, --sigma-max X
                    σ grids: the range of the free levels (default the model's, edm 0.002 … 80);
                    the grid starts at σ_max and ends at 0. Time grids run from the model's
                    t_start to its t_end.
  --restarts LIST   grid builders the search starts from, comma-separated, each optionally with
                    parameters id:key=value (default ${DEFAULT_RESTARTS.sigma.join(',')} for σ grids,
                    ${DEFAULT_RESTARTS.t.join(',')} for time grids); their own grids' values are
                    the baselines
  --interpolate LIST
                    further step counts whose grids are the tuned ones log-linearly interpolated
                    (Align Your Steps' rule, docs/tuning.md §4)
  --max-iterations N   L-BFGS iterations (default 200): every start gets 40, the best one
                    continues up to N
  --format F        json (default), md, or txt (the paste-ready forms, as --out F.txt)
  --out FILE        .json or .md (the format), or .txt: the grids ready to paste — a ComfyUI
                    sigmas list and a diffusers argument (sigmas=[…], or timesteps=[…] on
                    discrete time models)

JSON (one --steps): {"sampler","model","params","start","metric","steps","nfe","sigmas"|"times",
"w2","kl":{"forward","reverse"},"baselines":{builder: metric},"from","iterations","evaluations",
"paste":{"comfyui","diffusers"}}; several --steps: {…, "tuned":[{…per N}], "interpolated":[…]}.
w2 and kl are exactly what gaussdiff run --sampler S --sigmas <the grid> --metric both prints.`;

/** The API names options as in code; the messages here name the flags. */
function flagMessage(message: string): string {
  return message
    .replace(/^params\.([A-Za-z_0-9]+)/, '--param $1')
    .replace(/^sigmaMin\b/, '--sigma-min').replace(/^sigmaMax\b/, '--sigma-max')
    .replace(/^maxIterations\b/, '--max-iterations')
    .replace(/^restarts(\[\d+\])?/, '--restarts').replace(/^interpolate(\[\d+\])?/, '--interpolate')
    .replace(/^schedulerParams\.([A-Za-z_0-9]+)/, '--restarts parameter $1')
    .replace(/^modelParams\.([A-Za-z_0-9]+)/, '--model parameter $1')
    .replace(/^(sampler|model|steps|start|metric)\b/, '--$1');
}

/** Paste-ready forms of a grid (docs/tuning.md §5). */
export function pasteForms(grid: readonly number[], unit: 'sigma' | 't', model: string): { comfyui: string | null; diffusers: string | null } {
  if (unit === 'sigma') {
    const list = grid.map((x) => String(x)).join(', ');
    return { comfyui: list, diffusers: `sigmas=[${list}]` };
  }
  // Discrete VP models: diffusers' integer timestep i is the time (i + 1)/N (DPM-Solver's convention).
  const p = getProcess(model);
  const N = p.params.find((q) => q.name === 'num_train_timesteps');
  if (!N || N.type !== 'number') return { comfyui: null, diffusers: null };
  return { comfyui: null, diffusers: `timesteps=[${grid.map((t) => String(t * N.default - 1)).join(', ')}]` };
}

function entry(r: TuneResult, g: TunedGrid): Record<string, unknown> {
  const gridKey = r.unit === 'sigma' ? 'sigmas' : 'times';
  return {
    steps: g.steps, nfe: g.nfe, [gridKey]: g.grid, w2: g.w2, kl: g.kl, baselines: g.baselines, from: g.from,
    iterations: g.iterations, evaluations: g.evaluations, paste: pasteForms(g.grid, r.unit, r.model),
  };
}

function renderMd(r: TuneResult): string {
  const names = Object.keys(r.tuned[0].baselines);
  const fmt = (x: number | null) => (x === null ? '∞' : x.toPrecision(4));
  const rows = [...r.tuned.map((g) => ['tuned', g] as const), ...r.interpolated.map((g) => ['interpolated', g] as const)];
  const lines = [
    `# Tuned grids: ${r.sampler} on ${r.model} (${r.metric}, start ${r.start === 'prior' ? 'conventional' : 'exact'})`,
    '',
    `${r.metric} of the grid and of each builder's own grid; the grid's W2 and KL whichever is minimised (∞: infinite).`,
    '',
    `| steps | NFE | grid | ${r.metric} | ${names.join(' | ')} | w2 | KL(sampler‖data) | KL(data‖sampler) | from |`,
    `|---|---|---|---|${names.map(() => '---|').join('')}---|---|---|---|`,
    ...rows.map(([kind, g]) => `| ${g.steps} | ${g.nfe} | ${kind} | ${fmt(g.value)} | ${names.map((n) => fmt(g.baselines[n])).join(' | ')} | ${fmt(g.w2)} | ${fmt(g.kl.forward)} | ${fmt(g.kl.reverse)} | ${g.from} |`),
    '',
  ];
  for (const [kind, g] of rows) {
    lines.push(`## ${g.steps} steps (${kind})`, '', '```', `${r.unit === 'sigma' ? 'sigmas' : 'times'}: ${g.grid.join(', ')}`);
    const p = pasteForms(g.grid, r.unit, r.model);
    if (p.diffusers) lines.push(`diffusers: ${p.diffusers}`);
    lines.push('```', '');
  }
  return lines.join('\n');
}

function renderTxt(r: TuneResult): string {
  const rows = [...r.tuned, ...r.interpolated];
  const out: string[] = [];
  for (const g of rows) {
    const p = pasteForms(g.grid, r.unit, r.model);
    if (rows.length > 1) out.push(`# ${g.steps} steps`);
    if (p.comfyui) out.push(p.comfyui);
    if (p.diffusers) out.push(p.diffusers);
  }
  return out.join('\n') + '\n';
}

export async function cmdTune(argv: string[]): Promise<Output> {
  const { values: v } = parse('tune', argv, {
    ...INPUT_FLAGS,
    sampler: { type: 'string' }, steps: { type: 'string' }, model: { type: 'string' }, metric: { type: 'string' },
    start: { type: 'string' }, param: { type: 'string', multiple: true }, 'sigma-min': { type: 'string' },
    'sigma-max': { type: 'string' }, restarts: { type: 'string' }, interpolate: { type: 'string' },
    'max-iterations': { type: 'string' }, format: { type: 'string' },
  });
  if (v.help) return { text: TUNE_HELP() + '\n' };
  const format = outputFormat(v, { '.json': 'json', '.md': 'md', '.txt': 'txt' }, ['json', 'md', 'txt'], 'json');
  if (v.sampler === undefined) throw new UsageError('--sampler is required (a library sampler, see gaussdiff tune --help)');
  let spec;
  try {
    spec = getSampler('sampler', v.sampler, 'sampler');
  } catch (e) {
    throw new UsageError(flagMessage((e as Error).message));
  }
  if (v.steps === undefined) throw new UsageError('--steps is required (an integer ≥ 1, or a comma-separated list)');
  const steps = list('steps', v.steps as string)!.map((s) => integerFlag('steps', s, 1, 2 ** 20)!);
  const interpolate = list('interpolate', v.interpolate as string | undefined)?.map((s) => integerFlag('interpolate', s, 1, 2 ** 20)!);
  const metric = v.metric === undefined ? 'w2' : String(v.metric);
  if (!Object.hasOwn(TUNE_METRICS, metric)) {
    if (metric === BOTH) throw new UsageError(`--metric both has no single objective for tune: choose one of ${Object.keys(TUNE_METRICS).join(', ')} (every tuned grid reports both its w2 and its kl)`);
    throw new UsageError(`--metric must be one of ${Object.keys(TUNE_METRICS).join(', ')} (got ${JSON.stringify(metric)})`);
  }
  const { params, startFlag } = samplerFlags(spec, v);
  if (startFlag === 'comfy') throw new UsageError('--start must be conventional or exact for tune (got "comfy")');
  const restarts = list('restarts', v.restarts as string | undefined);
  for (const id of restarts ?? []) {
    if (!Object.hasOwn(SCHEDULERS, id.split(':')[0])) throw new UsageError(`--restarts must list grid builders (${Object.keys(SCHEDULERS).join(', ')}), optionally id:key=value (got ${JSON.stringify(id)})`);
  }
  const options: TuneOptions = {
    sampler: spec.id, steps, params, metric, start: startFlag === 'exact' ? 'exact' : 'prior',
    sigmaMin: number('sigma-min', v['sigma-min'] as string | undefined),
    sigmaMax: number('sigma-max', v['sigma-max'] as string | undefined),
    maxIterations: integerFlag('max-iterations', v['max-iterations'] as string | undefined, 1, 1e6),
    ...(restarts ? { restarts } : {}), ...(interpolate ? { interpolate } : {}),
  };
  if (v.model !== undefined) options.model = String(v.model);
  const progress = new Progress('tune', v);
  if (v.out !== undefined) await checkOut(v.out as string);
  await startCore(v);
  const { spectrum, fit } = await loadSpectrum(v, progress);
  progress.phase(`tuning ${spec.id} on ${spectrum.distinct} distinct eigenvalues`);
  let r: TuneResult;
  try {
    r = await tune(spectrum, options);
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new UsageError(flagMessage(e.message));
    throw e;
  }
  let text: string;
  if (format === 'md') text = renderMd(r);
  else if (format === 'txt') text = renderTxt(r);
  else {
    const head = { sampler: r.sampler, model: r.model, params: r.params, start: startFlag, metric: r.metric };
    const body = r.tuned.length === 1 && r.interpolated.length === 0
      ? { ...head, ...entry(r, r.tuned[0]) }
      : { ...head, tuned: r.tuned.map((g) => entry(r, g)), interpolated: r.interpolated.map((g) => entry(r, g)) };
    text = JSON.stringify({ ...body, ...fitMeta(fit) }, null, 2) + '\n';
  }
  return { text, out: v.out as string | undefined, progress };
}
