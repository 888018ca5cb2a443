/*
 * How long startKafka() takes to a cluster that answers metadata requests with every broker, per engine and size:
 *
 *   npx tsx benchmarks/startup.ts                                   both engines, 1 and 3 nodes, 3 rounds each
 *   KAFKA_PIPE_IMAGE=kafka-pipe/kafka:4.3.1 npx tsx benchmarks/startup.ts container
 *
 * The jars (jvm) and the image (container) are there before the timed rounds: a first run that fetches jars or
 * pulls an image measures the network. Each figure is the median of the rounds; stop() is timed too.
 */
import { cpus, loadavg } from 'node:os'
import { startKafka, type KafkaEngine } from '../lib/testing'
import { KAFKA_ENGINES } from '../lib/testing/options'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function measure(engine: KafkaEngine, brokers: 1 | 3): Promise<{ start: number; stop: number }> {
  const starts: number[] = []
  const stops: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now()
    const cluster = await startKafka({ engine, brokers, useEnvironment: false })
    const t1 = performance.now()
    await cluster.stop()
    starts.push(t1 - t0)
    stops.push(performance.now() - t1)
  }
  return { start: median(starts), stop: median(stops) }
}

async function main(): Promise<void> {
  const engines = (process.argv.length > 2 ? process.argv.slice(2) : KAFKA_ENGINES) as KafkaEngine[]
  console.log(`${cpus().length} × ${cpus()[0]?.model}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${ROUNDS} rounds`)
  console.log('| engine | nodes | start (median) | stop (median) |\n| --- | --- | --- | --- |')
  for (const engine of engines) {
    for (const brokers of [1, 3] as const) {
      const { start, stop } = await measure(engine, brokers)
      console.log(`| ${engine} | ${brokers} | ${(start / 1000).toFixed(1)} s | ${(stop / 1000).toFixed(1)} s |`)
    }
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
