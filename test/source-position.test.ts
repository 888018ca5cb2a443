import { expect } from 'chai'
import { TransactionError } from '../lib/errors'
import { isStale, sourcePositionOf, transactionalAck, type SourcePosition } from '../lib/source-position'

describe('source-position', () => {
  const position: SourcePosition = { transactionalId: 'tx', groupId: 'g', topic: 'in', partition: 2, offset: '41', generation: 3, currentGeneration: () => 3 }

  it('an ack of a transactional reader carries its position, and calling it throws, saying why', () => {
    const ack = transactionalAck(position)
    expect(sourcePositionOf(ack)).to.equal(position)
    expect(() => ack()).to.throw(TransactionError, /in\[2\]@41 comes from a KafkaReadable with transactionalId "tx".*cannot be acked/)
  })

  it('finds no position on other values', () => {
    expect(sourcePositionOf(() => {})).to.equal(undefined)
    expect(sourcePositionOf(undefined)).to.equal(undefined)
    expect(sourcePositionOf({})).to.equal(undefined)
  })

  it('is stale once its reader moved to a newer generation (a rebalance or a rewind)', () => {
    let now = 3
    const read = { ...position, currentGeneration: () => now }
    expect(isStale(read)).to.equal(false)
    now = 4
    expect(isStale(read)).to.equal(true)
  })
})
