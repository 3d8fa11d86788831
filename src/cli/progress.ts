import {createRequire} from 'node:module'

import type cliProgress from 'cli-progress'

import type {Progress} from '../engine/types.js'

/** Something progress can be reported to: a bar on a TTY, one line per phase elsewhere. */
export interface ProgressSink {
  update(progress: Progress): void
  /** How the command ends (default finished): one that fails or is interrupted never says "finished". */
  stop(end?: ProgressEnd): void
}

export type ProgressEnd = 'finished' | 'failed' | 'interrupted'

/**
 * Whole seconds as people read them: 45s, 7m05s, 1h02m. Rounded once, up front, so a value like
 * 479.6 s is 8m00s, never 7m60s. Non-finite or negative input gives '' (no "ETA NFs").
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return ''
  const whole = Math.round(seconds)
  if (whole < 60) return `${whole}s`
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`
  const minutes = Math.round(whole / 60)
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`
}

/**
 * Where one phase stands, kept so the numbers shown never go backwards: `done` is the most seen in
 * this phase, `total` grows when work outruns the estimate (no "92/10 runs"), and the moment the
 * phase reached 100% is kept, for the step that follows it.
 */
export class PhaseState {
  done = 0
  total = 0
  bytes: number | undefined
  readonly startedAt: number
  finishedAt: number | undefined

  constructor(
    readonly phase: string,
    readonly unit: string,
    now: number,
  ) {
    this.startedAt = now
  }

  /** Take a report of this phase; returns false for a report that would move backwards. */
  take(progress: Progress, now: number): boolean {
    const done = Math.max(this.done, progress.done)
    this.total = Math.max(this.total, progress.total, done)
    const moved = done !== this.done || progress.bytes !== this.bytes
    this.done = done
    this.bytes = progress.bytes ?? this.bytes
    if (this.done >= this.total && this.total > 0) this.finishedAt ??= now
    return moved
  }

  /** The line after the bar: counts, rate and ETA while working; elapsed time once at 100%. */
  describe(now: number): string {
    const unit = this.unit
    const mb = this.bytes === undefined ? '' : ` · ${(this.bytes / 1e6).toFixed(1)} MB`
    const elapsed = (now - this.startedAt) / 1000
    if (this.finishedAt !== undefined) {
      // Work can go on after the last item is counted (commit, fsync, extra timed runs): say so.
      return `${this.done} ${unit}${mb} · finishing ${formatDuration((now - this.finishedAt) / 1000)}`
    }
    const rate = elapsed >= 1 ? this.done / elapsed : 0
    const eta = rate > 0 ? formatDuration((this.total - this.done) / rate) : ''
    const speed = rate > 0 ? ` · ${rate.toFixed(rate < 10 ? 1 : 0)}/s` : ''
    return `${this.done}/${this.total} ${unit}${mb}${speed}${eta ? ` · ETA ${eta}` : ''}`
  }
}

/**
 * A stderr progress bar on a TTY: one bar per phase (a new phase starts a new bar rather than
 * moving the old one backwards), redrawn on a timer so the "finishing" clock after 100% ticks.
 */
export class ProgressBar implements ProgressSink {
  private bar?: cliProgress.SingleBar
  private state?: PhaseState

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(progress: Progress): void {
    const now = Date.now()
    const phase = progress.phase || this.label
    if (!this.state || this.state.phase !== phase) {
      this.startPhase(phase, progress, now)
      return
    }
    this.state.take(progress, now)
    this.bar!.setTotal(Math.max(this.state.total, 1))
    this.bar!.update(this.state.done)
  }

  private startPhase(phase: string, progress: Progress, now: number): void {
    this.bar?.stop()
    const state = new PhaseState(phase, progress.unit ?? 'files', now)
    state.take(progress, now)
    this.state = state
    // Loaded for a TTY only: 11 ms of every start otherwise (drop and lift in pipelines and benchmarks).
    const {SingleBar, Presets} = createRequire(import.meta.url)('cli-progress') as typeof cliProgress
    this.bar = new SingleBar(
      {
        stream: this.stream,
        hideCursor: true,
        clearOnComplete: true,
        fps: 4,
        format: (options, params) => `${phase} [${bar(params.progress, options.barsize ?? 30)}] ${Math.floor(params.progress * 100)}% | ${state.describe(Date.now())}`,
      },
      Presets.shades_classic,
    )
    this.bar.start(Math.max(state.total, 1), state.done)
  }

  stop(): void {
    this.bar?.stop()
    this.bar = undefined
    this.state = undefined
  }
}

function bar(progress: number, size: number): string {
  const filled = Math.round(Math.min(Math.max(progress, 0), 1) * size)
  return '█'.repeat(filled) + '░'.repeat(size - filled)
}

/**
 * Off a TTY (CI logs, pipes): one line per phase as it starts, with the time since the command
 * began, and one closing line. Never a bar, never a carriage return.
 */
export class PhaseLines implements ProgressSink {
  private state?: PhaseState
  private readonly began = Date.now()

  constructor(
    private readonly label: string,
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  update(progress: Progress): void {
    const now = Date.now()
    const phase = progress.phase || this.label
    if (!this.state || this.state.phase !== phase) {
      this.state = new PhaseState(phase, progress.unit ?? 'files', now)
      this.write(`[${formatDuration((now - this.began) / 1000).padStart(6)}] ${this.label}: ${phase}`)
    }
    this.state.take(progress, now)
  }

  stop(end: ProgressEnd = 'finished'): void {
    if (this.state) this.write(`[${formatDuration((Date.now() - this.began) / 1000).padStart(6)}] ${this.label}: ${end}`)
    this.state = undefined
  }
}
