import {Args, Flags} from '@oclif/core'

import {HoloCommand} from '../cli/base-command.js'
import {ZSTD_HELP} from '../cli/rcc-compat.js'
import {runLift} from '../cli/run-lift.js'
import type {LiftResult} from '../engine/lift.js'
import {CODEC_NAMES} from '../engine/types.js'

export default class Lift extends HoloCommand {
  static override summary = 'Lift a directory tree into a hololib: library files plus one catalog.'
  static override description = `Every regular file is hashed (SHA-256 in a compressed library, SipHash-128 in an uncompressed one, as RCC does), searched for the tree's identity (its directory's basename, or --identity) to record relocation offsets, compressed and stored once per digest. Symlinks are recorded, never followed. Library files are written atomically (temp file, fsync, rename). Prints the catalog it wrote.

The default codec is zstd: ${ZSTD_HELP} Use --codec gzip for a library released RCC reads.`

  static override examples = [
    {
      description: 'Lift the small scenario\'s tree. On a fresh clone, first run `holobench generate --scenario small --out ./trees` to make it.',
      command: '<%= config.bin %> <%= command.id %> ./trees/hb99f66c_f5fd962c9e0660t --library ./hololib',
    },
    '<%= config.bin %> <%= command.id %> --tree ./trees/hb99f66c_f5fd962c9e0660t --library ./hololib-gzip --codec gzip --identity hb99f66c_f5fd962c9e0660t',
    '<%= config.bin %> <%= command.id %> ./trees/hb99f66c_f5fd962c9e0660t --library ./lib-raw --codec none --json',
  ]

  static override args = {
    dir: Args.directory({description: 'directory tree to lift (or use --tree)', exists: true}),
  }

  static override flags = {
    tree: Flags.directory({description: 'directory tree to lift, for example a real Python environment', exists: true, exclusive: ['dir']}),
    library: Flags.string({char: 'l', description: 'hololib root (created if missing)', required: true}),
    codec: Flags.option({char: 'c', description: 'how library files and the catalog are stored (zstd: released RCC cannot read it, only its zstd fork)', options: CODEC_NAMES, default: 'zstd'})(),
    level: Flags.integer({description: 'compression level (default 1, as RCC writes gzip and zstd)'}),
    identity: Flags.string({description: "string whose offsets are recorded as relocations (default: the tree's basename; a full path for environments whose basename is not unique)"}),
    jobs: Flags.integer({char: 'j', description: 'files processed at once', min: 1}),
    'zstd-backend': Flags.option({description: 'zstd implementation', options: ['auto', 'napi', 'zlib'] as const, default: 'auto'})(),
    'rcc-excludes': Flags.boolean({description: 'skip what RCC never lifts: __pycache__, *.pyc, .git, .hg, .svn, .gitignore, __MACOSX'}),
    'no-fsync': Flags.boolean({description: 'skip fsync of each library file (faster, not crash-safe)'}),
    wait: Flags.boolean({description: 'wait while a migration holds the library (--no-wait: fail at once, exit 1)', allowNo: true, default: true}),
  }

  async run(): Promise<LiftResult> {
    const {args, flags} = await this.parse(Lift)
    const source = args.dir ?? flags.tree
    if (!source) this.error('Name the directory to lift: `holobench lift <dir>` or `--tree <dir>`', {exit: 2})
    return runLift(source, flags, this.io())
  }
}
