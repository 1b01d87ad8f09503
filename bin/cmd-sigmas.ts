/**
 * `gaussdiff sigmas`: a grid builder's grid (docs/samplers.md): `{"sigmas": […]}` for σ builders,
 * `{"times": […]}` for VP time builders (DPM-Solver's). A thin wrapper over the API's `sigmas`.
 */
import { PROCESSES, SCHEDULERS, sigmas } from '../bindings/index.node.js';
import { UsageError, integerFlag, number, outputFormat, parse, checkOut, keyValues } from './common.js';
import type { Output } from './inputs.js';

const FLAG_PARAMS = { 'sigma-min': 'sigma_min', 'sigma-max': 'sigma_max', rho: 'rho' } as const;

export const SIGMAS_HELP = `Usage: gaussdiff sigmas --scheduler S --steps N [--model M] [--sigma-min X --sigma-max X --rho X]
                      [--param key=value]... [--model-param key=value]... [--format json] [--out F.json]

  --scheduler S     ${Object.keys(SCHEDULERS).join('|')}
  --steps N         number of steps (an integer ≥ 1; ComfyUI's ddim_uniform and beta and diffusers'
                    trailing may give a different number, as their sources do)
  --model M         ${Object.keys(PROCESSES).join('|')} (default: edm for σ builders, vp for time
                    builders); fixes the σ range, the σ table and the time range the builder reads
  --sigma-min X, --sigma-max X, --rho X
                    the builder's sigma_min, sigma_max, rho (default: the model's σ range; rho 7)
  --param key=value a builder parameter by its source's name (t_end, t_start, eps_s, beta_d,
                    alpha, beta, threshold_noise, steps_offset, …), repeatable
  --model-param key=value
                    a model parameter (rf: shift; sd/ddpm-linear: beta_start, beta_end,
                    num_train_timesteps; …), repeatable
  --format json     the only format: {"sigmas": […]} (σ grids, ending at 0) or {"times": […]}
  --out F.json      write there (atomically) instead of stdout

Unknown keys and bad values exit 2 naming them.`;


/** The API names `schedulerParams.x` / `modelParams.x`; the CLI names the flag. */
function asFlags(message: string, fromFlag: Record<string, string>): string {
  return message
    .replace(/^schedulerParams\.(\w+)/, (_m, k: string) => fromFlag[k] ?? `--param ${k}`)
    .replace(/^modelParams\.(\w+)/, '--model-param $1')
    .replace(/^model\b/, '--model').replace(/^scheduler\b/, '--scheduler').replace(/^steps\b/, '--steps');
}

export async function cmdSigmas(argv: string[]): Promise<Output> {
  const { values: v } = parse('sigmas', argv, {
    scheduler: { type: 'string' }, steps: { type: 'string' }, model: { type: 'string' },
    'sigma-min': { type: 'string' }, 'sigma-max': { type: 'string' }, rho: { type: 'string' },
    param: { type: 'string', multiple: true }, 'model-param': { type: 'string', multiple: true },
    format: { type: 'string' },
  });
  if (v.help) return { text: SIGMAS_HELP + '\n' };
  outputFormat(v, { '.json': 'json' }, ['json'], 'json');
  if (v.scheduler === undefined) throw new UsageError(`--scheduler is required (one of ${Object.keys(SCHEDULERS).join(', ')})`);
  if (v.steps === undefined) throw new UsageError('--steps is required (an integer ≥ 1)');
  const steps = integerFlag('steps', v.steps as string, 1, 2 ** 20)!;
  const choiceKeys = (Object.hasOwn(SCHEDULERS, v.scheduler as string) ? SCHEDULERS[v.scheduler as string].params : []).filter((p) => p.type === 'choice').map((p) => p.name);
  const params = keyValues('param', v.param, choiceKeys);
  const fromFlag: Record<string, string> = {};
  for (const [flag, key] of Object.entries(FLAG_PARAMS)) {
    const x = number(flag, v[flag] as string | undefined);
    if (x === undefined) continue;
    if (Object.hasOwn(params, key)) throw new UsageError(`--${flag} and --param ${key} both given`);
    params[key] = x;
    fromFlag[key] = `--${flag}`;
  }
  if (v.out !== undefined) await checkOut(v.out as string);
  let grid;
  try {
    grid = sigmas({
      scheduler: v.scheduler as string, steps, model: v.model as string | undefined,
      params, modelParams: keyValues('model-param', v['model-param']) as Record<string, number>,
    });
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new UsageError(asFlags(e.message, fromFlag));
    throw e;
  }
  const body = grid.sigmas !== undefined ? { sigmas: grid.sigmas } : { times: grid.times };
  return { text: JSON.stringify(body) + '\n', out: v.out as string | undefined };
}
