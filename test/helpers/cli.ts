import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Run the built CLI as a real process (npm test builds first). */
export function cli(args: string[], options: {env?: NodeJS.ProcessEnv; cwd?: string; onSpawn?: (child: ReturnType<typeof spawn>) => void} = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    // Wide columns so oclif does not wrap error lines that tests match. Without vitest's
    // NODE_ENV=test, as users run it: under it oclif looks for TypeScript sources and, on some
    // Node lines (24), warns on stderr that it found none.
    const {NODE_ENV: _vitest, ...env} = process.env
    const child = spawn(process.execPath, [bin, ...args], {cwd: options.cwd, env: {...env, OCLIF_COLUMNS: '1000', ...options.env}})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code, signal) => resolve({code, signal, stdout, stderr}))
    options.onSpawn?.(child)
  })
}
