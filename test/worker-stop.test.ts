import {execFile} from 'node:child_process'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {stopAllWorkers, stopWorker, workerPool} from '../src/engine/worker-pool.js'
import {REPO, ensureBuilt} from './helpers/hololib.js'
import {tempDir} from './helpers/tree.js'

describe('stopping worker threads (Ctrl-C in run)', () => {
  // Worker.terminate() interrupted a thread wherever it was; inside `new zlib.Gunzip()` that
  // aborted the whole process at teardown (node_zlib.cc "close before init"), about once in
  // 20–90 stops of a gzip restore on a 2-core machine. Threads now end themselves. The same
  // child caught a second fault: a thread whose run ended while it was being stopped went back to
  // the pool unref'd, so the process could end (exit 13) before the stop's caller went on.
  it('teardown fault: stopping gzip restores mid-batch, 30 times, never aborts the process', async () => {
    ensureBuilt()
    const {dir, cleanup} = await tempDir('holobench-stop-teardown-')
    try {
      const child = await new Promise<{status: number | null; signal: string | null; stdout: string; stderr: string}>((resolve) => {
        const spawned = execFile(process.execPath, [join(REPO, 'test/helpers/stop-mid-restore.mjs'), dir, '30'], {cwd: REPO, maxBuffer: 16 << 20}, (_, stdout, stderr) => resolve({status: spawned.exitCode, signal: spawned.signalCode, stdout, stderr}))
      })
      expect({status: child.status, signal: child.signal, abort: /Assertion failed|FATAL ERROR/.exec(child.stderr)?.[0]}, child.stderr).toEqual({status: 0, signal: null, abort: undefined})
      const {messages} = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {messages: string[]}
      // Every round was really stopped part-way, and each thread ended itself (exit code 0), not by terminate() (1).
      expect(messages).toHaveLength(30)
      for (const message of messages) expect(message).toMatch(/worker thread stopped \(exit code 0\)/)
    } finally {
      await cleanup()
    }
  }, 180_000)

  // An empty batch for each kind of worker: its answer shows the module has loaded and listens.
  const emptyBatches: Array<[string, string, unknown]> = [
    ['restore', '../src/engine/restore/pool.ts', {id: 0, op: 'restore', settings: {verify: true, eligible: 'copy', fresh: true, relocationTo: Buffer.alloc(0), umask: 0o022}, tasks: []}],
    ['lift', '../src/engine/lift/lanes.ts', {id: 0, settings: {liftId: 'stop-test', library: '/nonexistent', codec: 'gzip', algorithm: 'sha256', identity: 'x', fsync: false, existing: 'probe'}, tasks: [], inFlight: 1}],
    ['migrate', '../src/engine/migrate/pool.ts', {id: 0, settings: {}, tasks: []}],
  ]
  it.each(emptyBatches)('the %s worker ends itself on the stop message (exit code 0; terminate() gives 1)', async (_, caller, request) => {
    const worker = workerPool(new URL(caller, import.meta.url).href).take()
    try {
      const answered = new Promise((resolve) => worker.once('message', resolve))
      worker.postMessage(request)
      await answered
      const code = new Promise<number>((resolve) => worker.once('exit', resolve))
      await stopWorker(worker)
      expect(await code).toBe(0)
    } finally {
      await stopAllWorkers()
    }
  }, 60_000)
})
