import { Readable } from 'node:stream'
import { expect } from 'chai'
import { lineBatches } from '../../lib/cli/byte-lines'

async function lines(...chunks: Buffer[]): Promise<Buffer[]> {
  const all: Buffer[] = []
  for await (const { buffer, starts, ends } of lineBatches(Readable.from(chunks, { objectMode: false }))) {
    for (let i = 0; i < starts.length; i++) all.push(Buffer.from(buffer.subarray(starts[i], ends[i])))
  }
  return all
}

describe('lineBatches', () => {
  it('keeps bytes that are not UTF-8 as they were, across chunk splits, without \\n or \\r\\n', async () => {
    const got = await lines(Buffer.from([0x61, 0xff, 0x0d, 0x0a, 0xc3]), Buffer.from([0xa9, 0x0a, 0x0a, 0x62]))
    expect(got).to.deep.equal([Buffer.from([0x61, 0xff]), Buffer.from([0xc3, 0xa9]), Buffer.alloc(0), Buffer.from('b')])
  })

  it('gives the lines of one chunk in one array', async () => {
    const batches: number[] = []
    for await (const batch of lineBatches(Readable.from([Buffer.from('a\nb\nc'), Buffer.from('d\n')], { objectMode: false }))) batches.push(batch.starts.length)
    expect(batches).to.deep.equal([2, 1])
  })

  it('yields nothing for empty input and no empty line after a final newline', async () => {
    expect(await lines()).to.deep.equal([])
    expect(await lines(Buffer.from('a\n'))).to.deep.equal([Buffer.from('a')])
    expect(await lines(Buffer.from('\r\nlast\r'))).to.deep.equal([Buffer.alloc(0), Buffer.from('last')])
  })
})
