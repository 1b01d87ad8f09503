#!/usr/bin/env node
/**
 * The explorer page's import map: every bare specifier the page's module graph imports, mapped
 * to the ES module file in node_modules (URLs relative to web/index.html; the page is served from
 * the repository root). Computed from the installed packages' package.json: the dependency
 * closure of the page's roots, each package's ESM entry ("exports" conditions browser → import →
 * module → default, else "module", else "main" of a "type": "module" package).
 *
 *   node web/importmap.js           print the map
 *   node web/importmap.js --write   write it into web/index.html (between its importmap tags)
 *   node web/importmap.js --check   exit 1 when web/index.html's map is out of date
 *
 * test/web.test.ts checks that the committed map equals this one and that every file exists.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PAGE = resolve(ROOT, 'web/index.html');

/** Packages the page imports by name (the rest follow from their dependencies). */
export const ROOTS = ['@assemblyscript/loader', '@observablehq/plot'];

/**
 * CommonJS packages in the graph, replaced by ES module shims in web/shims/ (interval-tree-1d is
 * used only by Plot's dodge transform, which the figures do not use).
 */
export const SHIMS = { 'interval-tree-1d': './shims/interval-tree-1d.js' };

/** Fixed entries: the package itself (its public exports, package.json `exports`, `browser` conditions). */
const FIXED = {
  gaussdiff: '../dist/bindings/index.browser.js',
  'gaussdiff/figures': '../dist/bindings/figures.js',
  'gaussdiff/linalg-mt.mjs': '../cpp/dist/linalg-mt.mjs',
  'gaussdiff/linalg-mt.wasm': '../cpp/dist/linalg-mt.wasm',
};

const CONDITIONS = ['browser', 'import', 'module', 'default'];

function pick(target) {
  if (typeof target === 'string') return target;
  if (target && typeof target === 'object') {
    for (const c of CONDITIONS) {
      if (c in target) {
        const found = pick(target[c]);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** The ES module entry of an installed package, relative to its folder, or undefined (CommonJS). */
export function esmEntry(pkg) {
  if (pkg.exports !== undefined) {
    const main = typeof pkg.exports === 'object' && !Array.isArray(pkg.exports) && Object.keys(pkg.exports).some((k) => k.startsWith('.'))
      ? pkg.exports['.']
      : pkg.exports;
    const found = pick(main);
    if (found) return found;
  }
  if (pkg.module) return pkg.module;
  if (pkg.type === 'module' && pkg.main) return pkg.main;
  return undefined;
}

/** The import map { imports } for the page, plus the CommonJS packages left out (not imported by ESM code). */
export function buildImportMap(root = ROOT) {
  const imports = { ...FIXED };
  const skipped = [];
  const seen = new Set();
  const queue = [...ROOTS];
  while (queue.length) {
    const name = queue.shift();
    if (seen.has(name)) continue;
    seen.add(name);
    if (SHIMS[name]) {
      imports[name] = SHIMS[name];
      continue;
    }
    const dir = resolve(root, 'node_modules', name);
    const pkg = JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8'));
    const entry = esmEntry(pkg);
    if (!entry) {
      skipped.push(name);
      continue;
    }
    imports[name] = posix.join('../node_modules', name, entry);
    queue.push(...Object.keys(pkg.dependencies ?? {}));
  }
  const sorted = Object.fromEntries(Object.entries(imports).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { imports: sorted, skipped: skipped.sort() };
}

const START = '<script type="importmap">';
const END = '</script>';

/** The import map written in web/index.html. */
export function pageImportMap(html = readFileSync(PAGE, 'utf8')) {
  const at = html.indexOf(START);
  if (at < 0) throw new Error('web/index.html has no <script type="importmap">');
  return JSON.parse(html.slice(at + START.length, html.indexOf(END, at)));
}

export function renderImportMap(map) {
  return JSON.stringify({ imports: map.imports }, null, 2);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const map = buildImportMap();
  const missing = Object.values(map.imports).filter((u) => !u.endsWith('/') && !existsSync(resolve(ROOT, 'web', u)));
  if (missing.length) {
    console.error(`importmap: missing files: ${missing.join(', ')}`);
    process.exit(1);
  }
  const arg = process.argv[2];
  if (arg === '--write') {
    const html = readFileSync(PAGE, 'utf8');
    const at = html.indexOf(START);
    const end = html.indexOf(END, at);
    writeFileSync(PAGE, `${html.slice(0, at + START.length)}\n${renderImportMap(map)}\n${html.slice(end)}`);
    console.log(`web/index.html: ${Object.keys(map.imports).length} entries (CommonJS left out: ${map.skipped.join(', ') || 'none'})`);
  } else if (arg === '--check') {
    const same = JSON.stringify(pageImportMap().imports) === JSON.stringify(map.imports);
    if (!same) {
      console.error('web/index.html: the import map is out of date (node web/importmap.js --write)');
      process.exit(1);
    }
  } else {
    console.log(renderImportMap(map));
  }
}
