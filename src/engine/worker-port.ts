import {parentPort} from 'node:worker_threads'

/**
 * The message that asks a worker thread to end itself (worker-pool.ts `stopWorker`).
 *
 * Why not `Worker.terminate()`: it interrupts the thread's JavaScript wherever it is, and a
 * thread interrupted inside `new zlib.Gunzip()` (between the native handle's creation and its
 * init) aborts the whole process when its environment is torn down (Node's node_zlib.cc:
 * `Assertion failed: init_done_ && "close before init"`). A thread that ends itself from its
 * message handler is never inside a constructor.
 */
export const STOP_MESSAGE = 'holobench:stop-worker'

/**
 * Serve this worker thread's requests: each message from the pool goes to `handle`, except
 * STOP_MESSAGE, which ends the thread (exit code 0). It is delivered between two of the thread's
 * awaits; the thread then stops within a few turns of its event loop (steps already under way,
 * a write or a decode, finish first: measured, tens of ms), not after its batch. stopWorker
 * resolves only once the thread has exited.
 */
export function serveRequests<T>(handle: (request: T) => void): void {
  parentPort?.on('message', (message: T | typeof STOP_MESSAGE) => {
    if (message === STOP_MESSAGE) process.exit(0)
    handle(message as T)
  })
}
