import {existsSync, promises as fsp, readdirSync} from 'node:fs'
import {basename, join} from 'node:path'

import {detectFormat} from './codec/detect.js'
import {decompressBuffer} from './codec/whole.js'
import {HoloError, explainSystemError} from './errors.js'
import {writeFileAtomic} from './fs/atomic.js'
import {isCatalogName, libraryLayout} from './library.js'
import {goSortedKeys, nameMap, setName} from './names.js'
import type {Catalog, CatalogDir, CatalogFile, CodecName, ZstdBackend} from './types.js'

/** RCC's CatalogName: `<blueprint>v12.<platform>`. */
export function catalogName(blueprint: string, platform: string): string {
  return `${blueprint}v12.${platform}`
}

/** Go's GOOS_GOARCH for this machine, as RCC names platforms (linux_amd64, darwin_arm64, …). */
export function goPlatform(platform: string = process.platform, arch: string = process.arch): string {
  const os = platform === 'win32' ? 'windows' : platform
  const goArch: Record<string, string> = {x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm'}
  return `${os}_${goArch[arch] ?? arch}`
}

// Key order follows the Go structs (htfs/directory.go): json.Marshal writes fields in declaration order.
function orderFile(file: CatalogFile): CatalogFile {
  return {
    name: file.name,
    ...(file.symlink ? {symlink: file.symlink} : {}),
    size: file.size,
    mode: file.mode,
    digest: file.digest,
    rewrite: file.rewrite ?? [],
  }
}

/**
 * A Dir as it is marshalled: `subdirs` and `files` are Go maps, here objects without a prototype
 * (so every name is a plain key) with their keys set in Go's order.
 */
interface WireDir {
  name: string
  symlink?: string
  mode: number
  subdirs: Record<string, WireDir>
  files: Record<string, CatalogFile>
  shadow?: boolean
}

/** `found.indexKey` is set when a name looks like an array index (see serializeCatalog). */
function orderDir(dir: CatalogDir, found: {indexKey: boolean}): WireDir {
  // Plain assignment is safe on objects without a prototype: `__proto__` is an ordinary key there.
  const subdirs = nameMap<WireDir>()
  for (const name of goSortedKeys(dir.subdirs)) {
    if (ARRAY_INDEX.test(name)) found.indexKey = true
    subdirs[name] = orderDir(dir.subdirs[name], found)
  }

  const files = nameMap<CatalogFile>()
  for (const name of goSortedKeys(dir.files)) {
    if (ARRAY_INDEX.test(name)) found.indexKey = true
    files[name] = orderFile(dir.files[name])
  }

  return {
    name: dir.name,
    ...(dir.symlink ? {symlink: dir.symlink} : {}),
    mode: dir.mode,
    subdirs,
    files,
    ...(dir.shadow ? {shadow: true} : {}),
  }
}

/** Canonical numeric strings (up to 2^32 - 2, and some more): keys every JS object lists first, in numeric order. */
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/

/** The Info fields RCC writes, in order; also the content of `<catalog>.info`. */
export function catalogInfo(catalog: Catalog): Omit<Catalog, 'lifted' | 'tree'> {
  return {
    rcc: catalog.rcc ?? '',
    identity: catalog.identity,
    path: catalog.path,
    controller: catalog.controller,
    space: catalog.space,
    platform: catalog.platform,
    blueprint: catalog.blueprint,
  }
}

/**
 * JSON as Go's json.MarshalIndent(it, "", "  ") writes it (RCC's AsJson): Go field order, sorted
 * map keys, two-space indent, no trailing newline, and Go's escaping of <, >, &, U+2028, U+2029.
 * Objects without a prototype are Go maps, written with their keys in Go's order (by bytes);
 * other objects are structs, written in their own key order.
 */
export function goJson(value: unknown): string {
  return goEscapes(JSON.stringify(value, null, 2))
}

/** The same text as goJson, written here key by key: for maps whose keys JSON.stringify would reorder. */
function marshal(value: unknown, indent: string): string {
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return `[\n${value.map((item) => `${inner}${marshal(item, inner)}`).join(',\n')}\n${indent}]`
  }

  if (typeof value === 'object' && value !== null) {
    const keys = Object.getPrototypeOf(value) === null ? goSortedKeys(value) : Object.keys(value)
    const fields = keys.map((key) => [key, (value as Record<string, unknown>)[key]] as const).filter(([, v]) => v !== undefined)
    if (fields.length === 0) return '{}'
    return `{\n${fields.map(([key, v]) => `${inner}${JSON.stringify(key)}: ${marshal(v, inner)}`).join(',\n')}\n${indent}}`
  }

  return JSON.stringify(value)
}

function goEscapes(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * Catalog JSON exactly as RCC shapes it. File names are map keys: JSON.stringify writes them in
 * the order they were set (Go's), except names that look like array indexes ("10", "9"), which
 * every JS object lists first; a catalog holding one is written key by key instead (slower).
 */
export function serializeCatalog(catalog: Catalog): string {
  const found = {indexKey: false}
  const value = {...catalogInfo(catalog), lifted: catalog.lifted, tree: orderDir(catalog.tree, found)}
  return found.indexKey ? goEscapes(marshal(value, '')) : goJson(value)
}

export interface SaveCatalogOptions {
  codec: CodecName
  level?: number
  zstdBackend?: ZstdBackend | 'auto'
  /** fsync before rename; default true. */
  fsync?: boolean
}

export interface SavedCatalog {
  path: string
  name: string
  bytes: number
}

/** Write `catalog/<name>` (compressed per codec) and `<name>.info`, each atomically. */
export async function saveCatalog(root: string, catalog: Catalog, options: SaveCatalogOptions): Promise<SavedCatalog> {
  const {catalogDir} = libraryLayout(root)
  await fsp.mkdir(catalogDir, {recursive: true})
  const name = catalogName(catalog.blueprint, catalog.platform)
  const path = join(catalogDir, name)
  const json = Buffer.from(serializeCatalog(catalog))
  // RCC always compresses catalogs, even in a compress.no library; gzip is what every RCC reads.
  const codec = options.codec === 'none' ? 'gzip' : options.codec
  // Loaded here: a drop, which only reads catalogs, does not load the compressors and streams.
  const {compressBuffer} = await import('./codec/compress.js')
  const stored = await compressBuffer(codec, json, {level: options.level, zstdBackend: options.zstdBackend})
  await writeFileAtomic(`${path}.info`, goJson(catalogInfo(catalog)), {fsync: options.fsync})
  await writeFileAtomic(path, stored, {fsync: options.fsync})
  return {path, name, bytes: stored.length}
}

/** Read a catalog in any format (gzip, zstd or raw JSON, by magic bytes) and check its shape. */
export async function loadCatalog(path: string, options: {given?: boolean} = {}): Promise<Catalog> {
  return (await readCatalogFile(path, options)).catalog
}

/**
 * The most bytes a catalog may hold, stored or decoded: 128 MiB unless HOLOBENCH_MAX_CATALOG_BYTES
 * (a positive integer, in bytes) says otherwise. RCC writes a few hundred bytes of JSON per file,
 * so real catalogs of 50,000 files are a few tens of MB and this leaves room for ~500,000; a
 * decompression bomb posing as a catalog stops here instead of filling memory (JSON.parse
 * needs several times the text's size on top).
 */
export const DEFAULT_CATALOG_MAX_BYTES = 128 * 1024 * 1024
const CATALOG_MAX_ENV = 'HOLOBENCH_MAX_CATALOG_BYTES'

/** The catalog cap in bytes (see DEFAULT_CATALOG_MAX_BYTES); EUSAGE for a bad override. */
export function catalogMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const value = env[CATALOG_MAX_ENV]
  if (value === undefined || value === '') return DEFAULT_CATALOG_MAX_BYTES
  if (!/^[1-9]\d*$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new HoloError('EUSAGE', `${CATALOG_MAX_ENV} must be a positive whole number of bytes, got ${JSON.stringify(value)}`)
  }
  return Number(value)
}

/**
 * The catalog and its stored bytes (for callers that report the stored format and size).
 * `given`: the user named this path, so a missing file is a usage error (exit 2), not EMISSING.
 */
export async function readCatalogFile(path: string, options: {given?: boolean} = {}): Promise<{catalog: Catalog; stored: Buffer}> {
  const cap = catalogMaxBytes()
  const capHint = `the catalog cap of ${cap} bytes (${CATALOG_MAX_ENV} raises it)`
  let stored: Buffer
  try {
    const handle = await fsp.open(path, 'r')
    try {
      const {size} = await handle.stat()
      if (size > cap) throw new HoloError('ECORRUPT', `Catalog ${path} is ${size} bytes, more than ${capHint}`, {path, data: {limit: cap}})
      stored = await handle.readFile()
    } finally {
      await handle.close()
    }
  } catch (error) {
    if (error instanceof HoloError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      // A catalog someone names is an input; one that vanished from a library is a missing file.
      if (options.given) throw new HoloError('EUSAGE', `No catalog at ${path}: no such file. ${CATALOG_HINT}`, {path, cause: error})
      throw new HoloError('EMISSING', `Cannot read catalog ${path}: no such file`, {path, cause: error})
    }

    if (code === 'EISDIR') throw new HoloError('EUSAGE', notACatalogFile(path), {path, cause: error})
    throw explainSystemError(error, 'Cannot read catalog', path)
  }

  const format = detectFormat(stored)
  const json = await decompressBuffer(stored, {path, entry: 'catalog', maxSize: cap}).catch((error: unknown) => {
    if (error instanceof HoloError && error.data?.limit === cap) throw new HoloError(error.code, `${error.message} (${capHint})`, {path, data: error.data, cause: error})
    throw error
  })
  let parsed: unknown
  try {
    parsed = JSON.parse(json.toString('utf8'))
  } catch (error) {
    // Plain text that is not JSON is some other file, not a damaged catalog (those are compressed).
    if (format === 'raw') throw new HoloError('EUSAGE', `${path} is not a catalog: it is neither gzip, zstd nor JSON. ${CATALOG_HINT}`, {path, cause: error})
    throw new HoloError('ECORRUPT', `Catalog ${path} is not valid JSON: ${(error as Error).message}`, {path, cause: error})
  }

  if (isObject(parsed) && parsed.tree === undefined && typeof parsed.blueprint === 'string' && path.endsWith('.info')) {
    throw new HoloError('EUSAGE', `${path} is a catalog's .info file (its Info fields only, no tree): pass the catalog beside it, ${path.slice(0, -'.info'.length)}`, {path})
  }

  return {catalog: validateCatalog(parsed, path), stored}
}

const CATALOG_HINT = 'Pass a catalog: a file in a hololib\'s catalog/ directory named <blueprint>v12.<platform>.'

/** What to say when a directory is given where a catalog file is expected. */
function notACatalogFile(path: string): string {
  const layout = libraryLayout(path)
  const inside = existsSync(layout.catalogDir) ? layout.catalogDir : basename(path) === 'catalog' ? path : undefined
  if (inside === undefined) return `${path} is a directory, not a catalog file. ${CATALOG_HINT}`
  let names: string[] = []
  try {
    names = readdirSync(inside).filter((name) => isCatalogName(name))
  } catch {
    // Unreadable: the hint goes without examples.
  }

  const what = inside === path ? "a hololib's catalog/ directory" : 'a hololib'
  const examples = names.length > 0 ? `, for example ${join(inside, names[0])}${names.length > 1 ? ` (${names.length} catalogs there)` : ''}` : ''
  return `${path} is ${what}, not a catalog file: pass one of the catalogs in ${inside}${examples}`
}

/** Deeper trees are refused: no path that deep can be opened (PATH_MAX is 4096 bytes on Linux). */
export const MAX_TREE_DEPTH = 1024

/** Go's fs.FileMode is a uint32: anything else is no mode RCC could have written. */
export function isGoMode(mode: unknown): mode is number {
  return Number.isSafeInteger(mode) && (mode as number) >= 0 && (mode as number) < 2 ** 32
}

/**
 * Check the catalog's shape and values before anything is written, naming the file and the
 * entry (its path in the tree) of the first problem: EINPUT. Iterative, so any depth of JSON is
 * refused cleanly (above MAX_TREE_DEPTH) rather than overflowing the stack. Names, link targets
 * and Info strings are made well-formed as Go's encoding/json decodes them: a lone surrogate
 * escape (`"\udc80"`) becomes U+FFFD, so a restore of an unchanged catalog writes nothing.
 */
export function validateCatalog(value: unknown, path: string): Catalog {
  const fail = (where: string, what: string): never => {
    throw new HoloError('EINPUT', `Catalog ${path}: ${where} ${what}`, {path, data: {where}})
  }

  if (!isObject(value)) fail('top level', 'is not an object')
  const root = value as Record<string, unknown>
  for (const key of ['identity', 'path', 'platform', 'blueprint']) {
    if (typeof root[key] !== 'string') fail(key, 'is missing or not a string')
  }

  if (!isObject(root.tree)) fail('tree', 'is missing or not an object')
  const text = (key: string) => goDecoded(root[key] as string)
  const identityBytes = Buffer.byteLength(text('identity'))
  const stack: Array<{dir: unknown; rel: string; depth: number}> = [{dir: root.tree, rel: '', depth: 0}]
  while (stack.length > 0) {
    const {dir, rel, depth} = stack.pop() as {dir: unknown; rel: string; depth: number}
    if (depth > MAX_TREE_DEPTH) fail(`entry ${rel.length > 80 ? `${rel.slice(0, 80)}…` : rel}`, `is more than ${MAX_TREE_DEPTH} directories deep: no system can open a path that deep`)
    for (const sub of checkDir(dir, rel, identityBytes, fail)) stack.push({...sub, depth: depth + 1})
  }

  return {
    ...(typeof root.rcc === 'string' ? {rcc: goDecoded(root.rcc)} : {}),
    identity: text('identity'),
    path: text('path'),
    controller: typeof root.controller === 'string' ? goDecoded(root.controller) : '',
    space: typeof root.space === 'string' ? goDecoded(root.space) : '',
    platform: text('platform'),
    blueprint: text('blueprint'),
    lifted: root.lifted === true,
    tree: root.tree as CatalogDir,
  }
}

type Fail = (where: string, what: string) => never

/** A string as Go decodes it from JSON: lone surrogates become U+FFFD. */
function goDecoded(value: string): string {
  return LONE_SURROGATE.test(value) ? value.replace(LONE_SURROGATE_ALL, '\ufffd') : value
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
const LONE_SURROGATE_ALL = new RegExp(LONE_SURROGATE.source, 'g')

/** Entries named with lone surrogates are re-keyed with U+FFFD, as Go's decoder keys them. */
function goKeys(map: Record<string, unknown>): Record<string, unknown> {
  if (!Object.keys(map).some((name) => LONE_SURROGATE.test(name))) return map
  const fixed = nameMap<unknown>()
  for (const [name, value] of Object.entries(map)) setName(fixed, goDecoded(name), value)
  return fixed
}

function entryName(rel: string): string {
  return rel === '' ? 'the tree root' : `entry ${rel}`
}

/** Check one directory's own fields and files; returns its subdirectories to visit. */
function checkDir(dir: unknown, rel: string, identityBytes: number, fail: Fail): Array<{dir: unknown; rel: string}> {
  const where = entryName(rel)
  if (!isObject(dir)) fail(where, 'is not an object')
  const d = dir as Record<string, unknown>
  if (typeof d.name !== 'string') fail(where, 'has no name string')
  d.name = goDecoded(d.name as string)
  if (!isGoMode(d.mode)) fail(where, `has mode ${JSON.stringify(d.mode)}: not a Go file mode (an integer from 0 to 4294967295)`)
  if (d.symlink !== undefined && typeof d.symlink !== 'string') fail(where, 'has a symlink that is not a string')
  if (typeof d.symlink === 'string') d.symlink = goDecoded(d.symlink)
  // Go writes null for a nil map; treat it as empty.
  d.subdirs ??= {}
  d.files ??= {}
  if (!isObject(d.subdirs)) fail(where, 'has subdirs that are not an object')
  if (!isObject(d.files)) fail(where, 'has files that are not an object')
  d.subdirs = goKeys(d.subdirs as Record<string, unknown>)
  d.files = goKeys(d.files as Record<string, unknown>)
  const prefix = rel === '' ? '' : `${rel}/`
  for (const [name, file] of Object.entries(d.files as object)) checkFile(file, prefix + name, identityBytes, fail)
  return Object.entries(d.subdirs as object).map(([name, sub]) => ({dir: sub, rel: prefix + name}))
}

const HEX_DIGEST = /^(?:[0-9a-f]{64}|[0-9a-f]{32})$/

function checkFile(file: unknown, rel: string, identityBytes: number, fail: Fail): void {
  const where = `entry ${rel}`
  if (!isObject(file)) fail(where, 'is not an object')
  const f = file as Record<string, unknown>
  if (typeof f.name !== 'string') fail(where, 'has no name string')
  f.name = goDecoded(f.name as string)
  if (f.symlink !== undefined && typeof f.symlink !== 'string') fail(where, 'has a symlink that is not a string')
  if (typeof f.symlink === 'string') f.symlink = goDecoded(f.symlink)
  if (!Number.isSafeInteger(f.size) || (f.size as number) < 0) fail(where, `has size ${JSON.stringify(f.size)}: not a non-negative integer`)
  if (!isGoMode(f.mode)) fail(where, `has mode ${JSON.stringify(f.mode)}: not a Go file mode (an integer from 0 to 4294967295)`)
  if (typeof f.digest !== 'string') fail(where, `has digest ${JSON.stringify(f.digest)}: not a string`)
  // Links may carry no digest (a dangling link); content must be named by 64 (SHA-256) or 32 (SipHash-128) lowercase hex.
  if (!(f.symlink && f.digest === '') && !HEX_DIGEST.test(f.digest as string)) {
    fail(where, `has digest ${JSON.stringify(f.digest)}: not 64 (SHA-256) or 32 (SipHash-128) lowercase hex characters`)
  }

  f.rewrite ??= []
  if (!Array.isArray(f.rewrite)) fail(where, 'has rewrite that is not an array of offsets')
  let previous = -1
  for (const offset of f.rewrite as unknown[]) {
    if (!Number.isSafeInteger(offset) || (offset as number) < 0) fail(where, `has relocation offset ${JSON.stringify(offset)}: not a non-negative integer`)
    if ((offset as number) <= previous) fail(where, `has relocation offsets out of order (${offset} after ${previous}): they must ascend`)
    if ((offset as number) + identityBytes > (f.size as number)) {
      fail(where, `has relocation offset ${offset}: the identity (${identityBytes} bytes) written there would run past its size, ${f.size} bytes`)
    }

    previous = offset as number
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A file of a catalog with its path relative to the tree root ('/'-separated). */
export interface CatalogEntry {
  rel: string
  file: CatalogFile
}

/** Every file entry (symlinks included) of a catalog, depth first; shadow dirs are not entered. */
export function* catalogFiles(dir: CatalogDir, prefix = ''): Generator<CatalogEntry> {
  for (const [name, file] of Object.entries(dir.files)) yield {rel: prefix + name, file}
  for (const [name, sub] of Object.entries(dir.subdirs)) {
    if (sub.shadow || sub.symlink) continue
    yield* catalogFiles(sub, `${prefix}${name}/`)
  }
}
