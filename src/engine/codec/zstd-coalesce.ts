import {napiDecompress} from './zstd-napi.js'

/**
 * Small zstd frames decoded together: the frames that a thread asks for at about the same time
 * are concatenated and handed to the napi binding in one call, and its output is split back by
 * each frame's declared content size.
 *
 * Why: each call to @mongodb-js/zstd 1.2.2 is a hop to libuv's pool and back, with a fresh
 * decoder context and a growing output vector. Over the 2,370 small files of the zstd fork's
 * stdlib hololib that cost 150 ms of CPU decoded one by one, against 71-88 ms in groups of
 * ~256 KiB stored (Node 20, 2 cores); the threads that wait also wake 50x less often.
 *
 * Only frames whose header declares their content size take part: a zstd stream of several
 * frames decodes to their outputs in order (RFC 8878 §3.1), and libzstd fails a frame that
 * decodes to any other size than it declares, so the split is exact. A group whose decode fails
 * or whose output has any other length than the declared sizes add up to is decoded again frame
 * by frame, so each error names its own entry.
 */

/** Frames at most this big (stored) are coalesced; bigger ones gain nothing from it. */
export const COALESCE_MAX_STORED_BYTES = 64 * 1024

/** A group is sent once it holds this many stored bytes or frames; else once the event loop turns. */
const GROUP_STORED_BYTES = 128 * 1024
const GROUP_FRAMES = 32

interface Pending {
  stored: Buffer
  size: number
  resolve: (out: Buffer) => void
  reject: (error: unknown) => void
}

let pending: Pending[] = []
let pendingBytes = 0
let scheduled = false

/**
 * Decode one zstd frame of `stored` (exactly one frame, at most COALESCE_MAX_STORED_BYTES, no
 * dictionary: the caller has walked its header) that declares `size` content bytes. Resolves to
 * its `size` bytes (possibly a view into a group's output); rejects as napiDecompress would on
 * that frame alone.
 */
export function decodeCoalesced(stored: Buffer, size: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pending.push({stored, size, resolve, reject})
    pendingBytes += stored.length
    if (pendingBytes >= GROUP_STORED_BYTES || pending.length >= GROUP_FRAMES) flush()
    else if (!scheduled) {
      // After the microtasks: the other files in flight ask for their frames first.
      scheduled = true
      setImmediate(flush)
    }
  })
}

function flush(): void {
  scheduled = false
  if (pending.length === 0) return
  const group = pending
  pending = []
  pendingBytes = 0
  if (group.length === 1) {
    const [one] = group
    napiDecompress(one.stored).then(one.resolve, one.reject)
    return
  }

  const expected = group.reduce((sum, p) => sum + p.size, 0)
  napiDecompress(Buffer.concat(group.map((p) => p.stored))).then(
    (out) => {
      if (out.length !== expected) return oneByOne(group)
      let at = 0
      for (const p of group) {
        p.resolve(out.subarray(at, at + p.size))
        at += p.size
      }
    },
    () => oneByOne(group),
  )
}

function oneByOne(group: Pending[]): void {
  for (const p of group) napiDecompress(p.stored).then(p.resolve, p.reject)
}
