import {execFileSync} from 'node:child_process'

/** Mount a tmpfs of `size` (e.g. '2m') at `dir`; false where this process may not mount (not root, not Linux). */
export function mountTmpfs(dir: string, size: string): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}
