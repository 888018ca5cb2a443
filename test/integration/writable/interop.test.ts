import { execFile } from 'node:child_process'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { promisify } from 'node:util'
import { expect } from 'chai'
import { KafkaWritable, type CompressionName, type Message } from '../../../lib'
import type { KafkaCluster } from '../../../lib/testing'
import { clientOf, useSharedCluster } from '../cluster'
import { readWithJavaConsole } from '../java-console'

const run = promisify(execFile)
const codecs: CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']
const T0 = Date.UTC(2026, 0, 1)

/** Every kind of record a user writes: keyed, no key, empty key, tombstone, unicode, headers (none, text, binary, null), times out of order. */
const messages: Message[] = [
  { key: 'k1', value: 'plain', timestamp: T0 },
  { key: null, value: 'no key', timestamp: T0 + 5 },
  { key: '', value: 'empty key', timestamp: T0 - 1000 },
  { key: 'gone', value: null, timestamp: T0 + 1 },
  { key: 'ключ', value: 'värde ✓ 🚀', timestamp: T0 + 2 },
  { key: 'h', value: 'with headers', headers: { trace: 'abc', bin: Buffer.from([0x41, 0x42]), empty: '' }, timestamp: T0 + 3 },
  { key: 'late', value: 'x'.repeat(300), timestamp: new Date(T0 + 86_400_000) },
]

interface KcatJson {
  key: string | null
  payload: string | null
  ts: number
  headers?: Array<string | null>
}

async function readWithKcatJson(cluster: KafkaCluster, topic: string): Promise<KcatJson[]> {
  const { stdout } = await run('kcat', ['-b', cluster.brokers.join(','), '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-J'])
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as KcatJson)
}

const text = (v: unknown) => (v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString() : String(v))
const time = (t: Message['timestamp']) => (t instanceof Date ? t.getTime() : t)

describe('KafkaWritable records as other clients read them (integration)', function () {
  this.timeout(240_000)
  const suite = useSharedCluster()
  let cluster: KafkaCluster
  before(() => (cluster = suite.cluster))

  for (const codec of codecs) {
    it(`${codec}: kcat and the Java console consumer read keys, null keys, tombstones, headers and timestamps as written`, async () => {
      const topic = await suite.topic({ partitions: 1, prefix: `interop-${codec}` })
      await pipeline(Readable.from(messages), new KafkaWritable({ ...clientOf(cluster), topic, compression: codec }))

      const kcat = await readWithKcatJson(cluster, topic)
      expect(kcat.map((r) => [r.key, r.payload, r.ts])).to.deep.equal(messages.map((m) => [text(m.key), text(m.value), time(m.timestamp)]))
      expect(kcat[5]!.headers).to.deep.equal(['trace', 'abc', 'bin', 'AB', 'empty', ''])
      expect(kcat[0]!.headers ?? []).to.deep.equal([])

      const java = await readWithJavaConsole(cluster, topic, messages.length)
      expect(java.map((r) => [r.key, r.value, r.timestamp])).to.deep.equal(
        messages.map((m) => [text(m.key) ?? 'null', text(m.value) ?? 'null', time(m.timestamp)]),
      )
      expect(java[5]!.headers).to.deep.equal(['trace:abc', 'bin:AB', 'empty:'])
      expect(java[0]!.headers).to.deep.equal([])
    })
  }
})
