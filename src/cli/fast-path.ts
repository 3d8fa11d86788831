import {readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import type {CommandIo} from './command-io.js'
import {reportThroughOclif} from './command-io.js'
import {MANIFEST} from './manifest.js'
import {plainWarning} from './plain-warning.js'
import {PhaseLines, ProgressBar, type ProgressSink} from './progress.js'

/**
 * `holobench drop` and `lift` without oclif. Loading oclif is about 0.1 s of CPU on every start
 * (bench/cold-vs-rcc.ts), as much as restoring a few hundred files, and RCC is a Go binary
 * that starts in milliseconds. The fast path takes only plain, valid invocations; anything
 * else (help, a flag it does not know, a value oclif would refuse, a missing file) goes to oclif,
 * which parses and reports as always. Flag names, characters, options, defaults and `required`
 * come from oclif.manifest.json (generated from the commands); the kinds below are what the
 * manifest does not record. A command whose manifest names a flag missing here is never taken.
 * The command bodies are shared (run-drop.ts, run-lift.ts); a failure is handed to oclif to report.
 */
type Kind = {type: 'string'} | {type: 'integer'; min?: number} | {type: 'boolean'} | {type: 'option'}

interface FastCommand {
  /** Positional arguments in order, with the kind of path oclif checks they name. */
  args: Array<{name: string; exists: 'file' | 'directory'; required?: boolean}>
  flags: Record<string, Kind & {exists?: 'directory'}>
  run: (args: Record<string, string | undefined>, flags: Record<string, unknown>, io: CommandIo) => Promise<unknown> | undefined
}

export const FAST_COMMANDS: Record<string, FastCommand> = {
  drop: {
    args: [{name: 'catalog', exists: 'file', required: true}],
    flags: {json: {type: 'boolean'}, library: {type: 'string'}, target: {type: 'string'}, verify: {type: 'boolean'}, strategy: {type: 'option'}, jobs: {type: 'integer', min: 1}, 'zstd-backend': {type: 'option'}, 'gzip-backend': {type: 'option'}, overwrite: {type: 'boolean'}, fsync: {type: 'boolean'}, wait: {type: 'boolean'}, pack: {type: 'string'}, 'zstd-dictionary': {type: 'string'}, cache: {type: 'string'}},
    async run(args, flags, io) {
      const {runDrop} = await import('./run-drop.js')
      return runDrop(args.catalog as string, flags as never, io)
    },
  },
  lift: {
    args: [{name: 'dir', exists: 'directory'}],
    flags: {
      json: {type: 'boolean'},
      tree: {type: 'string', exists: 'directory'},
      library: {type: 'string'},
      codec: {type: 'option'},
      level: {type: 'integer'},
      identity: {type: 'string'},
      jobs: {type: 'integer', min: 1},
      'zstd-backend': {type: 'option'},
      'rcc-excludes': {type: 'boolean'},
      'no-fsync': {type: 'boolean'},
      wait: {type: 'boolean'},
    },
    run(args, flags, io) {
      const source = args.dir ?? (flags.tree as string | undefined)
      if (!source) return undefined // oclif says what is missing
      return import('./run-lift.js').then(({runLift}) => runLift(source, flags as never, io))
    },
  },
}

interface ManifestFlag {
  name: string
  char?: string
  type: 'boolean' | 'option'
  allowNo?: boolean
  options?: string[]
  default?: unknown
  required?: boolean
  multiple?: boolean
  exclusive?: string[]
}

interface Parsed {
  args: Record<string, string | undefined>
  flags: Record<string, unknown>
  json: boolean
}

/**
 * Run `argv` (command id first) here when it is plain and valid. Returns false when oclif must
 * take it: nothing was done, or the command failed and oclif is to report that failure.
 */
export async function runFast(argv: string[], root: string): Promise<boolean> {
  const [id, ...rest] = argv
  const command = FAST_COMMANDS[id]
  if (!command || process.env.DEBUG || process.env.HOLOBENCH_CONTENT_TYPE) return false
  let manifest: Record<string, ManifestFlag>
  try {
    manifest = (JSON.parse(readFileSync(join(root, MANIFEST), 'utf8')) as {commands: Record<string, {flags: Record<string, ManifestFlag>}>}).commands[id].flags
  } catch {
    return false
  }

  const parsed = parse(rest, command, manifest)
  if (!parsed) return false
  let bar: ProgressSink | undefined
  const quiet = parsed.json
  const io: CommandIo = {
    log: (line) => quiet || process.stdout.write(`${line}\n`),
    logToStderr: (line) => quiet || process.stderr.write(`${line}\n`),
    // oclif's own formatting (wrapped, indented); its errors module alone is a third of oclif's
    // load, so where the output takes no colour the same lines are made here (plain-warning.ts).
    async warn(message) {
      if (quiet) return
      const plain = plainWarning(message)
      if (plain === undefined) (await import('@oclif/core/errors')).warn(message)
      else process.stderr.write(plain)
    },
    progress(label) {
      if (quiet) return undefined
      bar?.stop()
      const sink = process.stderr.isTTY ? new ProgressBar(label) : new PhaseLines(label)
      bar = sink
      return (progress) => sink.update(progress)
    },
    stopProgress() {
      bar?.stop()
      bar = undefined
    },
  }
  try {
    const running = command.run(parsed.args, parsed.flags, io)
    if (!running) return false
    const result = await running
    if (parsed.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    return true
  } catch (error) {
    bar?.stop('failed')
    bar = undefined
    reportThroughOclif(error)
    return false
  }
}

/** argv → args and flags as oclif would give them, or undefined for anything not plain and valid. */
function parse(argv: string[], command: FastCommand, manifest: Record<string, ManifestFlag>): Parsed | undefined {
  const names = Object.keys(manifest)
  // A flag the fast path was not written for may need parsing or handling it does not know.
  if (names.length !== Object.keys(command.flags).length || !names.every((name) => name in command.flags)) return undefined
  const byChar = new Map(names.filter((n) => manifest[n].char).map((n) => [`-${manifest[n].char}`, n]))
  const flags: Record<string, unknown> = {}
  const args: Record<string, string | undefined> = {}
  const positional: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]
    if (!token.startsWith('-') || token === '-') {
      positional.push(token)
      continue
    }

    let name: string | undefined
    let value: string | undefined
    if (token.startsWith('--')) {
      const eq = token.indexOf('=')
      name = eq === -1 ? token.slice(2) : token.slice(2, eq)
      value = eq === -1 ? undefined : token.slice(eq + 1)
      if (!(name in manifest) && name.startsWith('no-') && manifest[name.slice(3)]?.allowNo && value === undefined) {
        if (name.slice(3) in flags) return undefined
        flags[name.slice(3)] = false
        continue
      }
    } else {
      name = byChar.get(token)
    }

    const spec = name === undefined ? undefined : manifest[name]
    if (!name || !spec || spec.multiple || name in flags) return undefined
    if (spec.type === 'boolean') {
      if (value !== undefined) return undefined
      flags[name] = true
      continue
    }

    value ??= argv[++i]
    if (value === undefined || value.startsWith('-')) return undefined
    const kind = command.flags[name]
    if (spec.options && !spec.options.includes(value)) return undefined
    if (kind.type === 'integer') {
      if (!/^-?\d+$/.test(value)) return undefined
      const n = Number(value)
      if (!Number.isSafeInteger(n) || (kind.min !== undefined && n < kind.min)) return undefined
      flags[name] = n
    } else {
      if (kind.type === 'string' && kind.exists && !isKind(value, kind.exists)) return undefined
      flags[name] = value
    }
  }

  if (positional.length > command.args.length) return undefined
  for (const [index, arg] of command.args.entries()) {
    const value = positional[index]
    if (value === undefined ? arg.required : !isKind(value, arg.exists)) return undefined
    args[arg.name] = value
  }

  for (const name of names) {
    const spec = manifest[name]
    if (spec.exclusive?.some((other) => other in flags || args[other] !== undefined) && name in flags) return undefined
    if (!(name in flags) && spec.default !== undefined) flags[name] = spec.default
    if (spec.required && flags[name] === undefined) return undefined
  }

  return {args, flags, json: flags.json === true}
}

function isKind(path: string, kind: 'file' | 'directory'): boolean {
  try {
    const stats = statSync(path)
    return kind === 'file' ? stats.isFile() : stats.isDirectory()
  } catch {
    return false
  }
}
