import {parentPort} from 'node:worker_threads'

import {serveRequests} from '../worker-port.js'
import {runBatch} from './batch.js'
import type {BatchRequest} from './batch.js'

export type {BatchReply, BatchRequest} from './batch.js'

/**
 * A restore worker: restores the batches of files it is sent and answers with their stats, one
 * batch at a time in the order sent (the pool sends the next batch ahead, restore/pool.ts).
 */
let queue: Promise<void> = Promise.resolve()
serveRequests((request: BatchRequest) => {
  queue = queue.then(async () => {
    parentPort?.postMessage(await runBatch(request))
  })
})
