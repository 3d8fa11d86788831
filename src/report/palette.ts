/**
 * One colour per variant, the same in every chart of the report, and no two variants alike:
 * Okabe–Ito colours first (they stay distinguishable with the common colour-vision deficiencies),
 * then Paul Tol's muted set. gzip is grey because it is the baseline everything is measured
 * against; the floor is near-black like its reference line.
 */
const VARIANT_COLOURS: Record<string, string> = {
  gzip: '#7f7f7f',
  'gzip-pure': '#b0b0b0',
  'gzip-noverify': '#117733',
  zstd: '#0072b2',
  'zstd-noverify': '#56b4e9',
  'zstd@zlib': '#009e73',
  'zstd@zlib-noverify': '#44aa99',
  'zstd@napi': '#332288',
  'zstd@napi-noverify': '#88ccee',
  'none-copy': '#e69f00',
  'none-copy-noverify': '#ddcc77',
  'none-reflink': '#d55e00',
  'none-reflink-noverify': '#882255',
  'none-hardlink': '#cc79a7',
  'none-hardlink-noverify': '#aa4499',
  floor: '#222222',
  cp: '#999933',
}

const CODEC_COLOURS: Record<string, string> = {
  gzip: VARIANT_COLOURS.gzip,
  'gzip-pure': VARIANT_COLOURS['gzip-pure'],
  zstd: VARIANT_COLOURS.zstd,
  none: VARIANT_COLOURS['none-copy'],
}

/** For names not listed above: none of these is a listed variant's colour. */
const SPARE = ['#f0e442', '#661100', '#6699cc', '#994f00', '#5d3a9b', '#1a85ff', '#40b0a6', '#e1be6a']

/** Every colour a listed variant uses: spares never repeat them. */
export const LISTED_COLOURS: readonly string[] = Object.values(VARIANT_COLOURS)

export function variantColour(variant: string): string {
  return VARIANT_COLOURS[variant] ?? spare(variant)
}

export function codecColour(codec: string): string {
  return CODEC_COLOURS[codec] ?? spare(codec)
}

/** Stable colour for names we do not know yet (new variants), from a tiny string hash. */
function spare(name: string): string {
  let hash = 0
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return SPARE[hash % SPARE.length]
}
