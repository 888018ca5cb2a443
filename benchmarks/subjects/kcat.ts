/*
 * kcat (librdkafka), the C ceiling: -P from a prepared file of key<TAB>value lines, -C -e counting lines. kcat
 * reports no rate, so its throughput is its process's wall time (start-up and connection included).
 */
import { spawnSync } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import type { Subject } from '../harness'
import type { RunSpec } from './child'

const inputFiles = new Set<string>()

function inputFile(spec: RunSpec): string {
  return join(tmpdir(), `kafka-pipe-bench-${process.pid}-${spec.count}x${spec.valueBytes}.txt`)
}

/** The same messages as the Node.js subjects write, one `key-i<TAB>value` line each. */
async function writeInput(spec: RunSpec): Promise<void> {
  const file = inputFile(spec)
  if (inputFiles.has(file)) return
  const out = createWriteStream(file)
  const value = 'x'.repeat(spec.valueBytes)
  for (let i = 0; i < spec.count; i++) {
    if (!out.write(`key-${i % 10_000}\t${value}\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  inputFiles.add(file)
}

export const kcatProducer: Subject = {
  name: 'kcat -P (librdkafka)',
  prepare: writeInput,
  // Murmur2 keys like the Java client and kafkajs' DefaultPartitioner; librdkafka's own default is CRC32.
  argv: (spec) => ['kcat', '-P', '-b', spec.brokers.join(','), '-t', spec.topics[0]!, '-K', '\\t', '-l', inputFile(spec),
    '-X', 'acks=all', '-X', 'compression.codec=none', '-X', 'partitioner=murmur2_random'],
  report: (_stdout, usage, spec) => ({ messages: spec.count, seconds: usage.wallSeconds }),
  async cleanup() {
    for (const file of inputFiles) await rm(file, { force: true })
    inputFiles.clear()
  },
}

export const kcatConsumer: Subject = {
  name: 'kcat -C -e (librdkafka)',
  argv: (spec) => ['kcat', '-C', '-b', spec.brokers.join(','), '-t', spec.topics[0]!, '-o', 'beginning', '-e', '-q', '-f', '\\n'],
  report: (stdout, usage) => ({ messages: stdout.split('\n').length - 1, seconds: usage.wallSeconds }),
}

/** kcat's version line, for the system info. */
export function kcatVersion(): string {
  const out = spawnSync('kcat', ['-V'], { encoding: 'utf8' })
  return /Version (\S+).*?(librdkafka \S+)/.exec(out.stdout ?? '')?.slice(1).join(', ') ?? 'kcat not found (apt-get install -y kcat)'
}
