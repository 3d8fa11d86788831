/**
 * One colour per variant, the same in every chart of the report. Okabe–Ito colours, which stay
 * distinguishable with the common colour-vision deficiencies; gzip is grey because it is the
 * baseline everything else is measured against.
 */
const VARIANT_COLOURS: Record<string, string> = {
  gzip: '#7f7f7f',
  'gzip-pure': '#b0b0b0',
  zstd: '#0072b2',
  'zstd-noverify': '#56b4e9',
  'zstd@zlib': '#009e73',
  'none-copy': '#e69f00',
  'none-reflink': '#d55e00',
  'none-hardlink': '#cc79a7',
  floor: '#222222',
}

const CODEC_COLOURS: Record<string, string> = {
  gzip: VARIANT_COLOURS.gzip,
  'gzip-pure': VARIANT_COLOURS['gzip-pure'],
  zstd: VARIANT_COLOURS.zstd,
  none: VARIANT_COLOURS['none-copy'],
}

const SPARE = ['#009e73', '#cc79a7', '#f0e442', '#332288', '#882255', '#44aa99']

export function variantColour(variant: string): string {
  return VARIANT_COLOURS[variant] ?? VARIANT_COLOURS[variant.split('@')[0]] ?? spare(variant)
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
