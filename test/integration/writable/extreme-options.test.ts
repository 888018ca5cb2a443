/*
 * An option value the schema accepts must work: the edges of every range (0 where it is allowed, the largest
 * values) on the real broker. test/options/probe.test.ts lists which probe values each option accepts.
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { KafkaWritable } from '../../../lib'
import type { KafkaCluster } from '../../../lib/testing'
import { clientOf, useSharedCluster } from '../cluster'
import { readWithKcat } from '../kcat'

const INT32_MAX = 2 ** 31 - 1

describe('KafkaWritable at the edges of its options (integration)', function () {
  this.timeout(120_000)
  const suite = useSharedCluster()
  let cluster: KafkaCluster
  before(() => (cluster = suite.cluster))

  async function roundTrip(options: Record<string, unknown>, count = 2000): Promise<void> {
    const topic = await suite.topic({ partitions: 3, prefix: 'edges' })
    const messages = Array.from({ length: count }, (_, i) => ({ key: `k${i % 50}`, value: String(i) }))
    await pipeline(Readable.from(messages), new KafkaWritable({ ...clientOf(cluster), topic, ...options }))
    const values = (await readWithKcat(cluster, topic)).map((r) => Number(r.value)).sort((a, b) => a - b)
    expect(values).to.deep.equal(messages.map((_, i) => i))
  }

  // Not backoff: a retry after a 24-day backoff waits (the delivery deadline ends it); a new topic's first write may
  // need a retry while its leaders settle.
  it('the largest values: batches, buffers and timeouts at their maximum', async () => {
    await roundTrip({
      batchSize: INT32_MAX,
      batchBytes: INT32_MAX,
      ackTimeout: INT32_MAX,
      maxAttempts: Number.MAX_SAFE_INTEGER,
      highWaterMark: Number.MAX_SAFE_INTEGER,
      metadataMaxAge: INT32_MAX,
      connectionTimeout: INT32_MAX,
      requestTimeout: INT32_MAX,
    })
  })

  it('async mode with the largest buffers and linger, ended by end() rather than by a full batch', async () => {
    await roundTrip({ async: true, linger: INT32_MAX, maxBufferedMessages: Number.MAX_SAFE_INTEGER, maxBufferedBytes: Number.MAX_SAFE_INTEGER })
  })

  it('the smallest values: batches of one message and of one byte, linger 0, metadataMaxAge 0, highWaterMark 1', async () => {
    await roundTrip({ batchSize: 1, batchBytes: 1 + 64, linger: 0, metadataMaxAge: 0, highWaterMark: 1, backoff: 1, maxBackoff: 1 }, 300)
  })

  it('async mode with room for a single message', async () => {
    await roundTrip({ async: true, maxBufferedMessages: 1, maxBufferedBytes: 1, linger: 0 }, 300)
  })
})
