import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'chai'
import {
  readUnsignedVarint,
  readVarint,
  readVarlong,
  sizeOfUnsignedVarint,
  sizeOfVarint,
  sizeOfVarlong,
  writeUnsignedVarint,
  writeVarint,
  writeVarlong,
} from '../../lib/protocol/varint'

/** `varint|varlong <value> <hex>` lines written by RecordBatchFixtures.java with kafka-clients' ByteUtils. */
function javaVectors(): Array<{ kind: string; value: number; hex: string }> {
  return readFileSync(join(__dirname, '..', 'fixtures', 'protocol', 'java-varints.txt'), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [kind, value, hex] = line.split(' ') as [string, string, string]
      return { kind, value: Number(value), hex }
    })
}

/** A second, obviously-correct varlong encoder (BigInt zigzag, then 7-bit groups) to check ours against. */
function referenceVarlong(n: number): string {
  const v = BigInt(n)
  let z = v >= 0n ? v << 1n : ((-v) << 1n) - 1n
  const bytes: number[] = []
  while (z >= 0x80n) {
    bytes.push(Number(z & 0x7fn) | 0x80)
    z >>= 7n
  }
  bytes.push(Number(z))
  return Buffer.from(bytes).toString('hex')
}

function encode(write: (buf: Uint8Array, offset: number, n: number) => number, n: number): string {
  const buf = Buffer.alloc(12, 0xee)
  const end = write(buf, 1, n) // at an offset, to prove the returned position counts from it
  return buf.subarray(1, end).toString('hex')
}

/** Deterministic pseudo-random safe integers of every magnitude (xorshift32 for the bits). */
function safeIntegers(count: number): number[] {
  const out: number[] = []
  let x = 0x2545f491
  const next = () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return x >>> 0
  }
  for (let i = 0; i < count; i++) {
    const bits = next() % 54
    const magnitude = Math.floor(((next() * 2 ** 21 + (next() >>> 11)) / 2 ** 53) * 2 ** bits)
    out.push(next() & 1 ? -magnitude : magnitude)
  }
  return out
}

describe('protocol/varint', () => {
  describe('agrees with the Java client (ByteUtils vectors in java-varints.txt)', () => {
    for (const { kind, value, hex } of javaVectors()) {
      it(`${kind} ${value} is ${hex}`, () => {
        const [write, read, size] = kind === 'varint' ? [writeVarint, readVarint, sizeOfVarint] : [writeVarlong, readVarlong, sizeOfVarlong]
        expect(encode(write, value)).to.equal(hex)
        expect(size(value)).to.equal(hex.length / 2)
        const at = { offset: 0 }
        expect(read(Buffer.from(hex, 'hex'), at)).to.equal(value)
        expect(at.offset).to.equal(hex.length / 2)
      })
    }
  })

  it('varlong matches a BigInt reference for 5000 safe integers of every magnitude, and reads them back', () => {
    for (const n of [...safeIntegers(5000), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 31, -(2 ** 31) - 1]) {
      const hex = encode(writeVarlong, n)
      expect(hex, String(n)).to.equal(referenceVarlong(n))
      expect(sizeOfVarlong(n), String(n)).to.equal(hex.length / 2)
      expect(readVarlong(Buffer.from(hex, 'hex'), { offset: 0 }), hex).to.equal(n)
    }
  })

  it('unsigned varints cover 0 to 2^32-1 in 1 to 5 bytes', () => {
    const cases: Array<[number, string]> = [
      [0, '00'],
      [127, '7f'],
      [128, '8001'],
      [16383, 'ff7f'],
      [16384, '808001'],
      [2 ** 32 - 1, 'ffffffff0f'],
    ]
    for (const [n, hex] of cases) {
      expect(encode(writeUnsignedVarint, n)).to.equal(hex)
      expect(sizeOfUnsignedVarint(n)).to.equal(hex.length / 2)
      expect(readUnsignedVarint(Buffer.from(hex, 'hex'), { offset: 0 })).to.equal(n)
    }
  })

  it('readers advance the position past each value, so values can be read one after another', () => {
    const buf = Buffer.from('01' + '8001' + 'ffffffff0f' + '80f882ad16', 'hex')
    const at = { offset: 0 }
    expect([readVarint(buf, at), readVarint(buf, at), readVarint(buf, at), readVarlong(buf, at)]).to.deep.equal([-1, 64, -2147483648, 3e9])
    expect(at.offset).to.equal(buf.length)
  })

  describe('readers refuse bad input with a RangeError and leave the position alone', () => {
    const bad: Array<[string, (buf: Buffer, at: { offset: number }) => number, string, RegExp]> = [
      ['a varint cut short', readVarint, '8080', /runs past the end/],
      ['an empty buffer', readVarint, '', /runs past the end/],
      ['a varint of 6 bytes', readVarint, '808080808001', /longer than 5 bytes/],
      ['a varlong cut short', readVarlong, 'ff', /runs past the end/],
      ['a varlong of 11 bytes', readVarlong, '8080808080808080808001', /longer than 10 bytes/],
      ['a varlong of Long.MAX_VALUE (not a safe integer)', readVarlong, 'feffffffffffffffff01', /safe integer/],
      ['a varlong of 2^53', readVarlong, '808080808080808020', /safe integer/],
    ]
    for (const [name, read, hex, message] of bad) {
      it(name, () => {
        const at = { offset: 0 }
        expect(() => read(Buffer.from(hex, 'hex'), at)).to.throw(RangeError, message)
        expect(at.offset).to.equal(0)
      })
    }
  })
})
