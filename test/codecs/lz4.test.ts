import { expect } from 'chai'
import * as lz4js from 'lz4js'
import { hash as xxh32 } from 'lz4js/xxh32.js'
import { CompressionError } from '../../lib/errors'
import { lz4Codec, lz4Compress, lz4Decompress } from '../../lib/codecs/lz4'
import { fixtureInput, readFixture, roundTripInputs, sha256, xorshiftBytes } from './fixtures'

/** What the Java client's Lz4BlockOutputStream writes first: magic, FLG 0x60, BD 0x40 and their checksum. */
const JAVA_FRAME_HEADER = Buffer.from('04224d18604082', 'hex')

interface Block {
  compressed: boolean
  data: Buffer
}

/** The blocks of a frame without checksums or content size (what we write). */
function blocks(frame: Buffer): Block[] {
  const out: Block[] = []
  for (let pos = 7; ; ) {
    const word = frame.readUInt32LE(pos)
    if (word === 0) {
      expect(pos + 4).to.equal(frame.length)
      return out
    }
    const size = word & 0x7fffffff
    out.push({ compressed: (word & 0x80000000) === 0, data: frame.subarray(pos + 4, pos + 4 + size) })
    pos += 4 + size
  }
}

/**
 * Checks a compressed block against the end-of-block rules of the LZ4 block format, which lz4's reference
 * decoder (and lz4-java in the Java client) enforce when the block fills its output buffer: the last sequence
 * has only literals, at least 5 of them, and no match starts in the last 12 bytes. Returns the decoded size.
 */
function checkEndOfBlockRules(block: Buffer): number {
  let pos = 0
  let out = 0
  let lastMatchStart = -1
  for (;;) {
    const token = block[pos++] as number
    let literals = token >> 4
    if (literals === 15) for (let byte = 255; byte === 255; literals += byte) byte = block[pos++] as number
    pos += literals
    out += literals
    if (pos === block.length) {
      expect(literals, 'literals in the last sequence').to.be.at.least(5)
      if (lastMatchStart >= 0) expect(lastMatchStart, 'start of the last match').to.be.at.most(out - 12)
      return out
    }
    pos += 2
    lastMatchStart = out
    let length = token & 15
    if (length === 15) for (let byte = 255; byte === 255; length += byte) byte = block[pos++] as number
    out += length + 4
  }
}

/** A 64 KiB block on which lz4js' block compressor, left alone, starts its last match 10 bytes from the end. */
function lateMatchBlock(): Buffer {
  const n = 65536
  const data = Buffer.alloc(n)
  for (let i = 0; i < n - 60; i++) data[i] = 'abcdefg'.charCodeAt(i % 7)
  for (let i = n - 60; i < n - 11; i++) data[i] = 'VWXYZ'.charCodeAt((i - (n - 60)) % 5)
  data[n - 11] = '#'.charCodeAt(0)
  for (let j = 0; j < 10; j++) data[n - 10 + j] = 'VWXYZ'.charCodeAt(j % 5)
  return data
}

/** Rewrites a frame's FLG byte and recomputes the header checksum, as a producer setting that flag would. */
function withFlags(frame: Buffer, flg: number, magicInChecksum = false): Buffer {
  const copy = Buffer.from(frame)
  copy[4] = flg
  const descriptorEnd = 6 + (flg & 0x08 ? 8 : 0)
  copy[descriptorEnd] = (xxh32(0, copy, magicInChecksum ? 0 : 4, descriptorEnd - (magicInChecksum ? 0 : 4)) >>> 8) & 0xff
  return copy
}

describe('codecs/lz4', () => {
  for (const [name, input] of roundTripInputs()) {
    it(`round-trips ${name}`, () => {
      const compressed = lz4Compress(input)
      expect(lz4Decompress(compressed).equals(input)).to.equal(true)
    })
  }

  it('writes the frame header the Java client writes (independent 64 KiB blocks, descriptor-only checksum)', () => {
    expect(readFixture('java-lz4.hex').bytes.subarray(0, 7)).to.deep.equal(JAVA_FRAME_HEADER)
    expect(readFixture('librdkafka-lz4.hex').bytes.subarray(0, 7)).to.deep.equal(JAVA_FRAME_HEADER)
    expect(lz4Compress(Buffer.from('x')).subarray(0, 7)).to.deep.equal(JAVA_FRAME_HEADER)
  })

  it('compresses each 64 KiB block on its own and stores incompressible blocks as they are', () => {
    const input = fixtureInput()
    const written = blocks(lz4Compress(input))
    expect(written.map((block) => block.compressed)).to.deep.equal([true, false])
    expect(written[1]?.data.equals(input.subarray(65536))).to.equal(true)
    // The reader refuses a back reference out of the current block when the frame says the blocks are
    // independent, so a multi-block round trip shows that no block needs the one before it.
    const text = Buffer.from('independent blocks '.repeat(20_000))
    expect(blocks(lz4Compress(text)).length).to.equal(6)
    expect(lz4Decompress(lz4Compress(text)).equals(text)).to.equal(true)
  })

  it('keeps every match clear of the end of its block (lz4-java rejects a full block that breaks the rule)', () => {
    const late = lateMatchBlock()
    // The block compressor on its own breaks the rule on this input (the Java client then throws
    // "LZ4Exception: Error decoding offset"); we must not.
    const scratch = new Uint8Array(lz4js.compressBound(late.length))
    const size = lz4js.compressBlock(late, scratch, 0, late.length, new Uint32Array(1 << 16))
    expect(() => checkEndOfBlockRules(Buffer.from(scratch.subarray(0, size)))).to.throw(/start of the last match/)

    for (const input of [late, fixtureInput(), xorshiftBytes(300_000, 3), Buffer.alloc(200_000, 'ab'), Buffer.from('0123456789abcdefgh')]) {
      const frame = lz4Compress(input)
      let total = 0
      for (const block of blocks(frame)) total += block.compressed ? checkEndOfBlockRules(block.data) : block.data.length
      expect(total).to.equal(input.length)
      expect(lz4Decompress(frame).equals(input)).to.equal(true)
    }
  })

  describe('reads what other clients write', () => {
    // Written by kafka-clients 4.1.1 (lz4-java) through KafkaCodecFixtures.java beside the fixtures.
    for (const name of ['java-lz4.hex', 'java-lz4-block-checksum.hex']) {
      it(`the Java client: ${name}`, () => {
        const fixture = readFixture(name)
        const plain = lz4Decompress(fixture.bytes)
        expect(sha256(plain)).to.equal(fixture.plainSha256)
        expect(plain.equals(fixtureInput())).to.equal(true)
      })
    }

    it('the Java client: a small batch in one stored block', () => {
      expect(lz4Decompress(readFixture('java-lz4-small.hex').bytes).toString()).to.equal('hello from the Java client')
    })

    // A batch librdkafka 2.0.2 produced (kcat -z lz4), cut from the broker's log segment by librdkafka-fixtures.sh.
    it('librdkafka', () => {
      const fixture = readFixture('librdkafka-lz4.hex')
      const plain = lz4Decompress(fixture.bytes)
      expect(plain.length).to.equal(fixture.plainLength)
      expect(sha256(plain)).to.equal(fixture.plainSha256)
      expect(plain.includes('librdkafka lz4 record 999: the quick brown fox')).to.equal(true)
    })

    // Written by the lz4 1.9.4 command-line tool (reference-cli-fixtures.sh).
    it('the reference lz4 tool: 256 KiB blocks, block and content checksums, content size', () => {
      const fixture = readFixture('lz4-cli-checksums.hex')
      expect(fixture.bytes[4]).to.equal(0x7c)
      expect(sha256(lz4Decompress(fixture.bytes))).to.equal(fixture.plainSha256)
    })

    it('the reference lz4 tool: linked (dependent) blocks', () => {
      const fixture = readFixture('lz4-cli-dependent.hex')
      expect(fixture.bytes[4]).to.equal(0x40)
      expect(sha256(lz4Decompress(fixture.bytes))).to.equal(fixture.plainSha256)
      // Its blocks do refer back: read as independent blocks, it fails.
      expect(() => lz4Decompress(withFlags(fixture.bytes, 0x60))).to.throw(CompressionError, /match offset/)
    })

    it('frames whose header checksum covers the magic too (Kafka < 0.10, message format v0)', () => {
      const frame = lz4Compress(fixtureInput())
      const broken = withFlags(frame, 0x60, true)
      expect(broken[6]).to.not.equal(frame[6])
      expect(lz4Decompress(broken).equals(fixtureInput())).to.equal(true)
    })

    it("lz4js' own frames (dependent-block flag, 4 MiB blocks)", () => {
      const input = fixtureInput()
      expect(lz4Decompress(Buffer.from(lz4js.compress(input))).equals(input)).to.equal(true)
    })

    it('frames one after the other, and skippable frames', () => {
      const skippable = Buffer.from('502a4d1803000000abcdef', 'hex')
      const joined = Buffer.concat([lz4Compress(Buffer.from('one ')), skippable, lz4Compress(Buffer.from('two'))])
      expect(lz4Decompress(joined).toString()).to.equal('one two')
    })
  })

  describe('rejects corrupt input with a CompressionError', () => {
    const good = lz4Compress(fixtureInput())
    const checksummed = readFixture('lz4-cli-checksums.hex').bytes
    const flip = (bytes: Buffer, at: number): Buffer => {
      const copy = Buffer.from(bytes)
      copy[at] = (copy[at] as number) ^ 0x01
      return copy
    }
    const cases: Array<[string, Buffer, RegExp]> = [
      ['empty input', Buffer.alloc(0), /no LZ4 frame/],
      ['a wrong magic number', Buffer.from('0000000000000000', 'hex'), /expected an LZ4 frame/],
      ['a truncated descriptor', good.subarray(0, 5), /truncated frame descriptor/],
      ['a wrong header checksum', flip(good, 6), /descriptor checksum/],
      ['an unknown frame version', withFlags(good, 0xa0), /unsupported frame version/],
      ['a reserved flag', withFlags(good, 0x62), /reserved bits/],
      ['a dictionary id', withFlags(good, 0x61), /dictionary/],
      ['a missing end mark', good.subarray(0, good.length - 4), /truncated block size/],
      ['a truncated block', good.subarray(0, 100), /truncated block/],
      ['a block larger than the frame allows', Buffer.concat([JAVA_FRAME_HEADER, Buffer.from('01000100', 'hex')]), /exceeds/],
      ['a wrong block checksum', flip(checksummed, 20), /block checksum mismatch/],
      ['a wrong content checksum', flip(checksummed, checksummed.length - 1), /content checksum mismatch/],
      ['a wrong content size', withContentSize(good, 12345), /declares 12345 bytes/],
      ['a match before the start of the data', Buffer.concat([JAVA_FRAME_HEADER, Buffer.from('0400000010610a0000000000', 'hex')]), /match offset/],
      ['a literal run past the end of the block', Buffer.concat([JAVA_FRAME_HEADER, Buffer.from('02000000f0ff00000000', 'hex')]), /block ends inside|past the end/],
      ['a block that decodes to more than the frame allows', oversizedBlock(), /maximum size/],
      ['stray bytes after the frame', Buffer.concat([good, Buffer.from([1, 2])]), /stray bytes/],
    ]
    for (const [name, bytes, message] of cases) {
      it(name, () => {
        expect(() => lz4Decompress(bytes)).to.throw(CompressionError, message)
      })
    }
  })

  it('is the codec kafkajs calls: compress(encoder) and decompress(buffer) return promises of Buffers', async () => {
    const input = Buffer.from('records')
    const compressed = await lz4Codec.compress({ buffer: input })
    expect(Buffer.isBuffer(compressed)).to.equal(true)
    expect(await lz4Codec.decompress(compressed)).to.deep.equal(input)
  })
})

/** Our frame with a content size field claiming `size` bytes. */
function withContentSize(frame: Buffer, size: number): Buffer {
  const field = Buffer.alloc(8)
  field.writeBigUInt64LE(BigInt(size))
  return withFlags(Buffer.concat([frame.subarray(0, 6), field, Buffer.from([0]), frame.subarray(7)]), 0x68)
}

/** A block whose one match (offset 1, length 4 + 15 + 300 * 255) expands past the 64 KiB block maximum. */
function oversizedBlock(): Buffer {
  const block = Buffer.concat([Buffer.from('1f610100', 'hex'), Buffer.alloc(300, 0xff), Buffer.from([0])])
  const size = Buffer.alloc(4)
  size.writeUInt32LE(block.length)
  return Buffer.concat([JAVA_FRAME_HEADER, size, block, Buffer.alloc(4)])
}
