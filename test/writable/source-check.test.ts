import { expect } from 'chai'
import { TransactionError } from '../../lib/errors'
import { transactionalAck } from '../../lib/source-position'
import { SourceCheck } from '../../lib/writable/source-check'

function ackOf(transactionalId: string, groupId: string, offset = 0): () => void {
  return transactionalAck({ transactionalId, groupId, topic: 'in', partition: 0, offset: String(offset), generation: 1, currentGeneration: () => 1 })
}

describe('writable/source-check', () => {
  it('takes messages of one transactional reader with the same transactionalId, or messages without a source', () => {
    const check = new SourceCheck('tx')
    expect(() => check.check({ value: 1, ack: ackOf('tx', 'g', 0) })).not.to.throw()
    expect(() => check.check({ value: 2, ack: ackOf('tx', 'g', 1) })).not.to.throw()
    expect(() => new SourceCheck('tx').check({ value: 1 })).not.to.throw()
  })

  it("refuses the ack of a reader that commits its own offsets (or any other function), naming the reader's option", () => {
    expect(() => new SourceCheck('tx').check({ value: 1, ack: () => {} }))
      .to.throw(TransactionError, /ack is not from a transactional KafkaReadable.*Give the KafkaReadable transactionalId: "tx"/)
      .with.property('code', 'ERR_KAFKA_PIPE_TRANSACTION')
  })

  it('refuses a reader paired with another transactionalId', () => {
    expect(() => new SourceCheck('tx').check({ value: 1, ack: ackOf('other', 'g') })).to.throw(
      TransactionError,
      /got a message of the KafkaReadable with transactionalId "other": give the reader and the writer of one pipeline the same transactionalId/,
    )
  })

  it('refuses a writer fed by two groups', () => {
    const check = new SourceCheck('tx')
    check.check({ value: 1, ack: ackOf('tx', 'g1') })
    expect(() => check.check({ value: 2, ack: ackOf('tx', 'g2') })).to.throw(TransactionError, /fed by two consumer groups \("g1" and "g2"\)/)
  })

  it('refuses a derived message without its source ack once messages carried one (and the other way round)', () => {
    const check = new SourceCheck('tx')
    check.check({ value: 1, ack: ackOf('tx', 'g') })
    expect(() => check.check({ value: 2 })).to.throw(TransactionError, /every written message must carry `ack: msg.ack`/)
    const plain = new SourceCheck('tx')
    plain.check({ value: 1 })
    expect(() => plain.check({ value: 2, ack: ackOf('tx', 'g') })).to.throw(TransactionError, /every written message must carry/)
  })
})
