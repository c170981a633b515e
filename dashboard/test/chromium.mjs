// Debian's Chromium (installed by ./jobway test, or CHROMIUM=path) as the browser specs launch it.
import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // the machine's network is closed: no background fetches, no component updates, no QUIC
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}
