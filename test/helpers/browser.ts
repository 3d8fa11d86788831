/**
 * Headless Chromium for report tests: Debian's `chromium` package driven by playwright-core (no
 * browser download). Tests skip with CHROMIUM_MISSING when it is not installed; CI installs it.
 */
import {existsSync} from 'node:fs'
import {chromium, type Browser} from 'playwright-core'

export const CHROMIUM_PATH = process.env.HOLOBENCH_CHROMIUM ?? '/usr/bin/chromium'

export const CHROMIUM_MISSING = `${CHROMIUM_PATH} not found: install it with \`apt-get install -y --no-install-recommends chromium\` (or point HOLOBENCH_CHROMIUM at a Chromium).`

export function hasChromium(): boolean {
  return existsSync(CHROMIUM_PATH)
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // No sandbox: CI containers run as root. The rest stop Chromium's own background traffic,
    // which would otherwise show up as network requests the report did not make.
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}
