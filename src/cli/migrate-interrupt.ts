/**
 * What `migrate` says when Ctrl-C stops it: what was kept and how to finish. Every file is
 * replaced atomically and the journal of a dead migration is taken over, so stopping at any
 * instant is safe; the rerun skips files already in the target format after reading their first
 * bytes, so committed work is not redone.
 */
import type {Progress} from '../engine/types.js'

export function interruptedMessage(library: string, to: string, last: Progress | undefined): string {
  const where = last
    ? last.phase === 'migrate'
      ? `${last.done} of ${last.total} library files were done (migrated or already ${to}) and are kept`
      : `stopped in the ${last.phase} step (${last.done} of ${last.total} ${last.unit ?? 'files'})`
    : 'stopped before any file was migrated'
  return [
    `migrate interrupted: ${where}; every file is either complete in ${to} or untouched, and the library stays restorable.`,
    `To finish, run the same command again: files already in ${to} are skipped, not redone:`,
    `  holobench migrate --library ${library} --to ${to}`,
  ].join('\n')
}
