import {describe, expect, it} from 'vitest'

import {collectEngines, engineArgv, loadEngineFile, parseEngineFlag, validateEngines} from '../src/bench/engines.js'
import {restoreName} from '../src/bench/runner.js'
import {runTimed} from '../src/bench/spawn-timed.js'

const env = {PATH: process.env.PATH, ENGINE_HOME: '/opt/engine home'}
const usage = (engines: Parameters<typeof validateEngines>[0]) => {
  try {
    validateEngines(engines, ['gzip', 'zstd'], env)
  } catch (error) {
    return `${(error as {code: string}).code}: ${(error as Error).message}`
  }

  return 'accepted'
}

describe('engine templates', () => {
  it('split like a shell, fill placeholders inside words, and run without a shell', () => {
    const spec = parseEngineFlag(`mine=sh -c 'echo "$1"' x --into={target} "$ENGINE_HOME/lib" {catalog}`)
    expect(spec.name).toBe('mine')
    expect(usage([spec])).toBe('accepted')
    expect(engineArgv(spec.restore, {target: '/t/a b', catalog: '/c;rm -rf /'}, env)).toEqual(['sh', '-c', 'echo "$1"', 'x', '--into=/t/a b', '/opt/engine home/lib', '/c;rm -rf /'])
  })

  it('refuse what would need a shell, unknown placeholders, unset variables and clashing names', () => {
    expect(usage([{name: 'p', restore: 'cat {catalog} | tar -x -C {target}'}])).toMatch(/EUSAGE: engine "p" restore: "\|" needs a shell/)
    expect(usage([{name: 'g', restore: 'cp *.py {target}'}])).toMatch(/"\*\.py" needs a shell/)
    expect(usage([{name: 'u', restore: '$NOT_SET_ANYWHERE/bin/x {target}'}])).toMatch(/\$NOT_SET_ANYWHERE is not set/)
    expect(usage([{name: 'zstd', restore: 'true {target}'}])).toMatch(/already used by a variant/)
    expect(usage([{name: 'a', restore: 'true {target}'}, {name: 'a', restore: 'true {target}'}])).toMatch(/already used by another engine/)
    expect(usage([{name: 'bad name', restore: 'true {target}'}])).toMatch(/a name is letters/)
    expect(usage([{name: 'l', restore: 'true {target}', libraryOf: 'nobody'}])).toMatch(/libraryOf "nobody" must name an engine with a lift command/)
    expect(usage([{name: 't', restore: 'true {target}', engineTime: 'took [0-9.]+s'}])).toMatch(/engineTime needs a group/)
    expect(usage([{name: 'x', restore: 'true {target}', extraFiles: ['../escape']}])).toMatch(/extraFiles names files at the top/)
    expect(usage([{name: 'r', restore: 'true {target}', gzipReference: 'nothing'}])).toMatch(/gzipReference "nothing" is not a variant or engine/)
  })

  it('the RCC engine file names real scripts and valid templates (run from the repository root)', () => {
    const engines = loadEngineFile(new URL('../bench/rcc-engines.json', import.meta.url).pathname)
    expect(engines.map((engine) => engine.name)).toEqual(['rcc-main', 'rcc-fork', 'holobench@rcc-main-lib', 'holobench@rcc-fork-lib', 'holobench-noverify@rcc-fork-lib'])
    expect(() => validateEngines(engines, ['gzip', 'zstd'])).not.toThrow()
  })

  it('attach --engine-lift to its engine', () => {
    const engines = collectEngines([], [{name: 'own', restore: 'true {target}'}], [{name: 'own', lift: 'true {tree} {library}'}])
    expect(engines).toEqual([{name: 'own', restore: 'true {target}', lift: 'true {tree} {library}'}])
  })
})

describe('restore targets', () => {
  it('are named as long as the identity but differently, so relocations are really rewritten', () => {
    expect(restoreName('h59acff1_493f813dad24d3t')).toBe('r59acff1_493f813dad24d3t')
    expect(restoreName('r2')).toBe('s2')
    expect(restoreName('_1x')).toBe('_2x')
    expect(() => restoreName('___')).toThrow(/needs an ASCII letter or digit/)
  })
})

describe('timed processes', () => {
  it("count the child's own CPU time, not the wall clock it waited", async () => {
    // The child burns 300 ms of its own CPU, then sleeps 300 ms: CPU ≥ 0.28 s (10 ms ticks), wall ≥ 0.6 s.
    const script = 'const s = process.cpuUsage(); while ((process.cpuUsage(s).user + process.cpuUsage(s).system) < 300000); setTimeout(() => {}, 300)'
    const run = await runTimed([process.execPath, '-e', script])
    expect(run.code).toBe(0)
    if (process.platform !== 'linux') return
    expect(run.cpuSeconds).toBeGreaterThanOrEqual(0.28)
    expect(run.seconds).toBeGreaterThanOrEqual(0.6)
    expect(run.seconds - (run.cpuSeconds as number)).toBeGreaterThanOrEqual(0.15)
  })

  it('reject a command that cannot start', async () => {
    await expect(runTimed(['/nonexistent/restorer'])).rejects.toMatchObject({code: 'ENOENT'})
  })
})

describe('scripts/rcc-engine.sh', () => {
  it('names the missing RCC peer and exits 2 when the binaries are not there', async () => {
    const script = new URL('../scripts/rcc-engine.sh', import.meta.url).pathname
    const run = await runTimed([script, 'main', 'restore', '/nonexistent-library', '/nonexistent-target'], {env: {PATH: process.env.PATH, RCC_PEER_BIN: '/nonexistent-rcc-peer'}})
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/rcc-drop-main not found \(set RCC_PEER_BIN/)
    const usage = await runTimed([script, 'beta', 'restore'])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toMatch(/^usage:/)
  })
})
