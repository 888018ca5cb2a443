import { cpus, totalmem } from 'node:os'
import { startKafka, type KafkaCluster } from '../lib/testing'

export interface Result {
  scenario: string
  subject: string
  messages: number
  seconds: number
}

/** Runs `fn` and times it; inputs must be made before, outside the timed part. */
export async function time(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - start) / 1e9
}

export function systemInfo(cluster: KafkaCluster): string {
  const cpu = cpus()
  return [
    `node ${process.version} on ${process.platform}/${process.arch}, ${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    `broker: ${cluster.external ? `external (${cluster.brokers.join(',')})` : `local Apache Kafka, ${cluster.nodes.length} node(s)`}`,
  ].join('\n')
}

/** One line per scenario: subject throughput, baseline throughput, and their ratio. */
export function table(results: Result[], baseline: string): string {
  const rows = [`scenario | subject | msg/s | ratio to ${baseline}`, '--- | --- | --- | ---']
  const byScenario = new Map<string, Result[]>()
  for (const r of results) byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r])
  for (const [scenario, rs] of byScenario) {
    const base = rs.find((r) => r.subject === baseline)
    for (const r of rs) {
      const rate = r.messages / r.seconds
      const ratio = base ? rate / (base.messages / base.seconds) : NaN
      rows.push(`${scenario} | ${r.subject} | ${Math.round(rate).toLocaleString('en-US')} | ${ratio.toFixed(2)}`)
    }
  }
  return rows.join('\n')
}

/** The run with the median time per scenario and subject: steadier than the best or the mean on a shared machine. */
export function medians(results: Result[]): Result[] {
  const groups = new Map<string, Result[]>()
  for (const r of results) {
    const key = `${r.scenario}\0${r.subject}`
    groups.set(key, [...(groups.get(key) ?? []), r])
  }
  return [...groups.values()].map((rs) => [...rs].sort((a, b) => a.seconds - b.seconds)[Math.floor((rs.length - 1) / 2)]!)
}

export async function withCluster<T>(work: (cluster: KafkaCluster) => Promise<T>): Promise<T> {
  const cluster = await startKafka()
  try {
    return await work(cluster)
  } finally {
    await cluster.stop()
  }
}
