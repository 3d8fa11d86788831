import {createHash} from 'node:crypto'

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
