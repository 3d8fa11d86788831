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

export async function collectEnvironment(scratchDir: string, libraryDir: string): Promise<Environment> {
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    kernel: release(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpuCount: availableParallelism(),
    memoryBytes: totalmem(),
    scratchDir,
    scratchFs: await filesystemType(scratchDir),
    libraryFs: await filesystemType(libraryDir),
    zstdBackends: availableZstdBackends(),
  }
}

