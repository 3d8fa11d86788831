import {renameSync, rmSync, statSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

/**
 * oclif.manifest.json describes every command (flags, args, help), so oclif finds the one it
 * runs without importing all command modules first: most of a cold start otherwise. `npm run
 * build` writes it, as `oclif manifest` does; bin/run.js rewrites it when a command module was
 * built after it (a plain `tsc` build), so it never describes stale commands.
 */
export const MANIFEST = 'oclif.manifest.json'

/** True when the manifest is missing or older than a built command module under `root`. */
export function manifestIsStale(root: string): boolean {
  let written: number
  try {
    written = statSync(join(root, MANIFEST)).mtimeMs
  } catch {
    return true
  }

  const commands = join(root, 'dist', 'commands')
  return readdirSync(commands).some((name) => name.endsWith('.js') && statSync(join(commands, name)).mtimeMs > written)
}

/** Generate the manifest from the built commands and replace it atomically (readers run meanwhile). */
export async function writeManifest(root: string): Promise<void> {
  // Imported here: the staleness check runs on every start and must not load oclif.
  const {Plugin} = await import('@oclif/core')
  const plugin = new Plugin({root, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true})
  await plugin.load()
  const temp = join(root, `.${MANIFEST}.tmp-${process.pid}`)
  try {
    writeFileSync(temp, `${JSON.stringify(plugin.manifest, null, 2)}\n`)
    renameSync(temp, join(root, MANIFEST))
  } finally {
    rmSync(temp, {force: true})
  }
}
