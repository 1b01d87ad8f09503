/**
 * Textures on the command line: `--texture FILE.png` as an input wherever `--spectrum` is (the
 * ADSN spectrum of the image, docs/MATH.md §6), and the `sample` command (samplers run on the texture
 * with the exact score, PNG files out, empirical and exact W2).
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  adsnSpectrum, sampleTexture, textureEmpiricalW2, textureToPng, run, SCHEMES, INITS,
  type AdsnSpectrum,
} from '../bindings/index.node.js';
import {
  UsageError, SCHEDULE_FLAGS, COMMON_HELP, Progress, parse, number, choice, schedule, start, readInput,
  writeFilesAtomically, api,
} from './common.js';
import type { Output } from './inputs.js';

/** The ADSN model of `--texture FILE.png`; any read or decode error is a usage error naming the flag and file. */
export async function loadTexture(file: string, flag = 'texture'): Promise<AdsnSpectrum> {
  const bytes = await readInput(flag, file);
  try {
    return await adsnSpectrum(bytes, path.basename(file));
  } catch (e) {
    throw new UsageError(`--${flag} ${JSON.stringify(file)}: ${(e as Error).message}`);
  }
}

/** The eigenvalues of `--texture FILE.png` (for loadEigenvalues in inputs.ts). */
export async function textureEigenvalues(file: string): Promise<{ values: Float64Array; label: string; flag: string; source: string }> {
  const model = await loadTexture(file);
  return {
    values: model.values,
    label: `ADSN of ${path.basename(file)} (${model.width}×${model.height}, d = ${model.values.length})`,
    flag: 'texture',
    source: file,
  };
}

export const TEXTURE_HELP = `  --texture FILE    or an RGB texture (.png): the ADSN spectrum of its periodic component
                    (3·W·H eigenvalues: one per frequency, and 2 zeros per frequency)`;

export const SAMPLE_HELP = `Usage: gaussdiff sample --texture FILE.png --scheme S --steps K --out DIR [options]

Runs a sampler on the texture's ADSN Gaussian with the exact score and writes the samples as PNG
files (the mean added back, clamped to [0, 1] for display).

  --texture FILE    the texture (.png: grey, RGB, RGBA, palette; 8 or 16 bits)
  --scheme S        ${SCHEMES.join('|')}
  --steps K         number of steps (integer ≥ 1)
  --eps X           truncation time ε in [0, T) (default 0; heun and rk4 need ε > 0)
  --init I          start: pT (exact p_T) or N0 (N(0,I), default)
  --alpha A         α of em-alpha (default 1)
  --n N             number of samples (default 1)
  --seed S          seed of the generator, an integer ≥ 0 (default 0)
  --out DIR         folder for sample-000.png, sample-001.png, … (created if missing; all the
                    files are written, or none)
  --beta-min X, --beta-max X, --T X   the schedule (defaults 0.05, 10, 1)
  --format json     (the only format; the report goes to stdout)
${COMMON_HELP}

JSON: {"empiricalW2", "exactW2", "files": […], "scheme", "steps", "eps", "init", "n", "seed",
"width", "height"}. exactW2 is the exact W2 of this sampler's law to the ADSN Gaussian (as
\`gaussdiff run --texture FILE\`); empiricalW2 is the paper's eq. 21 on the N samples (it
assumes the samples Gaussian and diagonal in the ADSN basis: it underestimates the true distance,
and with few samples the sampling noise biases it upwards). null marks an undefined value.`;

function integer(flag: string, value: string | undefined): number | undefined {
  const x = number(flag, value);
  if (x !== undefined && (!Number.isSafeInteger(x) || x < 0)) throw new UsageError(`--${flag} must be an integer ≥ 0 (got ${JSON.stringify(value)})`);
  return x;
}

/** gaussdiff sample: the report as JSON text. */
export async function cmdSample(argv: string[]): Promise<Output> {
  const { values: v } = parse('sample', argv, {
    ...SCHEDULE_FLAGS,
    texture: { type: 'string' }, scheme: { type: 'string' }, steps: { type: 'string' }, eps: { type: 'string' },
    init: { type: 'string' }, alpha: { type: 'string' }, n: { type: 'string' }, seed: { type: 'string' },
    format: { type: 'string' },
  });
  if (v.help) return { text: SAMPLE_HELP + '\n' };
  choice('format', v.format as string | undefined, ['json'] as const);
  if (v.texture === undefined) throw new UsageError('--texture is required (an RGB image, .png)');
  if (v.scheme === undefined) throw new UsageError(`--scheme is required (one of ${SCHEMES.join(', ')})`);
  if (v.steps === undefined) throw new UsageError('--steps is required (an integer ≥ 1)');
  if (v.out === undefined) throw new UsageError('--out is required (a folder for the PNG files)');
  const options = {
    ...schedule(v),
    scheme: choice('scheme', v.scheme as string, SCHEMES)!,
    steps: number('steps', v.steps as string),
    eps: number('eps', v.eps as string | undefined),
    init: choice('init', v.init as string | undefined, INITS),
    alpha: number('alpha', v.alpha as string | undefined),
    n: integer('n', v.n as string | undefined) ?? 1,
    seed: integer('seed', v.seed as string | undefined) ?? 0,
  };
  if (options.n < 1) throw new UsageError(`--n must be an integer ≥ 1 (got ${JSON.stringify(v.n)})`);
  const dir = v.out as string;
  const existing = await stat(dir).catch(() => undefined);
  if (existing !== undefined && !existing.isDirectory()) throw new UsageError(`--out must be a folder (got ${JSON.stringify(dir)}, a file)`);
  const progress = new Progress('sample', v);
  await start(v);
  const model = await loadTexture(v.texture as string);
  const exact = await api(() => run(model.values, options));
  progress.phase(`${options.n} sample(s), ${options.scheme}, ${options.steps} steps on ${model.width}×${model.height}`);
  const result = await api(() => sampleTexture(model, options));
  const empirical = textureEmpiricalW2(model, result.samples);
  // Encode everything first, then write the set all or nothing.
  const pngs = await Promise.all(result.samples.map((s) => textureToPng(s, model)));
  const digits = Math.max(3, String(options.n - 1).length);
  const files = pngs.map((_, j) => path.join(dir, `sample-${String(j).padStart(digits, '0')}.png`));
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`--out cannot be created (got ${JSON.stringify(dir)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  await writeFilesAtomically(files.map((f, j) => [f, pngs[j]] as const));
  const report = {
    empiricalW2: Number.isFinite(empirical.w2) ? empirical.w2 : null,
    exactW2: exact.w2,
    files,
    scheme: result.scheme,
    steps: result.steps,
    nfe: result.nfe,
    eps: result.eps,
    init: result.init,
    n: options.n,
    seed: result.seed,
    width: model.width,
    height: model.height,
  };
  return { text: JSON.stringify(report, null, 2) + '\n', progress };
}
