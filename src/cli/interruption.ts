import {stopAllWorkers} from '../engine/worker-pool.js'

// Past worker-pool.ts's grace for a thread to end itself, after which it is terminated.
const STOP_BOUND_MS = 8000

/** What a command that handles Ctrl-C gets back from `handleInterrupt`. */
export interface Interruption {
  /**
   * The command's work, as it would resolve or reject, unless the command was interrupted
   * meanwhile: then it never settles, so that a failure the stop itself caused (a worker thread
   * that ended mid-batch) is not reported and the exit is the signal's (130).
   */
  guard<T>(work: Promise<T>): Promise<T>
  /** Remove the signal handlers (the command has finished). */
  dispose(): void
}

/**
 * Ctrl-C and SIGTERM for a command whose engine runs on worker threads: every worker thread is
 * stopped first and waited for (worker-pool.ts stopAllWorkers; exiting under a running thread can
 * abort the process, worker-port.ts), then `beforeExit` runs (say what was kept, remove scratch)
 * and the process exits with 130. A second signal takes Node's default: at once.
 */
export function handleInterrupt(beforeExit: () => void): Interruption {
  let interrupted = false
  const onSignal = () => {
    interrupted = true
    let exiting = false
    const exit = () => {
      if (exiting) return
      exiting = true
      try {
        beforeExit()
      } catch (error) {
        // Said, and the exit is still the signal's.
        process.stderr.write(`${(error as Error).message}\n`)
      }

      process.exit(130)
    }

    // Bounded: a thread that neither ends itself nor yields to terminate() does not keep Ctrl-C waiting.
    setTimeout(exit, STOP_BOUND_MS).unref()
    stopAllWorkers().then(exit, exit)
  }

  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const never = new Promise<never>(() => {})
  return {
    guard: (work) =>
      work.then(
        (value) => (interrupted ? never : value),
        (error: unknown) => (interrupted ? never : Promise.reject(error)),
      ),
    dispose() {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}

/**
 * An interrupted command's last word, written at once (signal handlers; the process ends right
 * after): under --json one small error object on stdout, `{error: {code: 'EINTERRUPTED',
 * message, exit: 130}}`, as for any error; else the message on stderr.
 */
export function sayInterrupted(message: string, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify({error: {code: 'EINTERRUPTED', message, exit: 130}})}\n`)
  else process.stderr.write(`${message}\n`)
}
