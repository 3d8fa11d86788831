import {existsSync, promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {check} from '../src/engine/check/index.js'
import {lift} from '../src/engine/lift.js'
import {JOURNAL_NAME, migrate} from '../src/engine/migrate/index.js'
import {makeSampleTree, tempDir} from './helpers/tree.js'

/** A pid no process has (above Linux's pid_max limit), as a dead writer's. */
const DEAD_PID = 4_194_400

describe("the migration journal's temp file in the hololib root", () => {
  // A migrate stopped while writing its journal left `..holobench-migrate.json.tmp-<pid>-<hex>`
  // in the root, where neither check nor migrate looked: no command ever removed it (leftover fault).
  it('leftover fault: check reports a dead writer\'s, --repair and migrate remove it; a user\'s own file there stays', async () => {
    const {dir, cleanup} = await tempDir('holobench-journal-temp-')
    try {
      const library = join(dir, 'lib')
      await lift({source: await makeSampleTree(join(dir, 'h59acff1_493f813dad24d3t')), library, codec: 'gzip', fsync: false})
      const stale = join(library, `.${JOURNAL_NAME}.tmp-${DEAD_PID}-0123abcd`)
      const live = join(library, `.${JOURNAL_NAME}.tmp-${process.pid}-89abcdef`)
      const mine = join(library, 'notes.tmp-1-00000000')
      for (const path of [stale, live, mine]) await fsp.writeFile(path, '')

      const found = await check({library})
      expect(found.leftovers.map((l) => [l.path, l.stale])).toEqual(expect.arrayContaining([[stale, true], [live, false]]))
      expect(found.leftovers.map((l) => l.path)).not.toContain(mine)
      expect(found.ok).toBe(false)

      const repaired = await check({library, repair: true})
      expect(repaired.repairs?.leftoversRemoved).toEqual([stale])
      expect([existsSync(stale), existsSync(live), existsSync(mine)]).toEqual([false, true, true])

      await fsp.writeFile(stale, '')
      await migrate({library, to: 'zstd', fsync: false})
      expect([existsSync(stale), existsSync(live), existsSync(mine)]).toEqual([false, true, true])
    } finally {
      await cleanup()
    }
  })
})
