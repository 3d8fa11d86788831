import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

// package.json is two levels up from both src/engine and dist/engine.
const packageJson = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as {version: string}

/** holobench's own version, as package.json declares it. */
export const HOLOBENCH_VERSION: string = packageJson.version
