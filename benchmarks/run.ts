/** Runs every benchmark in turn: npm run bench -- [messages]. */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

for (const file of ['writable.ts', 'readable.ts']) {
  console.log(`\n## ${file}`)
  const { status } = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, file), ...process.argv.slice(2)], { stdio: 'inherit' })
  if (status !== 0) process.exit(status ?? 1)
}
