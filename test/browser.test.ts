/**
 * Node/browser parity: the package's `browser` entry, loaded in headless Chromium from a loopback
 * static server, must give bit-for-bit the same results as its `node` entry, and throw the same
 * errors. Both sides run the same file (test/browser/parity.js) section by section; results cross
 * as lossless JSON and every number is compared with Object.is (nulls equal nulls).
 *
 * Needs the built package (dist/, build/core.wasm; `npm test` builds first) and Debian's
 * chromium at /usr/bin/chromium (or GAUSSDIFF_CHROMIUM=/path). No browser is ever downloaded.
 * Skips with one line when Chromium is missing (fails instead with GAUSSDIFF_REQUIRE_BROWSER=1); fails
 * when the browser entry cannot load. A section that
 * needs an optional module (the Eigen/emscripten `linalg`) is skipped, by name, only while that
 * module is not built.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as suite from './browser/parity.js';
import { startStaticServer } from './helpers/static-server.js';
import { CHROMIUM, chromiumMissing, describeWithChromium, launchChromium } from './helpers/chromium.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PAGE = 'test/browser/parity.html';
const LOAD_TIMEOUT_MS = 15_000;

type Api = Record<string, unknown>;
type Section = { needs: string[] };

const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));
const conditions = pkg.exports?.['.'] ?? {};

/** Optional modules a section may need: built when all its files exist; loaded the same way in both places. */
const OPTIONAL: Record<string, { files: string[]; load: () => Promise<unknown> }> = {
  linalg: {
    files: ['dist/bindings/linalg/linalg.js', 'cpp/dist/linalg.mjs', 'cpp/dist/linalg.wasm'],
    load: () => import(pathToFileURL(resolve(ROOT, 'dist/bindings/linalg/linalg.js')).href),
  },
};
const missingFiles = (need: string): string[] => OPTIONAL[need].files.filter((f) => !existsSync(resolve(ROOT, f)));

/** Sanity checks on Node's own result: the cases must exercise what they claim to. */
const SANITY: Record<string, (result: any) => void> = {
  run(result) {
    const rows = result as { label: string; scheme?: string; result: { w2: number | null; trajectory: unknown[] } }[];
    expect(rows.length).toBe(5 * 7 * 2 + 1);
    const zeroEps = rows.filter((r) => r.label === 'small/default schedule/eps 0');
    for (const r of zeroEps) {
      if (r.scheme === 'heun' || r.scheme === 'rk4') expect(r.result.w2, `${r.scheme} at ε = 0 with λ = 0`).toBeNull();
      else expect(r.result.w2, `${r.scheme} at ε = 0`).toBeTypeOf('number');
    }
  },
  ablation(result) {
    expect(result.paper.cells).toHaveLength(6 * 4 * 4 * 2);
    expect(result.paper.continuous).toHaveLength(2 * 4 * 2);
    expect(result.paper.cells.some((c: { w2: unknown }) => c.w2 === null)).toBe(true);
    expect(result.paper.cells.filter((c: { w2: unknown }) => typeof c.w2 === 'number').length).toBeGreaterThan(100);
    expect(result.honest.cells).toHaveLength(7 * 2 * 2 * 2);
    expect(result.progress.at(-1)).toEqual([96, 96]);
  },
  'ablation (default threads)'(result) {
    expect(result.paper.cells).toHaveLength(6 * 4 * 4 * 2);
    expect(result.last).toEqual([96, 96]);
    expect(result.paper.threads).toBe(1); // small grid: one thread by default
    expect(result.workers.threads).toBe(2); // the workers really ran (a failed start falls back to 1)
    expect(result.workers.cells).toEqual(result.paper.cells); // and gave the same numbers
    expect(result.big.threads).toBe(2);
  },
  errors(result) {
    const entries = Object.entries(result as Record<string, { threw: boolean; isTypeError?: boolean; isRangeError?: boolean }>);
    for (const [name, o] of entries) {
      if (name === 'usable afterwards') expect(o.threw, name).toBe(false);
      else expect(o.threw, `${name} should throw`).toBe(true);
    }
    expect(entries.some(([, o]) => o.isTypeError)).toBe(true);
    expect(entries.some(([, o]) => o.isRangeError)).toBe(true);
  },
  scoreCov(result) {
    for (const key of ['both prior', 'both exact']) {
      for (const c of result[key].cells) for (const x of [c.w2, c.kl.forward, c.kl.reverse, c.meanError]) expect(x, key).toBeGreaterThan(0);
    }
    expect(result['w2 prior'].cells.map((c: { w2: number }) => c.w2)).not.toEqual(result['w2 exact'].cells.map((c: { w2: number }) => c.w2));
    expect(result.size.isRangeError).toBe(true);
    expect(result['not PSD'].isRangeError).toBe(true);
  },
  linalg(result) {
    const seeded = result['eigvalsh seeded 48×48'] as Float64Array;
    expect(seeded).toHaveLength(48);
    for (let i = 1; i < seeded.length; i++) expect(seeded[i]).toBeGreaterThanOrEqual(seeded[i - 1]);
    expect(result['eigvalsh asymmetric'].isRangeError).toBe(true);
  },
};

let server: Awaited<ReturnType<typeof startStaticServer>> | undefined;
let browser: Browser | undefined;
let page: Page | undefined;
let nodeApi: Api;
let pageState: { status: string; entry?: string; error?: string } | undefined;
let setupError: string | undefined;
const pageLog: string[] = [];

function diagnostics(): string {
  const bad = (server?.log ?? []).filter((r) => r.status >= 400).map((r) => `${r.status} ${r.method} ${r.path}`);
  return [
    bad.length ? `server errors:\n  ${bad.join('\n  ')}` : 'server errors: none',
    pageLog.length ? `page log:\n  ${pageLog.slice(-30).join('\n  ')}` : 'page log: empty',
  ].join('\n');
}

/** What the page can tell about a failure: loads that failed, and whether workers resolve the bare import. */
async function browserHints(p: Page): Promise<string> {
  const probe = await p
    .evaluate((s) => (globalThis as any).__parity.workerImport(s), '@assemblyscript/loader')
    .catch((e: unknown) => `probe failed: ${String(e)}`);
  return `${diagnostics()}\nin a module Worker, import('@assemblyscript/loader') → ${probe}` +
    (String(probe).startsWith('resolves') ? '' : ' (import maps do not apply inside workers: no bare specifiers in worker code)');
}

/** The loaded page, or a failure explaining why the browser entry did not load. */
function ready(): Page {
  if (setupError) throw new Error(setupError);
  if (!page || pageState?.status !== 'ready') {
    throw new Error(
      `the browser entry did not load in Chromium (status: ${pageState?.status ?? 'no page'})\n` +
        `${pageState?.error ?? ''}\n${diagnostics()}`,
    );
  }
  return page;
}

beforeAll(async () => {
  nodeApi = (await import(pathToFileURL(resolve(ROOT, conditions.node)).href)) as Api;
  if (chromiumMissing()) return; // the suite below skips (or fails) saying so
  try {
    await openPage();
  } catch (e) {
    // Not thrown here (vitest would list every test as skipped): each browser test fails with it.
    setupError = e instanceof Error ? e.message : String(e);
    console.error(`browser.test.ts: ${setupError}`);
  }
}, 45_000);

async function openPage(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. This test needs a system Chromium (Debian: apt-get install chromium) ` +
        'or GAUSSDIFF_CHROMIUM=/path/to/chromium; it never downloads browsers.',
    );
  }
  server = await startStaticServer({ root: ROOT });
  try {
    // Playwright's launch() gives every run a fresh temporary profile (user-data-dir) and
    // deletes it on close.
    browser = await launchChromium();
  } catch (e) {
    throw new Error(`could not launch Chromium at ${CHROMIUM}: ${e instanceof Error ? e.message : String(e)}`);
  }
  page = await browser.newPage();
  page.on('console', (m) => pageLog.push(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => pageLog.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => pageLog.push(`requestfailed: ${r.url()} (${r.failure()?.errorText})`));
  await page.goto(new URL(PAGE, server.url).href, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
  try {
    await page.waitForFunction(() => (globalThis as any).__parity && (globalThis as any).__parity.status !== 'loading', null, {
      timeout: LOAD_TIMEOUT_MS,
    });
  } catch {
    // Leave pageState as read below: 'loading' or absent → ready() fails with diagnostics.
  }
  pageState = await page.evaluate(() => {
    const p = (globalThis as any).__parity;
    return p ? { status: p.status, entry: p.entry, error: p.error } : { status: 'module script never ran' };
  });
}

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await server?.close();
  }
});

describeWithChromium('browser entry (Chromium) = node entry, bit for bit', () => {
  it('the parity page maps the bare specifiers to what package.json exports', () => {
    const html = readFileSync(resolve(ROOT, PAGE), 'utf8');
    const map = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(html)![1]).imports;
    const pageUrl = pathToFileURL(resolve(ROOT, PAGE));
    expect(typeof conditions.browser, 'package.json exports["."].browser').toBe('string');
    expect(new URL(map.gaussdiff, pageUrl).href).toBe(pathToFileURL(resolve(ROOT, conditions.browser)).href);
    const loaderDir = resolve(ROOT, 'node_modules/@assemblyscript/loader');
    const loaderPkg = JSON.parse(readFileSync(resolve(loaderDir, 'package.json'), 'utf8'));
    expect(new URL(map['@assemblyscript/loader'], pageUrl).href).toBe(pathToFileURL(resolve(loaderDir, loaderPkg.exports.import)).href);
  });

  it('loads the browser entry in Chromium', () => {
    ready();
    expect(pageState!.entry).toBe(new URL(conditions.browser, server!.url).href);
  });

  for (const [name, section] of Object.entries(suite.SECTIONS as Record<string, Section>)) {
    const missing = section.needs.flatMap(missingFiles);
    if (missing.length > 0) {
      it.skip(`${name}: skipped, not built (${missing.join(', ')} missing)`, () => {});
      continue;
    }
    it(`${name}: same numbers and errors in Chromium as in Node`, async () => {
      const p = ready();
      const ctx: Record<string, unknown> = { api: nodeApi };
      for (const need of section.needs) ctx[need] = await OPTIONAL[need].load();
      const nodeResult = await suite.computeSection(name, ctx);
      SANITY[name]?.(nodeResult);
      const nodeJson: string = suite.wireJson(nodeResult);
      let browserJson: string;
      try {
        browserJson = await p.evaluate(([n, needs]) => (globalThis as any).__parity.compute(n, needs), [name, section.needs] as const);
      } catch (e) {
        throw new Error(`${name} threw in Chromium (but not in Node): ${e instanceof Error ? e.message : String(e)}\n${await browserHints(p)}`);
      }
      const { numbers, diffs } = suite.compareWire(JSON.parse(nodeJson), JSON.parse(browserJson));
      expect(diffs, `${name}: Node and Chromium differ`).toEqual([]);
      expect(numbers, `${name}: numbers compared`).toBeGreaterThan(10);
      expect(browserJson).toBe(nodeJson); // catch-all: the whole serialised result is identical
    });
  }

  it('the page fetched build/core.wasm as application/wasm, and nothing failed to load', () => {
    ready();
    const wasm = server!.log.filter((r) => r.path === '/build/core.wasm');
    expect(wasm.map((r) => [r.status, r.type])).toEqual([[200, 'application/wasm']]);
    expect(server!.log.filter((r) => r.status !== 200), diagnostics()).toEqual([]);
    expect(pageLog.filter((l) => l.startsWith('pageerror') || l.startsWith('requestfailed'))).toEqual([]);
  });
});
