/*
 * The built `kafka-pipe produce` reading the benchmark's NDJSON file, and kcat -P reading the same lines. The CLI's
 * rate is by its own summary's clock (from the command's start, connect included, to the last acknowledgement:
 * the stream subjects' clock), so Node.js start-up is left out as it is for them; kcat's is its wall time.
 */
import { execFileSync } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subject } from '../harness'
import { writeNdjson } from '../ndjson'
import type { RunSpec } from './child'

const ROOT = join(__dirname, '..', '..')
const BIN = join(ROOT, 'dist', 'bin', 'kafka-pipe.js')
const files = new Set<string>()
let built = false

function inputFile(spec: RunSpec): string {
  return join(tmpdir(), `kafka-pipe-bench-${process.pid}-${spec.count}.ndjson`)
}

async function prepare(spec: RunSpec): Promise<void> {
  if (!built) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT })
    built = true
  }
  const file = inputFile(spec)
  if (files.has(file)) return
  await writeNdjson(file, spec.count)
  files.add(file)
}

async function cleanup(): Promise<void> {
  for (const file of files) await rm(file, { force: true })
  files.clear()
}

/** `kafka-pipe produce` with `flags`; its summary (stderr) goes to stdout for report(). */
export function cliProducer(name: string, flags: string[]): Subject {
  return {
    name,
    prepare,
    argv: (spec) => ['sh', '-c', 'exec "$@" 2>&1', 'sh', process.execPath, BIN, 'produce', '--brokers', spec.brokers.join(','), '--topic', spec.topics[0]!, ...flags, inputFile(spec)],
    report(stdout) {
      const summary = /stored (\d+) records .* in ([\d.]+) s /.exec(stdout)
      if (!summary) throw new Error(`${name} printed no summary: ${stdout.slice(-500)}`)
      return { messages: Number(summary[1]), seconds: Number(summary[2]) }
    },
    cleanup,
  }
}

export const kcatNdjsonProducer: Subject = {
  name: 'kcat -P, the same lines (no key)',
  prepare,
  argv: (spec) => ['kcat', '-P', '-b', spec.brokers.join(','), '-t', spec.topics[0]!, '-l', inputFile(spec), '-X', 'acks=all', '-X', 'compression.codec=none'],
  report: (_stdout, usage, spec) => ({ messages: spec.count, seconds: usage.wallSeconds }),
  cleanup,
}
