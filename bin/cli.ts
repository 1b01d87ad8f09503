/**
 * gaussdiff command line: a thin wrapper over the public API (bindings/api.ts).
 * Exit codes: 0 success, 2 invalid flags or values (one line on stderr naming the flag and the
 * value), 1 any other failure.
 */
import path from 'node:path';
import {
  ablation, continuous, run, init, initLinalg, toNpy, SCHEMES, INITS, DEFAULTS, type Scheme,
} from '../bindings/index.node.js';
import { renderAblation, renderRun, type TableFormat } from './format.js';
import {
  UsageError, SCHEDULE_FLAGS, parse, number, list, choice, schedule, writeAtomically, progress, api,
} from './common.js';
import { INPUT_FLAGS, INPUT_HELP, loadEigenvalues, loadSpectrum } from './inputs.js';
import { cmdSample, SAMPLE_HELP } from './cmd-texture.js';
import { cmdFigure, cmdReport } from './cmd-figures.js';

const HELP: Record<string, string> = {
  main: `gaussdiff — exact 2-Wasserstein errors of diffusion samplers on Gaussian data
(Pierret & Galerne, ICML 2025).

Usage: gaussdiff <command> [options]     (gaussdiff <command> --help for details)

Commands:
  ablation     the paper's ablation table (schemes × ε × NFE × start)
  run          one scheme: final W2 to the data and W2 to p_t along the way
  continuous   the exact continuous SDE/ODE (α-family) error at ε
  spectrum     eigenvalues of a covariance matrix or of a dataset's Gaussian fit
  sample       samplers run on a texture's ADSN Gaussian: PNG samples, empirical and exact W2
  figure       the paper's Figures 1a (--kind time), 1b (eps) and 2 (eigen) as SVG
  report       one self-contained HTML (or Markdown) file: summary, table, figures, settings

Inputs (every command): --spectrum FILE (.npy 1-D, .json, .csv, .txt), --cov FILE (a covariance
matrix), --data mnist (the MNIST digits fitted by a Gaussian), --texture FILE.png (the ADSN
spectrum of an RGB texture).`,
  sample: SAMPLE_HELP,
  spectrum: `Usage: gaussdiff spectrum (--cov FILE | --data NAME | --spectrum FILE | --texture FILE.png) [--out FILE]

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

const COMMANDS: Record<string, (argv: string[]) => Promise<string | undefined>> = {
  run: cmdRun,
  continuous: cmdContinuous,
  ablation: cmdAblation,
  spectrum: cmdSpectrum,
  sample: cmdSample,
  figure: cmdFigure,
  report: cmdReport,
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
    // `spectrum` needs only the linear-algebra module, started here and awaited where a --cov
    // matrix needs it, so that it starts while the file is read (a --texture input starts the
    // core itself). Its failure surfaces there.
    if (command === 'spectrum') initLinalg().catch(() => undefined);
    else await init();
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
