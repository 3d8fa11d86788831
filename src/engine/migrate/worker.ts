import {parentPort} from 'node:worker_threads'

import {serveRequests} from '../worker-port.js'
import {failedOutcome, transcodeFile} from './transcode.js'
import type {FileOutcome, FileSettings, FileTask} from './file-task.js'

/** A file worker: verifies or converts the batches it is sent, answering with one outcome per file done. */
export interface FileBatchRequest {
  id: number
  settings: FileSettings
  tasks: FileTask[]
}

export interface FileBatchReply {
  id: number
  outcomes: FileOutcome[]
}

// Files in flight inside one worker: while one awaits a codec on libuv's pool (the zstd binding
// is async-only) or an fsync, the next one's reads and writes proceed.
const IN_FLIGHT = 4

serveRequests(async (request: FileBatchRequest) => {
  const outcomes: FileOutcome[] = []
  let next = 0
  let failed = false
  const lane = async () => {
    // After a failure (ENOSPC, EIO…) no new file is started: the run is stopping.
    while (next < request.tasks.length && !failed) {
      const task = request.tasks[next++]
      try {
        outcomes.push(await transcodeFile(task, request.settings))
      } catch (error) {
        failed = true
        outcomes.push(failedOutcome(task, error))
      }
    }
  }

  await Promise.all(Array.from({length: IN_FLIGHT}, lane))
  const reply: FileBatchReply = {id: request.id, outcomes}
  parentPort?.postMessage(reply)
})
