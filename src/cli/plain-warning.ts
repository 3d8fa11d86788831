import {createRequire} from 'node:module'
import {format} from 'node:util'

type WrapAnsi = (input: string, columns: number, options?: {hard?: boolean; trim?: boolean}) => string

/**
 * oclif's warning (`@oclif/core/errors` warn: pretty-print.js, ux/write.js), line for line, where
 * it takes no colour: stderr is not a terminal and FORCE_COLOR is unset. Loading oclif's errors
 * module for it cost every zstd lift 40 ms of CPU at its very end (measured, Node 20); its wrapping
 * (wrap-ansi) is 4 ms. Elsewhere (colours, the terminal's width) oclif prints it.
 */
export function plainWarning(message: string, env: NodeJS.ProcessEnv = process.env, stderr: {isTTY?: boolean} = process.stderr): string | undefined {
  if (stderr.isTTY || env.FORCE_COLOR !== undefined) return undefined
  const columns = Number.parseInt(env.OCLIF_COLUMNS ?? '', 10) || 80
  const wrapAnsi = createRequire(import.meta.url)('wrap-ansi') as WrapAnsi
  const wrapped = wrapAnsi(message ? `Warning: ${message}` : '', columns - 6, {hard: true, trim: false})
  // indent-string three times, as pretty-print.js: 3 spaces (non-empty lines), the bang (every line), 1 space (non-empty lines).
  const indented = wrapped.replace(/^(?!\s*$)/gm, '   ').replace(/^/gm, '›').replace(/^(?!\s*$)/gm, ' ')
  return `${format(indented)}\n`
}
