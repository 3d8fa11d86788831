import type {FileKind} from '../definition.js'
import {renderBytecode} from './bytecode.js'
import {renderConfig} from './config.js'
import type {RenderContext} from './context.js'
import {renderData} from './data.js'
import {renderElf} from './elf.js'
import {renderPython} from './python.js'
import {renderScript} from './script.js'
import {renderText} from './text.js'

export type {RenderContext} from './context.js'

const RENDERERS: Record<FileKind, (ctx: RenderContext) => Buffer> = {
  py: renderPython,
  pyc: renderBytecode,
  so: renderElf,
  exe: renderElf,
  script: renderScript,
  config: renderConfig,
  text: renderText,
  data: renderData,
}

/** The bytes of one planned file. Empty files stay empty whatever their kind. */
export function renderFile(ctx: RenderContext): Buffer {
  if (ctx.file.size === 0 && !ctx.file.relocated) return Buffer.alloc(0)
  return RENDERERS[ctx.file.kind](ctx)
}
