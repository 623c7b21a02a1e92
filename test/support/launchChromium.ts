import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium, driven through playwright-core (scripts/install-peers.sh installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/** The `skip` option of a browser test: a reason when Chromium is missing. */
export const skipWithoutChromium = existsSync(CHROMIUM)
  ? false
  : `no ${CHROMIUM}: run scripts/install-peers.sh`;

/** A fresh headless Chromium with its profile in `dir`, reaching nothing by itself. */
export function launchChromium(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1400, height: 1000 },
  });
}

/** tmp/test-output/<name> in the checkout (ignored by git): screenshots kept for people to look at. */
export function toTestOutputDir(name: string): string {
  return join(new URL('../../tmp/test-output/', import.meta.url).pathname, name);
}
