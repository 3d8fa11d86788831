import {constants} from 'node:buffer'

/**
 * How far a decode may go. Every decode is given the most output it may produce (a catalog
 * entry's `size`, or a cap such as the catalog cap); it stops at that many bytes + 1 and fails,
 * so a decompression bomb behind a small entry costs neither memory nor target space.
 */

/**
 * Whole-buffer decoders that cannot be stopped mid-way (the @mongodb-js/zstd binding) run only
 * when the frame headers bound the output to the limit plus this much: one zstd block
 * (Block_Maximum_Size, RFC 8878 §3.1.1.2.4). Encoders fill every block but the last, so a
 * frame without a content size bounds its output to within one block of the truth; anything
 * looser goes to a decoder that stops at the limit.
 */
export const WHOLE_DECODE_SLACK_BYTES = 128 * 1024

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
