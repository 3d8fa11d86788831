/**
 * The identity is the text lifting records as relocations, at every offset it occurs in every
 * file (RCC: htfs/functions.go, the "rewrite" offsets). A real holotree's identity is a long,
 * unique hash-like name; a short or common one (`python3.11`, `env`, `lib`) also matches ordinary
 * text, so most files look relocated and every restore copies and patches them. Measured on the
 * CPython stdlib: a tree named python3.11 got 68% of its files marked relocated.
 */
import {HoloError} from '../engine/errors.js'

/** Shorter identities than this match ordinary text too often. */
export const MIN_IDENTITY_LENGTH = 12

/** Above this share of relocated files, the identity probably matched ordinary text. */
export const SUSPICIOUS_RELOCATED_SHARE = 0.25

/** Word-like names (letters, digits, dots, dashes, underscores, no hex-hash look) are common text. */
function looksCommon(identity: string): boolean {
  const hashLike = /[0-9a-f]{8,}/i.test(identity) && /\d/.test(identity)
  return !hashLike && /^[A-Za-z][A-Za-z0-9._-]*$/.test(identity)
}

/** Why this identity will mark ordinary files as relocated, or undefined when it looks unique. */
export function identityWarning(identity: string, source: string): string | undefined {
  const short = Buffer.byteLength(identity) < MIN_IDENTITY_LENGTH
  if (!short && !looksCommon(identity)) return undefined
  const why = short ? `is short (${Buffer.byteLength(identity)} bytes)` : 'is common text'
  return `the identity ${JSON.stringify(identity)} (${source}) ${why}: every file that contains it is marked relocated and copied and patched on restore, which a real holotree's unique identity would not cause; pass --identity with the name the environment really has (e.g. its holotree directory name)`
}

/** Identities for `run` are names: restores go to scratch directories, not to the tree's own path. */
export function checkRunIdentity(identity: string): void {
  if (identity.includes('/') || identity.includes('\0') || identity === '' || identity === '.' || identity === '..') {
    throw new HoloError('EUSAGE', `--identity ${JSON.stringify(identity)}: run needs a name (no "/"), since restores are written under scratch directories; a path identity only works with lift and drop`)
  }
}

/** After lifting: a share of relocated files this high says the identity matched ordinary text. */
export function relocatedWarning(scenario: string, identity: string, relocatedFiles: number, files: number): string | undefined {
  if (files === 0 || relocatedFiles / files <= SUSPICIOUS_RELOCATED_SHARE) return undefined
  const share = Math.round((relocatedFiles / files) * 100)
  return `${scenario}: ${share}% of files were marked relocated by the identity ${JSON.stringify(identity)}; a real holotree relocates few files, so its restores copy and patch more than RCC's would: pass a unique --identity`
}
