import {type ChildProcessWithoutNullStreams, spawn, spawnSync} from 'node:child_process'
import {once} from 'node:events'

import type {Emit, StreamDecoder} from './stream-decoder.js'

/**
 * Native streaming zstd through the system's `zstd` command (the reference decoder), for
 * frames too big to decode whole on a Node.js whose node:zlib has no zstd (Node 20). Not a
 * dependency: used only where `zstd` is on PATH (Debian's `zstd` package), else fzstd is the
 * last resort. One process per huge frame; it costs a few milliseconds to start, nothing next
 * to a frame of more than NATIVE_FRAME_MAX_BYTES.
 */

/** The zstd CLI's default decompression memory limit (ZSTD_MAXWINDOWSIZE_DEFAULT, 128 MiB). */
const CLI_DEFAULT_WINDOW = 128 * 1024 * 1024
const STDERR_KEEP = 4096

let available: boolean | undefined

/** Whether a working `zstd` is on PATH (probed once per process). */
export function zstdCliAvailable(): boolean {
  if (available === undefined) {
    const probe = spawnSync('zstd', ['--version'], {stdio: 'ignore', timeout: 5000})
    available = probe.status === 0
  }
  return available
}

/**
 * Feeds the bytes of zstd frames to `zstd -dcq` and emits what it writes, paced by `emit`
 * (stdout is paused while the reader is behind, so the child blocks on its pipe). Frames with
 * a window above 128 MiB get a matching --memory limit: any decoder must keep the window.
 */
export class ZstdCliFrameDecoder implements StreamDecoder {
  private readonly child: ChildProcessWithoutNullStreams
  private error: Error | undefined
  private stderr = ''
  private emitting: Promise<void> = Promise.resolve()
  private readonly closed: Promise<[number | null, NodeJS.Signals | null]>

  constructor(emit: Emit, windowSize: number) {
    const args = ['-d', '-c', '-q']
    if (windowSize > CLI_DEFAULT_WINDOW) args.push(`--memory=${Math.ceil(windowSize / 1024 / 1024)}MB`)
    this.child = spawn('zstd', args, {stdio: ['pipe', 'pipe', 'pipe']})
    this.closed = once(this.child, 'close') as Promise<[number | null, NodeJS.Signals | null]>
    this.closed.then(
      ([code, signal]) => {
        if (code !== 0) this.fail(new Error(`zstd -d exited with ${signal ?? code}: ${this.stderr.trim().split('\n').pop() ?? ''}`))
      },
      () => {},
    )
    this.child.on('error', (error) => this.fail(error))
    // A write to a child that exited fails with EPIPE; its exit status says why (above).
    this.child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') this.fail(error)
    })
    this.child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < STDERR_KEEP) this.stderr += chunk.toString('utf8')
    })
    const stdout = this.child.stdout
    stdout.on('data', (chunk: Buffer) => {
      stdout.pause()
      this.emitting = this.emitting.then(() => emit(chunk)).then(
        () => void stdout.resume(),
        (error: unknown) => this.fail(error),
      )
    })
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.check()
    if (!this.child.stdin.write(chunk)) await Promise.race([once(this.child.stdin, 'drain'), this.closed])
    this.check()
  }

  async end(): Promise<void> {
    this.check()
    this.child.stdin.end()
    await this.closed
    await this.emitting
    this.check()
  }

  /** Stops the child when the stream is abandoned. */
  destroy(): void {
    this.stop()
  }

  private fail(error: unknown): void {
    this.error ??= error instanceof Error ? error : new Error(String(error))
    this.stop()
  }

  /** Kills the child and closes its pipes (a paused stdout would otherwise hold 'close' back). */
  private stop(): void {
    this.child.kill()
    this.child.stdin.destroy()
    this.child.stdout.destroy()
    this.child.stderr.destroy()
  }

  private check(): void {
    if (this.error) throw this.error
  }
}
