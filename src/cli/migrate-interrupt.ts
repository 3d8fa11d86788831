/**
 * What `migrate` says when Ctrl-C stops it: what was kept and how to finish. On the first Ctrl-C
 * the files in progress are finished and committed (engine/migrate: the `signal` option), so the
 * counts are of files really in the target format; every file is replaced atomically and the
 * journal of a stopped migration is taken over, so stopping at any instant, a second Ctrl-C
 * included, is safe. The rerun skips files already in the target format after reading their
 * first bytes, so committed work is not redone.
 */
import type {MigrateInterrupted} from '../engine/migrate/index.js'

/** Printed on the first Ctrl-C (or SIGTERM), while the files in progress finish. */
export const STOPPING_MESSAGE = 'migrate: stopping; the files in progress are being finished and committed (a second Ctrl-C or signal stops at once, which is safe too)'

/** "in zstd", "stored raw (none)": where a file is once migrated to `to`. */
function inFormat(to: string): string {
  return to === 'none' ? 'stored raw (none)' : `in ${to}`
}

export function interruptedMessage(library: string, to: string, interrupted: MigrateInterrupted): string {
  const {files, catalogs} = interrupted
  const where =
    interrupted.phase === 'files'
      ? `${files.done} of ${files.total} library files are ${inFormat(to)} (migrated or already) and are kept`
      : `every library file is ${inFormat(to)}; ${catalogs.done} of ${catalogs.total} catalogs were rewritten`
  return [
    `migrate interrupted: ${where}; every file is either complete ${inFormat(to)} or untouched, and the library stays restorable.`,
    `To finish, run the same command again: files already ${inFormat(to)} are skipped, not redone:`,
    `  holobench migrate --library ${library} --to ${to}`,
  ].join('\n')
}

/** Printed on a second signal, just before the process ends at once (as a kill would end it). */
export function stoppedAtOnceMessage(library: string, to: string): string {
  return [
    'migrate stopped at once: every file is either complete or untouched, and the library stays restorable; files converted but not yet committed are left as temp files.',
    'To finish, run the same command again (it removes them too):',
    `  holobench migrate --library ${library} --to ${to}`,
  ].join('\n')
}
