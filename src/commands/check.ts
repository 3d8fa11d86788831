import {Flags} from '@oclif/core'

import {HoloCommand} from '../cli/base-command.js'
import {check} from '../engine/check/index.js'
import type {CheckResult} from '../engine/check/index.js'
import type {ZstdBackend} from '../engine/types.js'

export default class Check extends HoloCommand {
  static override summary = 'Verify a hololib: every file decompresses and hashes to its name, every catalog has its files.'
  static override description = `Like rcc holotree check: every library file is decompressed and hashed (SHA-256, or SipHash-128 in a compress.no library); every file each catalog needs must be there and verify; catalogs that need a missing or corrupt file are named, as they can no longer be restored. Orphans (files no catalog needs), temp files of interrupted writes and an interrupted migration are reported too.

Without --repair nothing is changed. With --repair, the catalogs that can no longer be restored (and unreadable ones) are moved to the quarantine first, as RCC purges them, then the corrupt files; stale temp files are removed; with --prune-orphans, files no catalog needs are quarantined too. Nothing but temp files is deleted: empty the quarantine folder once satisfied.

Exits 1 when anything is wrong (even if --repair fixed it: run check again to confirm), 0 when clean. Orphans alone do not count as wrong.`

  static override examples = [
    {
      description: 'Check the library the lift examples write. On a fresh clone, first run `holobench generate --scenario small --out ./trees`, then the `holobench lift --help` examples.',
      command: '<%= config.bin %> <%= command.id %> --library ./hololib',
    },
    '<%= config.bin %> <%= command.id %> --library ./hololib --repair',
    '<%= config.bin %> <%= command.id %> --library ./hololib --repair --prune-orphans --quarantine ./hololib-quarantine --json',
  ]

  static override flags = {
    library: Flags.string({char: 'l', description: 'hololib root (holds catalog/ and library/)', required: true}),
    repair: Flags.boolean({description: 'quarantine unrestorable catalogs and corrupt files, remove stale temp files'}),
    quarantine: Flags.string({description: 'quarantine folder (default: <library>/quarantine)'}),
    'prune-orphans': Flags.boolean({description: 'with --repair: also quarantine files no catalog needs', dependsOn: ['repair']}),
    jobs: Flags.integer({char: 'j', description: 'worker threads (default: one per core)', min: 1}),
    'zstd-backend': Flags.option({description: 'zstd implementation', options: ['auto', 'napi', 'zlib'] as const, default: 'auto'})(),
  }

  async run(): Promise<CheckResult> {
    const {flags} = await this.parse(Check)
    const result = await check({
      library: flags.library,
      repair: flags.repair,
      quarantine: flags.quarantine,
      pruneOrphans: flags['prune-orphans'],
      jobs: flags.jobs,
      zstdBackend: flags['zstd-backend'] as ZstdBackend | 'auto',
      onProgress: this.progress('check'),
    })
    this.stopProgress()
    this.log(report(result))
    if (!result.ok) process.exitCode = 1
    return result
  }
}

function report(r: CheckResult): string {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`
  const f = r.files
  const lines = [
    `${r.library} (${r.compressed ? 'compressed, SHA-256' : 'compress.no, SipHash-128'})`,
    `files verified: ${f.verified} of ${f.total} (${mb(f.bytes)} stored, ${mb(f.rawBytes)} uncompressed; gzip ${f.formats.gzip}, zstd ${f.formats.zstd}, raw ${f.formats.raw})`,
    `bad: ${r.bad.length}, missing: ${r.missing.length}, orphans: ${r.orphans.count} (${mb(r.orphans.bytes)})${r.orphans.uncertain ? ' (uncertain: some catalogs are unreadable)' : ''}, temp files: ${r.leftovers.length}`,
    `catalogs: ${r.catalogs.readable} of ${r.catalogs.total} readable, ${r.catalogs.unrestorable.length} cannot be restored`,
  ]
  for (const bad of r.bad) lines.push(`  bad: ${bad.path}: ${bad.code}: ${bad.message}`)
  for (const missing of r.missing.slice(0, 20)) lines.push(`  missing: ${missing.digest} (for ${missing.neededFor} in ${missing.catalogs.length} catalog(s))`)
  if (r.missing.length > 20) lines.push(`  … and ${r.missing.length - 20} more missing`)
  for (const catalog of r.catalogs.unrestorable) {
    const wrong = catalog.entries ? `, ${catalog.entries.length} wrong entries` : ''
    lines.push(`  cannot be restored: ${catalog.path} (${catalog.missing.length} missing, ${catalog.bad.length} bad${wrong})`)
  }

  for (const wrong of r.catalogs.wrongEntries.slice(0, 20)) lines.push(`  wrong entry: ${wrong.catalog}: ${wrong.entry}: ${wrong.message}`)
  for (const unreadable of r.catalogs.unreadable) lines.push(`  unreadable catalog: ${unreadable.code}: ${unreadable.message}`)
  if (r.repairs) {
    const p = r.repairs
    lines.push(
      `repaired: ${p.catalogsQuarantined.length} catalogs and ${p.filesQuarantined.length} corrupt files quarantined, ${p.orphansQuarantined.length} orphans quarantined, ` +
        `${p.leftoversRemoved.length} temp file${p.leftoversRemoved.length === 1 ? '' : 's'} removed, ${p.emptyDirsRemoved} empty dirs removed (quarantine: ${p.quarantine})`,
    )
    for (const catalog of p.catalogsQuarantined) lines.push(`  purged catalog: ${catalog}`)
  }

  // Problems are what check found; with --repair some are already gone: say which state is shown.
  const found = r.repairs ? 'found before the repair: ' : ''
  lines.push(...r.problems.map((problem) => `problem: ${found}${problem}`))
  const verdict = r.ok ? 'OK.' : r.repairs ? 'NOT OK as found (run check again to see what the repair left).' : 'NOT OK.'
  lines.push(`${verdict} ${r.seconds.toFixed(2)} s (${r.steps.map((s) => `${s.name} ${s.seconds.toFixed(2)} s`).join(', ')})`)
  return lines.join('\n')
}
