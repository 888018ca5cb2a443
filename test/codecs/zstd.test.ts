import * as zlib from 'node:zlib'
import * as zstdWasm from '@bokuweb/zstd-wasm'
import { expect } from 'chai'
import { CompressionError } from '../../lib/errors'
import { ZSTD_LEVEL, chooseZstd, zstd, zstdCodec, zstdCompress, zstdDecompress, zstdFrames, type ZstdImplementation } from '../../lib/codecs/zstd'
import { hasZlibZstd, nodeZstd } from '../../lib/codecs/zstd-node'
import { loadZstd, wasmZstd } from '../../lib/codecs/zstd-wasm'
import { fixtureInput, readFixture, roundTripInputs, sha256 } from './fixtures'

const SKIPPABLE = Buffer.from('512a4d1802000000beef', 'hex')

/** Node 22.15 is the first 22.x whose node:zlib has zstd (23.8 on the 23 line). Tests may read versions; lib never does. */
function nodeHasZstd(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
  return major > 22 || (major === 22 && minor >= 15)
}

const wasm = wasmZstd(ZSTD_LEVEL)
/** The fallback always; node:zlib's too where this Node has it, so both paths are tested on 22 and 24. */
const implementations: ZstdImplementation[] = [wasm, ...(hasZlibZstd(zlib) ? [nodeZstd(zlib, ZSTD_LEVEL)] : [])]

describe('codecs/zstd', () => {
  describe('chooses the implementation by what node:zlib has', () => {
    it(`uses node:zlib on Node 22.15 and later and WebAssembly before (this is ${process.version})`, () => {
      expect(zstd.name).to.equal(nodeHasZstd() ? 'node:zlib' : '@bokuweb/zstd-wasm')
      expect(implementations.map((i) => i.name)).to.include(zstd.name)
    })

    it('falls back to WebAssembly when node:zlib lacks any of the zstd functions it calls', () => {
      expect(chooseZstd({}).name).to.equal('@bokuweb/zstd-wasm')
      const stub = { zstdCompressSync() {}, zstdDecompressSync() {}, constants: { ZSTD_c_compressionLevel: 100 } }
      expect(chooseZstd(stub).name).to.equal('node:zlib')
      expect(chooseZstd({ ...stub, zstdDecompressSync: undefined }).name).to.equal('@bokuweb/zstd-wasm')
      expect(chooseZstd({ ...stub, constants: {} }).name).to.equal('@bokuweb/zstd-wasm')
    })
  })

  for (const implementation of implementations) {
    describe(`through ${implementation.name}`, () => {
      const compress = (data: Buffer) => zstdCompress(data, implementation)
      const decompress = (data: Buffer) => zstdDecompress(data, implementation)

      for (const [name, input] of roundTripInputs()) {
        it(`round-trips ${name}`, async () => {
          expect((await decompress(await compress(input))).equals(input)).to.equal(true)
        })
      }

      it('writes one frame that declares its size', async () => {
        const compressed = await compress(fixtureInput())
        expect(compressed.readUInt32LE(0)).to.equal(0xfd2fb528)
        expect(zstdFrames(compressed)).to.deep.equal([{ start: 0, end: compressed.length, skippable: false, maxSize: 69632 }])
      })

      it('writes frames every other implementation reads', async () => {
        const input = fixtureInput()
        const compressed = await compress(input)
        for (const other of implementations) expect((await zstdDecompress(compressed, other)).equals(input), other.name).to.equal(true)
      })

      describe('reads what other clients write', () => {
        // Written by kafka-clients 4.1.1 (zstd-jni, streaming: the frame does not declare its size) through
        // KafkaCodecFixtures.java beside the fixtures.
        it('the Java client', async () => {
          const fixture = readFixture('java-zstd.hex')
          expect(fixture.bytes[4]! >> 6, 'content size flag').to.equal(0)
          const plain = await decompress(fixture.bytes)
          expect(sha256(plain)).to.equal(fixture.plainSha256)
          expect(plain.equals(fixtureInput())).to.equal(true)
        })

        it('the Java client: a small batch', async () => {
          expect((await decompress(readFixture('java-zstd-small.hex').bytes)).toString()).to.equal('hello from the Java client')
        })

        // A batch librdkafka 2.0.2 produced (kcat -z zstd), cut from the broker's log segment by librdkafka-fixtures.sh.
        it('librdkafka', async () => {
          const fixture = readFixture('librdkafka-zstd.hex')
          const plain = await decompress(fixture.bytes)
          expect(plain.length).to.equal(fixture.plainLength)
          expect(sha256(plain)).to.equal(fixture.plainSha256)
          expect(plain.includes('librdkafka zstd record 999: the quick brown fox')).to.equal(true)
        })

        // Written by the zstd 1.5.4 command-line tool from a pipe (reference-cli-fixtures.sh): 3.2 MiB in a frame
        // with no declared size, more than the WebAssembly decoder guesses on its own (1 MiB).
        it('a streamed frame larger than 1 MiB with a content checksum', async () => {
          const fixture = readFixture('zstd-cli-stream.hex')
          const plain = await decompress(fixture.bytes)
          expect(plain.length).to.equal(fixture.plainLength)
          expect(sha256(plain)).to.equal(fixture.plainSha256)
        })

        it('frames one after the other, and skippable frames', async () => {
          const java = readFixture('java-zstd-small.hex').bytes
          const ours = await compress(Buffer.from(', and ours'))
          const plain = await decompress(Buffer.concat([SKIPPABLE, java, SKIPPABLE, ours]))
          expect(plain.toString()).to.equal('hello from the Java client, and ours')
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
            const err = await decompress(bytes).then(
              () => undefined,
              (e: unknown) => e,
            )
            expect(err).to.be.instanceOf(CompressionError)
            expect((err as Error).message).to.match(/^zstd: /).and.to.match(message)
          })
        }
      })
    })
  }

  it('passes WebAssembly the bound a streamed frame needs (the library guesses 1 MiB on its own)', async () => {
    const fixture = readFixture('zstd-cli-stream.hex')
    const [frame] = zstdFrames(fixture.bytes)
    expect(frame?.maxSize).to.be.at.least(fixture.plainLength)
    await loadZstd()
    expect(() => zstdWasm.decompress(fixture.bytes), 'the library without our bound').to.throw()
    expect((await wasm.decompressFrame(fixture.bytes, frame!.maxSize)).length).to.equal(fixture.plainLength)
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
