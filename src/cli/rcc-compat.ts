import {createRequire} from 'node:module'

/**
 * Words for where a user could break their RCC: released RCC reads gzip (and uncompressed)
 * libraries only; zstd library files and catalogs are read only by RCC's zstd fork
 * (htfs/library.go there detects the format by magic bytes). Shared by lift and migrate, in
 * their help and on stderr when they write zstd.
 */

/** For command descriptions. */
export const ZSTD_HELP = 'zstd libraries cannot be read by released RCC, only by its zstd fork; to go back, run `holobench migrate --library <hololib> --to gzip`.'

/** The stderr warning after writing (or before migrating to) a zstd library; `zstdWayBack` follows it. */
export function zstdWarning(library: string): string {
  return `${library} holds zstd files: released RCC cannot read them (only RCC's zstd fork can). To go back, run:`
}

/**
 * The command back to gzip, for a line of its own after `zstdWarning`: a warning is wrapped at
 * the terminal's width, which broke long library paths mid-name. The path is shell-quoted where
 * it needs to be (spaces, quotes), so the line runs as copied.
 */
export function zstdWayBack(library: string): string {
  return `  holobench migrate --library ${shellWord(library)} --to gzip`
}

function shellWord(word: string): string {
  // Most paths need no quoting; shell-quote is loaded only for those that do (a lift's start-up counts).
  if (/^[\w@%+=:,./-]+$/.test(word)) return word
  const {quote} = createRequire(import.meta.url)('shell-quote') as {quote: (args: string[]) => string}
  return quote([word])
}
