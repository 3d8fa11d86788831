import {constants} from 'node:buffer'

/**
 * How far a decode may go. Every decode is given the most output it may produce (a catalog
 * entry's `size`, or a cap such as the catalog cap); it stops at that many bytes + 1 and fails,
 * so a decompression bomb behind a small entry costs neither memory nor target space.
 */

/** One zstd block's most output (Block_Maximum_Size, RFC 8878 §3.1.1.2.4). */
export const WHOLE_DECODE_SLACK_BYTES = 128 * 1024

/**
 * The most output, in bytes, that frame headers may allow for a whole-buffer decode that cannot
 * be stopped mid-way (the @mongodb-js/zstd binding), when at most `limit` bytes are wanted:
 * twice the limit plus one block. A frame without a content size is bounded by its blocks
 * (each regenerates at most 128 KiB); RCC's zstd fork (klauspost) writes blocks of 64 KiB, so
 * its frames bound up to twice their output plus the last block, and libzstd fills 128 KiB
 * blocks. A bound looser than that (a bomb: 1 GiB in 32 KiB) goes to a decoder that stops at
 * the limit + 1 byte, so memory is at most about twice what the catalog promised.
 */
export function wholeDecodeCap(limit: number): number {
  return 2 * limit + WHOLE_DECODE_SLACK_BYTES
}

/** The output passed `limit` bytes; `declared` when a header said so before any decoding. */
export class OutputLimitError extends Error {
  constructor(
    readonly limit: number,
    readonly declared?: number,
  ) {
    super(declared === undefined ? `decompresses to more than ${limit} bytes` : `its zstd frame headers declare ${declared} bytes, more than ${limit}`)
    this.name = 'OutputLimitError'
  }
}

/** node:zlib's error when a convenience call's maxOutputLength is exceeded. */
export function isZlibOutputLimit(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ERR_BUFFER_TOO_LARGE'
}

/** maxOutputLength for node:zlib: one byte past the limit, within what a Buffer can hold. */
export function zlibMaxOutput(limit: number): number {
  return Math.max(1, Math.min(limit + 1, constants.MAX_LENGTH))
}
