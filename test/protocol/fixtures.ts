/**
 * The Java client's record batches in test/fixtures/protocol, written by RecordBatchFixtures.java from
 * kafka-clients' MemoryRecordsBuilder, and the records they were built from, read back as encoder inputs.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CompressionCode } from '../../lib/codecs/compression'
import type { DecodedRecordBatch, RecordBatchOptions, RecordHeader, RecordInput } from '../../lib/protocol/record-batch'

export const FIXTURES = join(__dirname, '..', 'fixtures', 'protocol')

const codes: Record<string, CompressionCode> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 }

export interface BatchFixture {
  name: string
  /** The first comment line: which program wrote the bytes, and how. */
  source: string
  options: Required<RecordBatchOptions>
  records: RecordInput[]
  bytes: Buffer
}

/** `null`, `utf8:<hex>` (a JS string) or `bytes:<hex>` (a Buffer). */
function field(text: string): Buffer | string | null {
  if (text === 'null') return null
  const [kind, hex] = text.split(':') as [string, string]
  const bytes = Buffer.from(hex, 'hex')
  return kind === 'utf8' ? bytes.toString('utf8') : bytes
}

export function readBatchFixture(name: string): BatchFixture {
  const lines = readFileSync(join(FIXTURES, `java-${name}.hex`), 'utf8').split('\n')
  const records: RecordInput[] = []
  let options: Required<RecordBatchOptions> | undefined
  for (const line of lines.filter((l) => l.startsWith('# '))) {
    const words = line.slice(2).split(' ')
    const values = new Map(words.slice(1).map((w) => w.split('=', 2) as [string, string]))
    if (words[0] === 'options') {
      options = {
        compression: codes[values.get('compression')!]!,
        producerId: BigInt(values.get('producerId')!),
        producerEpoch: Number(values.get('producerEpoch')),
        baseSequence: Number(values.get('baseSequence')),
        transactional: values.get('transactional') === 'true',
      }
    } else if (words[0] === 'record') {
      const headers: RecordHeader[] = words
        .filter((w) => w.startsWith('header='))
        .map((w) => {
          const [key, ...value] = w.slice('header='.length).split(':')
          return { key: Buffer.from(key!, 'hex').toString('utf8'), value: field(value.join(':')) }
        })
      records.push({
        timestamp: Number(values.get('timestamp')),
        key: field(values.get('key')!),
        value: field(values.get('value')!),
        ...(headers.length > 0 ? { headers } : {}),
      })
    }
  }
  if (options === undefined) throw new Error(`java-${name}.hex: no options line`)
  return {
    name,
    source: (lines[0] ?? '').slice(2),
    options,
    records,
    bytes: Buffer.from(lines.filter((l) => !l.startsWith('#')).join('').trim(), 'hex'),
  }
}

/** Names of every batch fixture, e.g. 'none-basic', 'gzip-compressible'. */
export function batchFixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.startsWith('java-') && f.endsWith('.hex'))
    .map((f) => f.slice('java-'.length, -'.hex'.length))
    .sort()
}

function hexOrNull(data: Buffer | string | null | undefined): string {
  if (data === null || data === undefined) return 'null'
  return Buffer.from(data).toString('hex')
}

/**
 * What RecordBatchFixtures.java `describe` prints for a batch that holds `records`, encoded with `options`:
 * the expected reading of the Java client, derived from our inputs alone.
 */
export function describeExpected(records: readonly RecordInput[], options: Required<RecordBatchOptions>): string {
  const names = ['none', 'gzip', 'snappy', 'lz4', 'zstd']
  const timestamps = records.map((r) => r.timestamp)
  const lines = [
    `batch baseOffset=0 magic=2 partitionLeaderEpoch=-1 compression=${names[options.compression]} timestampType=CreateTime ` +
      `transactional=${options.transactional} control=false lastOffset=${records.length - 1} maxTimestamp=${Math.max(...timestamps)} ` +
      `producerId=${options.producerId} producerEpoch=${options.producerEpoch} baseSequence=${options.baseSequence} count=${records.length}`,
  ]
  records.forEach((r, i) => {
    const headers = (r.headers ?? []).map((h) => ` header=${Buffer.from(h.key).toString('hex')}:${hexOrNull(h.value)}`).join('')
    lines.push(`record offset=${i} timestamp=${r.timestamp} key=${hexOrNull(r.key)} value=${hexOrNull(r.value)}${headers}`)
  })
  return lines.join('\n') + '\n'
}

/** A decoded batch as plain data that chai can compare with inputs: hex for bytes, strings for bigints. */
export function plain(batch: DecodedRecordBatch): object {
  return {
    ...batch,
    baseOffset: String(batch.baseOffset),
    producerId: String(batch.producerId),
    records: batch.records.map((r) => ({
      offset: String(r.offset),
      timestamp: r.timestamp,
      key: hexOrNull(r.key),
      value: hexOrNull(r.value),
      headers: r.headers.map((h) => ({ key: h.key, value: hexOrNull(h.value) })),
    })),
  }
}

/** The records of `inputs` as `plain` shows decoded ones. */
export function plainRecords(inputs: readonly RecordInput[]): object[] {
  return inputs.map((r, i) => ({
    offset: String(i),
    timestamp: r.timestamp,
    key: hexOrNull(r.key),
    value: hexOrNull(r.value),
    headers: (r.headers ?? []).map((h) => ({ key: h.key, value: hexOrNull(h.value) })),
  }))
}
