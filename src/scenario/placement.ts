import type {FileKind, ScenarioDefinition} from './definition.js'
import {apportion} from './distribution.js'
import {EXTENSION_SUFFIX, PYC_SUFFIX, PY_VERSION, SITE_PACKAGES, layoutPackages} from './layout.js'
import {NameScope, identifier, pickSkewed} from './names.js'
import type {Rng} from './prng.js'
import type {PlannedFile, PlannedPackage, Role} from './types.js'
import {CODE_WORDS} from './vocabulary.js'

/**
 * Where every regular file goes and what it is for, laid out like a conda/venv prefix: packages
 * with sub-packages and dist-info under site-packages, bytecode beside its source, shared
 * libraries in lib/, programs and scripts in bin/. Sizes, modes and relocations come later.
 */
export function placeFiles(rng: Rng, definition: ScenarioDefinition, counts: Record<FileKind, number>): PlannedFile[] {
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

function weightedPick<T extends {weight: number}>(rng: Rng, items: readonly T[]): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0)
  let u = rng.float() * total
  for (const item of items) {
    u -= item.weight
    if (u < 0) return item
  }
  return items[items.length - 1]
}
