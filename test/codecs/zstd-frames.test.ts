import { expect } from 'chai'
import { zstdFrames } from '../../lib/codecs/zstd-frames'

describe('codecs/zstd-frames', () => {
  it('bounds a frame that does not declare its size: raw and RLE blocks exactly, compressed blocks as 128 KiB', () => {
    // Frame header 0x00 (no size, window byte), then: a raw block of 3 bytes, an RLE block of 1000 bytes,
    // and a last compressed block (its content is not read).
    const frame = Buffer.from('28b52ffd' + '0058' + '180000' + '616263' + '421f00' + '7a' + '2d0000' + '0000000000', 'hex')
    expect(zstdFrames(frame)).to.deep.equal([{ start: 0, end: frame.length, skippable: false, maxSize: 3 + 1000 + 131072 }])
  })

  it('finds skippable frames and a frame that declares its size', () => {
    const declared = Buffer.from('28b52ffd2003190000616263', 'hex') // single segment, 3 bytes declared, one raw block
    const skippable = Buffer.from('512a4d1802000000beef', 'hex')
    expect(zstdFrames(Buffer.concat([skippable, declared]))).to.deep.equal([
      { start: 0, end: 10, skippable: true, maxSize: 0 },
      { start: 10, end: 22, skippable: false, maxSize: 3 },
    ])
  })
})
