import {pickSkewed} from '../names.js'
import type {Rng} from '../prng.js'
import {C_SYMBOLS, CODE_WORDS} from '../vocabulary.js'
import type {RenderContext} from './context.js'
import {fillCode} from './machine-code.js'
import {sentence} from './prose.js'
import {ByteSink} from './sink.js'

const PAGE = 0x1000

/**
 * ELF shared objects and programs: headers, dynamic symbol and string tables, relocations, code,
 * read-only strings, unwind tables and page padding in the proportions of real x86-64 builds.
 * A relocated file carries the prefix in its RUNPATH and in build-configuration strings (an
 * extension module's install dir, OPENSSLDIR, Python's prefix), as conda-built binaries do.
 */
export function renderElf(ctx: RenderContext): Buffer {
  const {rng, file} = ctx
  const sink = new ByteSink(file.size)
  const program = file.role === 'program'
  const symbols = symbolNames(rng, Math.max(8, Math.min(4000, Math.floor(file.size / 700))), file.path)
  const phnum = program ? 13 : 9
  elfHeader(sink, program, phnum, file.size)
  for (let i = 0; i < phnum; i++) programHeader(sink, rng, i)
  if (program) sink.ascii('/lib64/ld-linux-x86-64.so.2\0')
  noteBuildId(sink, rng)
  gnuHash(sink, rng, symbols.length)
  dynsym(sink, rng, symbols)
  dynstr(sink, ctx, symbols)
  relaDyn(sink, rng, Math.floor(file.size / 400))
  align(sink, PAGE)
  const textEnd = sink.pos + Math.floor(sink.room * 0.62)
  fillCode(rng, sink.buf, sink.pos, textEnd)
  sink.pos = textEnd
  align(sink, PAGE)
  rodata(sink, ctx, sink.pos + Math.floor(sink.room * 0.45))
  ehFrame(sink, rng, sink.pos + Math.floor(sink.room * 0.6))
  align(sink, PAGE)
  dataSection(sink, rng, sink.pos + Math.floor(sink.room * 0.6))
  sink.ascii('GCC: (conda-forge gcc 12.3.0-5) 12.3.0\0')
  sectionHeaders(sink, rng)
  return sink.buf
}

function elfHeader(sink: ByteSink, program: boolean, phnum: number, size: number): void {
  sink.bytes(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
  sink.u16(3) // ET_DYN (PIE programs too)
  sink.u16(0x3e) // x86-64
  sink.u32(1)
  sink.u64(program ? 0x1100 + (size % 0x800) * 16 : 0) // entry
  sink.u64(64) // phoff
  sink.u64(Math.max(0, size - 28 * 64)) // shoff: section headers at the end
  sink.u32(0)
  sink.u16(64)
  sink.u16(56)
  sink.u16(phnum)
  sink.u16(64)
  sink.u16(28)
  sink.u16(27)
}

const PT = [1, 1, 1, 1, 2, 4, 0x6474e550, 0x6474e551, 0x6474e552, 3, 1, 4, 7]

function programHeader(sink: ByteSink, rng: Rng, i: number): void {
  const offset = i < 4 ? i * PAGE * (1 + rng.int(16)) : rng.int(0x40000) & ~7
  sink.u32(PT[i] ?? 1)
  sink.u32(i === 1 ? 5 : i === 2 ? 4 : 6) // flags
  sink.u64(offset)
  sink.u64(offset)
  sink.u64(offset)
  const filesz = rng.int(0x30000) & ~7
  sink.u64(filesz)
  sink.u64(filesz + (i === 3 ? 0x40 : 0))
  sink.u64(i < 4 ? PAGE : 8)
}

function noteBuildId(sink: ByteSink, rng: Rng): void {
  sink.u32(4)
  sink.u32(20)
  sink.u32(3)
  sink.ascii('GNU\0')
  for (let i = 0; i < 5; i++) sink.u32(rng.next())
}

function gnuHash(sink: ByteSink, rng: Rng, symbols: number): void {
  const buckets = Math.max(1, Math.floor(symbols / 4))
  sink.u32(buckets)
  sink.u32(1)
  sink.u32(2)
  sink.u32(26)
  for (let i = 0; i < Math.max(2, buckets / 8); i++) sink.u64((rng.next() >>> 0) * 2048 + (rng.next() & 2047)) // bloom
  let chain = 1
  for (let i = 0; i < buckets; i++) sink.u32((chain += rng.int(5)))
  for (let i = 0; i < symbols; i++) sink.u32(rng.next() & ~1)
}

function dynsym(sink: ByteSink, rng: Rng, names: string[]): void {
  sink.zeros(24) // the null symbol
  let nameOffset = 1
  let address = 0x2000
  for (const name of names) {
    const defined = name.startsWith('PyInit_') || name.startsWith('_Z') || rng.chance(0.15)
    sink.u32(nameOffset)
    nameOffset += name.length + 1
    sink.u8(defined ? 0x12 : rng.chance(0.9) ? 0x12 : 0x20)
    sink.u8(0)
    sink.u16(defined ? 12 : 0)
    sink.u64(defined ? (address += 16 * (1 + rng.int(40))) : 0)
    sink.u64(defined ? 16 * rng.int(60) : 0)
  }
}

function dynstr(sink: ByteSink, ctx: RenderContext, names: string[]): void {
  sink.u8(0)
  for (const name of names) sink.ascii(`${name}\0`)
  sink.ascii(`libpython3.11.so.1.0\0libc.so.6\0libm.so.6\0libpthread.so.0\0GLIBC_2.2.5\0GLIBC_2.14\0GLIBC_2.4\0`)
  // RUNPATH: where the dynamic loader looks first. Written whole or not at all.
  const runpath = ctx.file.relocated ? `${ctx.prefix}/lib` : ctx.rng.pick(['$ORIGIN/../lib', '$ORIGIN', '$ORIGIN/../../..'])
  sink.asciiWhole(`${runpath}\0`)
}

function relaDyn(sink: ByteSink, rng: Rng, count: number): void {
  let offset = 0x3d00 + 8 * rng.int(64)
  let addend = 0x1100
  for (let i = 0; i < count && sink.room > 24; i++) {
    sink.u64((offset += 8))
    sink.u64(rng.chance(0.85) ? 8 : 6 + (rng.int(40) * 4_294_967_296)) // R_X86_64_RELATIVE, else GLOB_DAT with a symbol
    sink.u64(rng.chance(0.8) ? (addend += 16 * rng.int(24)) : 0)
  }
}

/** C strings: format strings, error messages, method names, docstrings and build paths. */
function rodata(sink: ByteSink, ctx: RenderContext, end: number): void {
  const {rng, file} = ctx
  const paths = file.relocated
    ? [`${ctx.prefix}/lib/python3.11`, `${ctx.prefix}/ssl`, `${ctx.prefix}/share/${pickSkewed(rng, CODE_WORDS)}`]
    : [`/home/conda/feedstock_root/build_artefacts/${pickSkewed(rng, CODE_WORDS)}_${1_650_000_000 + rng.int(9_999_999)}/work`, '/usr/share/locale']
  for (const path of paths) sink.asciiWhole(`${path}\0`)
  while (sink.pos < end) {
    const r = rng.float()
    let text: string
    if (r < 0.3) text = `${pickSkewed(rng, CODE_WORDS)}() ${rng.pick(['argument', 'expected', 'takes'])} ${rng.pick(['%d', '%s', '%zd', '%.200s', '%R'])} ${sentence(rng, 2, 6).toLowerCase()}`
    else if (r < 0.55) text = `${pickSkewed(rng, CODE_WORDS)}_${pickSkewed(rng, CODE_WORDS)}`
    else if (r < 0.8) text = `${pickSkewed(rng, CODE_WORDS)}($self, /, ${pickSkewed(rng, CODE_WORDS)})\n--\n\n${sentence(rng, 4, 14)}`
    else text = `${sentence(rng, 3, 9)} (%s:%d)`
    sink.ascii(`${text}\0`)
    if (rng.chance(0.2)) sink.zeros(8 - (sink.pos & 7))
  }
  sink.pos = Math.min(sink.pos, end)
}

/** DWARF call-frame records: fixed CIE, then FDEs that differ in pc begin and range. */
function ehFrame(sink: ByteSink, rng: Rng, end: number): void {
  sink.bytes(Uint8Array.from([0x14, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x7a, 0x52, 0, 0x01, 0x78, 0x10, 0x01, 0x1b, 0x0c, 0x07, 0x08, 0x90, 0x01, 0, 0]))
  let pc = -0x1000
  while (sink.pos + 48 < end) {
    const length = rng.pick([0x14, 0x1c, 0x24, 0x2c])
    sink.u32(length)
    sink.u32(sink.pos & 0xffff)
    sink.u32((pc -= 16 * (1 + rng.int(64))) >>> 0)
    sink.u32(16 * (1 + rng.int(30)))
    sink.bytes(Uint8Array.from([0x00, 0x41, 0x0e, 0x10, 0x86, 0x02, 0x43, 0x0d, 0x06, 0x45, 0x83, 0x03, 0x02, rng.int(256), 0x0c, 0x07, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0].slice(0, length - 12)))
  }
  sink.pos = Math.min(sink.pos, end)
}

/** .data.rel.ro / .got: pointers into the image, mostly increasing, some zeros. */
function dataSection(sink: ByteSink, rng: Rng, end: number): void {
  let address = 0x4000
  while (sink.pos + 8 <= end) sink.u64(rng.chance(0.2) ? 0 : (address += 8 * rng.int(32)))
  sink.pos = Math.min(sink.pos, end)
}

function sectionHeaders(sink: ByteSink, rng: Rng): void {
  const start = Math.max(sink.pos, sink.buf.length - 28 * 64)
  sink.pos = start
  sink.zeros(64)
  let offset = 0x238
  for (let i = 1; i < 28 && !sink.full; i++) {
    sink.u32(i * 10)
    sink.u32(rng.pick([1, 1, 3, 4, 6, 7, 8, 11, 0x6ffffff6, 0x6ffffffe]))
    sink.u64(rng.pick([2, 2, 3, 6, 0x30]))
    sink.u64(offset)
    sink.u64(offset)
    const size = rng.int(0x20000)
    sink.u64(size)
    offset += size
    sink.u32(rng.int(8))
    sink.u32(0)
    sink.u64(rng.pick([1, 4, 8, 16]))
    sink.u64(rng.pick([0, 0, 24, 16]))
  }
}

/** Segments start on page boundaries; in small objects that padding is a good part of the file. */
function align(sink: ByteSink, boundary: number): void {
  sink.zeros((boundary - (sink.pos % boundary)) % boundary)
}

/** Dynamic symbols: the module init, its own C++-ish helpers, and the C-API/libc calls it imports. */
function symbolNames(rng: Rng, count: number, path: string): string[] {
  const base = path.slice(path.lastIndexOf('/') + 1).replace(/\..*$/, '').replace(/^_+|^lib/, '') || 'module'
  const names = [`PyInit_${base}`]
  while (names.length < count) {
    if (rng.chance(0.55)) names.push(pickSkewed(rng, C_SYMBOLS, 1))
    else {
      const a = pickSkewed(rng, CODE_WORDS)
      const b = pickSkewed(rng, CODE_WORDS)
      names.push(rng.chance(0.5) ? `_ZN${base.length}${base}${a.length}${a}${b.length}${b}Ev` : `${base}_${a}_${b}`)
    }
  }
  return names
}
