/**
 * @roadmap testing.e2e, frontend.html-css-javascript
 * Look at how a test gets a real browser without downloading one: Debian's `chromium`, driven by
 * playwright-core (the library without its browser downloads), headless and with every
 * background service that would phone home turned off.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The browser the tests drive; `CHROMIUM` overrides it. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * No GPU on a CI machine, no sandbox (it needs user namespaces a container may not have), and no
 * update checks, component downloads or first-run pages: the only traffic is the test's own.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Whether the browser is installed (the tests fail with a hint instead of skipping: it is required). */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** Starts the browser; close it in afterAll. */
export async function launchChromium(): Promise<Browser> {
  if (!chromiumAvailable()) {
    throw new Error(
      `${CHROMIUM} is not installed: the browser tests need it (Debian/Ubuntu: apt-get install chromium; .ci/run does it)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}
