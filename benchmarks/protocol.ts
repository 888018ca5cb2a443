/**
 * The byte layer of the produce path, without a broker: encodeRecordBatch in ns per record, crc32c in MB/s,
 * each beside kafkajs' own code doing the same work (its RecordBatch v0 encoder with its Record encoder, and
 * its CRC-32C). Inputs are made before timing; each scenario reports the median of several rounds.
 *
 *   npx tsx benchmarks/protocol.ts [records per batch, default 1000]
 */
import { cpus, totalmem } from 'node:os'
import { crc32c } from '../lib/protocol/crc32c'
import { decodeRecordBatches, encodeRecordBatch, type RecordInput } from '../lib/protocol/record-batch'

const kafkajsRecordBatch = require('kafkajs/src/protocol/recordBatch/v0').RecordBatch as (batch: object) => Promise<{ buffer: Buffer }>
const kafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: object) => object
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C') as (buf: Buffer) => number

const COUNT = Number(process.argv[2] ?? 1000)
const ROUNDS = 7
const BASE_TIMESTAMP = 1_700_000_000_000

/** 10-byte string keys and 100-byte values, the shape the brief measures. */
function inputs(valueAs: 'buffer' | 'string', hints: boolean): RecordInput[] {
  return Array.from({ length: COUNT }, (_, i) => {
    const key = `key-${String(i).padStart(6, '0')}`
    const text = `value ${i} `.padEnd(100, 'x')
    return {
      key,
      value: valueAs === 'buffer' ? Buffer.from(text) : text,
      timestamp: BASE_TIMESTAMP + (i >> 4),
      ...(hints ? { keySize: 10, valueSize: 100 } : {}),
    }
  })
}

/** Median seconds per call of `fn` over ROUNDS rounds, each ~200 ms, after a second of warm-up. */
async function measure(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint()
  let calls = 0
  while (process.hrtime.bigint() - start < 1_000_000_000n) {
    await fn()
    calls++
  }
  const perRound = Math.max(1, Math.round(calls / 5))
  const rounds: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    const t = process.hrtime.bigint()
    for (let i = 0; i < perRound; i++) await fn()
    rounds.push(Number(process.hrtime.bigint() - t) / 1e9 / perRound)
  }
  return rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!
}

async function main(): Promise<void> {
  const cpu = cpus()
  console.log(`node ${process.version} on ${process.platform}/${process.arch}, ${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`)
  console.log(`${COUNT} records per batch, 10-byte string keys, 100-byte values, no headers, no compression; median of ${ROUNDS} rounds\n`)

  const rows = ['scenario | subject | ns/record | records/s', '--- | --- | --- | ---']
  const row = (scenario: string, subject: string, seconds: number) =>
    rows.push(`${scenario} | ${subject} | ${((seconds / COUNT) * 1e9).toFixed(0)} | ${Math.round(COUNT / seconds).toLocaleString('en-US')}`)

  for (const [scenario, records] of [
    ['Buffer values', inputs('buffer', false)],
    ['string values', inputs('string', false)],
    ['string values, sizes given', inputs('string', true)],
  ] as const) {
    row(scenario, 'encodeRecordBatch', await measure(() => encodeRecordBatch(records)))
  }
  const kafkajsInputs = inputs('buffer', false)
  row('Buffer values', 'kafkajs RecordBatch v0 (baseline)', await measure(() =>
    kafkajsRecordBatch({
      firstTimestamp: BASE_TIMESTAMP,
      maxTimestamp: BASE_TIMESTAMP + (COUNT >> 4),
      lastOffsetDelta: COUNT - 1,
      records: kafkajsInputs.map((r, i) => kafkajsRecord({ offsetDelta: i, timestampDelta: r.timestamp - BASE_TIMESTAMP, key: r.key, value: r.value, headers: {} })),
    }),
  ))
  const encoded = await encodeRecordBatch(inputs('buffer', false))
  row('Buffer values', 'decodeRecordBatches', await measure(() => decodeRecordBatches(encoded)))
  console.log(rows.join('\n'))

  const data = Buffer.alloc(1 << 20)
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24
  const crcRows = ['crc32c over 1 MiB | MB/s', '--- | ---']
  crcRows.push(`crc32c (slice-by-16) | ${(data.length / 1e6 / (await measure(() => crc32c(data)))).toFixed(0)}`)
  crcRows.push(`kafkajs crc32C (baseline) | ${(data.length / 1e6 / (await measure(() => kafkajsCrc32c(data)))).toFixed(0)}`)
  console.log(`\n${crcRows.join('\n')}`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
