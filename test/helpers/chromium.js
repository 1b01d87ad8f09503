// Launching Debian's Chromium for the browser tests (never a downloaded browser): one path,
// one set of flags (no background networking on this closed network), for every browser test.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.GAUSSDIFF_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Launch headless Chromium at CHROMIUM (GAUSSDIFF_CHROMIUM overrides it). */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 20_000 });
}
