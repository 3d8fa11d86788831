import {Args, Flags} from '@oclif/core'

import {HoloCommand} from '../cli/base-command.js'
import {runDrop} from '../cli/run-drop.js'
import type {DropResult} from '../engine/drop.js'
import {STRATEGIES} from '../engine/strategy.js'

export default class Drop extends HoloCommand {
  static override summary = 'Restore a catalog from a hololib into a directory.'
  static override description = `Directories first, then files in parallel. Library files are read in whatever format they are stored (gzip, zstd or raw, by magic bytes), verified against their digest unless --no-verify (or RCC_VERIFY_ON_RESTORE=false), and patched at their relocation offsets with the target's own name (its basename, or its full path when the catalog was lifted with a path identity), which must be as long as the original. Files the previous restore left unchanged are kept (the same digest in <target>.meta, the same size and mode, and RCC's restore time as mtime, or a hard link to the library file); files the catalog does not name are removed. A non-empty target is replaced only if holobench or RCC restored it before (<target>.meta) or --overwrite says so; the library and the catalog never are. One drop per target at a time: a second one waits (--no-wait: fails). The restore is flushed to disk before <target>.meta records it (--no-fsync skips that).

Strategies for uncompressed files without relocations: copy; reflink (copy-on-write clone; an error where the filesystem cannot clone); hardlink (shares the library file's inode: a later write through the restored file changes the library, so use it only for read-only environments); auto (clone where the target filesystem can, else copy). Compressed and relocated files are always decompressed and written.`

  static override examples = [
    // Catalogs the lift examples write (on linux x64); a target's name is as long as the identity.
    {
      description: 'Restore a catalog the lift examples write. On a fresh clone, first run `holobench generate --scenario small --out ./trees`, then the `holobench lift --help` examples.',
      command: '<%= config.bin %> <%= command.id %> ./hololib/catalog/79b3aa82a0e36930v12.linux_amd64 --target ./h0123456_89abcdef012345t',
    },
    '<%= config.bin %> <%= command.id %> ./hololib-gzip/catalog/79b3aa82a0e36930v12.linux_amd64 --target ./h1123456_89abcdef012345t --no-verify --json',
    '<%= config.bin %> <%= command.id %> ./lib-raw/catalog/71543f141518dea5v12.linux_amd64 --target ./h2123456_89abcdef012345t --strategy auto',
    '<%= config.bin %> <%= command.id %> ./hololib/catalog/79b3aa82a0e36930v12.linux_amd64 --target ./h0123456_89abcdef012345t --overwrite --no-fsync',
  ]

  static override args = {
    catalog: Args.string({description: 'catalog file to restore (in a hololib\'s catalog/ directory)', required: true}),
  }

  static override flags = {
    library: Flags.string({char: 'l', description: "hololib root (default: the catalog's library)"}),
    target: Flags.string({char: 't', description: 'directory to restore into', required: true}),
    verify: Flags.boolean({description: 'verify every file against its digest (RCC_VERIFY_ON_RESTORE=false turns it off)', allowNo: true}),
    strategy: Flags.option({char: 's', description: 'how uncompressed, unrelocated files are placed', options: STRATEGIES, default: 'auto'})(),
    jobs: Flags.integer({char: 'j', description: 'restore lanes: threads restoring files at once (default and at most: one per core)', min: 1}),
    overwrite: Flags.boolean({description: 'restore into a non-empty directory holobench did not restore (no <target>.meta), deleting what the catalog does not name; never the library or the catalog'}),
    fsync: Flags.boolean({description: 'make the restore survive a power cut (flush files, then write <target>.meta); --no-fsync skips the flush, as RCC does', allowNo: true, default: true}),
    wait: Flags.boolean({description: 'wait while another holobench process holds the target or the library (--no-wait: fail at once, exit 1)', allowNo: true, default: true}),
    'zstd-backend': Flags.option({description: 'zstd implementation', options: ['auto', 'napi', 'zlib'] as const, default: 'auto'})(),
    // For `run --mode process`: the gzip-pure variant's decoder in a fresh process.
    'gzip-backend': Flags.option({description: 'gzip implementation', options: ['zlib', 'pako'] as const, default: 'zlib', hidden: true})(),
    // For `run --candidates`: the pack candidate's restore in a fresh process (a benchmark-only format).
    pack: Flags.string({description: 'a pack of the catalog\'s unrelocated files (benchmark only)', hidden: true}),
    // For `run --candidates`: the dict candidate's restore in a fresh process (dictionaries are benchmark only).
    'zstd-dictionary': Flags.string({description: 'the zstd dictionary small library files were compressed with (benchmark only)', hidden: true}),
    // For `run`'s dual-cache rows (a proposal, benchmark only): see DropOptions.cache.
    cache: Flags.string({description: 'restore from this uncompressed cache of the library (<cache>/library/ab/cd/ef/<digest>), the dual-cache proposal; benchmark only', hidden: true}),
  }

  async run(): Promise<DropResult> {
    const {args, flags} = await this.parse(Drop)
    return runDrop(args.catalog, flags, this.io())
  }
}
