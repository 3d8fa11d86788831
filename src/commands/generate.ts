import {resolve} from 'node:path'

import {Flags} from '@oclif/core'

import {HoloCommand} from '../cli/base-command.js'
import {FILE_KINDS, type GeneratedTree, ensureCorpus, generateTree, loadScenario} from '../scenario/index.js'

export type GenerateResult = GeneratedTree & {cached: boolean; seconds: number}

export default class Generate extends HoloCommand {
  static override summary = 'Write a scenario\'s synthetic Python-environment tree (cached under corpora/).'
  static override description = `Builds the tree a scenario (scenarios/<name>.json, or ./scenarios/<name>.json of the working directory) describes: Python sources, bytecode, shared libraries and programs, entry-point scripts, metadata, data files and symlinks, with contents that compress like real ones. A share of the files embeds the tree's own path, /home/user/.robocorp/holotree/<identity>, the relocations RCC records. The tree's directory is named <identity>, a 24-character holotree space name.

--upgrade <percent> writes the same space after that share of its packages were upgraded (new versions: most of their files with new content, dist-info renamed, about a tenth of their files removed and a tenth added), as pip or conda would upgrade them: restore it over a space holding the scenario's tree to time an incremental update.

The same scenario and seed always give the same bytes (compare the printed tree digest across machines). Without --out the tree is cached under corpora/<scenario>-<digest>-<seed>/ and reused by later runs; with --out it is written to <out>/<identity>, which must not exist yet.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --scenario small --out ./trees',
    '<%= config.bin %> <%= command.id %> --scenario medium',
    '<%= config.bin %> <%= command.id %> --scenario small --seed 7 --json',
    '<%= config.bin %> <%= command.id %> --scenario small --upgrade 5 --out ./trees-upgraded',
  ]

  static override flags = {
    scenario: Flags.string({char: 's', required: true, description: 'scenario name: small, medium, large, medium-lowreloc, large-lowreloc, or your own scenarios/<name>.json'}),
    out: Flags.string({char: 'o', description: 'write the tree to <out>/<identity> instead of the corpora/ cache'}),
    seed: Flags.integer({description: 'generator seed: another seed gives another tree of the same shape', default: 1, min: 0}),
    upgrade: Flags.integer({description: 'write the space after this percent of its packages were upgraded (same identity, other bytes; rounded, at least one package: the output says how many)', min: 0, max: 100}),
  }

  async run(): Promise<GenerateResult> {
    const {flags} = await this.parse(Generate)
    const started = performance.now()
    const onProgress = this.progress('generate')
    const tree = flags.out
      ? {...(await generateTree({definition: loadScenario(flags.scenario), seed: flags.seed, outDir: resolve(flags.out), onProgress, upgradePercent: flags.upgrade})), cached: false}
      : await ensureCorpus({name: flags.scenario, seed: flags.seed, onProgress, upgradePercent: flags.upgrade})
    this.stopProgress()
    const seconds = (performance.now() - started) / 1000

    const pct = (n: number) => `${((n / Math.max(tree.files, 1)) * 100).toFixed(1)}%`
    const upgrade = tree.upgrade
    this.log(`${tree.scenario} (seed ${tree.seed}${upgrade ? `, ${upgrade.percent}% of packages upgraded` : ''}): ${tree.files} files, ${tree.dirs} dirs, ${tree.symlinks} symlinks, ${(tree.bytes / 1e6).toFixed(1)} MB`)
    this.log(`tree        ${tree.root} (${tree.cached ? 'reused from cache' : `generated in ${seconds.toFixed(2)} s`})`)
    this.log(`relocated   ${tree.relocatedFiles} files (${pct(tree.relocatedFiles)}), ${tree.relocations} occurrences of ${tree.relocationPath}`)
    this.log(`executables ${tree.executables}, empty files ${tree.emptyFiles}`)
    this.log(`kinds       ${FILE_KINDS.filter((k) => tree.byKind[k].files > 0).map((k) => `${k} ${tree.byKind[k].files} (${(tree.byKind[k].bytes / 1e6).toFixed(1)} MB)`).join(', ')}`)
    if (upgrade) this.log(`upgrade     ${upgrade.upgraded} of ${upgrade.packages} packages: ${upgrade.changed} files changed, ${upgrade.moved} moved, ${upgrade.removed} removed, ${upgrade.added} added`)
    this.log(`digest      ${tree.treeDigest}`)
    return {...tree, seconds}
  }
}
