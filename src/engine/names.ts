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
  Object.defineProperty(map, name, {value, enumerable: true, writable: true, configurable: true})
}

/**
 * Go's order of map keys (encoding/json sorts them as strings: by UTF-8 bytes, which is code
 * point order). JavaScript's `<` compares UTF-16 units, which differs where a surrogate pair
 * meets U+E000–U+FFFF, and object keys that look like integers would come first in any object.
 */
export function goKeyOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}
