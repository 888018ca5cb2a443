import { expect } from 'chai'
import { deadLetter } from '../../lib/cli/dead-letter'

describe('deadLetter', () => {
  it('is the line\'s bytes as they were, with headers naming where it was and the problem', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0x7d])
    expect(deadLetter({ bytes, where: 'orders.ndjson:12', problem: "not JSON (Unexpected token '\uFFFD')" })).to.deep.equal({
      value: bytes,
      headers: { 'kafka-pipe.where': 'orders.ndjson:12', 'kafka-pipe.error': "not JSON (Unexpected token '\uFFFD')" },
    })
  })
})
