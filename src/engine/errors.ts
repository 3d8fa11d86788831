/**
 * One coded error type for the whole engine. Callers branch on `code`, never on message text;
 * commands map codes to exit codes and messages. Every error names the file it is about.
 */
export type HoloErrorCode =
  | 'EINTEGRITY' // content does not hash to its digest
  | 'ECORRUPT' // a library file or catalog cannot be decompressed or parsed
  | 'ETRAVERSAL' // a catalog path would write outside the target
  | 'ERELOCATE' // relocation impossible (identity/target length mismatch, offset out of range)
  | 'ENOTSUP_STRATEGY' // a requested strategy (reflink/hardlink) is impossible here
  | 'EMISSING' // a library file a catalog needs is missing
  | 'EUSAGE' // bad options
  | 'ESCHEMA' // results/baseline with an unknown schema or mismatched settings
  | 'ENOSPC' // the disk filled; originals are kept

export class HoloError extends Error {
  readonly code: HoloErrorCode
  readonly path?: string
  readonly data?: Record<string, unknown>

  constructor(code: HoloErrorCode, message: string, options: {path?: string; data?: Record<string, unknown>; cause?: unknown} = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'HoloError'
    this.code = code
    this.path = options.path
    this.data = options.data
  }
}

export function isHoloError(error: unknown, code?: HoloErrorCode): error is HoloError {
  return error instanceof HoloError && (code === undefined || error.code === code)
}
