import {HoloError} from '../engine/errors.js'
import {FILE_KINDS, type FileKind, type ScenarioDefinition, definitionDigest} from './definition.js'
import {allocateByRate, apportion, sampleSize} from './distribution.js'
import {spaceIdentity} from './identity.js'
import {EXTENSION_SUFFIX, PYC_SUFFIX, PY_VERSION, SITE_PACKAGES, type PackageLayout, layoutPackages} from './layout.js'
import {NameScope, identifier, pickSkewed} from './names.js'
import {Rng} from './prng.js'
import {CODE_WORDS} from './vocabulary.js'

/** What a file is for; renderers pick their template by role. */
export type Role =
  | 'init' | 'module' | 'bytecode' | 'extension' | 'sharedlib' | 'program' | 'entrypoint' | 'activate'
  | 'pyvenv' | 'pth' | 'conda-meta' | 'pkgconfig' | 'ini'
  | 'METADATA' | 'RECORD' | 'WHEEL' | 'INSTALLER' | 'top_level' | 'LICENSE' | 'entry_points' | 'REQUESTED' | 'doc'
  | 'csv' | 'json' | 'txt' | 'dat'

/** Roles whose real-world counterparts never name the prefix (templates, licences, tables). */
const NEVER_RELOCATED: ReadonlySet<Role> = new Set<Role>(['WHEEL', 'INSTALLER', 'top_level', 'LICENSE', 'entry_points', 'REQUESTED', 'METADATA', 'csv', 'txt', 'dat'])

/** Relocated files are at least this big, so the path always fits whole. */
const MIN_RELOCATED_SIZE: Record<FileKind, number> = {py: 600, pyc: 600, so: 16_384, exe: 16_384, script: 200, config: 200, text: 400, data: 400}

/** Executable bits go to these roles first, as in a real prefix. */
const EXECUTABLE_ORDER: readonly Role[] = ['program', 'entrypoint', 'sharedlib', 'extension', 'module']

export interface PlannedFile {
  path: string // relative to the tree root, POSIX separators
  kind: FileKind
  role: Role
  size: number // requested size; templated roles (WHEEL, RECORD, …) choose their own
  mode: number
  relocated: boolean
  pkg?: PlannedPackage
  source?: string // bytecode: the module it was compiled from
}

export interface PlannedPackage extends PackageLayout {
  files: PlannedFile[] // everything installed for it, for RECORD and conda-meta listings
}

export interface PlannedLink {
  path: string
  target: string // relative, as the link stores it
  dir: boolean // the target is a directory
}

export interface TreePlan {
  definition: ScenarioDefinition
  definitionDigest: string
  seed: number
  identity: string
  files: PlannedFile[]
  links: PlannedLink[]
  dirs: string[] // every directory below the root, parents first
}

/** Exact number of regular files of each kind. Seed-independent. */
export function kindCounts(definition: ScenarioDefinition): Record<FileKind, number> {
  const parts = apportion(definition.files, FILE_KINDS.map((kind) => definition.kinds[kind].weight))
  return Object.fromEntries(FILE_KINDS.map((kind, i) => [kind, parts[i]])) as Record<FileKind, number>
}

/** Decide every path, kind, size, mode, relocation and link of a tree; no I/O. */
export function planTree(definition: ScenarioDefinition, seed: number): TreePlan {
  const digest = definitionDigest(definition)
  const rng = new Rng(`holobench:${digest}:${seed}`)
  const counts = kindCounts(definition)
  const files = placeFiles(rng.fork('place'), definition, counts)
  chooseRelocated(rng.fork('relocate'), definition, files)
  chooseExecutables(definition, files)
  chooseSizes(rng.fork('size'), definition, files)
  const links = planLinks(definition, files)
  return {definition, definitionDigest: digest, seed, identity: spaceIdentity(digest, seed), files, links, dirs: parentDirs(files, links)}
}

function placeFiles(rng: Rng, definition: ScenarioDefinition, counts: Record<FileKind, number>): PlannedFile[] {
  const packageCount = Math.max(1, Math.round(definition.files / definition.layout.filesPerPackage))
  const packages: PlannedPackage[] = layoutPackages(rng.fork('packages'), packageCount, counts.py, definition.layout).map((p) => ({...p, files: []}))
  const scopes = new Map<string, NameScope>()
  const scope = (dir: string): NameScope => {
    let s = scopes.get(dir)
    if (!s) scopes.set(dir, (s = new NameScope()))
    return s
  }
  const files: PlannedFile[] = []
  const add = (dir: string, name: string, kind: FileKind, role: Role, pkg?: PlannedPackage, ext = ''): PlannedFile => {
    const file: PlannedFile = {path: `${dir}/${scope(dir).claim(name, ext)}`.replace(/^\//, ''), kind, role, size: 0, mode: 0o644, relocated: false, pkg}
    files.push(file)
    pkg?.files.push(file)
    return file
  }
  const pickPackage = (r: Rng): PlannedPackage => weightedPick(r, packages)

  // Modules: an __init__.py per package directory first, then modules in random directories.
  const modules = placeModules(rng.fork('py'), packages, counts.py, add)
  // Bytecode beside its source in __pycache__, like compileall; extra .pyc are orphans.
  const pycRng = rng.fork('pyc')
  const sources = pycRng.shuffle([...modules])
  for (let i = 0; i < counts.pyc; i++) {
    const source = sources[i]
    if (source) {
      const slash = source.path.lastIndexOf('/')
      const stem = source.path.slice(slash + 1, -3)
      add(`${source.path.slice(0, slash)}/__pycache__`, stem, 'pyc', 'bytecode', source.pkg, PYC_SUFFIX).source = source.path
    } else {
      const pkg = pickPackage(pycRng)
      const dir = pycRng.pick(pkg.dirs)
      const stem = identifier(pycRng)
      add(`${dir}/__pycache__`, stem, 'pyc', 'bytecode', pkg, PYC_SUFFIX).source = `${dir}/${stem}.py`
    }
  }
  // Shared libraries: about a third in lib/ (libssl.so.3 …), the rest extension modules.
  const soRng = rng.fork('so')
  const shared = Math.ceil(counts.so / 3)
  for (let i = 0; i < counts.so; i++) {
    if (i < shared) add('lib', sharedLibName(soRng, i), 'so', 'sharedlib')
    else {
      const pkg = pickPackage(soRng)
      add(soRng.pick(pkg.dirs), `_${pickSkewed(soRng, CODE_WORDS)}`, 'so', 'extension', pkg, EXTENSION_SUFFIX)
    }
  }
  const exeRng = rng.fork('exe')
  for (let i = 0; i < counts.exe; i++) add('bin', PROGRAMS[i] ?? pickSkewed(exeRng, CODE_WORDS), 'exe', 'program')
  const scriptRng = rng.fork('script')
  for (let i = 0; i < counts.script; i++) {
    if (i % 12 === 1) add('bin', ACTIVATE[Math.floor(i / 12) % ACTIVATE.length], 'script', 'activate')
    else {
      const pkg = packages[i % packages.length]
      add('bin', i === 0 ? 'pip' : i < packages.length ? pkg.name.replace(/_/g, '-') : `${pkg.name}-${pickSkewed(scriptRng, CODE_WORDS)}`, 'script', 'entrypoint', pkg)
    }
  }
  placeConfig(rng.fork('config'), counts.config, packages, files, add)
  placeText(rng.fork('text'), counts.text, packages, add)
  placeData(rng.fork('data'), counts.data, packages, add)
  return files
}

type Add = (dir: string, name: string, kind: FileKind, role: Role, pkg?: PlannedPackage, ext?: string) => PlannedFile

function placeModules(rng: Rng, packages: PlannedPackage[], count: number, add: Add): PlannedFile[] {
  const modules: PlannedFile[] = []
  const perPackage = apportion(count, packages.map((p) => p.weight))
  packages.forEach((pkg, i) => {
    const n = perPackage[i]
    pkg.dirs = pkg.dirs.slice(0, Math.max(1, Math.min(pkg.dirs.length, n)))
    for (let j = 0; j < n; j++) {
      const dir = j < pkg.dirs.length ? pkg.dirs[j] : rng.pick(pkg.dirs)
      modules.push(j < pkg.dirs.length ? add(dir, '__init__', 'py', 'init', pkg, '.py') : add(dir, identifier(rng), 'py', 'module', pkg, '.py'))
    }
  })
  return modules
}

function placeConfig(rng: Rng, count: number, packages: PlannedPackage[], files: PlannedFile[], add: Add): void {
  const libs = files.filter((f) => f.role === 'sharedlib')
  for (let i = 0; i < count; i++) {
    if (i === 0) add('', 'pyvenv', 'config', 'pyvenv', undefined, '.cfg')
    else if (i === 1) add(SITE_PACKAGES, 'distutils-precedence', 'config', 'pth', undefined, '.pth')
    else if (i - 2 < packages.length) {
      const pkg = packages[i - 2]
      add('conda-meta', `${pkg.name}-${pkg.version}-py311_0`, 'config', 'conda-meta', pkg, '.json')
    } else if (i - 2 - packages.length < libs.length) {
      const lib = libs[i - 2 - packages.length]
      add('lib/pkgconfig', lib.path.slice(7).replace(/\.so.*$/, ''), 'config', 'pkgconfig', undefined, '.pc')
    } else if (rng.chance(0.5)) add(SITE_PACKAGES, identifier(rng), 'config', 'pth', undefined, '.pth')
    else add('etc', identifier(rng), 'config', 'ini', undefined, rng.pick(['.cfg', '.ini', '.conf']))
  }
}

const DIST_INFO: readonly [string, Role][] = [
  ['METADATA', 'METADATA'], ['RECORD', 'RECORD'], ['WHEEL', 'WHEEL'], ['INSTALLER', 'INSTALLER'],
  ['top_level.txt', 'top_level'], ['LICENSE', 'LICENSE'], ['entry_points.txt', 'entry_points'], ['REQUESTED', 'REQUESTED'],
]

function placeText(rng: Rng, count: number, packages: PlannedPackage[], add: Add): void {
  // dist-info files level by level (every package gets METADATA before any gets RECORD), then docs.
  for (let i = 0; i < count; i++) {
    const level = Math.floor(i / packages.length)
    const pkg = packages[i % packages.length]
    if (level < DIST_INFO.length) add(pkg.distInfo, DIST_INFO[level][0], 'text', DIST_INFO[level][1], pkg)
    else add(`share/doc/${pkg.name}`, identifier(rng), 'text', 'doc', pkg, rng.pick(['.txt', '.md', '.rst']))
  }
}

function placeData(rng: Rng, count: number, packages: PlannedPackage[], add: Add): void {
  for (let i = 0; i < count; i++) {
    const pkg = weightedPick(rng, packages)
    const [role, ext] = rng.pick<[Role, string]>([['json', '.json'], ['json', '.json'], ['csv', '.csv'], ['txt', '.txt'], ['dat', '.dat']])
    const dir = rng.chance(0.3) ? `share/${pkg.name}` : rng.chance(0.5) ? `${pkg.dirs[0]}/data` : rng.pick(pkg.dirs)
    add(dir, identifier(rng), 'data', role, pkg, ext)
  }
}

/** Exactly round(share × files) relocated files, spread over kinds by relocationWeight. */
function chooseRelocated(rng: Rng, definition: ScenarioDefinition, files: PlannedFile[]): void {
  const target = Math.round(definition.relocationShare * definition.files)
  const candidates = FILE_KINDS.map((kind) => files.filter((f) => f.kind === kind && !NEVER_RELOCATED.has(f.role)))
  let quotas: number[]
  try {
    quotas = allocateByRate(target, FILE_KINDS.map((kind) => definition.kinds[kind].relocationWeight), candidates.map((c) => c.length))
  } catch {
    const room = FILE_KINDS.filter((kind) => definition.kinds[kind].relocationWeight > 0)
      .map((kind) => `${kind}: ${candidates[FILE_KINDS.indexOf(kind)].length}`)
      .join(', ')
    throw new HoloError('EUSAGE', `scenario ${definition.name}: relocationShare ${definition.relocationShare} needs ${target} relocated files, but only files of kinds with a positive relocationWeight can hold the path (${room || 'none'})`, {data: {field: 'relocationShare'}})
  }
  candidates.forEach((list, i) => {
    for (const file of rng.shuffle([...list]).slice(0, quotas[i])) file.relocated = true
  })
}

/** Exactly round(share × files) files get 0755, programs and entry points first. */
function chooseExecutables(definition: ScenarioDefinition, files: PlannedFile[]): void {
  let left = Math.round(definition.executableShare * definition.files)
  for (const role of EXECUTABLE_ORDER) {
    for (const file of files) {
      if (left === 0) return
      if (file.role === role) {
        file.mode = 0o755
        left--
      }
    }
  }
}

/** Sizes from each kind's distribution; relocated files big enough for the path; some empties. */
function chooseSizes(rng: Rng, definition: ScenarioDefinition, files: PlannedFile[]): void {
  for (const file of files) {
    const size = sampleSize(rng, definition.kinds[file.kind].size)
    file.size = file.relocated ? Math.max(size, MIN_RELOCATED_SIZE[file.kind]) : Math.max(size, 1)
  }
  for (const kind of FILE_KINDS) {
    const plain = files.filter((f) => f.kind === kind && !f.relocated)
    const empties = Math.round(definition.kinds[kind].emptyShare * plain.length)
    // Empty files are mostly __init__.py in real environments.
    const order = rng.shuffle([...plain]).sort((a, b) => Number(b.role === 'init') - Number(a.role === 'init'))
    for (const file of order.slice(0, empties)) file.size = 0
  }
}

const PROGRAMS = [`python${PY_VERSION}`, 'openssl', 'sqlite3', 'xz', 'bzip2', 'zstd', 'tclsh8.6', 'wish8.6', 'lzma', 'x86_64-conda-linux-gnu-ld', 'c_rehash', 'idle-bin']
const ACTIVATE = ['activate', 'activate.sh', 'rcc_activate.sh', 'activate.fish']
const SHARED_LIBS = [
  `libpython${PY_VERSION}.so.1.0`, 'libssl.so.3', 'libcrypto.so.3', 'libffi.so.8.1.2', 'libsqlite3.so.0.8.6', 'libz.so.1.2.13',
  'libbz2.so.1.0.8', 'liblzma.so.5.4.5', 'libexpat.so.1.8.10', 'libncursesw.so.6.4', 'libreadline.so.8.2', 'libtinfow.so.6.4',
  'libuuid.so.1.3.0', 'libgcc_s.so.1', 'libstdc++.so.6.0.32', 'libgomp.so.1.0.0', 'libtcl8.6.so', 'libtk8.6.so',
]

function sharedLibName(rng: Rng, i: number): string {
  return SHARED_LIBS[i] ?? `lib${pickSkewed(rng, CODE_WORDS)}.so.${rng.range(0, 9)}.${rng.range(0, 20)}.${rng.range(0, 9)}`
}

/** Links like a real prefix has them: lib64 -> lib, python3 -> python3.11, libssl.so -> libssl.so.3. */
function planLinks(definition: ScenarioDefinition, files: PlannedFile[]): PlannedLink[] {
  const want = Math.round(definition.symlinkShare * definition.files)
  const taken = new Set(files.map((f) => f.path))
  const links: PlannedLink[] = []
  const link = (path: string, target: string, dir = false): void => {
    if (links.length < want && !taken.has(path)) {
      taken.add(path)
      links.push({path, target, dir})
    }
  }
  if (files.some((f) => f.path.startsWith('lib/'))) link('lib64', 'lib', true)
  if (taken.has(`bin/python${PY_VERSION}`)) {
    link('bin/python3', `python${PY_VERSION}`)
    link('bin/python', `python${PY_VERSION}`)
  }
  for (const file of files) {
    if (file.role !== 'sharedlib') continue
    const base = file.path.slice(4)
    const m = /^(.*\.so)\.(\d+)\.\d+/.exec(base)
    if (m) link(`lib/${m[1]}.${m[2]}`, base)
    link(`lib/${base.replace(/\.so.*$/, '.so')}`, base)
  }
  for (const file of files) {
    if (file.role === 'entrypoint') link(`${file.path}3`, file.path.slice(4))
  }
  // Beyond the usual suspects: versioned aliases of data files (share/…/x-latest.json -> x.json).
  for (const file of files) {
    if (links.length >= want) break
    if (file.kind !== 'data') continue
    const slash = file.path.lastIndexOf('/')
    const name = file.path.slice(slash + 1)
    const dot = name.lastIndexOf('.')
    link(`${file.path.slice(0, slash)}/${name.slice(0, dot)}-latest${name.slice(dot)}`, name)
  }
  return links
}

function parentDirs(files: PlannedFile[], links: PlannedLink[]): string[] {
  const dirs = new Set<string>()
  for (const {path} of [...files, ...links]) {
    for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) dirs.add(path.slice(0, i))
  }
  return [...dirs].sort()
}

function weightedPick<T extends {weight: number}>(rng: Rng, items: readonly T[]): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0)
  let u = rng.float() * total
  for (const item of items) {
    u -= item.weight
    if (u < 0) return item
  }
  return items[items.length - 1]
}
