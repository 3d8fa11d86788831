import {execFileSync} from 'node:child_process'
import {availableParallelism, cpus, release, totalmem} from 'node:os'
import {fileURLToPath} from 'node:url'

import {availableZstdBackends} from '../engine/codec/index.js'
import {filesystemType} from '../engine/fs/fstype.js'

import type {Environment} from './results.js'

/** The git commit holobench runs from, or null outside a checkout. */
export function holobenchCommit(): string | null {
  try {
    const repo = fileURLToPath(new URL('../..', import.meta.url))
    return execFileSync('git', ['rev-parse', 'HEAD'], {cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim() || null
  } catch {
    return null
  }
}

/** Facts of this machine; `scratch` is measured, `scratchLabel` is what results record as its place. */
export async function collectEnvironment(scratch: string, scratchLabel: string): Promise<Environment> {
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    kernel: release(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpuCount: availableParallelism(),
    memoryBytes: totalmem(),
    scratchDir: scratchLabel,
    scratchFs: await filesystemType(scratch),
    // Libraries are lifted into the scratch too, so restores and clones stay on one filesystem.
    libraryFs: await filesystemType(scratch),
    zstdBackends: availableZstdBackends(),
  }
}

