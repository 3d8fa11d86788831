import {describe, expect, it} from 'vitest'

import {getName, hasName, nameMap, setName} from '../src/engine/names.js'

describe('name maps: every name is data', () => {
  it.each([
    ['a map without a prototype', () => nameMap<number>()],
    ['a plain object (a parsed catalog)', () => JSON.parse('{}') as Record<string, number>],
  ])('%s: __proto__, constructor and toString become own entries and the prototype stays as it was', (_what, make) => {
    const map = make()
    const prototype = Object.getPrototypeOf(map)
    for (const [i, name] of ['__proto__', 'constructor', 'toString', 'a.py'].entries()) setName(map, name, i)
    expect(Object.getPrototypeOf(map)).toBe(prototype)
    expect(Object.keys(map)).toEqual(['__proto__', 'constructor', 'toString', 'a.py'])
    expect(['__proto__', 'constructor', 'toString', 'a.py'].map((name) => getName(map, name))).toEqual([0, 1, 2, 3])
    expect(hasName(map, 'valueOf')).toBe(false)
    expect(JSON.stringify(map)).toBe('{"__proto__":0,"constructor":1,"toString":2,"a.py":3}')
  })
})
