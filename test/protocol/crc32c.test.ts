import { expect } from 'chai'
import { crc32c } from '../../lib/protocol/crc32c'
import { xorshiftBytes } from '../codecs/fixtures'

/** Bit-at-a-time CRC-32C straight from the definition: the reference the table-driven code must equal. */
function bitwise(buf: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of buf) {
    crc ^= byte
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1
  }
  return (crc ^ 0xffffffff) >>> 0
}

describe('protocol/crc32c', () => {
  // RFC 3720 (iSCSI), appendix B.4 "CRC Examples", and the "check" value of the CRC-32C catalogue entry.
  const known: Array<[string, Buffer, number]> = [
    ['32 bytes of zeros (RFC 3720 B.4)', Buffer.alloc(32, 0x00), 0x8a9136aa],
    ['32 bytes of 0xff (RFC 3720 B.4)', Buffer.alloc(32, 0xff), 0x62a8ab43],
    ['32 incrementing bytes 0..31 (RFC 3720 B.4)', Buffer.from(Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e],
    ['32 decrementing bytes 31..0 (RFC 3720 B.4)', Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c],
    ['"123456789" (the catalogue check value)', Buffer.from('123456789'), 0xe3069283],
    ['an empty buffer', Buffer.alloc(0), 0],
  ]
  for (const [name, input, crc] of known) {
    it(`${name} -> 0x${crc.toString(16).padStart(8, '0')}`, () => {
      expect(crc32c(input)).to.equal(crc)
    })
  }

  it('equals the bit-at-a-time definition for every length 0..100 and every start alignment', () => {
    const data = xorshiftBytes(140, 0x12345678)
    for (let start = 0; start < 17; start++) {
      for (let length = 0; length <= 100; length++) {
        expect(crc32c(data, start, start + length), `start ${start}, length ${length}`).to.equal(bitwise(data.subarray(start, start + length)))
      }
    }
  })

  it('on 1 MiB of noise equals the definition (the slice-by-16 loop, not just the byte tail)', () => {
    const data = xorshiftBytes(1 << 20, 0x9e3779b9)
    expect(crc32c(data)).to.equal(bitwise(data))
  })

  it('covers exactly [start, end) of the buffer, as a view would', () => {
    const data = xorshiftBytes(1000, 7)
    expect(crc32c(data, 21, 999)).to.equal(crc32c(data.subarray(21, 999)))
    expect(crc32c(data, 21)).to.equal(crc32c(data.subarray(21)))
  })

  it('refuses a range outside the buffer instead of reading undefined bytes', () => {
    const data = Buffer.alloc(10)
    expect(() => crc32c(data, 0, 11)).to.throw(RangeError, /outside the 10-byte buffer/)
    expect(() => crc32c(data, -1)).to.throw(RangeError)
    expect(() => crc32c(data, 6, 5)).to.throw(RangeError)
  })
})
