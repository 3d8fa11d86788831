import {Args} from '@oclif/core'

import {HoloCommand} from '../cli/base-command.js'
import {inspect} from '../engine/inspect.js'
import type {InspectResult} from '../engine/inspect.js'

export default class Inspect extends HoloCommand {
  static override summary = 'Show what a hololib or one catalog holds.'
  static override description = 'Counts files, directories and symlinks, raw bytes against bytes stored (and the ratio), the formats found by magic bytes, the size mix, and the share of files with relocations.'
  static override examples = [
    {
      description: 'Inspect the library the lift examples write. On a fresh clone, first run `holobench generate --scenario small --out ./trees`, then the `holobench lift --help` examples.',
      command: '<%= config.bin %> <%= command.id %> ./hololib',
    },
    // The catalog `lift ./trees/hb99f66c_f5fd962c9e0660t --library ./hololib` writes (on linux x64).
    '<%= config.bin %> <%= command.id %> ./hololib/catalog/79b3aa82a0e36930v12.linux_amd64 --json',
  ]

  static override args = {
    path: Args.string({description: 'hololib root or catalog file', required: true}),
  }

  async run(): Promise<InspectResult> {
    const {args} = await this.parse(Inspect)
    const r = await inspect({path: args.path})
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`
    this.log(`${r.kind} ${r.path} (${r.compressed ? 'compressed' : 'uncompressed: compress.no'})`)
    this.log(`catalogs      ${r.catalogs.length}`)
    this.log(`files         ${r.files} entries, ${r.uniqueFiles} unique${r.libraryFiles === null ? '' : `, ${r.libraryFiles} in library/`}${r.missingFiles ? `, ${r.missingFiles} MISSING` : ''}`)
    this.log(`bytes         ${(r.rawBytes / 1e6).toFixed(2)} MB raw, ${(r.storedBytes / 1e6).toFixed(2)} MB stored, ratio ${r.ratio.toFixed(2)}`)
    this.log(`formats       gzip ${r.formats.gzip}, zstd ${r.formats.zstd}, raw ${r.formats.raw}`)
    this.log(`size mix      ≤4 KiB ${r.sizeMix.upTo4KiB}, ≤64 KiB ${r.sizeMix.upTo64KiB}, ≤1 MiB ${r.sizeMix.upTo1MiB}, >1 MiB ${r.sizeMix.over1MiB}`)
    this.log(`relocations   ${r.relocatedFiles} files (${pct(r.relocationShare)})`)
    return r
  }
}
