import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

const execFileAsync = promisify(execFile)

/**
 * syncfs(2) on the filesystem holding `path`: every dirty page and directory entry of that
 * filesystem reaches the disk (coreutils `sync -f`; Node.js has no binding). One call instead of
 * an fsync per file. Errors: the child's (ENOENT when `sync` is missing, a non-zero exit).
 */
export async function syncfs(path: string): Promise<void> {
  await execFileAsync('sync', ['-f', path], {timeout: 600_000})
}
