/**
 * Catalog maps (a Dir's `files` and `subdirs`) are keyed by file names, and a file name is data:
 * `__proto__`, `constructor` and `toString` are legal names. Plain objects confuse them with
 * Object.prototype's members (`obj[name] = x` sets the prototype for `__proto__`, `name in obj`
 * finds `constructor` in every object), so every map is built and read through these helpers.
 */

/** An empty name map: no prototype, so no name is special. */
export function nameMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>
}

/** True when `map` has its own entry `name` (inherited members never count). */
export function hasName(map: object, name: string): boolean {
  return Object.hasOwn(map, name)
}

/** The entry `name` of `map`, or undefined; never an inherited member. */
export function getName<T>(map: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(map, name) ? map[name] : undefined
}

/** Set entry `name` as an own data property, whatever the map's prototype (`__proto__` included). */
export function setName<T>(map: Record<string, T>, name: string, value: T): void {
  // Without a prototype there is no __proto__ setter to reach: a plain assignment makes the same
  // own data property, at a third of defineProperty's cost (12 ms of a 2,600-entry walk).
  if (Object.getPrototypeOf(map) === null) map[name] = value
  else Object.defineProperty(map, name, {value, enumerable: true, writable: true, configurable: true})
}

/**
 * Go's order of map keys (encoding/json sorts them as strings: by UTF-8 bytes, which is code
 * point order). JavaScript's `<` compares UTF-16 units, which agrees except where a surrogate
 * (half of a code point above U+FFFF) meets U+E000–U+FFFF: the surrogate's code point is larger.
 */
export function goKeyOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    const xs = x >= 0xd800 && x <= 0xdfff
    const ys = y >= 0xd800 && y <= 0xdfff
    if (xs !== ys && (xs ? y : x) >= 0xe000) return xs ? 1 : -1
    return x - y
  }

  return a.length - b.length
}

/** The own keys of a name map in Go's order: the native sort, redone by code point only when a surrogate makes them differ. */
export function goSortedKeys(map: object): string[] {
  const keys = Object.keys(map).sort()
  return keys.some((key) => SURROGATE.test(key)) ? keys.sort(goKeyOrder) : keys
}

const SURROGATE = /[\ud800-\udfff]/
