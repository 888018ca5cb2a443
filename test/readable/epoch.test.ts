import { expect } from 'chai'
import { UNTRACKED } from '../../lib/readable/epoch'
import { OffsetTracker } from '../../lib/readable/offset-tracker'

const T = 'events'

describe('Epoch (one assignment of a partition, tracked per batch)', () => {
  it('hands out numeric tickets whose acks count once and advance over the contiguous prefix', () => {
    const tracker = new OffsetTracker()
    const epoch = tracker.epoch(T, 0, 1)!
    const [a, b, c] = [40, 41, 43].map((offset) => epoch.track(offset))
    expect(epoch.ack(b!)).to.equal(true)
    expect(epoch.ack(b!)).to.equal(false)
    expect(tracker.committable()).to.deep.equal([])
    expect(epoch.ack(a!)).to.equal(true)
    expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '42' }])
    expect(epoch.ack(c!)).to.equal(true)
    expect(tracker.position(T, 0)).to.equal('44')
    expect(epoch.ack(UNTRACKED)).to.equal(false)
  })

  it('returns undefined for a stale generation, and UNTRACKED tickets once the epoch was revoked', () => {
    const tracker = new OffsetTracker()
    const epoch = tracker.epoch(T, 0, 2)!
    expect(tracker.epoch(T, 0, 1)).to.equal(undefined)
    expect(tracker.epoch(T, 0, 2)).to.equal(epoch)
    tracker.revoke(T, 0)
    expect(epoch.live).to.equal(false)
    expect(epoch.track(0)).to.equal(UNTRACKED)
    expect(tracker.pendingCount()).to.equal(0)
  })

  it('mixes numbers and bigints in one epoch whose base lies beyond 2^53', () => {
    const tracker = new OffsetTracker()
    const epoch = tracker.epoch('big', 0, 1)!
    const base = 2n ** 53n + 10n
    const first = epoch.trackBig(base)
    expect(() => epoch.track(5), 'a safe number below the base does not increase').to.throw(RangeError, /must increase/)
    const second = epoch.trackBig(base + 2n)
    epoch.ack(first)
    epoch.ack(second)
    expect(tracker.position('big', 0)).to.equal((base + 3n).toString())
  })

  it('compares the position with a committed offset far from the base without losing order', () => {
    const tracker = new OffsetTracker()
    tracker.markCommitted([{ topic: T, partition: 0, offset: (2n ** 60n).toString() }])
    const epoch = tracker.epoch(T, 0, 1)!
    epoch.ack(epoch.track(0))
    expect(tracker.committable(), 'position 1 is far behind the committed 2^60').to.deep.equal([])
    tracker.markCommitted([{ topic: T, partition: 0, offset: (2n ** 60n + 1n).toString() }])
    expect(tracker.hasCommittable()).to.equal(false)
  })

  it('rejects numbers that are not non-negative safe integers', () => {
    const epoch = new OffsetTracker().epoch(T, 0, 1)!
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => epoch.track(bad), String(bad)).to.throw(RangeError)
    expect(() => epoch.trackBig(2n ** 63n)).to.throw(RangeError, /int64/)
  })

  it('refuses offsets below a seek floor under the epoch that seek made', () => {
    const tracker = new OffsetTracker()
    tracker.epoch(T, 0, 1)!.track(10)
    tracker.seek(T, 0, '50')
    const epoch = tracker.epoch(T, 0, 1)!
    expect(() => epoch.track(49)).to.throw(RangeError, /seek to 50/)
    epoch.ack(epoch.track(50))
    expect(tracker.position(T, 0)).to.equal('51')
  })
})
