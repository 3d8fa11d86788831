import {explainSystemError} from '../errors.js'
import {serializeError} from '../restore/wire.js'
import {LibraryWriter} from './library-writer.js'
import type {LiftSettings, LiftTask, LiftedFacts, SkippedEntry} from './library-writer.js'

/** One batch of files to lift, as a worker (or the lane on the lifting thread) is sent it. */
export interface LiftBatchRequest {
  id: number
  settings: LiftSettings
  tasks: LiftTask[]
  /** Files of the batch in flight at once. */
  inFlight: number
}

export interface LiftBatchReply {
  id: number
  /** Each task's facts, in task order; null for a task not lifted (after a failure). */
  facts: Array<LiftedFacts | null>
  /** Library files written by this batch, and their stored bytes. */
  stored: number
  storedBytes: number
  replaced: SkippedEntry[]
  error?: ReturnType<typeof serializeError>
}

/**
 * A worker's writer: workers are kept between lifts (benchmarks lift many times) and serve one
 * lift at a time, so the writer goes with the lift: each lift dedupes on its own.
 */
let current: {liftId: string; writer: LibraryWriter} | undefined
function writerFor(settings: LiftSettings): LibraryWriter {
  if (current?.liftId !== settings.liftId) current = {liftId: settings.liftId, writer: new LibraryWriter(settings)}
  return current.writer
}

/**
 * Lift a batch: each file hashed, scanned for relocations and, unless its content is stored
 * already, compressed and written to the library (lift/library-writer.ts). Up to `inFlight` files
 * at once: while one awaits compression (on libuv's pool), the next one's synchronous read,
 * hash and write go on. The first failure stops the batch and comes back in the reply, with the
 * file named, once the files in flight have finished (none leaves a temp file behind).
 * `writer`: the lifting thread's own (several lifts may run in one process); a worker's by default.
 */
export async function runLiftBatch(request: LiftBatchRequest, writer = writerFor(request.settings)): Promise<LiftBatchReply> {
  const before = {stored: writer.stored, storedBytes: writer.storedBytes, replaced: writer.replaced.length}
  const facts: Array<LiftedFacts | null> = request.tasks.map(() => null)
  let next = 0
  let failure: unknown
  const lane = async () => {
    while (next < request.tasks.length && failure === undefined) {
      const k = next++
      const task = request.tasks[k]
      try {
        facts[k] = await writer.put(task)
      } catch (error) {
        failure ??= explainSystemError(error, `Cannot lift ${task.path}:`, (error as NodeJS.ErrnoException).path ?? task.path)
      }
    }
  }

  await Promise.all(Array.from({length: Math.max(1, request.inFlight)}, lane))
  const reply: LiftBatchReply = {
    id: request.id,
    facts,
    stored: writer.stored - before.stored,
    storedBytes: writer.storedBytes - before.storedBytes,
    replaced: writer.replaced.slice(before.replaced),
  }
  if (failure !== undefined) reply.error = serializeError(failure)
  return reply
}
