import { expect } from 'chai'
import { BatchAcks, noAck } from '../../lib/readable/batch-acks'
import { OffsetTracker } from '../../lib/readable/offset-tracker'

const T = 'events'

describe('BatchAcks', () => {
  it("gives each message an ack that works unbound, counts once, and moves the partition's commit", () => {
    const tracker = new OffsetTracker()
    let counted = 0
    const acks = new BatchAcks(tracker, T, 0, 1, () => counted++, false)
    const [a, b] = ['10', '11'].map((offset) => acks.ackOf(offset))
    const { ack } = { ack: b! } // as a KafkaWritable calls it: detached from the message
    ack()
    ack()
    expect(counted).to.equal(1)
    expect(tracker.committable()).to.deep.equal([])
    a!()
    expect(counted).to.equal(2)
    expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '12' }])
  })

  it('tracks offsets beyond 2^53 exactly (as bigints)', () => {
    const tracker = new OffsetTracker()
    const acks = new BatchAcks(tracker, T, 0, 1, () => {}, false)
    const first = 2n ** 53n + 1n
    const batch = [first, first + 1n].map((o) => acks.ackOf(o.toString()))
    batch.forEach((ack) => ack())
    expect(tracker.position(T, 0)).to.equal((first + 2n).toString())
  })

  it('hands out acks that do nothing for a stale generation', () => {
    const tracker = new OffsetTracker()
    new BatchAcks(tracker, T, 0, 2, () => {}, false).ackOf('0')
    const stale = new BatchAcks(tracker, T, 0, 1, () => {}, false)
    expect(stale.ackOf('1')).to.equal(noAck)
    expect(tracker.outstanding(T, 0)).to.equal(1)
  })

  it('drops the acks of a batch whose partition was revoked after they were handed out', () => {
    const tracker = new OffsetTracker()
    let counted = 0
    const ack = new BatchAcks(tracker, T, 0, 1, () => counted++, false).ackOf('0')
    tracker.revoke(T, 0)
    ack()
    expect(counted).to.equal(0)
    expect(tracker.committable()).to.deep.equal([])
  })

  it('starts counting again where kafkajs reset the position (an offset that does not increase)', () => {
    const tracker = new OffsetTracker()
    const acks = new BatchAcks(tracker, T, 0, 1, () => {}, false)
    const old = acks.ackOf('100')
    const reset = acks.ackOf('5')
    old()
    expect(tracker.committable(), 'the ack from before the reset is dropped').to.deep.equal([])
    reset()
    expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '6' }])
    acks.ackOf('6')()
    expect(tracker.position(T, 0), 'later messages of the batch go to the new assignment').to.equal('7')
  })

  it('with ackOnRead acks each message as it is tracked and hands out acks that do nothing', () => {
    const tracker = new OffsetTracker()
    let counted = 0
    const acks = new BatchAcks(tracker, T, 0, 1, () => counted++, true)
    expect(acks.ackOf('0')).to.equal(noAck)
    acks.ackOf('1')
    expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '2' }])
    expect(counted, 'acks on read are not acks of the reader').to.equal(0)
  })
})
