import { expect } from 'chai'
import { OutstandingQueue } from '../../lib/readable/outstanding-queue'

describe('OutstandingQueue', () => {
  it('removes the done prefix and returns its last offset; an entry done behind the head removes nothing', () => {
    const q = new OutstandingQueue()
    const [a, b, c] = [q.push(0), q.push(1), q.push(5)]
    expect([a, b, c]).to.deep.equal([0, 1, 2])
    expect(q.markDone(b)).to.equal(-1)
    expect(q.length).to.equal(3)
    expect(q.markDone(a)).to.equal(1)
    expect(q.length).to.equal(1)
    expect(q.markDone(c)).to.equal(5)
    expect(q.length).to.equal(0)
  })

  it('says which sequence numbers are pending: not yet done, not removed, and actually pushed', () => {
    const q = new OutstandingQueue()
    const [a, b] = [q.push(0), q.push(1)]
    expect([q.pending(a), q.pending(b), q.pending(2), q.pending(-1)]).to.deep.equal([true, true, false, false])
    q.markDone(b)
    expect(q.pending(b), 'done behind the head').to.equal(false)
    q.markDone(a)
    expect([q.pending(a), q.pending(b)], 'removed').to.deep.equal([false, false])
  })

  it('keeps order and offsets through growth, wrap-around and shrinking', () => {
    const q = new OutstandingQueue()
    let next = 0
    const pushed: Array<{ seq: number; offset: number }> = []
    // Interleave pushes and in-order acks so that the head wraps around several times while the ring grows.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 40; i++, next += 3) pushed.push({ seq: q.push(next), offset: next })
      for (let i = 0; i < 25; i++) {
        const { seq, offset } = pushed.shift()!
        expect(q.markDone(seq)).to.equal(offset)
      }
    }
    expect(q.length).to.equal(pushed.length)
    // Acked newest first: nothing moves until the oldest is done, then everything goes at once.
    for (const { seq } of [...pushed].reverse().slice(0, -1)) expect(q.markDone(seq)).to.equal(-1)
    expect(q.markDone(pushed[0]!.seq)).to.equal(pushed.at(-1)!.offset)
    expect(q.length).to.equal(0)
  })
})
