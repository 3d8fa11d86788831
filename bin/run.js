#!/usr/bin/env node
// `--version` is answered here, in the line oclif prints (its user agent), without loading oclif:
// that is most of the start-up time of a command that has nothing else to do.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const {readFileSync} = await import('node:fs')
  const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  const arch = process.arch === 'ia32' ? 'x86' : process.arch
  process.stdout.write(`${pjson.name}/${pjson.version} ${process.platform}-${arch} node-${process.version}\n`)
} else {
  const {fileURLToPath} = await import('node:url')
  const root = fileURLToPath(new URL('..', import.meta.url))
  const {manifestIsStale, writeManifest} = await import('../dist/cli/manifest.js')
  // A plain `tsc` rebuild leaves the manifest behind its commands: renew it (once), never run on it.
  if (manifestIsStale(root)) await writeManifest(root).catch(() => {})
  const argv = process.argv.slice(2)
  // drop and lift run without oclif when their arguments are plain and valid (src/cli/fast-path.ts).
  const fast = ['drop', 'lift'].includes(argv[0]) && !process.env.HOLOBENCH_NO_FAST_PATH
  if (!fast || !(await (await import('../dist/cli/fast-path.js')).runFast(argv, root))) {
    const {execute} = await import('@oclif/core')
    await execute({dir: import.meta.url})
  }
}
