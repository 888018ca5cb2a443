import { expect } from 'chai'
import { BatchAcks, noAck } from '../../lib/readable/batch-acks'
import { OffsetTracker } from '../../lib/readable/offset-tracker'

const T = 'events'

/** A batch's messages as BatchAcks sees them: their offsets. */
const batch = (...offsets: Array<number | bigint>) => offsets.map((offset) => ({ offset: offset.toString() }))

/** Tracks every message of `messages` and returns their acks. */
function acksOf(tracker: OffsetTracker, messages: Array<{ offset: string }>, options: { generation?: number; onAck?: () => void; ackOnRead?: boolean } = {}) {
  const acks = new BatchAcks(tracker, T, 0, options.generation ?? 1, messages, options.onAck ?? (() => {}), options.ackOnRead ?? false)
  return messages.map((_, i) => acks.ackAt(i))
}

describe('BatchAcks', () => {
  it("gives each message an ack that works unbound, counts once, and moves the partition's commit", () => {
    const tracker = new OffsetTracker()
    let counted = 0
    const [a, b] = acksOf(tracker, batch(10, 11), { onAck: () => counted++ })
    const { ack } = { ack: b! } // as a KafkaWritable calls it: detached from the message
    ack()
    ack()
    expect(counted).to.equal(1)
    expect(tracker.committable()).to.deep.equal([])
    a!()
    expect(counted).to.equal(2)
    expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '12' }])
  })

  it('tracks the real offsets of a batch with gaps (compaction, transaction markers)', () => {
    const tracker = new OffsetTracker()
    // Two messages spanning two values apart, and three spanning 38: neither is consecutive.
    for (const messages of [batch(10, 12), batch(20, 21, 58)]) {
      const acks = acksOf(tracker, messages)
      acks[0]!()
      expect(tracker.position(T, 0)).to.equal(String(Number(messages[0]!.offset) + 1))
      acks.slice(1).forEach((ack) => ack())
      expect(tracker.position(T, 0)).to.equal(String(Number(messages.at(-1)!.offset) + 1))
    }
  })

  it('computes the offsets of a consecutive batch from its first', () => {
    const tracker = new OffsetTracker()
    const acks = acksOf(tracker, batch(...Array.from({ length: 1000 }, (_, i) => 5000 + i)))
    acks.slice(0, 700).forEach((ack) => ack())
    expect(tracker.position(T, 0)).to.equal('5700')
  })

  it('tracks offsets beyond 2^53 exactly (as bigints)', () => {
    const tracker = new OffsetTracker()
    const first = 2n ** 53n + 1n
    acksOf(tracker, batch(first, first + 1n)).forEach((ack) => ack())
    expect(tracker.position(T, 0)).to.equal((first + 2n).toString())
  })

  it('hands out acks that do nothing for a stale generation', () => {
    const tracker = new OffsetTracker()
    acksOf(tracker, batch(0), { generation: 2 })
    expect(acksOf(tracker, batch(1), { generation: 1 })).to.deep.equal([noAck])
    expect(tracker.outstanding(T, 0)).to.equal(1)
  })

  it('drops the acks of a batch whose partition was revoked after they were handed out', () => {
    const tracker = new OffsetTracker()
    let counted = 0
    const [ack] = acksOf(tracker, batch(0), { onAck: () => counted++ })
    tracker.revoke(T, 0)
    ack!()
    expect(counted).to.equal(0)
    expect(tracker.committable()).to.deep.equal([])
  })

  it('starts counting again where kafkajs reset the position (an offset that does not increase)', () => {
    const tracker = new OffsetTracker()
    const [old] = acksOf(tracker, batch(100))
    const [reset, next] = acksOf(tracker, batch(5, 6))
    old!()
    expect(tracker.committable(), 'the ack from before the reset is dropped').to.deep.equal([])
    reset!()
    expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '6' }])
    next!()
    expect(tracker.position(T, 0), 'later messages of the batch go to the new assignment').to.equal('7')
  })

  it('with ackOnRead acks each message as it is tracked and hands out acks that do nothing', () => {
    const tracker = new OffsetTracker()
    let counted = 0
    expect(acksOf(tracker, batch(0, 1), { ackOnRead: true, onAck: () => counted++ })).to.deep.equal([noAck, noAck])
    expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '2' }])
    expect(counted, 'acks on read are not acks of the reader').to.equal(0)
  })
})
