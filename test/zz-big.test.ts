import {join} from 'node:path'
import {it} from 'vitest'
import {lift} from '../src/engine/lift.js'
import {drop} from '../src/engine/drop.js'
import {makeSampleTree, tempDir, OTHER_IDENTITY} from './helpers/tree.js'
it('big', async () => {
  const {dir} = await tempDir()
  const big = await makeSampleTree(join(dir, 'src'), undefined, {bigFileBytes: 40 * 1024 * 1024})
  console.log('tree made')
  const t0 = performance.now()
  const l = await lift({source: big, library: join(dir, 'lib'), codec: 'zstd'})
  console.log('lifted', performance.now() - t0)
  const r = await drop({catalog: l.catalog, target: join(dir, 'out', OTHER_IDENTITY)})
  console.log('dropped', performance.now() - t0, r.rewritten)
}, 60000)
