/** Atomic file writes: a reader (a browser tab, CI upload) never sees a half-written report. */
import {randomBytes} from 'node:crypto'
import {mkdir, rename, rm, writeFile} from 'node:fs/promises'
import {dirname} from 'node:path'

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), {recursive: true})
  // Same directory as the target so rename stays on one filesystem and is atomic.
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await writeFile(temporary, data, 'utf8')
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, {force: true})
    throw error
  }
}
