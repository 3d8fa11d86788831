import {createHash} from 'node:crypto'

/**
 * Where generated files say they live. RCC finds relocations by the space's basename alone, so
 * the parent needn't match where the tree is written; a fixed parent keeps the bytes identical on
 * every machine. It is the default holotree location of a user called `user`.
 */
export const RELOCATION_PARENT = '/home/user/.robocorp/holotree'

/**
 * A holotree staging-space name, `h<7 hex>_<14 hex>t` (24 characters), derived from the
 * definition digest and seed. 'h' and 't' never occur in hex, so the name cannot overlap itself:
 * every occurrence in a file is a distinct, non-overlapping match.
 */
export function spaceIdentity(definitionDigest: string, seed: number): string {
  const hex = createHash('sha256').update(`holobench-space:${definitionDigest}:${seed}`).digest('hex')
  return `h${hex.slice(0, 7)}_${hex.slice(7, 21)}t`
}

/** The absolute path generated files embed: `<RELOCATION_PARENT>/<identity>`. */
export function spacePath(identity: string): string {
  return `${RELOCATION_PARENT}/${identity}`
}
