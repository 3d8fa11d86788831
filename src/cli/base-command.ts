import {Command, Errors} from '@oclif/core'

import {INPUT_ERROR_CODES, isHoloError} from '../engine/errors.js'
import type {ProgressCallback} from '../engine/types.js'
import type {CommandIo} from './command-io.js'
import {PhaseLines, ProgressBar, type ProgressEnd, type ProgressSink} from './progress.js'

/**
 * What every command prints for a failure: under --json exactly `{"error": CommandError}` on
 * stdout; otherwise `Error: <code>: <message>` on stderr. Exit 2 for bad usage or input files,
 * 1 for a failed operation.
 */
export interface CommandError {
  /** A HoloError code (EUSAGE, EINPUT, ECORRUPT, …), a system errno, or EINTERNAL. */
  code: string
  message: string
  exit: number
  /** The file or directory the error is about, when one is known. */
  path?: string
}

/**
 * Any error a command can end with, as one small object (never oclif's parse internals).
 * `usage`: the error came from parsing flags and arguments (missing flag, bad value, no such file).
 */
export function describeError(error: unknown, usage = false): CommandError {
  const e = error as Error & {code?: unknown; path?: unknown; oclif?: {exit?: number}}
  if (isHoloError(error)) {
    return {code: error.code, message: error.message, exit: INPUT_ERROR_CODES.has(error.code) ? 2 : 1, ...(error.path ? {path: error.path} : {})}
  }

  const text = String(e?.message ?? error).replace(/\n\s*See more help with --help\s*$/, '')
  // A command may already have folded a code into the message ("ESCHEMA: …").
  const folded = /^(E[A-Z_]+): ([\s\S]*)$/.exec(text)
  const exit = usage || (e instanceof Errors.CLIError && e.oclif?.exit === 2) ? 2 : typeof e?.oclif?.exit === 'number' ? e.oclif.exit : 1
  const errno = typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code) ? e.code : undefined
  const code = folded?.[1] ?? errno ?? (exit === 2 ? 'EUSAGE' : 'EINTERNAL')
  return {code, message: folded?.[2] ?? text, exit, ...(typeof e?.path === 'string' ? {path: e.path} : {})}
}

/**
 * The base of every holobench command: every failure becomes one clear line (or one small JSON
 * object under --json) and an exit code; progress goes to stderr (a bar on a TTY, one line per
 * phase elsewhere), never with --json.
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

  /** Output and progress for a command body shared with the fast path (src/cli/fast-path.ts). */
  protected io(): CommandIo {
    return {log: (line) => this.log(line), logToStderr: (line) => this.logToStderr(line), warn: (message) => void this.warn(message), progress: (label) => this.progress(label), stopProgress: () => this.stopProgress()}
  }

  protected stopProgress(end?: ProgressEnd): void {
    this.bar?.stop(end)
    this.bar = undefined
  }

  protected override async catch(error: Error & {exitCode?: number; code?: string}): Promise<unknown> {
    this.bar?.stop('failed')
    this.bar = undefined
    // this.exit(n) and --help/--version end the command on purpose.
    if (error.code === 'EEXIT' || (error as {oclif?: {exit?: number}}).oclif?.exit === 0) return super.catch(error)
    // Until parse has finished, any error is about the command line.
    const problem = describeError(error, !this.parsed)
    process.exitCode = problem.exit
    if (this.jsonEnabled()) {
      this.logJson({error: problem})
      return undefined
    }

    throw new Errors.CLIError(`${problem.code}: ${problem.message}`, {exit: problem.exit, code: problem.code})
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    this.stopProgress()
    return super.finally(error)
  }
}
