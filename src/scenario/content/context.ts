import type {PlannedFile, TreePlan} from '../plan.js'
import type {Rng} from '../prng.js'

/** Everything a renderer may look at; `rng` is private to the file, so order doesn't matter. */
export interface RenderContext {
  file: PlannedFile
  rng: Rng
  plan: TreePlan
  /** The absolute path relocated files embed: `<RELOCATION_PARENT>/<identity>`. */
  prefix: string
}
