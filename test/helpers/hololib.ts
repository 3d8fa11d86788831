import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, promises as fsp, readdirSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import {loadCatalog} from '../../src/engine/catalog.js'
import {catalogFiles} from '../../src/engine/catalog.js'
import {sourceText} from './tree.js'

/** The repository root (bin/run.js, dist/). */
export const REPO = fileURLToPath(new URL('../../', import.meta.url))

/** Every file under `root` (hidden ones too) with the SHA-256 of its bytes: a library's exact state. */
export async function snapshotFiles(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const entries = await fsp.readdir(root, {recursive: true, withFileTypes: true})
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath ?? (entry as unknown as {path: string}).path, entry.name)
    out[relative(root, path)] = createHash('sha256').update(await fsp.readFile(path)).digest('hex')
  }

  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** The library path of a digest. */
export function libraryPath(root: string, digest: string): string {
  return join(root, 'library', digest.slice(0, 2), digest.slice(2, 4), digest.slice(4, 6), digest)
}

/** Regular-file digests a catalog needs, with their catalog paths. */
export async function neededFiles(catalogPath: string): Promise<Array<{rel: string; digest: string}>> {
  const catalog = await loadCatalog(catalogPath)
  return [...catalogFiles(catalog.tree)].filter(({file}) => !file.symlink).map(({rel, file}) => ({rel, digest: file.digest}))
}

/** Names under `dir` that look like temp files of interrupted writes. */
export function tempFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, {recursive: true, encoding: 'utf8'}).filter((name) => /\.tmp-\d+-[0-9a-f]{8}$|\.part#\d+$/.test(name))
}

/**
 * A tree of `count` files for crash tests: mostly small source-like files (some sharing
 * content), a few of tens of KiB, in nested directories.
 */
export async function makeManyFilesTree(root: string, count: number): Promise<string> {
  for (let i = 0; i < count; i++) {
    const dir = join(root, `pkg${i % 7}`, `sub${i % 5}`)
    await fsp.mkdir(dir, {recursive: true})
    const lines = i % 50 === 0 ? 2000 : 20 + (i % 40) * 5
    await fsp.writeFile(join(dir, `mod${i}.py`), sourceText((i % 97) + 1, lines))
  }

  return root
}

/** Build dist/ when it is missing or older than the sources these tests spawn. */
export function ensureBuilt(): void {
  const dist = join(REPO, 'dist/commands/migrate.js')
  // Any source newer than the build: a test of the built CLI or engine must not run stale code.
  const newest = readdirSync(join(REPO, 'src'), {recursive: true, encoding: 'utf8'}).map((name) => statSync(join(REPO, 'src', name)).mtimeMs)
  if (existsSync(dist) && statSync(dist).mtimeMs >= Math.max(...newest)) return
  spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {cwd: REPO, stdio: 'ignore', timeout: 300_000})
}

/** Run the built CLI; returns exit status and output. */
export function runCli(args: string[], timeout = 60_000): {status: number | null; stdout: string; stderr: string} {
  const result = spawnSync(process.execPath, [join(REPO, 'bin/run.js'), ...args], {cwd: REPO, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}, timeout})
  return {status: result.status, stdout: result.stdout, stderr: result.stderr}
}
