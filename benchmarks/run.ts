/*
 * kafka-pipe against every peer, in one run, on one broker:
 *
 *   npm run bench                                  everything, 1,000,000 messages per run, 3 rounds
 *   npm run bench -- 50000                         a quick run (or BENCH_MESSAGES=50000)
 *   npm run bench -- --only write                  some parts: write, read, latency, scale, cli, copy (comma-separated)
 *   BENCH_ROUNDS=1 npm run bench -- 50000 --only read,latency
 *
 * The broker is a local Apache Kafka started here (lib/testing), or the cluster in KAFKA_BROKERS. Every run of every
 * subject is its own child process (benchmarks/subjects/), timed by itself and measured by GNU time
 * (benchmarks/harness.ts); the tables show the median of the rounds. A run of every part also writes
 * benchmarks/RESULTS.md. Needs kcat, GNU time and Java 17+ (Debian: apt-get install -y kcat time openjdk-17-jre-headless).
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { cpus, hostname, release, totalmem } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_KAFKA_VERSION, startKafka, type KafkaCluster } from '../lib/testing'
import { cli } from './scenarios/cli'
import { copy } from './scenarios/copy'
import type { Context } from './scenarios/context'
import { latency } from './scenarios/latency'
import { read } from './scenarios/read'
import { scale } from './scenarios/scale'
import { write } from './scenarios/write'
import { javaVersion } from './subjects/java'
import { kcatVersion } from './subjects/kcat'
import { GNU_TIME } from './harness'
import { Topics } from './topics'

const PARTS = { write, read, latency, scale, cli, copy } satisfies Record<string, (ctx: Context) => Promise<string>>
type Part = keyof typeof PARTS

function parseArgs(argv: string[]): { count: number; parts: Part[] } {
  let count = Number(process.env.BENCH_MESSAGES ?? 1_000_000)
  let parts = Object.keys(PARTS) as Part[]
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',').filter(Boolean)
      const unknown = names.filter((n) => !(n in PARTS))
      if (names.length === 0 || unknown.length) throw new Error(`--only takes a comma-separated list of ${Object.keys(PARTS).join(', ')}, not "${argv[i] ?? ''}"`)
      parts = names as Part[]
    } else if (/^\d+$/.test(arg)) count = Number(arg)
    else throw new Error(`unknown argument "${arg}"; usage: npm run bench -- [messages] [--only ${Object.keys(PARTS).join(',')}]`)
  }
  if (!Number.isSafeInteger(count) || count < 1000) throw new Error(`the message count must be an integer of at least 1000, not ${count}`)
  return { count, parts }
}

/** Read from node_modules: @platformatic/kafka does not export its package.json. */
function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
}

function systemInfo(cluster: KafkaCluster): string {
  const cpu = cpus()
  return [
    `- date: ${new Date().toISOString()}`,
    `- command: \`${['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ')}\` (BENCH_ROUNDS=${process.env.BENCH_ROUNDS ?? 3})`,
    `- machine: ${hostname()}, ${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${release()}`,
    `- node ${process.version}, kafkajs ${packageVersion('kafkajs')}, @platformatic/kafka ${packageVersion('@platformatic/kafka')}, kcat ${kcatVersion()}, ${javaVersion()}`,
    `- broker: ${cluster.external ? `external, KAFKA_BROKERS=${cluster.brokers.join(',')}` : `local Apache Kafka ${DEFAULT_KAFKA_VERSION}, ${cluster.nodes.length} node, started by the bench (lib/testing)`}`,
  ].join('\n')
}

async function main(): Promise<void> {
  const { count, parts } = parseArgs(process.argv.slice(2))
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`BENCH_ROUNDS must be a positive integer, not ${process.env.BENCH_ROUNDS}`)
  if (spawnSync(GNU_TIME, ['--version']).error) throw new Error(`${GNU_TIME} is missing (Debian: apt-get install -y time)`)

  const cluster = await startKafka()
  const topics = new Topics(cluster.brokers)
  try {
    await topics.connect()
    const info = systemInfo(cluster)
    console.log(info + '\n')
    // A run may take 1 ms per message on a slow, shared machine, plus start-up.
    const ctx: Context = { topics, count, rounds, timeoutMs: 120_000 + count }
    const sections: string[] = []
    for (const part of parts) {
      const section = await PARTS[part](ctx)
      console.log(section + '\n')
      sections.push(section)
    }
    if (parts.length === Object.keys(PARTS).length) {
      const file = join(__dirname, 'RESULTS.md')
      await writeFile(file, `# Benchmark results\n\nMedian of ${rounds} rounds; ${count.toLocaleString('en-US')} messages per throughput run.\n\n${info}\n\n${sections.join('\n\n')}\n`)
      console.log(`written to ${file}`)
    }
  } finally {
    await topics.disconnect().catch(() => {})
    await cluster.stop()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
