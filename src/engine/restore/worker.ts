import {parentPort} from 'node:worker_threads'

import {runBatch} from './batch.js'
import type {BatchRequest} from './batch.js'

export type {BatchReply, BatchRequest} from './batch.js'

/** A restore worker: restores the batches of files it is sent and answers with their stats. */
parentPort?.on('message', async (request: BatchRequest) => {
  parentPort?.postMessage(await runBatch(request))
})
