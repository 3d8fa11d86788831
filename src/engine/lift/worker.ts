import {parentPort} from 'node:worker_threads'

import {runLiftBatch} from './batch.js'
import type {LiftBatchRequest} from './batch.js'

/** A lift worker: lifts the batches of files it is sent and answers with what it found. */
parentPort?.on('message', async (request: LiftBatchRequest) => {
  parentPort?.postMessage(await runLiftBatch(request))
})
