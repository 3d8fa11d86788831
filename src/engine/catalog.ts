import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {compressBuffer, decompressBuffer} from './codec/index.js'
import {HoloError} from './errors.js'
import {writeFileAtomic} from './fs/atomic.js'
import {libraryLayout} from './library.js'
import {goKeyOrder} from './names.js'
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

/** A Dir as it is marshalled: `subdirs` and `files` are Go maps (Map, written in Go's key order). */
interface WireDir {
  name: string
  symlink?: string
  mode: number
  subdirs: Map<string, WireDir>
  files: Map<string, CatalogFile>
  shadow?: boolean
}

function orderDir(dir: CatalogDir): WireDir {
  const subdirs = new Map<string, WireDir>()
  for (const [name, sub] of Object.entries(dir.subdirs)) subdirs.set(name, orderDir(sub))
  const files = new Map<string, CatalogFile>()
  for (const [name, file] of Object.entries(dir.files)) files.set(name, orderFile(file))
  return {
    name: dir.name,
    ...(dir.symlink ? {symlink: dir.symlink} : {}),
    mode: dir.mode,
    subdirs,
    files,
    ...(dir.shadow ? {shadow: true} : {}),
  }
}

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
 * JSON as Go's json.MarshalIndent(it, "", "  ") writes it (RCC's AsJson): struct fields (plain
 * objects) in declaration order, Go maps (a Map here) with keys sorted by bytes, two-space indent,
 * no trailing newline, and Go's escaping of <, >, &, U+2028, U+2029. Map keys are data (file
 * names): a plain object would put integer-like names first and treat `__proto__` as special.
 */
export function goJson(value: unknown): string {
  return marshal(value, '')
}

function marshal(value: unknown, indent: string): string {
  const inner = `${indent}  `
  if (value instanceof Map) {
    const keys = [...value.keys()].map(String).sort(goKeyOrder)
    if (keys.length === 0) return '{}'
    return `{\n${keys.map((key) => `${inner}${goString(key)}: ${marshal(value.get(key), inner)}`).join(',\n')}\n${indent}}`
  }

  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return `[\n${value.map((item) => `${inner}${marshal(item, inner)}`).join(',\n')}\n${indent}]`
  }

  if (typeof value === 'object' && value !== null) {
    const fields = Object.entries(value).filter(([, v]) => v !== undefined)
    if (fields.length === 0) return '{}'
    return `{\n${fields.map(([key, v]) => `${inner}${goString(key)}: ${marshal(v, inner)}`).join(',\n')}\n${indent}}`
  }

  return typeof value === 'string' ? goString(value) : JSON.stringify(value)
}

function goString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Catalog JSON exactly as RCC shapes it. */
export function serializeCatalog(catalog: Catalog): string {
  return goJson({...catalogInfo(catalog), lifted: catalog.lifted, tree: orderDir(catalog.tree)})
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
  const stored = await compressBuffer(codec, json, {level: options.level, zstdBackend: options.zstdBackend})
  await writeFileAtomic(`${path}.info`, goJson(catalogInfo(catalog)), {fsync: options.fsync})
  await writeFileAtomic(path, stored, {fsync: options.fsync})
  return {path, name, bytes: stored.length}
}

/** Read a catalog in any format (gzip, zstd or raw JSON, by magic bytes) and check its shape. */
export async function loadCatalog(path: string): Promise<Catalog> {
  return (await readCatalogFile(path)).catalog
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

/** The catalog and its stored bytes (for callers that report the stored format and size). */
export async function readCatalogFile(path: string): Promise<{catalog: Catalog; stored: Buffer}> {
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
    throw new HoloError(code === 'ENOENT' ? 'EMISSING' : 'ECORRUPT', `Cannot read catalog ${path}: ${(error as Error).message}`, {path, cause: error})
  }

  const json = await decompressBuffer(stored, {path, entry: 'catalog', maxSize: cap}).catch((error: unknown) => {
    if (error instanceof HoloError && error.data?.limit === cap) throw new HoloError(error.code, `${error.message} (${capHint})`, {path, data: error.data, cause: error})
    throw error
  })
  let parsed: unknown
  try {
    parsed = JSON.parse(json.toString('utf8'))
  } catch (error) {
    throw new HoloError('ECORRUPT', `Catalog ${path} is not valid JSON: ${(error as Error).message}`, {path, cause: error})
  }

  return {catalog: validateCatalog(parsed, path), stored}
}

/** Check the catalog's shape, naming the file and the JSON path of the first problem. */
export function validateCatalog(value: unknown, path: string): Catalog {
  const fail = (where: string, what: string): never => {
    throw new HoloError('ECORRUPT', `Catalog ${path}: ${where} ${what}`, {path, data: {where}})
  }

  if (!isObject(value)) fail('top level', 'is not an object')
  const root = value as Record<string, unknown>
  for (const key of ['identity', 'path', 'platform', 'blueprint']) {
    if (typeof root[key] !== 'string') fail(key, 'is missing or not a string')
  }

  if (!isObject(root.tree)) fail('tree', 'is missing or not an object')
  checkDir(root.tree, 'tree', fail)
  return {
    ...(typeof root.rcc === 'string' ? {rcc: root.rcc} : {}),
    identity: root.identity as string,
    path: root.path as string,
    controller: typeof root.controller === 'string' ? root.controller : '',
    space: typeof root.space === 'string' ? root.space : '',
    platform: root.platform as string,
    blueprint: root.blueprint as string,
    lifted: root.lifted === true,
    tree: root.tree as CatalogDir,
  }
}

type Fail = (where: string, what: string) => never

function checkDir(dir: unknown, where: string, fail: Fail): void {
  if (!isObject(dir)) fail(where, 'is not an object')
  const d = dir as Record<string, unknown>
  if (typeof d.name !== 'string') fail(`${where}.name`, 'is not a string')
  if (typeof d.mode !== 'number') fail(`${where}.mode`, 'is not a number')
  if (d.symlink !== undefined && typeof d.symlink !== 'string') fail(`${where}.symlink`, 'is not a string')
  // Go writes null for a nil map; treat it as empty.
  d.subdirs ??= {}
  d.files ??= {}
  if (!isObject(d.subdirs)) fail(`${where}.subdirs`, 'is not an object')
  if (!isObject(d.files)) fail(`${where}.files`, 'is not an object')
  for (const [name, sub] of Object.entries(d.subdirs as object)) checkDir(sub, `${where}/${name}`, fail)
  for (const [name, file] of Object.entries(d.files as object)) checkFile(file, `${where}/${name}`, fail)
}

function checkFile(file: unknown, where: string, fail: Fail): void {
  if (!isObject(file)) fail(where, 'is not an object')
  const f = file as Record<string, unknown>
  if (typeof f.name !== 'string') fail(`${where}.name`, 'is not a string')
  if (f.symlink !== undefined && typeof f.symlink !== 'string') fail(`${where}.symlink`, 'is not a string')
  if (!Number.isSafeInteger(f.size) || (f.size as number) < 0) fail(`${where}.size`, 'is not a non-negative integer')
  if (typeof f.mode !== 'number') fail(`${where}.mode`, 'is not a number')
  if (typeof f.digest !== 'string') fail(`${where}.digest`, 'is not a string')
  f.rewrite ??= []
  if (!Array.isArray(f.rewrite) || !(f.rewrite as unknown[]).every((o) => Number.isSafeInteger(o) && (o as number) >= 0)) {
    fail(`${where}.rewrite`, 'is not an array of non-negative integer offsets')
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
