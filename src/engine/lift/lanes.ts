import {defaultJobs} from '../jobs.js'
import {deserializeError} from '../restore/wire.js'
import type {CatalogFile} from '../types.js'
import {runBatches, workerPool} from '../worker-pool.js'
import {runLiftBatch} from './batch.js'
import type {LiftBatchReply, LiftBatchRequest} from './batch.js'
import type {LibraryWriter, LiftSettings, LiftTask, SkippedEntry} from './library-writer.js'

// Started once per process and kept: a benchmark lifts many times.
const pool = workerPool(import.meta.url)

/**
 * Below this many files a fresh process lifts on this thread alone: a lift worker costs an isolate
 * and its modules, 47 ms of CPU to start (measured, Node 20), about what this thread spends on 300
 * files (read, hash, scan, write; compression runs on libuv's pool), and takes half of the work.
 */
export const WORKERS_MIN_FILES = 1000

/** A file of the tree and the catalog entry that its facts go into. */
export interface LiftItem {
  task: LiftTask
  entry: CatalogFile
}

/** How a lift's files are spread: lanes (this thread and `threads` workers) and files in flight in each. */
export interface LiftLanes {
  threads: number
  inFlight: number
}

/**
 * The lanes for a lift of `files` files with `jobs` files at once: one lane per core (each reads,
 * hashes and writes synchronously, so more threads than cores only take turns), this thread being
 * one, and `jobs` shared out among them. Worker threads start only for WORKERS_MIN_FILES files or
 * more, unless this process already has idle ones.
 */
export function liftLanes(jobs: number, files: number): LiftLanes {
  const lanes = Math.max(1, Math.min(jobs, defaultJobs()))
  const threads = files >= WORKERS_MIN_FILES || pool.idleCount() > 0 ? lanes - 1 : 0
  return {threads, inFlight: Math.ceil(jobs / (threads + 1))}
}

/** Start `count` lift workers ahead of use, so they load while the tree is walked. */
export function warmUpLiftWorkers(count: number): void {
  pool.warmUp(count)
}

export interface LanesResult {
  stored: number
  storedBytes: number
  replaced: SkippedEntry[]
}

export interface LanesOptions {
  lanes: LiftLanes
  /** This thread's writer for this lift (the lane here uses it). */
  writer: LibraryWriter
  /** After each batch: files and bytes (walked sizes) done so far. */
  onBatch?: (files: number, bytes: number) => void
}

/**
 * The items in groups of one (walked) size each, each group a unit of work for one lane: only
 * files of one size can share content. Biggest first: the longest files start early, and the
 * small ones even out the lanes at the end.
 */
export function sizeGroups(items: LiftItem[]): LiftItem[][] {
  const bySize = new Map<number, LiftItem[]>()
  for (const item of items) {
    const group = bySize.get(item.task.size)
    if (group) group.push(item)
    else bySize.set(item.task.size, [item])
  }

  return [...bySize.values()].sort((a, b) => b[0].task.size - a[0].task.size)
}

/**
 * Lift `items` on lanes: this thread and `lanes.threads` worker threads, batches pulled as lanes
 * free up. Each lane dedupes by digest on its own, so all files of one size (the only ones that
 * can share content) go to one lane in one batch: the library gets each content once, and the
 * counts are those of a lift on one lane. (A file that changes size after the walk can escape
 * this; then two lanes may both store its content, each atomically, the same bytes under one name.)
 * Each entry gets its digest, relocations and size. The first failure stops new batches and is
 * thrown once the batches in flight have finished.
 */
export async function liftOnLanes(items: LiftItem[], settings: LiftSettings, options: LanesOptions): Promise<LanesResult> {
  const result: LanesResult = {stored: 0, storedBytes: 0, replaced: []}
  const groups = sizeGroups(items)
  const pending = new Map<number, LiftItem[]>()
  let files = 0
  let bytes = 0
  await runBatches<LiftItem[], LiftBatchReply>(pool, groups, {
    workers: options.lanes.threads + 1,
    tasksPerWorker: 1,
    threads: options.lanes.threads,
    local: (message) => runLiftBatch(message as LiftBatchRequest, options.writer),
    request(batch, id) {
      const batchItems = batch.flat()
      pending.set(id, batchItems)
      return {id, settings, tasks: batchItems.map((item) => item.task), inFlight: options.lanes.inFlight} satisfies LiftBatchRequest
    },
    onReply(reply) {
      const batchItems = pending.get(reply.id) as LiftItem[]
      pending.delete(reply.id)
      result.stored += reply.stored
      result.storedBytes += reply.storedBytes
      result.replaced.push(...reply.replaced)
      for (let k = 0; k < batchItems.length; k++) {
        const facts = reply.facts[k]
        if (!facts) continue
        const {entry} = batchItems[k]
        entry.digest = facts.digest
        entry.rewrite = facts.rewrite
        entry.size = facts.size
        files++
        bytes += batchItems[k].task.size
      }

      options.onBatch?.(files, bytes)
      if (reply.error) throw deserializeError(reply.error)
    },
  })
  return result
}
