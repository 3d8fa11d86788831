import {className, identifier, pickSkewed} from '../names.js'
import type {Rng} from '../prng.js'
import {BUILTINS, EXCEPTIONS, STDLIB_MODULES, STDLIB_NAMES} from '../vocabulary.js'
import type {RenderContext} from './context.js'
import {paragraph, sentence} from './prose.js'
import {TextSink} from './sink.js'

/** Share of statements that repeat a recent line verbatim. */
const REPEAT_SHARE = 0.25
const INDENT = ['', '    ', '        ', '            ', '                ', '                    ']

/**
 * Python-like source: docstrings, imports, classes and functions built from a small per-file
 * vocabulary, as real modules reuse their own names. Tuned so gzip -1 compresses it about as much
 * as CPython's own library (see corpora/README.md for the measurements).
 */
export function renderPython(ctx: RenderContext): Buffer {
  const g = new PythonWriter(ctx.rng, new TextSink(ctx.file.size))
  g.module(ctx.file.role === 'init', ctx.file.relocated ? ctx.prefix : undefined)
  return g.sink.toBuffer()
}

class PythonWriter {
  private readonly names: string[] = []
  private readonly attrs: string[] = []
  private readonly classes: string[] = []
  private readonly functions: string[] = []
  private readonly chatty: number
  private readonly recent: string[] = []

  constructor(
    private readonly rng: Rng,
    readonly sink: TextSink,
  ) {
    // Files differ in style as real ones do: terse or chatty, few or many names, some mostly data.
    this.chatty = rng.float()
    for (let i = rng.range(5, 22); i > 0; i--) this.names.push(identifier(rng))
    for (let i = rng.range(4, 12); i > 0; i--) this.attrs.push(identifier(rng))
    for (let i = rng.range(2, 7); i > 0; i--) this.classes.push(className(rng))
    for (let i = rng.range(5, 12); i > 0; i--) this.functions.push(identifier(rng))
  }

  module(init: boolean, prefix?: string): void {
    const {rng} = this
    // A relocated module names its prefix near the top, so even a small file holds it whole.
    if (prefix) this.add(`"""${sentence(rng, 4, 10)}"""\n`)
    else {
      if (rng.chance(0.3)) this.add(`# ${sentence(rng)}\n# ${sentence(rng)}\n#\n# SPDX-License-Identifier: ${rng.pick(['MIT', 'Apache-2.0', 'BSD-3-Clause'])}\n`)
      // Small modules (package __init__s, shims) are mostly imports, with a one-line docstring.
      if (this.sink.size < 2048 || rng.chance(1 - this.chatty)) this.add(`"""${sentence(rng, 3, 9)}"""\n`)
      else this.add(`"""${sentence(rng, 4, 10)}\n\n${paragraph(rng, rng.range(1, 4))}\n"""\n`)
    }
    this.add('from __future__ import annotations\n\nimport logging\n')
    if (prefix) this.relocation(prefix)
    for (let i = rng.range(2, 7); i > 0; i--) {
      const r = rng.float()
      if (r < 0.45) this.add(`import ${rng.pick(STDLIB_MODULES)}\n`)
      else if (r < 0.7) this.add(`from ${rng.pick(['typing', 'collections', 'functools', 'pathlib', 'dataclasses'])} import ${rng.pick(STDLIB_NAMES)}, ${rng.pick(STDLIB_NAMES)}\n`)
      else this.add(`from .${this.name()} import ${this.cls()}, ${this.fn()}\n`)
    }
    this.add(`\n__all__ = [${this.classes.map((c) => `"${c}"`).join(', ')}]\n\nlogger = logging.getLogger(__name__)\n`)
    if (init && rng.chance(0.5)) this.add(`__version__ = "${rng.range(0, 5)}.${rng.range(0, 30)}.${rng.range(0, 9)}"\n`)
    for (let i = rng.range(1, 5); i > 0; i--) this.add(`${this.name().toUpperCase()} = ${this.literal()}\n`)
    if (init && this.sink.size < 4096) this.reexports()
    const tables = rng.chance(0.2) ? 0.5 : 0.04
    while (!this.sink.full) {
      const r = rng.float()
      if (r < tables) this.table()
      else if (r < 0.45) this.classDef()
      else this.functionDef(0, false)
      // Long relocated modules (sysconfigdata-like) name the prefix more than once.
      if (prefix && rng.chance(0.08)) this.relocation(prefix)
    }
  }

  /** `from .x import (A, B, …)` runs, the bulk of a package's small __init__.py. */
  private reexports(): void {
    for (let i = this.rng.range(2, 8); i > 0 && !this.sink.full; i--) {
      this.add(`from .${this.name()} import (\n`)
      for (let j = this.rng.range(1, 6); j > 0; j--) this.line(1, `${this.rng.chance(0.5) ? this.cls() : this.fn()},`)
      this.add(')\n')
    }
  }

  /** A constant table (codes, mappings, defaults), as generated and data-heavy modules have. */
  private table(): void {
    const {rng} = this
    const kind = rng.int(3)
    this.add(`\n${this.name().toUpperCase()} = ${kind === 0 ? '[' : '{'}\n`)
    for (let i = rng.range(8, 60); i > 0 && !this.sink.full; i--) {
      if (kind === 0) this.line(1, `(${this.string()}, ${rng.range(0, 255)}, ${rng.pick(['True', 'False', 'None'])}),`)
      else if (kind === 1) this.line(1, `${this.string()}: ${rng.range(0, 0xffff)},`)
      else this.line(1, `${rng.range(0, 0xffff)}: (${this.string()}, ${this.string()}),`)
    }
    this.add(kind === 0 ? ']\n' : '}\n')
  }

  /** The prefix as such modules hold it: an install-time constant or a sys.path entry. */
  private relocation(prefix: string): void {
    const {rng} = this
    const variants = [
      `\n_PREFIX = "${prefix}"\n_LIBDIR = "${prefix}/lib"\n`,
      `\nsys.path.insert(0, "${prefix}/lib/python3.11/site-packages")\n`,
      `\nbuild_time_vars = {\n    "prefix": "${prefix}",\n    "exec_prefix": "${prefix}",\n    "LIBDIR": "${prefix}/lib",\n}\n`,
      `\n${this.name().toUpperCase()}_PATH = "${prefix}/share/${this.name()}"\n`,
    ]
    this.sink.addWhole(rng.pick(variants))
  }

  private add(text: string): void {
    this.sink.add(text)
  }

  private line(indent: number, text: string): void {
    this.sink.add(`${INDENT[indent] ?? INDENT[5]}${text}\n`)
  }

  private remember(indent: number, text: string): void {
    this.line(indent, text)
    if (this.recent.length < 24) this.recent.push(text)
    else this.recent[this.rng.int(24)] = text
  }

  private name(): string {
    return pickSkewed(this.rng, this.names, 3)
  }

  private attr(): string {
    return pickSkewed(this.rng, this.attrs, 2)
  }

  private cls(): string {
    return this.rng.pick(this.classes)
  }

  private fn(): string {
    return pickSkewed(this.rng, this.functions, 2)
  }

  private classDef(): void {
    const {rng} = this
    this.add(`\n\nclass ${this.cls()}(${rng.chance(0.5) ? this.cls() : rng.pick(['object', 'Exception', 'ABC', 'dict'])}):\n`)
    this.docstring(1)
    for (let i = rng.range(0, 3); i > 0; i--) this.line(1, `${this.attr()}: ${rng.pick(['int', 'str', 'bool', 'Optional[str]', 'list'])} = ${this.literal()}`)
    this.add('\n')
    this.line(1, `def __init__(${['self', ...this.params()].join(', ')}):`)
    for (let i = rng.range(1, 5); i > 0; i--) this.line(2, `self.${this.attr()} = ${this.name()}`)
    for (let i = rng.range(1, 6); i > 0 && !this.sink.full; i--) this.functionDef(1, true)
  }

  private functionDef(indent: number, method: boolean): void {
    const {rng} = this
    this.add('\n')
    if (rng.chance(0.15)) this.line(indent, rng.pick(['@property', '@staticmethod', '@classmethod', '@lru_cache(maxsize=None)', '@abstractmethod']))
    this.line(indent, `def ${this.fn()}(${[...(method ? ['self'] : []), ...this.params()].join(', ')})${rng.chance(0.4) ? ` -> ${rng.pick(['None', 'str', 'int', 'bool', 'Any', 'list[str]'])}` : ''}:`)
    if (rng.chance(0.2 + 0.5 * this.chatty)) this.docstring(indent + 1)
    this.statements(indent + 1, rng.range(2, 9), 0, method)
    this.line(indent + 1, `return ${this.expr()}`)
  }

  private docstring(indent: number): void {
    const {rng} = this
    const pad = INDENT[indent]
    if (rng.chance(0.5)) {
      this.line(indent, `"""${sentence(rng, 4, 12)}"""`)
      return
    }
    let text = `${pad}"""${sentence(rng, 4, 10)}\n\n${paragraph(rng, rng.range(1, 3), pad)}\n`
    if (rng.chance(0.5)) {
      text += `\n${pad}Args:\n`
      for (let i = rng.range(1, 3); i > 0; i--) text += `${pad}    ${this.name()}: ${sentence(rng, 3, 9)}\n`
      text += `\n${pad}Returns:\n${pad}    ${sentence(rng, 3, 8)}\n`
    }
    this.add(`${text}${pad}"""\n`)
  }

  private statements(indent: number, count: number, depth: number, method: boolean): void {
    const {rng} = this
    for (let i = 0; i < count && !this.sink.full; i++) {
      const r = rng.float()
      // Real modules repeat whole lines (the same check, call or assignment in several places).
      if (r < REPEAT_SHARE && this.recent.length > 0) this.line(indent, rng.pick(this.recent))
      else if (r < 0.27) this.remember(indent, `${this.name()} = ${this.expr()}`)
      else if (r < 0.35 && method) this.remember(indent, `self.${this.attr()} = ${this.expr()}`)
      else if (r < 0.47 && depth < 3) {
        this.line(indent, `if ${this.condition()}:`)
        this.statements(indent + 1, rng.range(1, 3), depth + 1, method)
        if (rng.chance(0.3)) {
          this.line(indent, 'else:')
          this.statements(indent + 1, rng.range(1, 2), depth + 1, method)
        }
      } else if (r < 0.54 && depth < 3) {
        this.line(indent, `for ${this.name()} in ${this.expr()}:`)
        this.statements(indent + 1, rng.range(1, 3), depth + 1, method)
      } else if (r < 0.58 && depth < 2) {
        this.line(indent, 'try:')
        this.statements(indent + 1, rng.range(1, 3), depth + 1, method)
        this.line(indent, `except ${rng.pick(EXCEPTIONS)} as exc:`)
        this.line(indent + 1, rng.chance(0.5) ? `raise ${this.cls()}(${this.string()}) from exc` : `logger.debug(${this.string()}, exc)`)
      } else if (r < 0.58 + 0.08 * this.chatty) this.line(indent, `# ${sentence(rng, 4, 10)}`)
      else if (r < 0.76) this.remember(indent, this.call())
      else if (r < 0.81) this.line(indent, `raise ${rng.pick(EXCEPTIONS)}(f"${sentence(rng, 3, 8).slice(0, -1)}: {${this.name()}!r}")`)
      else if (r < 0.87) this.line(indent, `logger.${rng.pick(['debug', 'info', 'warning'])}("${sentence(rng, 3, 7).slice(0, -1)} %s", ${this.name()})`)
      else if (r < 0.91 && depth < 3) {
        this.line(indent, `with ${rng.chance(0.5) ? `open(${this.name()}, "${rng.pick(['r', 'rb', 'w'])}")` : `self._lock`} as ${this.name()}:`)
        this.statements(indent + 1, rng.range(1, 2), depth + 1, method)
      } else this.line(indent, `${this.name()}${rng.pick([' += 1', '.append(' + this.name() + ')', '.update(' + this.expr() + ')', ' = None'])}`)
    }
  }

  private params(): string[] {
    const {rng} = this
    const out: string[] = []
    for (let i = rng.range(0, 4); i > 0; i--) out.push(rng.chance(0.3) ? `${this.name()}=${this.literal()}` : this.name())
    if (rng.chance(0.15)) out.push('**kwargs')
    return out
  }

  private call(): string {
    const {rng} = this
    const args: string[] = []
    for (let i = rng.range(0, 3); i > 0; i--) args.push(rng.chance(0.75) ? this.name() : this.literal())
    const target = rng.chance(0.4) ? `self.${this.fn()}` : rng.chance(0.5) ? `${this.name()}.${this.fn()}` : this.fn()
    return `${target}(${args.join(', ')})`
  }

  private expr(): string {
    const {rng} = this
    const r = rng.float()
    if (r < 0.3) return this.call()
    if (r < 0.45) return this.name()
    if (r < 0.55) return `self.${this.attr()}`
    if (r < 0.65) return `${rng.pick(BUILTINS)}(${this.name()})`
    if (r < 0.72) return `[${this.name()} for ${this.name()} in ${this.name()} if ${this.name()}]`
    if (r < 0.78) return `{"${this.name()}": ${this.name()}, "${this.name()}": ${this.literal()}}`
    if (r < 0.85) return `${this.name()}.get(${this.string()}, ${this.literal()})`
    return this.literal()
  }

  private condition(): string {
    const {rng} = this
    const r = rng.float()
    if (r < 0.3) return `${this.name()} is None`
    if (r < 0.5) return `not ${this.name()}`
    if (r < 0.65) return `isinstance(${this.name()}, ${rng.pick(['str', 'int', 'dict', 'list', 'tuple', 'bytes'])})`
    if (r < 0.8) return `${this.name()} ${rng.pick(['==', '!=', '>', '<=', 'in', 'not in'])} ${this.expr()}`
    return `self.${this.attr()}`
  }

  private string(): string {
    return `"${this.rng.chance(0.5) ? this.name() : sentence(this.rng, 2, 6).slice(0, -1)}"`
  }

  private literal(): string {
    const {rng} = this
    const r = rng.float()
    if (r < 0.25) return 'None'
    if (r < 0.4) return rng.pick(['True', 'False'])
    if (r < 0.65) return String(rng.chance(0.8) ? rng.range(0, 10) : rng.pick([16, 32, 64, 100, 256, 1024, 4096, 65_536]))
    if (r < 0.9) return this.string()
    return rng.pick(['()', '[]', '{}'])
  }
}
