import {parentPort} from 'node:worker_threads'

import {serveRequests} from '../worker-port.js'
import {runLiftBatch} from './batch.js'
import type {LiftBatchRequest} from './batch.js'

/** A lift worker: lifts the batches of files it is sent and answers with what it found. */
serveRequests(async (request: LiftBatchRequest) => {
  parentPort?.postMessage(await runLiftBatch(request))
})
