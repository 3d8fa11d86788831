/**
 * One engine operation in a fresh process, then its peak RSS as JSON on stdout:
 *   node --import tsx bench/rss-child.ts lift <tree> <library> <codec>
 *   node --import tsx bench/rss-child.ts drop <catalog> <target> [zstd-backend]
 */
import {drop} from '../src/engine/drop.js'
import {lift} from '../src/engine/lift.js'
import type {CodecName, ZstdBackend} from '../src/engine/types.js'

const [operation, a, b, c] = process.argv.slice(2)
const started = performance.now()
let detail: unknown
if (operation === 'lift') {
  const result = await lift({source: a, library: b, codec: c as CodecName, fsync: false})
  detail = {catalog: result.catalog, files: result.files, bytes: result.bytes}
} else if (operation === 'drop') {
  const result = await drop({catalog: a, target: b, zstdBackend: (c as ZstdBackend) ?? 'auto'})
  detail = {written: result.written, bytes: result.bytes, formats: result.formats}
} else {
  throw new Error(`unknown operation ${operation}`)
}

// maxRSS is in kilobytes.
console.log(JSON.stringify({operation, maxRssMB: process.resourceUsage().maxRSS / 1024, seconds: (performance.now() - started) / 1000, detail}))
