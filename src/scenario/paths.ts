import {fileURLToPath} from 'node:url'

// This module sits two levels below the package root both as src/scenario/paths.ts (tests, tsx)
// and as dist/scenario/paths.js (the built CLI), so the same relative URLs serve both.

/** Built-in scenario definitions. */
export const BUILTIN_SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url))

/** Default cache of generated corpora (a build output, git-ignored). */
export const DEFAULT_CORPORA_DIR = fileURLToPath(new URL('../../corpora/', import.meta.url))
