import * as zstdWasm from '@bokuweb/zstd-wasm'
import { expect } from 'chai'
import { CompressionError } from '../../lib/errors'
import { loadZstd, zstdCodec, zstdCompress, zstdDecompress, zstdFrames } from '../../lib/codecs/zstd'
import { fixtureInput, readFixture, roundTripInputs, sha256 } from './fixtures'

const SKIPPABLE = Buffer.from('512a4d1802000000beef', 'hex')

describe('codecs/zstd', () => {
  for (const [name, input] of roundTripInputs()) {
    it(`round-trips ${name}`, async () => {
      const compressed = await zstdCompress(input)
      expect((await zstdDecompress(compressed)).equals(input)).to.equal(true)
    })
  }

  it('writes one frame that declares its size', async () => {
    const compressed = await zstdCompress(fixtureInput())
    expect(compressed.readUInt32LE(0)).to.equal(0xfd2fb528)
    expect(zstdFrames(compressed)).to.deep.equal([{ start: 0, end: compressed.length, skippable: false, maxSize: 69632 }])
  })

  describe('reads what other clients write', () => {
    // Written by kafka-clients 4.1.1 (zstd-jni, streaming: the frame does not declare its size) through
    // KafkaCodecFixtures.java beside the fixtures.
    it('the Java client', async () => {
      const fixture = readFixture('java-zstd.hex')
      expect(fixture.bytes[4]! >> 6, 'content size flag').to.equal(0)
      const plain = await zstdDecompress(fixture.bytes)
      expect(sha256(plain)).to.equal(fixture.plainSha256)
      expect(plain.equals(fixtureInput())).to.equal(true)
    })

    it('the Java client: a small batch', async () => {
      expect((await zstdDecompress(readFixture('java-zstd-small.hex').bytes)).toString()).to.equal('hello from the Java client')
    })

    // A batch librdkafka 2.0.2 produced (kcat -z zstd), cut from the broker's log segment by librdkafka-fixtures.sh.
    it('librdkafka', async () => {
      const fixture = readFixture('librdkafka-zstd.hex')
      const plain = await zstdDecompress(fixture.bytes)
      expect(plain.length).to.equal(fixture.plainLength)
      expect(sha256(plain)).to.equal(fixture.plainSha256)
      expect(plain.includes('librdkafka zstd record 999: the quick brown fox')).to.equal(true)
    })

    // Written by the zstd 1.5.4 command-line tool from a pipe (reference-cli-fixtures.sh): 3.2 MiB in a frame
    // with no declared size, more than the WebAssembly decoder guesses on its own (1 MiB).
    it('a streamed frame larger than 1 MiB with a content checksum', async () => {
      const fixture = readFixture('zstd-cli-stream.hex')
      const [frame] = zstdFrames(fixture.bytes)
      expect(frame?.maxSize).to.be.at.least(fixture.plainLength)
      await loadZstd()
      expect(() => zstdWasm.decompress(fixture.bytes), 'the library without our bound').to.throw()
      const plain = await zstdDecompress(fixture.bytes)
      expect(plain.length).to.equal(fixture.plainLength)
      expect(sha256(plain)).to.equal(fixture.plainSha256)
    })

    it('frames one after the other, and skippable frames', async () => {
      const java = readFixture('java-zstd-small.hex').bytes
      const ours = await zstdCompress(Buffer.from(', and ours'))
      const plain = await zstdDecompress(Buffer.concat([SKIPPABLE, java, SKIPPABLE, ours]))
      expect(plain.toString()).to.equal('hello from the Java client, and ours')
    })
  })

  describe('zstdFrames bounds the output of frames that do not declare their size', () => {
    it('counts raw and RLE blocks exactly and compressed blocks as 128 KiB', () => {
      // Frame header 0x00 (no size, window byte), then: a raw block of 3 bytes, an RLE block of 1000 bytes,
      // and a last compressed block (its content is not read).
      const frame = Buffer.from('28b52ffd' + '0058' + '180000' + '616263' + '421f00' + '7a' + '2d0000' + '0000000000', 'hex')
      expect(zstdFrames(frame)).to.deep.equal([{ start: 0, end: frame.length, skippable: false, maxSize: 3 + 1000 + 131072 }])
    })
  })

  describe('rejects corrupt input with a CompressionError', () => {
    const cases: Array<[string, Buffer, RegExp]> = [
      ['empty input', Buffer.alloc(0), /empty input/],
      ['a wrong magic number', Buffer.from('not zstd at all'), /expected a zstd frame/],
      ['a truncated frame', readFixture('java-zstd.hex').bytes.subarray(0, 200), /truncated block/],
      ['a reserved block type', Buffer.from('28b52ffd0058070000', 'hex'), /reserved block type/],
      ['a reserved header bit', Buffer.from('28b52ffd0858010000', 'hex'), /reserved bit/],
      ['a truncated skippable frame', SKIPPABLE.subarray(0, 9), /truncated skippable frame/],
      ['corrupt block content', corruptContent(), /could not decompress the frame at byte 0/],
      // Frame header 0x20 (single segment, 1-byte size): 200 bytes declared, one raw block of 3.
      ['a declared size larger than the blocks can hold', Buffer.from('28b52ffd20c8190000616263', 'hex'), /declares 200 bytes but its blocks hold at most 3/],
    ]
    for (const [name, bytes, message] of cases) {
      it(name, async () => {
        const err = await zstdDecompress(bytes).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(err).to.be.instanceOf(CompressionError)
        expect((err as Error).message).to.match(/^zstd: /).and.to.match(message)
      })
    }
  })

  it('is the codec kafkajs calls: compress(encoder) and decompress(buffer) return promises of Buffers', async () => {
    const input = Buffer.from('records')
    const compressed = await zstdCodec.compress({ buffer: input })
    expect(Buffer.isBuffer(compressed)).to.equal(true)
    expect(await zstdCodec.decompress(compressed)).to.deep.equal(input)
  })
})

/** A frame from the Java client with its first compressed block's content scrambled. */
function corruptContent(): Buffer {
  const bytes = Buffer.from(readFixture('java-zstd.hex').bytes)
  for (let i = 12; i < 60; i++) bytes[i] = 0xff - (bytes[i] as number)
  return bytes
}
