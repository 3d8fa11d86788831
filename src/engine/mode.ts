import {GO_MODE_DIR, GO_MODE_SYMLINK} from './types.js'

// Go's fs.FileMode keeps setuid/setgid/sticky in high bits, not where POSIX has them.
const GO_MODE_SETUID = 2 ** 23
const GO_MODE_SETGID = 2 ** 22
const GO_MODE_STICKY = 2 ** 20

/** A POSIX st_mode (from lstat) as the number RCC stores: Go's fs.FileMode. */
export function goModeFromPosix(mode: number): number {
  let go = mode & 0o777
  if (mode & 0o4000) go += GO_MODE_SETUID
  if (mode & 0o2000) go += GO_MODE_SETGID
  if (mode & 0o1000) go += GO_MODE_STICKY
  const type = mode & 0o170000
  if (type === 0o040000) go += GO_MODE_DIR
  else if (type === 0o120000) go += GO_MODE_SYMLINK
  return go
}

/** The POSIX permission bits (incl. setuid/setgid/sticky) of a Go fs.FileMode number. */
export function posixPermFromGo(goMode: number): number {
  let perm = goMode & 0o777
  // Go modes can exceed 2^31, so test the high bits with division, not 32-bit bitwise ops.
  const high = Math.floor(goMode / 2 ** 20)
  if (high & (GO_MODE_SETUID / 2 ** 20)) perm |= 0o4000
  if (high & (GO_MODE_SETGID / 2 ** 20)) perm |= 0o2000
  if (high & 1) perm |= 0o1000
  return perm
}
