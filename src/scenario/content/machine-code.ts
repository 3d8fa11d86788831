import type {Rng} from '../prng.js'

// Byte classes in instruction templates (non-negative entries are literal bytes).
const RAND = -1 // any byte
const DISP = -2 // a stack/struct displacement: a multiple of 8
const REL_HI = -3 // upper byte of a short rel32: 0x00 forwards or 0xff backwards
const SMALL = -4 // a small immediate

/**
 * x86-64 instructions as compilers emit them most (register moves, stack loads and stores, rip-
 * relative leas, calls, short branches), with the operand bytes that vary. Real .text compresses
 * about 2-2.5× with gzip -1 because of exactly this mix of fixed opcodes and varying operands.
 */
const TEMPLATES: readonly (readonly number[])[] = [
  [0x48, 0x89, 0xc7], [0x48, 0x89, 0xc6], [0x48, 0x89, 0xdf], [0x48, 0x89, 0xe5], [0x4c, 0x89, 0xe7], [0x4c, 0x89, 0xf6], [0x49, 0x89, 0xc4], [0x48, 0x89, 0xc3],
  [0x48, 0x8b, 0x45, DISP], [0x48, 0x8b, 0x55, DISP], [0x48, 0x8b, 0x7d, DISP], [0x48, 0x89, 0x45, DISP], [0x48, 0x89, 0x7d, DISP], [0x8b, 0x45, DISP], [0x89, 0x45, DISP],
  [0x48, 0x8b, 0x40, DISP], [0x48, 0x8b, 0x43, DISP], [0x48, 0x8b, 0x7b, DISP], [0x48, 0x89, 0x43, DISP], [0x4c, 0x8b, 0x65, DISP],
  [0xe8, RAND, RAND, REL_HI, REL_HI], [0xe8, RAND, RAND, REL_HI, REL_HI], [0xff, 0x15, RAND, RAND, REL_HI, REL_HI],
  [0x48, 0x8d, 0x3d, RAND, RAND, REL_HI, REL_HI], [0x48, 0x8d, 0x35, RAND, RAND, REL_HI, REL_HI], [0x48, 0x8d, 0x05, RAND, RAND, REL_HI, REL_HI], [0x48, 0x8b, 0x05, RAND, RAND, REL_HI, REL_HI],
  [0x74, RAND], [0x75, RAND], [0xeb, RAND], [0x7e, RAND], [0x0f, 0x84, RAND, RAND, 0x00, 0x00], [0x0f, 0x85, RAND, 0x00, 0x00, 0x00],
  [0x48, 0x85, 0xc0], [0x85, 0xc0], [0x48, 0x85, 0xdb], [0x45, 0x85, 0xe4], [0x31, 0xc0], [0x31, 0xd2], [0x31, 0xf6], [0x45, 0x31, 0xc0],
  [0xb8, SMALL, 0x00, 0x00, 0x00], [0xbe, SMALL, 0x00, 0x00, 0x00], [0xba, SMALL, 0x00, 0x00, 0x00], [0xbf, RAND, RAND, 0x00, 0x00],
  [0x48, 0x83, 0xc0, SMALL], [0x48, 0x83, 0xf8, SMALL], [0x83, 0xf8, SMALL], [0x48, 0x83, 0xe8, 0x01], [0x48, 0x83, 0xec, DISP], [0x48, 0x83, 0xc4, DISP],
  [0x48, 0xc7, 0x45, DISP, SMALL, 0x00, 0x00, 0x00], [0x0f, 0xb6, 0x45, DISP], [0x48, 0x63, 0xd0], [0x48, 0x39, 0xc2], [0x48, 0x01, 0xd0], [0x48, 0x29, 0xc8], [0x48, 0xc1, 0xe0, 0x03],
  [0xf2, 0x0f, 0x10, 0x45, DISP], [0x66, 0x0f, 0xef, 0xc0], [0xf2, 0x0f, 0x59, 0xc1], [0x48, 0x8b, 0x04, 0xc5, RAND, RAND, 0x00, 0x00],
  [0x5b], [0x5d], [0x41, 0x5c], [0x41, 0x5d], [0x53], [0x55], [0x41, 0x54], [0x41, 0x55], [0xc9],
]
const TABLE: readonly Int16Array[] = TEMPLATES.map((t) => Int16Array.from(t))
const PROLOGUE = Uint8Array.from([0xf3, 0x0f, 0x1e, 0xfa, 0x55, 0x48, 0x89, 0xe5, 0x41, 0x54, 0x53, 0x48, 0x83, 0xec])
const EPILOGUE = Uint8Array.from([0x48, 0x83, 0xc4, 0x10, 0x5b, 0x41, 0x5c, 0x5d, 0xc3])
const NOPS = Uint8Array.from([0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0f, 0x1f, 0x44, 0x00, 0x00, 0x90])

/** Out of 256: how often a function body reuses one of the object's idioms. */
const IDIOM_SHARE = 24

/**
 * Fill `buf[start, end)` with functions: prologue, body, epilogue, nop padding to 16 bytes. Bodies
 * mix single instructions with sequences the object repeats (inlined macros such as Py_DECREF,
 * argument checks), which is where most of real code's redundancy comes from.
 */
export function fillCode(rng: Rng, buf: Uint8Array, start: number, end: number): void {
  const scratch = new Uint8Array(128)
  const idioms: Uint8Array[] = []
  for (let i = 0; i < 32; i++) {
    let length = 0
    for (let n = 3 + ((rng.next() >>> 0) % 6); n > 0; n--) length = instruction(rng, scratch, length, scratch.length)
    idioms.push(scratch.slice(0, length))
  }
  let pos = start
  while (pos < end) {
    pos = copy(PROLOGUE, buf, pos, end)
    if (pos < end) buf[pos++] = 0x08 * (1 + (rng.next() & 7))
    for (let n = 8 + ((rng.next() >>> 0) % 120); n > 0 && pos < end; n--) {
      if ((rng.next() & 0xff) < IDIOM_SHARE) pos = copy(idioms[(rng.next() & 31) & (rng.next() & 31)], buf, pos, end)
      else pos = instruction(rng, buf, pos, end)
    }
    pos = copy(EPILOGUE, buf, pos, end)
    const pad = (16 - ((pos - start) & 15)) & 15
    pos = copy(NOPS.subarray(NOPS.length - pad), buf, pos, end)
  }
}

function copy(bytes: Uint8Array, buf: Uint8Array, pos: number, end: number): number {
  const n = Math.min(bytes.length, end - pos)
  if (n > 0) buf.set(n === bytes.length ? bytes : bytes.subarray(0, n), pos)
  return pos + Math.max(0, n)
}

/** One instruction into `buf` from `pos` (cut at `end`); returns the new position. */
function instruction(rng: Rng, buf: Uint8Array, pos: number, end: number): number {
  const template = TABLE[(rng.next() >>> 0) % TABLE.length]
  const r = rng.next()
  const back = r & 1 ? 0xff : 0x00
  for (let i = 0; i < template.length && pos < end; i++) {
    const b = template[i]
    if (b >= 0) buf[pos++] = b
    else if (b === RAND) buf[pos++] = rng.next() & 0xff
    else if (b === DISP) buf[pos++] = back ? 0x100 - 8 * (1 + ((r >>> 3) & 15)) : 8 * ((r >>> 3) & 15)
    else if (b === REL_HI) buf[pos++] = back
    else buf[pos++] = (r >>> 12) & 0x1f
  }
  return pos
}
