/**
 * One engine operation in a fresh process, then its peak RSS as JSON on stdout (also when the
 * operation fails: `error` holds its code and message):
 *   node --import tsx bench/rss-child.ts lift <tree> <library> <codec>
 *   node --import tsx bench/rss-child.ts drop <catalog> <target> [zstd-backend] [gzip-backend]
 *   node --import tsx bench/rss-child.ts check <library>
 *   node --import tsx bench/rss-child.ts inspect <hololib|catalog>
 */
import {check} from '../src/engine/check/index.js'
import type {GzipBackend} from '../src/engine/codec/index.js'
import {drop} from '../src/engine/drop.js'
import {inspect} from '../src/engine/inspect.js'
import {lift} from '../src/engine/lift.js'
import type {CodecName, ZstdBackend} from '../src/engine/types.js'

const [operation, a, b, c, d] = process.argv.slice(2)
const started = performance.now()
let detail: unknown
let error: {code?: string; message: string} | undefined
try {
  if (operation === 'lift') {
    const result = await lift({source: a, library: b, codec: c as CodecName, fsync: false})
    detail = {catalog: result.catalog, files: result.files, bytes: result.bytes}
  } else if (operation === 'drop') {
    const result = await drop({catalog: a, target: b, zstdBackend: (c as ZstdBackend) || 'auto', gzipBackend: (d as GzipBackend) || undefined})
    detail = {written: result.written, bytes: result.bytes, formats: result.formats}
  } else if (operation === 'check') {
    const result = await check({library: a})
    detail = {ok: result.ok, unreadable: result.catalogs.unreadable, bad: result.bad.map((b) => ({path: b.path, code: b.code, message: b.message}))}
  } else if (operation === 'inspect') {
    detail = {files: (await inspect({path: a})).files}
  } else {
    throw new Error(`unknown operation ${operation}`)
  }
} catch (caught) {
  error = {code: (caught as {code?: string}).code, message: (caught as Error).message}
}

// maxRSS is in kilobytes.
console.log(JSON.stringify({operation, maxRssMB: process.resourceUsage().maxRSS / 1024, seconds: (performance.now() - started) / 1000, detail, error}))
