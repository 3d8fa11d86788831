import {NameScope, className, identifier, pickSkewed} from '../names.js'
import type {Rng} from '../prng.js'
import {STDLIB_NAMES} from '../vocabulary.js'
import type {RenderContext} from './context.js'
import {sentence} from './prose.js'
import {ByteSink} from './sink.js'

/** CPython 3.11 .pyc header magic. */
const MAGIC = [0xa7, 0x0d, 0x0d, 0x0a]

/** marshal type codes (with FLAG_REF where CPython sets it). */
const CODE = 0xe3
const BYTES = 0xf3
const SHORT_ASCII_INTERNED = 0xda
const SHORT_ASCII = 0xfa
const SMALL_TUPLE = 0x29
const REF = 0x72
const NONE = 0x4e
const INT = 0xe9

const A = -1 // small argument (local, name or const index)
const J = -2 // jump offset
/**
 * 3.11 instructions with their inline cache entries (the runs of zeros that make real bytecode
 * compressible), weighted roughly as they occur in the standard library.
 */
const INSTRUCTIONS: readonly [number, readonly number[]][] = [
  [14, [0x7c, A]], // LOAD_FAST
  [8, [0x64, A]], // LOAD_CONST
  [6, [0x7d, A]], // STORE_FAST
  [6, [0x74, A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]], // LOAD_GLOBAL
  [7, [0xa6, A, 0, 0, 0xab, A, 0, 0, 0, 0, 0, 0, 0, 0]], // PRECALL, CALL
  [5, [0x6a, A, 0, 0, 0, 0, 0, 0, 0, 0]], // LOAD_ATTR
  [3, [0xa0, A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]], // LOAD_METHOD
  [3, [0x6b, A, 0, 0, 0, 0]], // COMPARE_OP
  [3, [0x72, J]], // POP_JUMP_FORWARD_IF_FALSE
  [2, [0x6e, J]], // JUMP_FORWARD
  [3, [0x01, 0x00]], // POP_TOP
  [2, [0x02, 0x00]], // PUSH_NULL
  [2, [0x7a, A, 0, 0]], // BINARY_OP
  [2, [0x5f, A, 0, 0, 0, 0, 0, 0, 0, 0]], // STORE_ATTR
  [1, [0x19, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]], // BINARY_SUBSCR
  [1, [0x53, 0x00]], // RETURN_VALUE
  [1, [0x66, A]], // BUILD_TUPLE
  [1, [0xac, A]], // KW_NAMES
  [1, [0x5d, J]], // FOR_ITER
  [1, [0x44, 0x00]], // GET_ITER
]
const OP_TABLE: readonly Int16Array[] = (() => {
  const table: Int16Array[] = []
  const total = INSTRUCTIONS.reduce((sum, [w]) => sum + w, 0)
  for (const [weight, bytes] of INSTRUCTIONS) for (let i = Math.round((weight / total) * 256); i > 0; i--) table.push(Int16Array.from(bytes))
  while (table.length < 256) table.push(Int16Array.from(INSTRUCTIONS[0][1]))
  return table.slice(0, 256)
})()

/**
 * .pyc-like bytes: the 3.11 header, then marshalled code objects (bytecode with inline caches,
 * const and name tuples, location tables) in the order CPython writes them. A relocated file's
 * co_filename is the module's path inside the space; others carry a build-time path, as bytecode
 * compiled elsewhere and copied in does.
 */
export function renderBytecode(ctx: RenderContext): Buffer {
  const {rng, file} = ctx
  const sink = new ByteSink(file.size)
  sink.bytes(Uint8Array.from(MAGIC))
  sink.u32(0)
  sink.u32(1_600_000_000 + rng.int(100_000_000)) // source mtime
  sink.u32(rng.range(200, 200_000)) // source size
  const source = file.source ?? file.path
  const filename = file.relocated ? `${ctx.prefix}/${source}` : `${buildRoot(ctx)}/${source.replace(/^lib\/python3\.11\/site-packages\//, '')}`
  const w = new MarshalWriter(rng, sink)
  // The first code object is kept short so its co_filename always lands inside the file.
  w.codeObject(filename, Math.max(8, Math.min(rng.range(40, 900), file.size - 420 - filename.length)), true)
  while (!sink.full) w.codeObject(filename, rng.range(40, 1200), false)
  return sink.buf
}

/** Where bytecode compiled outside the space says its source was: one per package. */
function buildRoot(ctx: RenderContext): string {
  const pkg = ctx.file.pkg?.name ?? 'build'
  let h = 0
  for (let i = 0; i < pkg.length; i++) h = (h * 31 + pkg.charCodeAt(i)) >>> 0
  return h % 2 === 0 ? `/tmp/pip-install-${h.toString(36)}/${pkg}_${(h >>> 8).toString(16)}` : `/home/conda/feedstock_root/build_artefacts/${pkg}_${1_600_000_000 + (h % 99_999_999)}/work`
}

class MarshalWriter {
  private refs = 0
  private filenameRef = -1
  private readonly interned = new Map<string, number>()
  private readonly names: string[] = []
  /** Instruction sequences this module repeats (attribute access, call patterns). */
  private readonly idioms: Uint8Array[] = []

  constructor(
    private readonly rng: Rng,
    private readonly sink: ByteSink,
  ) {
    const scope = new NameScope()
    for (let i = rng.range(12, 36); i > 0; i--) this.names.push(scope.claim(rng.chance(0.15) ? className(rng) : identifier(rng)))
    for (let i = 0; i < 4; i++) this.names.push(rng.pick(STDLIB_NAMES))
    const scratch = new Uint8Array(256)
    for (let i = 0; i < 24; i++) {
      let length = 0
      for (let j = rng.range(2, 6); j > 0; j--) length = this.instruction(scratch, length, scratch.length)
      this.idioms.push(scratch.slice(0, length))
    }
  }

  /** One instruction with its caches into `out` from `pos` (cut at `end`); returns the new position. */
  private instruction(out: Uint8Array, pos: number, end: number): number {
    const {rng} = this
    const op = OP_TABLE[rng.next() & 0xff]
    for (let i = 0; i < op.length && pos < end; i++) {
      const b = op[i]
      out[pos++] = b === A ? SKEWED_ARGS[rng.next() & 0xff] : b === J ? 2 + 2 * ARGS[(rng.next() >>> 0) % ARGS.length] : b
    }
    return pos
  }

  /** `first`: keep the parts before co_filename small, so the path fits in a small file. */
  codeObject(filename: string, codeBytes: number, first: boolean): void {
    const {rng, sink} = this
    sink.u8(CODE)
    this.refs++
    sink.u32(rng.range(0, 4)) // argcount
    sink.u32(0) // posonlyargcount
    sink.u32(rng.chance(0.1) ? 1 : 0) // kwonlyargcount
    sink.u32(rng.range(2, 12)) // stacksize
    sink.u32(rng.pick([3, 3, 3, 0x13, 0x23, 0])) // flags
    const instructions = this.code(codeBytes)
    this.consts(first ? 2 : 6)
    this.tuple(rng.range(1, first ? 3 : 10))
    this.tuple(rng.range(0, first ? 2 : 6)) // localsplusnames
    sink.u8(0x73)
    const kinds = rng.range(0, 6)
    sink.u32(kinds)
    for (let i = 0; i < kinds; i++) sink.u8(rng.pick([0x20, 0x20, 0x26, 0x80]))
    if (this.filenameRef < 0) {
      // Written whole or not at all: a cut path would be a fragment of the identity.
      if (filename.length < 256 && sink.room >= filename.length + 2) {
        sink.u8(SHORT_ASCII)
        sink.u8(filename.length)
        sink.ascii(filename)
        this.filenameRef = this.refs++
      }
    } else this.ref(this.filenameRef)
    this.name()
    this.name()
    sink.u32(rng.range(1, 2000)) // firstlineno
    this.lineTable(instructions)
    sink.u8(0x73)
    sink.u32(0) // exception table
  }

  /** About `budget` bytes of bytecode, written in place; returns the instruction count. */
  private code(budget: number): number {
    const {rng, sink} = this
    const buf = sink.buf
    sink.u8(BYTES)
    this.refs++
    const lengthAt = sink.pos
    sink.u32(0)
    const start = sink.pos
    const end = Math.min(buf.length, start + budget + 4)
    let pos = start
    let instructions = 0
    for (const b of [0x97, 0x00]) if (pos < end) buf[pos++] = b // RESUME
    for (; pos < end - 4; instructions++) {
      if ((rng.next() & 0xff) < IDIOM_SHARE) {
        const idiom = this.idioms[SKEWED_IDIOMS[rng.next() & 0xff]]
        for (let i = 0; i < idiom.length && pos < end; i++) buf[pos++] = idiom[i]
      } else pos = this.instruction(buf, pos, end - 4)
    }
    for (const b of [0x64, 0x00, 0x53, 0x00]) if (pos < end) buf[pos++] = b // LOAD_CONST None, RETURN_VALUE
    if (lengthAt + 4 <= buf.length) buf.writeUInt32LE(pos - start, lengthAt)
    sink.pos = pos
    return instructions
  }

  private consts(most: number): void {
    const {rng, sink} = this
    const n = rng.range(1, most)
    sink.u8(SMALL_TUPLE)
    sink.u8(n)
    for (let i = 0; i < n; i++) {
      const r = rng.float()
      if (r < 0.25) sink.u8(NONE)
      else if (r < 0.45) {
        sink.u8(INT)
        this.refs++
        sink.u32(pickSkewed(rng, ARGS))
      } else if (r < 0.6) {
        const text = sentence(rng, 3, most > 2 ? 24 : 8)
        sink.u8(0x7a) // short ascii, no ref
        sink.u8(Math.min(255, text.length))
        sink.ascii(text.slice(0, 255))
      } else this.name()
    }
  }

  private tuple(n: number): void {
    this.sink.u8(SMALL_TUPLE)
    this.sink.u8(n)
    for (let i = 0; i < n; i++) this.name()
  }

  /** An interned name: written once, then referenced, as marshal does. */
  private name(): void {
    const name = pickSkewed(this.rng, this.names, 3)
    const ref = this.interned.get(name)
    if (ref !== undefined) {
      this.ref(ref)
      return
    }
    this.sink.u8(SHORT_ASCII_INTERNED)
    this.sink.u8(name.length)
    this.sink.ascii(name)
    this.interned.set(name, this.refs++)
  }

  private ref(index: number): void {
    this.sink.u8(REF)
    this.sink.u32(index)
  }

  /** 3.11 location table: an entry header byte, then short varints, written in place. */
  private lineTable(instructions: number): void {
    const {rng, sink} = this
    const buf = sink.buf
    sink.u8(0x73)
    const lengthAt = sink.pos
    sink.u32(0)
    const start = sink.pos
    let pos = start
    for (let i = 0; i <= instructions && pos < buf.length; i++) {
      const r = rng.next()
      buf[pos++] = LOCATION_HEADS[SKEWED_HEADS[r & 0xff]]
      for (let j = (r >>> 8) % 3; j > 0 && pos < buf.length; j--) buf[pos++] = LOCATION_ARGS[SKEWED_LOCATION_ARGS[(r >>> (10 + 8 * j)) & 0xff]]
    }
    if (lengthAt + 4 <= buf.length) buf.writeUInt32LE(pos - start, lengthAt)
    sink.pos = pos
  }
}

/** 256-entry lookup tables giving an index in [0, n) skewed towards 0 (u^k), one byte per draw. */
function skewTable(n: number, k: number): Uint8Array {
  return Uint8Array.from({length: 256}, (_, i) => {
    let u = 1
    for (let j = 0; j < k; j++) u *= (i + 0.5) / 256 // not **: Math.pow is not exact everywhere
    return Math.floor(u * n)
  })
}

/** Out of 256: how often a code object repeats one of its module's idioms. */
const IDIOM_SHARE = 32
const SKEWED_IDIOMS = skewTable(24, 1)
const ARGS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 24, 28, 32]
const LOCATION_HEADS = [0x80, 0xd8, 0x88, 0xf0, 0xe0, 0x90, 0xa0, 0xf8, 0xd0, 0x98, 0xe8, 0xb0, 0x81, 0xd9]
const LOCATION_ARGS = [0x00, 0x01, 0x02, 0x04, 0x08, 0x0d, 0x11, 0x19, 0x21, 0x27, 0x35, 0x88, 0x98, 0xa0, 0xd1, 0xd4, 0xd8, 0xf0]
const SKEWED_ARGS = Uint8Array.from(skewTable(ARGS.length, 2), (i) => ARGS[i])
const SKEWED_HEADS = skewTable(LOCATION_HEADS.length, 2)
const SKEWED_LOCATION_ARGS = skewTable(LOCATION_ARGS.length, 3)
