import {fileURLToPath} from 'node:url'

/**
 * The holobench package root. This module sits two levels down both as src/scenario/paths.ts
 * (tests, tsx) and as dist/scenario/paths.js (the built CLI), so one relative URL serves both.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Built-in scenario definitions. */
export const BUILTIN_SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url))

/** Default cache of generated corpora (a build output, git-ignored). */
export const DEFAULT_CORPORA_DIR = fileURLToPath(new URL('../../corpora/', import.meta.url))
