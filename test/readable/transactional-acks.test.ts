import { expect } from 'chai'
import { TransactionError } from '../../lib/errors'
import { TransactionalAcks } from '../../lib/readable/transactional-acks'
import { sourcePositionOf } from '../../lib/source-position'

describe('readable/transactional-acks', () => {
  it("gives each message an ack carrying its position and the reader's generation, which throws when called", () => {
    let generation = 4
    const acks = new TransactionalAcks(
      { transactionalId: 'tx', groupId: 'g', topic: 'in', partition: 1, generation: 4, currentGeneration: () => generation },
      [{ offset: '10' }, { offset: '12' }],
    )
    const ack = acks.ackAt(1)
    const position = sourcePositionOf(ack)!
    expect(position).to.include({ transactionalId: 'tx', groupId: 'g', topic: 'in', partition: 1, offset: '12', generation: 4 })
    generation = 5
    expect(position.currentGeneration()).to.equal(5)
    expect(() => ack()).to.throw(TransactionError, /in\[1\]@12 comes from a KafkaReadable with transactionalId "tx"/)
  })
})
