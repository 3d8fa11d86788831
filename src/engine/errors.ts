/**
 * One coded error type for the whole engine. Callers branch on `code`, never on message text;
 * commands map codes to exit codes and messages. Every error names the file it is about.
 */
export type HoloErrorCode =
  | 'EINTEGRITY' // content does not hash to its digest
  | 'ECORRUPT' // a library file or catalog cannot be decompressed or parsed
  | 'EINPUT' // an input file parses but holds invalid values (a catalog entry's mode, size, offsets, digest, depth)
  | 'ETRAVERSAL' // a catalog path would write outside the target
  | 'ERELOCATE' // relocation impossible: an offset out of range (a target of the wrong length is EUSAGE)
  | 'ENOTSUP_STRATEGY' // a requested strategy (reflink/hardlink) is impossible here
  | 'EMISSING' // a library file a catalog needs is missing
  | 'EUSAGE' // bad options, or a path that is not what the option wants
  | 'ESCHEMA' // results/baseline with an unknown schema or mismatched settings
  | 'ENOSPC' // the disk filled; originals are kept
  | 'EACCES' // permission denied (EACCES or EPERM from the system)
  | 'EROFS' // the file system is mounted read-only
  | 'EIO' // any other system error, with the operation and path named
  | 'ELOCKED' // another holobench process holds the target or library lock
  | 'EINTERRUPTED' // stopped on request (Ctrl-C): the work done so far is kept, a rerun finishes it

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

/** Codes that mean bad usage or a bad input file (exit 2; a traversal name is a hostile catalog); every other failure exits 1. */
export const INPUT_ERROR_CODES: ReadonlySet<HoloErrorCode> = new Set(['EUSAGE', 'ESCHEMA', 'EINPUT', 'ETRAVERSAL'])

const SYSTEM_WORDS: Record<string, [HoloErrorCode, string]> = {
  EACCES: ['EACCES', 'permission denied'],
  EPERM: ['EACCES', 'operation not permitted'],
  EROFS: ['EROFS', 'read-only file system'],
  ENOSPC: ['ENOSPC', 'no space left on device'],
  EDQUOT: ['ENOSPC', 'disk quota exceeded'],
}

/**
 * A system error (Node's errno error) as a coded error that says what happened, to which path,
 * while doing what: `action` is a phrase such as "writing" or "reading catalog". Coded errors
 * pass through unchanged; errors without an errno code are returned as they are.
 */
export function explainSystemError(error: unknown, action: string, path: string): unknown {
  if (isHoloError(error)) return error
  const errno = (error as NodeJS.ErrnoException)?.code
  if (typeof errno !== 'string' || !/^E[A-Z]+$/.test(errno)) return error
  const [code, words] = SYSTEM_WORDS[errno] ?? ['EIO', ((error as Error).message.split(',')[0] ?? errno).replace(/^E[A-Z]+: /, '')]
  return new HoloError(code, `${action} ${path}: ${words} (${errno})`, {path, cause: error, data: {errno}})
}
