import {Command} from '@oclif/core'

import {isHoloError} from '../engine/errors.js'
import type {ProgressCallback} from '../engine/types.js'
import {PhaseLines, ProgressBar, type ProgressSink} from './progress.js'

/** Exit codes scripts can rely on: 1 for a failed operation, 2 for bad usage or input files. */
const USAGE_CODES = new Set(['EUSAGE', 'ESCHEMA'])

/**
 * The base of every holobench command: coded engine errors become one clear line and an exit
 * code; progress goes to stderr (a bar on a TTY, one line per phase elsewhere), never with --json.
 */
export abstract class HoloCommand extends Command {
  static override enableJsonFlag = true
  private bar?: ProgressSink

  /** A progress callback for engine work: a bar on a TTY, one line per phase elsewhere, nothing with --json. */
  protected progress(label: string): ProgressCallback | undefined {
    if (this.jsonEnabled()) return undefined
    this.bar?.stop()
    this.bar = process.stderr.isTTY ? new ProgressBar(label) : new PhaseLines(label)
    return (progress) => this.bar?.update(progress)
  }

  protected stopProgress(): void {
    this.bar?.stop()
    this.bar = undefined
  }

  protected override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    this.stopProgress()
    if (isHoloError(error)) {
      const exit = USAGE_CODES.has(error.code) ? 2 : 1
      // oclif reads exitCode under --json and oclif.exit otherwise.
      return super.catch(Object.assign(new Error(`${error.code}: ${error.message}`), {oclif: {exit}, exitCode: exit, code: error.code}))
    }

    return super.catch(error)
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    this.stopProgress()
    return super.finally(error)
  }
}
