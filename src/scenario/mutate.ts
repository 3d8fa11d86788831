import {promises as fsp} from 'node:fs'
import {dirname, join} from 'node:path'

import {HoloError} from '../engine/errors.js'
import {Rng} from './prng.js'

/**
 * What happens to one file of a restored space between two restores: `rewrite` new bytes of the
 * same size and mode (only the content and mtime tell), `resize` new bytes of another size,
 * `delete` the file is gone. Each chosen file also gets, one in three, a stray file beside it
 * that the catalog does not name (`extra`, as Python's bytecode cache or an editor backup):
 * the restore must remove it.
 */
export type MutationKind = 'rewrite' | 'resize' | 'delete'

export interface Mutation {
  /** The chosen file, relative to the space, POSIX separators. */
  path: string
  kind: MutationKind
  /** A file to add that the catalog does not name (relative path), or undefined. */
  extra?: string
}

export interface MutationPlan {
  /** Share of the space's regular files changed or deleted, in percent (0–100). */
  percent: number
  seed: number
  /** Regular files the space holds: the base of the percentage. */
  files: number
  mutations: Mutation[]
}

const KINDS: readonly MutationKind[] = ['rewrite', 'resize', 'delete']

/** Directory the stray files go to, beside the chosen file: a name no scenario or CPython uses. */
export const EXTRA_DIR = '__holobench_stray__'

/**
 * Choose exactly round(percent × files / 100) of `files` (the space's regular files, relative
 * paths), by seed: the same files, seed and percent always give the same plan, whatever order
 * the list comes in. Kinds go round rewrite, resize, delete in the chosen order; every third
 * chosen file gets a stray file in a new directory beside it. Errors: a percent outside 0–100
 * (EUSAGE).
 */
export function planMutation(files: readonly string[], percent: number, seed: number): MutationPlan {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) throw new HoloError('EUSAGE', `A mutation changes 0 to 100 percent of the files, not ${percent}`)
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  const taken = new Set(sorted)
  const count = Math.round((percent * sorted.length) / 100)
  const chosen = new Rng(`holobench:mutate:${seed}:${percent}`).shuffle(sorted).slice(0, count)
  const mutations = chosen.map((path, i): Mutation => {
    const mutation: Mutation = {path, kind: KINDS[i % KINDS.length]}
    if (i % 3 === 0) {
      const slash = path.lastIndexOf('/')
      const extra = `${slash < 0 ? '' : path.slice(0, slash + 1)}${EXTRA_DIR}/${path.slice(slash + 1)}.pyc`
      if (!taken.has(extra)) mutation.extra = extra
    }

    return mutation
  })
  return {percent, seed, files: sorted.length, mutations}
}

export interface MutationSummary {
  rewritten: number
  resized: number
  deleted: number
  extras: number
}

/**
 * Apply a plan to the space at `root`. Changed files are replaced (a new file renamed over the
 * old), never written in place: a hard-linked space shares its inodes with the library, and an
 * in-place write would change the library too. Bytes depend only on the plan, the file's path
 * and its current bytes, so the same space and plan give the same result. Every name stays
 * inside `root` (names come from the space's own listing).
 */
export async function applyMutation(root: string, plan: MutationPlan): Promise<MutationSummary> {
  const summary: MutationSummary = {rewritten: 0, resized: 0, deleted: 0, extras: 0}
  for (const mutation of plan.mutations) {
    const path = join(root, mutation.path)
    const rng = new Rng(`holobench:mutate:${plan.seed}:${plan.percent}:${mutation.path}`)
    if (mutation.kind === 'delete') {
      await fsp.rm(path)
      summary.deleted++
    } else {
      const old = await fsp.readFile(path)
      const mode = (await fsp.lstat(path)).mode & 0o7777
      let bytes: Buffer
      if (mutation.kind === 'rewrite' && old.length > 0) {
        // Every byte differs from the old one (xor with a non-zero byte): same size, new content.
        bytes = Buffer.allocUnsafe(old.length)
        rng.fill(bytes)
        for (let i = 0; i < bytes.length; i++) bytes[i] = old[i] ^ (bytes[i] | 1)
        summary.rewritten++
      } else {
        // An empty file cannot change at the same size: it grows, as a resized one does.
        const tail = Buffer.allocUnsafe(1 + rng.int(64))
        rng.fill(tail)
        bytes = Buffer.concat([old, tail])
        summary.resized++
      }

      await replaceFile(path, bytes, mode)
    }

    if (mutation.extra) {
      const extra = join(root, mutation.extra)
      await fsp.mkdir(dirname(extra), {recursive: true})
      const bytes = Buffer.allocUnsafe(16 + rng.int(256))
      rng.fill(bytes)
      await fsp.writeFile(extra, bytes)
      summary.extras++
    }
  }

  return summary
}

async function replaceFile(path: string, bytes: Buffer, mode: number): Promise<void> {
  const part = `${path}.holobench-mutate`
  await fsp.writeFile(part, bytes, {mode, flag: 'wx'})
  await fsp.chmod(part, mode)
  await fsp.rename(part, path)
}

/** The regular files of a tree, relative paths with POSIX separators (links are not followed). */
export async function listRegularFiles(root: string): Promise<string[]> {
  const files: string[] = []
  for (const entry of await fsp.readdir(root, {recursive: true, withFileTypes: true})) {
    if (entry.isFile()) files.push(join(entry.parentPath, entry.name).slice(root.length + 1))
  }

  return files
}
