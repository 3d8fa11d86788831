import {Args, Flags} from '@oclif/core'
import {HoloCommand} from '../cli/base-command.js'
import {defaultOutDir, labelsFromPaths, loadResults, parseFormats, REPORT_FORMATS, writeReports} from '../report/index.js'

export default class Report extends HoloCommand {
  static override summary = 'Write CSV, HTML and Markdown reports from results.json files.'

  static override description = `Renders one or more results.json files into reports/<name>/: results.csv (one row per scenario and variant, every statistic and the environment), report.html (a single offline page with charts, the claims panel and, for two or more files, a comparison against the first) and summary.md (tables and claims for CI summaries and pull-request comments).`

  static override examples = [
    '<%= config.bin %> <%= command.id %> reports/sample/results.json --out ./report-sample',
    '<%= config.bin %> <%= command.id %> reports/baseline/medium.json reports/sample/results.json --out ./report-compare',
    '<%= config.bin %> <%= command.id %> reports/sample/results.json --format md --out ./report-md --json',
  ]

  static override strict = false
  static override enableJsonFlag = true

  static override args = {
    file: Args.string({description: 'results.json files; the first is the baseline of any comparison', required: true}),
  }

  static override flags = {
    out: Flags.string({char: 'o', description: 'output directory [default: reports/<name of the first file>]'}),
    format: Flags.string({char: 'f', description: `comma-separated formats: ${REPORT_FORMATS.join(', ')}`, default: REPORT_FORMATS.join(',')}),
  }

  override async run(): Promise<{files: string[]}> {
    const {argv, flags} = await this.parse(Report)
    const paths = argv as string[]
    // HoloCommand turns HoloErrors (ESCHEMA for a bad results file, EUSAGE) into one line and exit 2.
    const formats = parseFormats(flags.format)
    const results = await Promise.all(paths.map((path) => loadResults(path)))
    const outDir = flags.out ?? defaultOutDir(paths[0])
    const written = await writeReports({results, outDir, formats, labels: labelsFromPaths(paths)})
    for (const file of written.files) this.log(file)
    return written
  }
}
