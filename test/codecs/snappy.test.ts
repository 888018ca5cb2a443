import { expect } from 'chai'
import * as snappyjs from 'snappyjs'
import { CompressionError } from '../../lib/errors'
import { snappyCodec, snappyCompress, snappyDecompress, XERIAL_CHUNK_SIZE } from '../../lib/codecs/snappy'
import { fixtureInput, readFixture, roundTripInputs, sha256, xorshiftBytes } from './fixtures'

const XERIAL_HEADER = Buffer.from('82534e41505059000000000100000001', 'hex')

/** Splits a xerial stream into its chunks, checking the framing on the way. */
function xerialChunks(stream: Buffer): Buffer[] {
  expect(stream.subarray(0, 16)).to.deep.equal(XERIAL_HEADER)
  const chunks: Buffer[] = []
  for (let pos = 16; pos < stream.length; ) {
    const length = stream.readInt32BE(pos)
    chunks.push(stream.subarray(pos + 4, pos + 4 + length))
    pos += 4 + length
    expect(pos).to.be.at.most(stream.length)
  }
  return chunks
}

describe('codecs/snappy', () => {
  for (const [name, input] of roundTripInputs()) {
    it(`round-trips ${name}`, () => {
      const compressed = snappyCompress(input)
      expect(snappyDecompress(compressed).equals(input)).to.equal(true)
    })
  }

  it('writes the xerial header and 32 KiB chunks, like snappy-java SnappyOutputStream in the Java client', () => {
    const input = xorshiftBytes(3 * XERIAL_CHUNK_SIZE + 5, 1)
    const chunks = xerialChunks(snappyCompress(input))
    expect(chunks.map((chunk) => snappyjs.uncompress(chunk).length)).to.deep.equal([32768, 32768, 32768, 5])
  })

  it('writes the same header as the Java client', () => {
    expect(readFixture('java-snappy-small.hex').bytes.subarray(0, 16)).to.deep.equal(XERIAL_HEADER)
    expect(snappyCompress(Buffer.from('x')).subarray(0, 16)).to.deep.equal(XERIAL_HEADER)
  })

  it('writes only the header for empty input', () => {
    expect(snappyCompress(Buffer.alloc(0))).to.deep.equal(XERIAL_HEADER)
  })

  describe('reads what other clients write', () => {
    // Written by kafka-clients 4.1.1 (snappy-java) through KafkaCodecFixtures.java beside the fixtures.
    it('the Java client: xerial framing, three chunks', () => {
      const fixture = readFixture('java-snappy.hex')
      expect(xerialChunks(fixture.bytes)).to.have.length(3)
      const plain = snappyDecompress(fixture.bytes)
      expect(plain.length).to.equal(fixture.plainLength)
      expect(sha256(plain)).to.equal(fixture.plainSha256)
      expect(plain.equals(fixtureInput())).to.equal(true)
    })

    it('the Java client: a small batch', () => {
      expect(snappyDecompress(readFixture('java-snappy-small.hex').bytes).toString()).to.equal('hello from the Java client')
    })

    // A batch librdkafka 2.0.2 produced (kcat -z snappy), cut from the broker's log segment by
    // librdkafka-fixtures.sh. librdkafka writes one raw snappy block without xerial framing.
    it('librdkafka: one raw snappy block', () => {
      const fixture = readFixture('librdkafka-snappy.hex')
      expect(fixture.bytes.subarray(0, 8)).to.not.deep.equal(XERIAL_HEADER.subarray(0, 8))
      const plain = snappyDecompress(fixture.bytes)
      expect(sha256(plain)).to.equal(fixture.plainSha256)
      expect(plain.includes('librdkafka snappy record 999: the quick brown fox')).to.equal(true)
    })

    it('xerial streams written one after the other (snappy-java reads them too)', () => {
      const a = Buffer.from('first stream, ')
      const b = xorshiftBytes(40_000, 7)
      expect(snappyDecompress(Buffer.concat([snappyCompress(a), snappyCompress(b)])).equals(Buffer.concat([a, b]))).to.equal(true)
    })
  })

  describe('rejects corrupt input with a CompressionError', () => {
    const good = snappyCompress(fixtureInput())
    const cases: Array<[string, Buffer]> = [
      ['a truncated header', good.subarray(0, 12)],
      ['a truncated chunk length', good.subarray(0, 18)],
      ['a chunk longer than the input', good.subarray(0, good.length - 1)],
      ['a negative chunk length', Buffer.concat([XERIAL_HEADER, Buffer.from('ffffffff00', 'hex')])],
      ['a corrupt chunk', Buffer.concat([XERIAL_HEADER, Buffer.from('000000030aff01', 'hex')])],
      ['a newer incompatible xerial version', Buffer.concat([XERIAL_HEADER.subarray(0, 12), Buffer.from('00000002', 'hex')])],
      ['garbage (read as raw snappy)', Buffer.from('ffffffffffffffff', 'hex')],
      ['empty input', Buffer.alloc(0)],
      ['a raw block claiming more output than snappy can encode', Buffer.from([0xff, 0xff, 0xff, 0x7f, 0x00])],
    ]
    for (const [name, bytes] of cases) {
      it(name, () => {
        expect(() => snappyDecompress(bytes)).to.throw(CompressionError, /^snappy: /)
      })
    }
  })

  it('is the codec kafkajs calls: compress(encoder) and decompress(buffer) return promises of Buffers', async () => {
    const input = Buffer.from('records')
    const compressed = await snappyCodec.compress({ buffer: input })
    expect(Buffer.isBuffer(compressed)).to.equal(true)
    expect(await snappyCodec.decompress(compressed)).to.deep.equal(input)
  })
})
