#!/usr/bin/env node
// The build's last step: oclif.manifest.json for the commands just built (see src/cli/manifest.ts).
import {fileURLToPath} from 'node:url'

import {writeManifest} from '../dist/cli/manifest.js'

await writeManifest(fileURLToPath(new URL('..', import.meta.url)))
