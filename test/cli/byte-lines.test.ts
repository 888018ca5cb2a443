import { Readable } from 'node:stream'
import { expect } from 'chai'
import { byteLines } from '../../lib/cli/byte-lines'

async function lines(...chunks: Buffer[]): Promise<Buffer[]> {
  const all: Buffer[] = []
  for await (const line of byteLines(Readable.from(chunks, { objectMode: false }))) all.push(Buffer.from(line))
  return all
}

describe('byteLines', () => {
  it('keeps bytes that are not UTF-8 as they were, across chunk splits, without \\n or \\r\\n', async () => {
    const got = await lines(Buffer.from([0x61, 0xff, 0x0d, 0x0a, 0xc3]), Buffer.from([0xa9, 0x0a, 0x0a, 0x62]))
    expect(got).to.deep.equal([Buffer.from([0x61, 0xff]), Buffer.from([0xc3, 0xa9]), Buffer.alloc(0), Buffer.from('b')])
  })

  it('yields nothing for empty input and no empty line after a final newline', async () => {
    expect(await lines()).to.deep.equal([])
    expect(await lines(Buffer.from('a\n'))).to.deep.equal([Buffer.from('a')])
  })
})
