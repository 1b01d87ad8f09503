// Launching Debian's Chromium for the browser tests (never a downloaded browser): one path,
// one set of flags (no background networking on this closed network), for every browser test.
// Where Chromium is missing a browser suite is skipped with one line saying so, unless
// GAUSSDIFF_REQUIRE_BROWSER=1 (CI sets it in .ci/run): then it fails.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { describe, it } from 'vitest';

export const CHROMIUM = process.env.GAUSSDIFF_CHROMIUM ?? '/usr/bin/chromium';

/** True when GAUSSDIFF_REQUIRE_BROWSER=1: a missing browser or runtime is a failure, not a skip. */
export const REQUIRE_BROWSER = process.env.GAUSSDIFF_REQUIRE_BROWSER === '1';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Why Chromium cannot be used here, or undefined when it is installed. */
export function chromiumMissing() {
  return existsSync(CHROMIUM)
    ? undefined
    : `Chromium not found at ${CHROMIUM} (Debian: apt-get install chromium, or GAUSSDIFF_CHROMIUM=/path; no browser is downloaded)`;
}

/**
 * A suite that needs a program which may be missing (Chromium, Deno, Bun, workerd): `describe` as
 * usual when `missing` is undefined; otherwise one skipped test whose name says why (printed once on
 * stderr too), or, with GAUSSDIFF_REQUIRE_BROWSER=1, one failing test.
 */
export function describeIfAvailable(name, missing, fn) {
  if (!missing) return describe(name, fn);
  if (REQUIRE_BROWSER) {
    return describe(name, () => {
      it('has what it needs (GAUSSDIFF_REQUIRE_BROWSER=1)', () => {
        throw new Error(`${missing}; GAUSSDIFF_REQUIRE_BROWSER=1 makes this a failure`);
      });
    });
  }
  console.warn(`skipped: ${name}: ${missing}`);
  return describe(name, () => it.skip(`skipped: ${missing}`, () => {}));
}

/** `describe` for a suite that runs in Chromium (see describeIfAvailable). */
export function describeWithChromium(name, fn) {
  return describeIfAvailable(name, chromiumMissing(), fn);
}

/** Launch headless Chromium at CHROMIUM (GAUSSDIFF_CHROMIUM overrides it). */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 20_000 });
}
