import cliProgress from 'cli-progress'

import type {Progress} from '../engine/types.js'

/** A stderr progress bar (files, MB, rate, ETA) fed by engine progress callbacks. */
export class ProgressBar {
  private readonly bar: cliProgress.SingleBar
  private started = false
  private lastUpdate = 0

  constructor(private readonly label: string) {
    this.bar = new cliProgress.SingleBar(
      {
        format: `{phase} [{bar}] {percentage}% | {value}/{total} {unit}{mb} | {rate}/s | ETA {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 200,
      },
      cliProgress.Presets.shades_classic,
    )
  }

  update(progress: Progress): void {
    const now = performance.now()
    if (!this.started) {
      this.bar.start(progress.total, 0, this.payload(progress, 0))
      this.started = true
      this.startedAt = now
    }

    // Redrawing on every small file would cost more than the work it reports.
    if (now - this.lastUpdate < 100 && progress.done < progress.total) return
    this.lastUpdate = now
    const seconds = Math.max((now - this.startedAt) / 1000, 1e-3)
    this.bar.setTotal(progress.total)
    this.bar.update(progress.done, this.payload(progress, progress.done / seconds))
  }

  private payload(progress: Progress, rate: number): Record<string, string> {
    const unit = progress.unit ?? 'files'
    const mb = progress.bytes === undefined ? '' : ` | ${(progress.bytes / 1e6).toFixed(1)} MB`
    return {phase: progress.phase || this.label, unit, mb, rate: rate.toFixed(rate < 10 ? 1 : 0)}
  }

  stop(): void {
    if (this.started) this.bar.stop()
    this.started = false
  }

  private startedAt = 0
}
