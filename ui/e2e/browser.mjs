// Debian's chromium driven by playwright-core (which cannot download browsers here). The test command installs it
// when it is missing and it runs as root, else it stops and says what to install.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (sudo apt-get install chromium fonts-dejavu-core), then run the tests again`);
  }
  console.log('ui e2e: installing chromium with apt-get (about a minute and a half)');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core', { stdio: 'inherit' });
}

export async function launch() {
  ensureChromium();
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--disable-gpu', '--disable-dev-shm-usage'] });
}
