// Headless Chromium for the web inspector's benchmark: Debian's chromium driven by
// playwright-core, which downloads no browser of its own. CHROMIUM names another binary.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`there is no Chromium at ${CHROMIUM_PATH}: apt-get install chromium, or set CHROMIUM to its path.`);
  }
  // --no-sandbox: the benchmark runs as root in containers, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'], headless: true });
}
