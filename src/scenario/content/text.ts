import {hex, pickSkewed} from '../names.js'
import type {Rng} from '../prng.js'
import {SITE_PACKAGES} from '../layout.js'
import {CODE_WORDS, LICENSE_NAMES} from '../vocabulary.js'
import type {RenderContext} from './context.js'
import {paragraph, sentence} from './prose.js'
import {TextSink} from './sink.js'

/**
 * Package metadata and docs. Several roles are near-identical across packages in real
 * environments (INSTALLER is `pip`, WHEEL differs in one line, REQUESTED is empty), which gives a
 * content-addressed library its duplicates; they ignore the planned size, as real ones would.
 */
export function renderText(ctx: RenderContext): Buffer {
  const {rng, file} = ctx
  const pkg = file.pkg
  const name = pkg?.name ?? 'package'
  switch (file.role) {
    case 'INSTALLER':
      return Buffer.from('pip\n')
    case 'REQUESTED':
      return Buffer.alloc(0)
    case 'WHEEL':
      return Buffer.from(`Wheel-Version: 1.0\nGenerator: bdist_wheel (0.${rng.range(38, 43)}.${rng.range(0, 4)})\nRoot-Is-Purelib: ${rng.chance(0.7)}\nTag: ${rng.chance(0.7) ? 'py3-none-any' : 'cp311-cp311-manylinux_2_17_x86_64'}\n\n`)
    case 'top_level':
      return Buffer.from(`${name}\n`)
    case 'entry_points':
      return Buffer.from(`[console_scripts]\n${name.replace(/_/g, '-')} = ${name}.${pickSkewed(rng, CODE_WORDS)}:main\n\n`)
    case 'LICENSE':
      return Buffer.from(rng.chance(0.6) ? mit(rng) : bsd(rng, name))
    case 'RECORD':
      return record(ctx)
    case 'METADATA':
      return metadata(ctx, name)
    default:
      return doc(ctx, name)
  }
}

function metadata(ctx: RenderContext, name: string): Buffer {
  const {rng, file} = ctx
  const sink = new TextSink(file.size)
  sink.add(`Metadata-Version: 2.1\nName: ${name}\nVersion: ${file.pkg?.version ?? '1.0.0'}\nSummary: ${sentence(rng, 4, 10)}\n`)
  sink.add(`Home-page: https://github.com/${pickSkewed(rng, CODE_WORDS)}/${name}\nAuthor: ${author(rng)}\nLicense: ${rng.pick(LICENSE_NAMES)}\n`)
  for (const classifier of CLASSIFIERS) if (rng.chance(0.6)) sink.add(`Classifier: ${classifier}\n`)
  sink.add(`Requires-Python: >=3.${rng.range(7, 9)}\n`)
  for (let i = rng.range(0, 5); i > 0; i--) sink.add(`Requires-Dist: ${pickSkewed(rng, CODE_WORDS)}${rng.pick(['', '>=1.0', ' (>=2.0)', '<3,>=1.4'])}\n`)
  sink.add(`Description-Content-Type: text/markdown\n\n# ${name}\n\n`)
  markdown(rng, sink)
  return sink.toBuffer()
}

/** pip's RECORD: every installed file with its hash and size; relocated ones list scripts by absolute path. */
function record(ctx: RenderContext): Buffer {
  const {rng, file} = ctx
  const lines: string[] = []
  if (file.relocated) {
    for (const script of ctx.plan.files.filter((f) => f.role === 'entrypoint' && f.pkg === file.pkg).slice(0, 4)) lines.push(`${ctx.prefix}/${script.path},sha256=${b64(rng)},${script.size}`)
    if (lines.length === 0) lines.push(`${ctx.prefix}/bin/${file.pkg?.name ?? 'tool'},sha256=${b64(rng)},${rng.range(200, 400)}`)
  }
  for (const f of file.pkg?.files ?? []) {
    const rel = f.path.startsWith(SITE_PACKAGES) ? f.path.slice(SITE_PACKAGES.length + 1) : `../../../${f.path}`
    lines.push(f.role === 'bytecode' || f === file ? `${rel},,` : `${rel},sha256=${b64(rng)},${f.size}`)
  }
  return Buffer.from(`${lines.join('\n')}\n`)
}

function doc(ctx: RenderContext, name: string): Buffer {
  const {rng, file} = ctx
  const sink = new TextSink(file.size)
  if (file.relocated) sink.addWhole(`Installed in ${ctx.prefix}/lib/python3.11/site-packages/${name}\nData files in ${ctx.prefix}/share/${name}\n\n`)
  sink.add(`${name} ${file.pkg?.version ?? ''}\n${'='.repeat(name.length + 6)}\n\n`)
  markdown(rng, sink)
  return sink.toBuffer()
}

function markdown(rng: Rng, sink: TextSink): void {
  while (!sink.full) {
    const r = rng.float()
    if (r < 0.15) sink.add(`## ${sentence(rng, 1, 4).slice(0, -1)}\n\n`)
    else if (r < 0.25) sink.add(`\`\`\`python\nfrom ${pickSkewed(rng, CODE_WORDS)} import ${pickSkewed(rng, CODE_WORDS)}\n${pickSkewed(rng, CODE_WORDS)}(${pickSkewed(rng, CODE_WORDS)}=True)\n\`\`\`\n\n`)
    else if (r < 0.35) sink.add(`- ${sentence(rng, 3, 10)}\n- ${sentence(rng, 3, 10)}\n\n`)
    else sink.add(`${paragraph(rng, rng.range(1, 5))}\n\n`)
  }
}

function b64(rng: Rng): string {
  return Buffer.from(hex(rng, 64), 'hex').toString('base64url')
}

function author(rng: Rng): string {
  const first = pickSkewed(rng, CODE_WORDS)
  return `${first[0].toUpperCase()}${first.slice(1)} ${pickSkewed(rng, CODE_WORDS).toUpperCase().slice(0, 1)}${pickSkewed(rng, CODE_WORDS).slice(1)}`
}

const CLASSIFIERS = [
  'Development Status :: 5 - Production/Stable', 'Intended Audience :: Developers', 'License :: OSI Approved :: MIT License',
  'Operating System :: OS Independent', 'Programming Language :: Python', 'Programming Language :: Python :: 3',
  'Programming Language :: Python :: 3.9', 'Programming Language :: Python :: 3.10', 'Programming Language :: Python :: 3.11',
  'Programming Language :: Python :: 3.12', 'Topic :: Software Development :: Libraries', 'Typing :: Typed',
]

function mit(rng: Rng): string {
  return `MIT License

Copyright (c) ${rng.range(2008, 2024)} ${author(rng)}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`
}

function bsd(rng: Rng, name: string): string {
  return `Copyright (c) ${rng.range(2005, 2024)}, ${author(rng)} and the ${name} contributors.
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF
THE POSSIBILITY OF SUCH DAMAGE.
`
}
