/** The shapes a candidate row is built from (see index.ts for how candidates work). */
import type {CodecName, ProgressCallback} from '../../engine/types.js'
import type {CandidateFacts, LibraryResult, RunMode} from '../results.js'
import type {DropRestore, RestoreTask, RowPlan} from '../row-plan.js'
import type {VariantSpec} from '../variants.js'

/** A library holobench lifted for this corpus (shared by every row that restores it). */
export interface LiftedLibrary {
  /** The hololib root. */
  root: string
  catalog: string
  facts: LibraryResult
}

/** What a candidate gets to build its row with, once per corpus, before anything is timed. */
export interface CandidateContext {
  /** `scenario`: the generated scenario the corpus is (absent for a --tree), for rows that derive trees from it. */
  corpus: {label: string; root: string; identity: string; scenario?: {name: string; seed: number}}
  /** A fresh directory for this row's own files (packs, dictionaries, caches). */
  scratch: string
  mode: RunMode
  jobs: number
  rccExcludes: boolean
  /** The scratch's filesystem type, for messages. */
  scratchFs: string
  /** holobench's library of `codec` at `level` (default: RCC's level 1), lifted once per corpus. */
  library(codec: CodecName, level?: number): Promise<LiftedLibrary>
  /** A restore by `holobench drop` in this run's mode (process: a fresh process per restore). */
  dropRestore(settings: Omit<DropRestore, 'jobs' | 'mode' | 'scratchFs' | 'variant'>): RestoreTask
  onProgress?: ProgressCallback
}

/** What a candidate's plan returns: its facts and how to restore (or why it cannot here). */
export interface CandidatePlan {
  facts: CandidateFacts
  /** Absent with `unsupported`: the row is reported with its facts but not timed. */
  restore?: RestoreTask
  /** Why this machine or Node cannot restore it (the row's reason). */
  unsupported?: string
  prepare?: RowPlan['prepare']
  /** Compare the first restore with this tree instead of the corpus (e.g. an upgraded tree). */
  checkSource?: string
}

/** A family of candidate rows: the names it answers to and how to build one. */
export interface CandidateDefinition {
  family: string
  /** The names it takes, for help and errors: `pack[-l<N>][-noverify]`. */
  pattern: string
  /** One line for `run --help` and the reports. */
  summary: string
  /** The spec of `name`, or undefined when the name is not this family's. Throw EUSAGE for a bad variant of it. */
  parse(name: string): CandidateSpec | undefined
  /** Build what its restores need (outside the timed region) and say how to restore. */
  plan(spec: CandidateSpec, context: CandidateContext): Promise<CandidatePlan>
}

/** A parsed candidate variant: a VariantSpec naming its family, with the family's own settings. */
export interface CandidateSpec extends VariantSpec {
  candidate: string
  options?: Record<string, unknown>
}
