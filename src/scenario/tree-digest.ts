import {createHash} from 'node:crypto'
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

/**
 * A digest of a whole tree: every directory, file (path, mode, content) and symlink (path,
 * target), in path order. Two trees with the same digest are byte-for-byte the same tree, so it
 * is what "the same scenario and seed give the same bytes on any machine" is checked against.
 */
export class TreeDigest {
  private readonly entries: string[] = []

  dir(path: string): void {
    this.entries.push(`${path}\0D\n`)
  }

  file(path: string, mode: number, content: Uint8Array): void {
    this.entries.push(`${path}\0F ${(mode & 0o777).toString(8)} ${content.length} ${createHash('sha256').update(content).digest('hex')}\n`)
  }

  symlink(path: string, target: string): void {
    this.entries.push(`${path}\0L ${target}\n`)
  }

  digest(): string {
    const hash = createHash('sha256')
    for (const entry of this.entries.sort()) hash.update(entry)
    return hash.digest('hex')
  }
}

/**
 * The TreeDigest of a directory on disk: compare it with a GeneratedTree's `treeDigest` to check
 * that a tree (perhaps generated on another machine) holds exactly the expected bytes.
 */
export async function digestDirectory(root: string): Promise<string> {
  const digest = new TreeDigest()
  const walk = async (rel: string): Promise<void> => {
    const entries = await fsp.readdir(rel ? join(root, rel) : root, {withFileTypes: true})
    for (const entry of entries) {
      const path = rel ? `${rel}/${entry.name}` : entry.name
      const full = join(root, path)
      if (entry.isSymbolicLink()) digest.symlink(path, await fsp.readlink(full))
      else if (entry.isDirectory()) {
        digest.dir(path)
        await walk(path)
      } else if (entry.isFile()) digest.file(path, (await fsp.stat(full)).mode, await fsp.readFile(full))
    }
  }
  await walk('')
  return digest.digest()
}
