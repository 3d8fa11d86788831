import type {ProgressCallback} from '../engine/types.js'

/**
 * What a command's body needs from around it: an oclif command (this.log, this.progress, …) or
 * the fast path (src/cli/fast-path.ts), which writes the same lines without loading oclif.
 */
export interface CommandIo {
  /** One line of data to stdout (nothing under --json, where the result is printed instead). */
  log(line: string): void
  /** One line to stderr (nothing under --json). */
  logToStderr(line: string): void
  /** A warning to stderr, as oclif formats it (nothing under --json). */
  warn(message: string): void | Promise<void>
  /** Progress for engine work, or undefined where none is shown. */
  progress(label: string): ProgressCallback | undefined
  stopProgress(): void
}

let pending: {error: unknown} | undefined

/**
 * The fast path ran the command and it failed: oclif runs it again only to report the failure
 * exactly as every command does (message, --json object, exit code); the body, started again,
 * throws this instead of redoing any work.
 */
export function reportThroughOclif(error: unknown): void {
  pending = {error}
}

/** Called first by each command body: throws the failure the fast path handed over, if any. */
export function throwHandedOver(): void {
  if (!pending) return
  const {error} = pending
  pending = undefined
  throw error
}
