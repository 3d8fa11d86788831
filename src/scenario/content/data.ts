import {pickSkewed} from '../names.js'
import type {Rng} from '../prng.js'
import {CODE_WORDS, ENGLISH} from '../vocabulary.js'
import type {RenderContext} from './context.js'
import {sentence} from './prose.js'
import {ByteSink, TextSink} from './sink.js'

/** Package data: JSON documents (botocore-style), CSV tables, word lists and binary tables. */
export function renderData(ctx: RenderContext): Buffer {
  switch (ctx.file.role) {
    case 'csv':
      return csv(ctx)
    case 'txt':
      return wordList(ctx)
    case 'dat':
      return table(ctx)
    default:
      return json(ctx)
  }
}

/** Records of one shape with repeated keys: such documents compress 5–10×. */
function json(ctx: RenderContext): Buffer {
  const {rng, file} = ctx
  const sink = new TextSink(file.size)
  const keys = Array.from({length: rng.range(4, 12)}, () => pickSkewed(rng, CODE_WORDS))
  sink.add(`{\n  "version": "${rng.range(1, 3)}.0",\n`)
  if (file.relocated) sink.addWhole(`  "argv": ["${ctx.prefix}/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],\n`)
  sink.add(`  "${pickSkewed(rng, CODE_WORDS)}": {\n`)
  while (!sink.full) {
    sink.add(`    "${pickSkewed(rng, CODE_WORDS)}${rng.int(1000)}": {\n`)
    for (const key of keys) {
      if (rng.chance(0.3)) continue
      sink.add(`      "${key}": ${value(rng)},\n`)
    }
    sink.add(`      "documentation": "${sentence(rng, 4, 14)}"\n    },\n`)
  }
  return sink.toBuffer()
}

function value(rng: Rng): string {
  const r = rng.float()
  if (r < 0.3) return `"${pickSkewed(rng, CODE_WORDS)}"`
  if (r < 0.5) return String(rng.int(r < 0.45 ? 100 : 100_000))
  if (r < 0.65) return rng.pick(['true', 'false', 'null'])
  return `{"shape": "${pickSkewed(rng, CODE_WORDS)}", "type": "${rng.pick(['string', 'integer', 'list', 'structure', 'boolean'])}"}`
}

function csv(ctx: RenderContext): Buffer {
  const {rng, file} = ctx
  const sink = new TextSink(file.size)
  const columns = rng.range(3, 9)
  sink.add(`${Array.from({length: columns}, () => pickSkewed(rng, CODE_WORDS)).join(',')}\n`)
  for (let row = 1; !sink.full; row++) {
    const cells = [String(row)]
    for (let c = 1; c < columns; c++) {
      const k = c % 4
      cells.push(k === 0 ? pickSkewed(rng, ENGLISH) : k === 1 ? (rng.float() * 1000).toFixed(3) : k === 2 ? `2023-${String(1 + rng.int(12)).padStart(2, '0')}-${String(1 + rng.int(28)).padStart(2, '0')}` : String(rng.int(5000)))
    }
    sink.add(`${cells.join(',')}\n`)
  }
  return sink.toBuffer()
}

function wordList(ctx: RenderContext): Buffer {
  const {rng, file} = ctx
  const sink = new TextSink(file.size)
  while (!sink.full) sink.add(`${pickSkewed(rng, rng.chance(0.5) ? ENGLISH : CODE_WORDS, 1)}${rng.chance(0.3) ? `\t${rng.int(10_000)}` : ''}\n`)
  return sink.toBuffer()
}

/** Binary records: a header, then rows of small integers and slowly varying float32 values. */
function table(ctx: RenderContext): Buffer {
  const {rng, file} = ctx
  const sink = new ByteSink(file.size)
  sink.ascii('TBL1')
  sink.u32(file.size)
  let level = 1000
  while (!sink.full) {
    sink.u16(rng.int(64))
    sink.u16(rng.int(4))
    level += rng.int(17) - 8
    if (sink.room >= 4) sink.buf.writeFloatLE(level / 16, sink.pos)
    sink.zeros(4)
  }
  return sink.buf
}
