import type {FileKind, ScenarioDefinition} from './definition.js'
import type {PackageLayout} from './layout.js'

/** What a file is for; renderers pick their template by role. */
export type Role =
  | 'init' | 'module' | 'bytecode' | 'extension' | 'sharedlib' | 'program' | 'entrypoint' | 'activate'
  | 'pyvenv' | 'pth' | 'conda-meta' | 'pkgconfig' | 'ini'
  | 'METADATA' | 'RECORD' | 'WHEEL' | 'INSTALLER' | 'top_level' | 'LICENSE' | 'entry_points' | 'REQUESTED' | 'doc'
  | 'csv' | 'json' | 'txt' | 'dat'

export interface PlannedFile {
  path: string // relative to the tree root, POSIX separators
  kind: FileKind
  role: Role
  size: number // requested size; templated roles (WHEEL, RECORD, …) choose their own
  mode: number
  relocated: boolean
  pkg?: PlannedPackage
  source?: string // bytecode: the module it was compiled from
  /** What seeds its bytes (default `file:<path>`): an upgrade gives changed files a new one. */
  contentKey?: string
}

export interface PlannedPackage extends PackageLayout {
  files: PlannedFile[] // everything installed for it, for RECORD and conda-meta listings
}

export interface PlannedLink {
  path: string
  target: string // relative, as the link stores it
  dir: boolean // the target is a directory
}

export interface TreePlan {
  definition: ScenarioDefinition
  definitionDigest: string
  seed: number
  identity: string
  files: PlannedFile[]
  links: PlannedLink[]
  dirs: string[] // every directory below the root, parents first
}
