/**
 * Where `identity` occurs in `content`. The generator checks every file with this: a relocated
 * file must hold the identity, any other must not, and each occurrence must be a clean one (a
 * path separator before it and no stray identity prefix anywhere), so RCC-style streaming
 * searches find exactly these offsets.
 */
export function findIdentity(content: Buffer, identity: string): number[] {
  const offsets: number[] = []
  for (let at = content.indexOf(identity, 0, 'latin1'); at !== -1; at = content.indexOf(identity, at + identity.length, 'latin1')) offsets.push(at)
  return offsets
}

/** Why `content` is not a clean carrier of `expected` occurrences-or-none, or undefined when it is. */
export function relocationProblem(content: Buffer, identity: string, relocated: boolean): string | undefined {
  const offsets = findIdentity(content, identity)
  if (relocated && offsets.length === 0) return 'planned as relocated but holds no identity'
  if (!relocated && offsets.length > 0) return `not planned as relocated but holds the identity at ${offsets[0]}`
  if (offsets.some((at) => at === 0 || content[at - 1] !== 0x2f)) return 'an identity occurrence is not preceded by "/"'
  // A truncated copy (first 8 characters) anywhere else would trip naive matchers.
  let partials = 0
  for (let at = content.indexOf(identity.slice(0, 8), 0, 'latin1'); at !== -1; at = content.indexOf(identity.slice(0, 8), at + 1, 'latin1')) partials++
  if (partials !== offsets.length) return 'holds a fragment of the identity'
  return undefined
}
