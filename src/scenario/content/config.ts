import {hex, pickSkewed} from '../names.js'
import {PY_VERSION, SITE_PACKAGES} from '../layout.js'
import {CODE_WORDS} from '../vocabulary.js'
import type {RenderContext} from './context.js'
import {sentence} from './prose.js'
import {TextSink} from './sink.js'

/** Small configuration files that, in real prefixes, are the usual holders of absolute paths. */
export function renderConfig(ctx: RenderContext): Buffer {
  switch (ctx.file.role) {
    case 'pyvenv':
      return Buffer.from(pyvenv(ctx))
    case 'pth':
      return pth(ctx)
    case 'conda-meta':
      return condaMeta(ctx)
    case 'pkgconfig':
      return Buffer.from(pkgconfig(ctx))
    default:
      return ini(ctx)
  }
}

function pyvenv(ctx: RenderContext): string {
  const home = ctx.file.relocated ? `${ctx.prefix}/bin` : '/usr/bin'
  const executable = ctx.file.relocated ? `${ctx.prefix}/bin/python${PY_VERSION}` : `/usr/bin/python${PY_VERSION}`
  return `home = ${home}\ninclude-system-site-packages = false\nversion = ${PY_VERSION}.${ctx.rng.range(0, 9)}\nexecutable = ${executable}\ncommand = ${executable} -m venv ${ctx.file.relocated ? ctx.prefix : '/tmp/venv'}\n`
}

/** .pth: extra sys.path entries (absolute when relocated, relative otherwise) or an import hook. */
function pth(ctx: RenderContext): Buffer {
  const {rng, file} = ctx
  const sink = new TextSink(file.size)
  if (file.path.endsWith('distutils-precedence.pth') && !file.relocated) {
    return Buffer.from(`import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local'; enabled and __import__('_distutils_hack').add_shim(); \n`)
  }
  while (!sink.full) {
    const dir = `${pickSkewed(rng, CODE_WORDS)}-${rng.range(0, 9)}.${rng.range(0, 30)}`
    if (file.relocated) {
      if (!sink.addWhole(`${ctx.prefix}/${SITE_PACKAGES}/${dir}\n`)) {
        // A whole path no longer fits: finish with a comment line of the planned size.
        if (sink.room > 0) sink.add(`${'#'.repeat(sink.room - 1)}\n`)
        break
      }
    } else sink.add(`./${dir}\n`)
  }
  return sink.toBuffer()
}

/** conda-meta/<pkg>.json: the package record conda keeps, with the files it linked. */
function condaMeta(ctx: RenderContext): Buffer {
  const {rng, file} = ctx
  const pkg = file.pkg
  const name = pkg?.name ?? 'package'
  const files = (pkg?.files ?? []).filter((f) => f !== file).map((f) => f.path)
  const record: Record<string, unknown> = {
    build: 'py311_0',
    build_number: 0,
    channel: 'https://conda.anaconda.org/conda-forge/linux-64',
    depends: [`python >=3.11,<3.12.0a0`, `${pickSkewed(rng, CODE_WORDS)} >=1.0`],
    extracted_package_dir: `/home/user/.robocorp/pkgs/${name}-${pkg?.version}-py311_0`,
    files,
    fn: `${name}-${pkg?.version}-py311_0.conda`,
    license: 'MIT',
    link: {source: `/home/user/.robocorp/pkgs/${name}-${pkg?.version}-py311_0`, type: 1},
    md5: hex(rng, 32),
    name,
    paths_data: {
      paths: files.map((path) => ({_path: path, path_type: 'hardlink', sha256: hex(rng, 64), size_in_bytes: rng.range(100, 100_000)})),
      paths_version: 1,
    },
    requested_spec: `conda-forge::${name}`,
    sha256: hex(rng, 64),
    size: rng.range(10_000, 10_000_000),
    subdir: 'linux-64',
    timestamp: 1_650_000_000_000 + rng.int(99_999_999),
    url: `https://conda.anaconda.org/conda-forge/linux-64/${name}-${pkg?.version}-py311_0.conda`,
    version: pkg?.version,
  }
  // Packages with prefix placeholders record where they were linked to.
  if (file.relocated) record.prefix = ctx.prefix
  return Buffer.from(`${JSON.stringify(record, null, 2)}\n`)
}

function pkgconfig(ctx: RenderContext): string {
  const name = ctx.file.path.slice(ctx.file.path.lastIndexOf('/') + 1, -3)
  const prefix = ctx.file.relocated ? ctx.prefix : '/usr/local'
  return `prefix=${prefix}\nexec_prefix=\${prefix}\nlibdir=\${exec_prefix}/lib\nincludedir=\${prefix}/include\n\nName: ${name}\nDescription: ${sentence(ctx.rng, 3, 8)}\nVersion: ${ctx.rng.range(1, 3)}.${ctx.rng.range(0, 12)}.${ctx.rng.range(0, 9)}\nLibs: -L\${libdir} -l${name.replace(/^lib/, '')}\nCflags: -I\${includedir}\n`
}

function ini(ctx: RenderContext): Buffer {
  const {rng, file} = ctx
  const sink = new TextSink(file.size)
  if (file.relocated) sink.addWhole(`[paths]\nprefix = ${ctx.prefix}\ndata = ${ctx.prefix}/share\n\n`)
  while (!sink.full) {
    sink.add(`[${pickSkewed(rng, CODE_WORDS)}]\n`)
    for (let i = rng.range(1, 6); i > 0; i--) sink.add(`${pickSkewed(rng, CODE_WORDS)} = ${rng.chance(0.5) ? rng.range(0, 1000) : pickSkewed(rng, CODE_WORDS)}\n`)
    sink.add('\n')
  }
  return sink.toBuffer()
}
