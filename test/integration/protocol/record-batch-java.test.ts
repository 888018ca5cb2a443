import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect } from 'chai'
import { encodeRecordBatch, stampRecordBatch, type RecordBatchOptions, type RecordInput } from '../../../lib/protocol/record-batch'
import { DEFAULT_KAFKA_VERSION } from '../../../lib/testing'
import { checkJava, javaCommand, kafkaJars } from '../../../lib/testing/jars'
import { batchFixtureNames, describeExpected, FIXTURES, readBatchFixture } from '../../protocol/fixtures'

const run = promisify(execFile)

/** Runs RecordBatchFixtures.java `describe` (kafka-clients' own reader) on hex lines; returns what it printed. */
async function describeWithJava(hexLines: string[]): Promise<string> {
  const libs = await kafkaJars(DEFAULT_KAFKA_VERSION)
  const child = run(javaCommand(), ['-cp', join(libs, '*'), join(FIXTURES, 'RecordBatchFixtures.java'), 'describe'], {
    maxBuffer: 64 * 1024 * 1024,
  })
  child.child.stdin!.end(hexLines.join('\n') + '\n')
  return (await child).stdout
}

function manyRecords(count: number): RecordInput[] {
  return Array.from({ length: count }, (_, i) => ({
    key: i % 11 === 0 ? null : `key-${i}-ключ`,
    value: i % 13 === 0 ? null : Buffer.from(`value ${i} `.repeat(1 + (i % 17))),
    timestamp: 1_700_000_000_000 + ((i * 7919) % 100_000) - 50_000,
    headers: i % 4 === 0 ? [{ key: 'trace', value: Buffer.from([i & 0xff, 1, 2]) }, { key: 'empty', value: null }] : null,
  }))
}

const full = (options: RecordBatchOptions): Required<RecordBatchOptions> => ({
  compression: 0,
  producerId: -1n,
  producerEpoch: -1,
  baseSequence: -1,
  transactional: false,
  ...options,
})

describe('protocol/record-batch read by the Java client (integration)', function () {
  this.timeout(180_000)
  before(() => checkJava())

  it('kafka-clients validates (CRC) and reads every batch we encode, every codec, as the records we gave', async () => {
    const lines: string[] = []
    let expected = ''
    const add = async (records: readonly RecordInput[], options: Required<RecordBatchOptions>, stampWith?: Omit<Required<RecordBatchOptions>, 'compression' | 'transactional'>) => {
      const batch = await encodeRecordBatch(records, stampWith === undefined ? options : { ...options, producerId: -1n, producerEpoch: -1, baseSequence: -1 })
      if (stampWith !== undefined) stampRecordBatch(batch, stampWith)
      lines.push(batch.toString('hex'))
      expected += describeExpected(records, options)
    }
    // The fixtures' records with the fixtures' settings, now for every codec.
    for (const name of batchFixtureNames()) {
      const fixture = readBatchFixture(name)
      for (const compression of [0, 1, 2, 3, 4] as const) await add(fixture.records, { ...fixture.options, compression })
    }
    const records = manyRecords(3000)
    for (const compression of [0, 1, 2, 3, 4] as const) {
      await add(records, full({ compression, producerId: 77n, producerEpoch: 5, baseSequence: 1_000_000, transactional: true }))
      const ids = { producerId: 2n ** 62n, producerEpoch: 32767, baseSequence: 0 }
      await add(records.slice(0, 50), full({ compression, ...ids }), ids)
    }
    const java = await describeWithJava(lines)
    expect(java.split('\n').length).to.equal(expected.split('\n').length)
    expect(java).to.equal(expected)
  })

  it('kafka-clients reads several of our batches concatenated in one buffer', async () => {
    const a = await encodeRecordBatch(manyRecords(10), { compression: 4 })
    const b = await encodeRecordBatch(manyRecords(20), { compression: 0 })
    const java = await describeWithJava([Buffer.concat([a, b]).toString('hex')])
    expect(java).to.equal(describeExpected(manyRecords(10), full({ compression: 4 })) + describeExpected(manyRecords(20), full({})))
  })
})
