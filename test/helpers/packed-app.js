// The package as a user gets it: `npm pack` of this (built) repository, installed by npm into a
// fresh app folder, with the parity suite copied beside the app's sources. For the tests that run
// the package in bundled web apps (test/bundlers.test.ts) and other runtimes (test/runtimes.test.ts).
// The tarball's dependencies come from npm's cache (filled by `npm ci`; --prefer-offline asks the
// registry only for what is missing there).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

/** Binaries of the repository's devDependencies (vite, esbuild, webpack, deno, bun, workerd). */
export const BIN = join(ROOT, 'node_modules/.bin');

/**
 * Environment for the tools run on the app: this process's, less what vitest sets for itself
 * (NODE_ENV=test would change what Vite and webpack build), without colours.
 */
export function toolEnv() {
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const key of Object.keys(env)) if (key === 'NODE_ENV' || key.startsWith('VITEST')) delete env[key];
  return env;
}

/** Run `file args…` in `cwd`; rejects with its output when it fails. */
export async function runTool(file, args, { cwd, timeout = 120_000, env = toolEnv() } = {}) {
  try {
    return await run(file, args, { cwd, env, timeout, maxBuffer: 64 << 20 });
  } catch (e) {
    throw new Error(`${[file, ...args].join(' ')} (in ${cwd}) failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/**
 * A temporary folder with the packed gaussdiff installed (`dir/node_modules/gaussdiff`), and the
 * parity suite in `dir/src/parity/` (test/browser/parity.js and the helper it imports, at the
 * same relative paths). `remove()` deletes it.
 */
export async function packedApp(prefix) {
  const missing = ['dist/bindings/index.browser.js', 'dist/bindings/inline.js', 'build/core.wasm'].filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length) throw new Error(`the package is not built (${missing.join(', ')} missing): npm run build`);
  const dir = mkdtempSync(join(tmpdir(), `gaussdiff-${prefix}-`));
  try {
    // The repository is built already (npm test builds first): no prepare script.
    await runTool('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack wrote no tarball in ${dir}`);
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `gaussdiff-${prefix}-app`, private: true, type: 'module' }, null, 2)}\n`);
    await runTool('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', `./${tarball}`], { cwd: dir });
    mkdirSync(join(dir, 'src/parity/browser'), { recursive: true });
    mkdirSync(join(dir, 'src/parity/helpers'), { recursive: true });
    cpSync(join(ROOT, 'test/browser/parity.js'), join(dir, 'src/parity/browser/parity.js'));
    cpSync(join(ROOT, 'test/helpers/mulberry32.js'), join(dir, 'src/parity/helpers/mulberry32.js'));
    return { dir, tarball: join(dir, tarball), remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
