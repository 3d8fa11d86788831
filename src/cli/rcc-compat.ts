/**
 * Words for where a user could break their RCC: released RCC reads gzip (and uncompressed)
 * libraries only; zstd library files and catalogs are read only by RCC's zstd fork
 * (htfs/library.go there detects the format by magic bytes). Shared by lift and migrate, in
 * their help and on stderr when they write zstd.
 */

/** For command descriptions. */
export const ZSTD_HELP = 'zstd libraries cannot be read by released RCC, only by its zstd fork; to go back, run `holobench migrate --library <hololib> --to gzip`.'

/** The stderr warning after writing (or before migrating to) a zstd library. */
export function zstdWarning(library: string): string {
  return `${library} holds zstd files: released RCC cannot read them (only RCC's zstd fork can). To go back: holobench migrate --library ${library} --to gzip`
}
