/*
 * The JVM ceiling: Kafka's own ProducerPerformance and ConsumerPerformance from the broker's jars, with the Java
 * client's defaults otherwise. Throughput is what they report (JVM start-up excluded; ConsumerPerformance's fetch
 * time, which leaves out joining the group).
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { DEFAULT_KAFKA_VERSION, kafkaJars } from '../../lib/testing'
import type { Subject } from '../harness'
import type { RunSpec } from './child'

/** The java startKafka() runs, too. */
const JAVA = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java'

let libs: string | undefined

async function findJars(): Promise<void> {
  libs ??= await kafkaJars(DEFAULT_KAFKA_VERSION)
}

function java(mainClass: string, args: string[]): string[] {
  if (!libs) throw new Error('findJars() first')
  return [JAVA, '-cp', join(libs, '*'), mainClass, ...args]
}

/**
 * Random values of --record-size bytes and no keys: ProducerPerformance has no option for keys, so the Java client's
 * sticky partitioner fills one partition's batch at a time.
 */
export const javaProducer: Subject = {
  name: 'Java ProducerPerformance',
  prepare: findJars,
  argv: (spec: RunSpec) =>
    java('org.apache.kafka.tools.ProducerPerformance', [
      '--topic', spec.topics[0]!, '--num-records', String(spec.count), '--record-size', String(spec.valueBytes),
      '--throughput', String(spec.rate ?? -1),
      '--producer-props', `bootstrap.servers=${spec.brokers.join(',')}`, 'acks=all', 'compression.type=none',
    ]),
  report(stdout) {
    // "1000000 records sent, 254647.3 records/sec (24.28 MB/sec), 95.47 ms avg latency, ..., 2 ms 50th, 5 ms 95th, 10 ms 99th, ..."
    const m = /(\d+) records sent, ([\d.]+) records\/sec.*?([\d.]+) ms 50th, [\d.]+ ms 95th, ([\d.]+) ms 99th/.exec(stdout)
    if (!m) throw new Error(`ProducerPerformance printed no summary:\n${stdout.slice(-1000)}`)
    const messages = Number(m[1])
    return { messages, seconds: messages / Number(m[2]), p50: Number(m[3]), p99: Number(m[4]) }
  },
}

export const javaConsumer: Subject = {
  name: 'Java ConsumerPerformance',
  prepare: findJars,
  argv: (spec: RunSpec) =>
    java('org.apache.kafka.tools.ConsumerPerformance', [
      '--bootstrap-server', spec.brokers.join(','), '--topic', spec.topics[0]!, '--num-records', String(spec.count),
      '--group', `bench-java-${Date.now()}`, '--timeout', '60000',
    ]),
  report(stdout) {
    // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, ...
    const fields = stdout.trim().split('\n').pop()?.split(',').map((f) => f.trim()) ?? []
    const messages = Number(fields[4])
    const fetchMs = Number(fields[7])
    if (!Number.isFinite(messages) || !Number.isFinite(fetchMs)) throw new Error(`ConsumerPerformance printed no summary:\n${stdout.slice(-1000)}`)
    return { messages, seconds: fetchMs / 1000 }
  },
}

export function javaVersion(): string {
  const out = spawnSync(JAVA, ['-version'], { encoding: 'utf8' })
  return (out.stderr ?? '').split('\n')[0] ?? 'java not found'
}
