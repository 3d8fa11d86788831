/**
 * A copy-on-write (reflink) directory for tests that need real clones.
 *
 *   const cow = await acquireCowDir()
 *   if ('skip' in cow) return ctx.skip(cow.skip)
 *   try { ...use cow.dir... } finally { await cow.release() }
 *
 * Where it comes from, first that works:
 *  1. `HOLOBENCH_COW_DIR`: an existing directory on a reflink-capable filesystem (CI mounts one
 *     with scripts/cow-scratch.sh). Each acquire gets a fresh subdirectory of it; release()
 *     deletes that subdirectory only.
 *  2. As root on Linux with loop devices and mkfs.xfs or mkfs.btrfs installed: a private loop
 *     mount made by scripts/cow-scratch.sh under a new directory in os.tmpdir(). release()
 *     unmounts it, frees its loop device and deletes the image and the directory. The script
 *     serialises concurrent mounts with a lock, so parallel workers can each acquire one; it is
 *     told never to run apt-get here (installing is .ci/run's job).
 *  3. Otherwise `{skip: reason}`. With `HOLOBENCH_REQUIRE_COW=1` (set by .ci/run where a CoW
 *     mount is possible) acquiring throws instead, so CI cannot go green by skipping.
 *
 * Leaks: a failed acquire undoes what it did before returning; mounts not released when the
 * process exits are torn down synchronously by an exit hook; and mounts left behind by a
 * process that died (named holobench-cow-<pid>-*) are swept on the next loop acquire.
 */
import {execFile, spawnSync} from 'node:child_process'
import {constants, existsSync} from 'node:fs'
import fsp from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

import {afterAll, beforeAll} from 'vitest'

import {filesystemType} from '../../src/engine/fs/fstype.js'

const execFileP = promisify(execFile)

export interface CowDir {
  /** An empty directory where COPYFILE_FICLONE_FORCE works. */
  dir: string
  /** Filesystem type of `dir`, e.g. 'xfs' or 'btrfs'. */
  fsType: string
  /** The loop image behind `dir` when the helper mounted one (absent for HOLOBENCH_COW_DIR). */
  image?: string
  /** Delete `dir` (and unmount what the helper mounted). Safe to call more than once. */
  release(): Promise<void>
}

export interface CowSkip {
  skip: string
}

export interface AcquireOptions {
  /** Ignore HOLOBENCH_COW_DIR and make a private loop mount (tests of this helper). */
  ignoreEnv?: boolean
  /** Sparse image size for a private mount (XFS needs at least 300M). */
  size?: string
}

export const COW_SCRATCH_SCRIPT = fileURLToPath(new URL('../../scripts/cow-scratch.sh', import.meta.url))

const STALE_PREFIX = 'holobench-cow-'
const SCRIPT_TIMEOUT_MS = 120_000

/** Filesystems on which a clone may succeed (so "clones fail here" cannot be assumed). */
export const CLONE_CAPABLE_FS = new Set(['xfs', 'btrfs', 'bcachefs', 'ocfs2', 'zfs', 'nfs', 'cifs', 'fuse'])

/** The filesystem type under `p`, named as the engine names it (xfs, btrfs, ext4, tmpfs, …). */
export const fsTypeOf = filesystemType

/** Try one COPYFILE_FICLONE_FORCE in `dir`; resolves to null on success, else the error. */
export async function probeClone(dir: string): Promise<NodeJS.ErrnoException | null> {
  const src = path.join(dir, `.clone-probe-${process.pid}-${Math.random().toString(36).slice(2)}`)
  try {
    await fsp.writeFile(src, 'holobench clone probe\n')
    await fsp.copyFile(src, `${src}.clone`, constants.COPYFILE_FICLONE_FORCE)
    return null
  } catch (error) {
    return error as NodeJS.ErrnoException
  } finally {
    await fsp.rm(src, {force: true})
    await fsp.rm(`${src}.clone`, {force: true})
  }
}

export async function acquireCowDir(options: AcquireOptions = {}): Promise<CowDir | CowSkip> {
  const reasons: string[] = []
  if (!options.ignoreEnv) {
    const fromEnv = await fromEnvDir(reasons)
    if (fromEnv) return fromEnv
  }
  const mounted = await fromLoopMount(reasons, options.size ?? '1G')
  if (mounted) return mounted
  const skip = `no copy-on-write filesystem: ${reasons.join('; ')}`
  if (process.env.HOLOBENCH_REQUIRE_COW === '1') throw new Error(`${skip} (HOLOBENCH_REQUIRE_COW=1)`)
  return {skip}
}

async function fromEnvDir(reasons: string[]): Promise<CowDir | undefined> {
  const base = process.env.HOLOBENCH_COW_DIR
  if (!base) return undefined
  if (!existsSync(base)) {
    reasons.push(`HOLOBENCH_COW_DIR=${base} does not exist`)
    return undefined
  }
  const dir = await fsp.mkdtemp(path.join(base, `holobench-${process.pid}-`))
  const failed = await probeClone(dir)
  if (failed) {
    await fsp.rm(dir, {recursive: true, force: true})
    reasons.push(`clones fail in HOLOBENCH_COW_DIR=${base} (${failed.code ?? failed.message})`)
    return undefined
  }
  const fsType = await fsTypeOf(dir)
  let released: Promise<void> | undefined
  return {
    dir,
    fsType,
    release: () => (released ??= fsp.rm(dir, {recursive: true, force: true})),
  }
}

/** Why a private loop mount cannot be tried here, or null when it can. */
function loopMountBlocker(): string | null {
  if (process.platform !== 'linux') return `loop mounts need Linux (this is ${process.platform})`
  if (process.getuid?.() !== 0) return `not root (uid ${process.getuid?.()}) and HOLOBENCH_COW_DIR unset or unusable`
  if (!existsSync('/dev/loop-control') && !existsSync('/dev/loop0')) return 'no loop devices (/dev/loop-control missing)'
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin']
  const has = (tool: string) => dirs.some((d) => d && existsSync(path.join(d, tool)))
  if (!has('mkfs.xfs') && !has('mkfs.btrfs')) return 'neither mkfs.xfs (xfsprogs) nor mkfs.btrfs (btrfs-progs) is installed'
  return null
}

/** Mounts this process made and has not released yet: torn down on exit if a test forgot. */
const live = new Set<string>()
let exitHookInstalled = false
let swept: Promise<void> | undefined

function scriptEnv(): NodeJS.ProcessEnv {
  return {...process.env, COW_SCRATCH_NO_INSTALL: '1'}
}

async function runScript(...args: string[]): Promise<string> {
  const {stdout} = await execFileP('bash', [COW_SCRATCH_SCRIPT, ...args], {
    env: scriptEnv(),
    timeout: SCRIPT_TIMEOUT_MS,
  })
  return stdout.trim()
}

function downSync(mnt: string): void {
  const down = spawnSync('bash', [COW_SCRATCH_SCRIPT, 'down', mnt], {env: scriptEnv(), stdio: 'ignore', timeout: SCRIPT_TIMEOUT_MS})
  if (down.status === 0) spawnSync('rm', ['-rf', '--', path.dirname(mnt)], {stdio: 'ignore'})
}

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const mnt of live) downSync(mnt)
  })
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Tear down mounts left by test processes that died before releasing them. */
async function sweepStale(): Promise<void> {
  const tmp = os.tmpdir()
  for (const name of await fsp.readdir(tmp)) {
    const pid = name.startsWith(STALE_PREFIX) ? Number.parseInt(name.slice(STALE_PREFIX.length), 10) : 0
    if (!pid || pid === process.pid || pidAlive(pid)) continue
    const mnt = path.join(tmp, name, 'mnt')
    try {
      await runScript('down', mnt)
      await fsp.rm(path.join(tmp, name), {recursive: true, force: true})
    } catch {
      // Not ours to fix here (maybe still busy); the next sweep tries again.
    }
  }
}

async function fromLoopMount(reasons: string[], size: string): Promise<CowDir | undefined> {
  const blocker = loopMountBlocker()
  if (blocker) {
    reasons.push(blocker)
    return undefined
  }
  await (swept ??= sweepStale())
  installExitHook()
  const base = await fsp.mkdtemp(path.join(os.tmpdir(), `${STALE_PREFIX}${process.pid}-`))
  const mnt = path.join(base, 'mnt')
  live.add(mnt)
  // If `down` fails the mount may still be there: keep base (never rm -rf into a live mount)
  // and keep it in `live` so the exit hook tries again.
  const undo = async () => {
    await runScript('down', mnt)
    await fsp.rm(base, {recursive: true, force: true})
    live.delete(mnt)
  }
  let fsType: string
  try {
    fsType = await runScript('up', mnt, size)
    const failed = await probeClone(mnt)
    if (failed) throw new Error(`clones fail on the ${fsType} mount (${failed.code ?? failed.message})`)
  } catch (error) {
    await undo().catch(() => {})
    const err = error as Error & {stderr?: string}
    const detail = err.stderr?.trim().split('\n').at(-1) ?? err.message
    reasons.push(`loop mount failed: ${detail}`)
    return undefined
  }
  let released: Promise<void> | undefined
  return {
    dir: mnt,
    fsType,
    image: path.join(base, '.mnt.cow.img'),
    release: () => (released ??= undo()),
  }
}

/**
 * Registers hooks that acquire a copy-on-write directory for the file's tests and release it
 * afterwards. Inside a test: `if (!cow.path) return context.skip(cow.skip)`.
 */
export function useCowDir(): {readonly path: string | undefined; readonly fsType: string | undefined; readonly skip: string | undefined} {
  let acquired: CowDir | CowSkip | undefined
  beforeAll(async () => {
    acquired = await acquireCowDir()
  })
  afterAll(() => (acquired && 'release' in acquired ? acquired.release() : undefined))
  const cow = () => (acquired && 'dir' in acquired ? acquired : undefined)
  return {
    get path() {
      return cow()?.dir
    },
    get fsType() {
      return cow()?.fsType
    },
    get skip() {
      return acquired && 'skip' in acquired ? acquired.skip : undefined
    },
  }
}
