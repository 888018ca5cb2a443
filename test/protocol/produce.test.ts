import { expect } from 'chai'
import { CorruptResponseError } from '../../lib'
import { decodeProduceResponse, encodeProduceRequest } from '../../lib/protocol/produce'

/** Hex of a big-endian int16/int32/int64 and a length-prefixed string, to spell expected bytes field by field. */
const i16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]).toString('hex')
const i32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeInt32BE(n)
  return b.toString('hex')
}
const i64 = (n: bigint) => {
  const b = Buffer.alloc(8)
  b.writeBigInt64BE(n)
  return b.toString('hex')
}
const str = (s: string | null) => (s === null ? i16(-1) : i16(Buffer.byteLength(s)) + Buffer.from(s).toString('hex'))

describe('protocol/produce', () => {
  it('lays a request out as ProduceRequest.json says for v3-v8: transactional id, acks, timeout, topics, partitions, records', () => {
    const records = Buffer.from('0102030405', 'hex')
    const other = Buffer.from('aabb', 'hex')
    const body = encodeProduceRequest({
      transactionalId: null,
      acks: -1,
      timeoutMs: 30_000,
      topics: [
        { topic: 'orders', partitions: [{ partition: 0, records }, { partition: 5, records: other }] },
        { topic: 'é', partitions: [{ partition: 1, records }] },
      ],
    })
    const expected =
      str(null) + i16(-1) + i32(30_000) + i32(2) +
      str('orders') + i32(2) + i32(0) + i32(5) + '0102030405' + i32(5) + i32(2) + 'aabb' +
      str('é') + i32(1) + i32(1) + i32(5) + '0102030405'
    expect(body.toString('hex')).to.equal(expected)
  })

  it('writes a transactional id when there is one', () => {
    const body = encodeProduceRequest({ transactionalId: 'tx-1', acks: 1, timeoutMs: 5, topics: [] })
    expect(body.toString('hex')).to.equal(str('tx-1') + i16(1) + i32(5) + i32(0))
  })

  it('reads v8 responses with per-record errors and an error message', () => {
    const body = Buffer.from(
      i32(1) + str('orders') + i32(2) +
        i32(0) + i16(0) + i64(42n) + i64(-1n) + i64(7n) + i32(0) + str(null) +
        i32(3) + i16(87) + i64(-1n) + i64(-1n) + i64(-1n) + i32(1) + i32(4) + str('bad key') + str('One or more records have been rejected') +
        i32(250),
      'hex',
    )
    const response = decodeProduceResponse(8, body)
    expect(response.throttleTimeMs).to.equal(250)
    expect(response.partitions).to.deep.equal([
      { topic: 'orders', partition: 0, errorCode: 0, baseOffset: 42n, logAppendTimeMs: -1n, logStartOffset: 7n, recordErrors: [], errorMessage: null },
      {
        topic: 'orders',
        partition: 3,
        errorCode: 87,
        baseOffset: -1n,
        logAppendTimeMs: -1n,
        logStartOffset: -1n,
        recordErrors: [{ batchIndex: 4, message: 'bad key' }],
        errorMessage: 'One or more records have been rejected',
      },
    ])
  })

  it('reads v3 and v4 responses, which have no log start offset', () => {
    const body = Buffer.from(i32(1) + str('t') + i32(1) + i32(2) + i16(6) + i64(-1n) + i64(-1n) + i32(0), 'hex')
    const [partition] = decodeProduceResponse(3, body).partitions
    expect(partition).to.include({ topic: 't', partition: 2, errorCode: 6, logStartOffset: -1n })
  })

  it('rejects a truncated response with a CorruptResponseError instead of reading past the end', () => {
    const whole = Buffer.from(i32(1) + str('t') + i32(1) + i32(0) + i16(0) + i64(1n) + i64(-1n) + i64(0n) + i32(0), 'hex')
    for (const cut of [3, 10, whole.length - 1]) {
      expect(() => decodeProduceResponse(5, whole.subarray(0, cut))).to.throw(CorruptResponseError, /ended after/)
    }
    expect(() => decodeProduceResponse(5, whole)).not.to.throw()
  })
})
