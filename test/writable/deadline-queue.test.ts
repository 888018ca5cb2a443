import { expect } from 'chai'
import { DeadlineQueue, type Due } from '../../lib/writable/deadline-queue'

interface Item extends Due {
  name: string
}

function item(name: string): Item {
  return { name, deadlineAt: 0, prevDue: undefined, nextDue: undefined, queued: false }
}

/** A queue whose expiries are recorded with their time, and a promise of the n-th expiry. */
function recorded(timeout: number): { queue: DeadlineQueue<Item>; expired: Array<[string, number]>; expiries(n: number): Promise<void> } {
  const expired: Array<[string, number]> = []
  const waiters: Array<[number, () => void]> = []
  const queue = new DeadlineQueue<Item>(timeout, (i) => {
    expired.push([i.name, Date.now()])
    for (const [n, wake] of waiters) if (expired.length >= n) wake()
  })
  return { queue, expired, expiries: (n) => new Promise((resolve) => waiters.push([n, resolve])) }
}

describe('writable/deadline-queue', () => {
  it('expires each item its timeout after it was added, oldest first, never early', async () => {
    const { queue, expired, expiries } = recorded(50)
    const t0 = Date.now()
    queue.add(item('a'), t0)
    queue.add(item('b'), t0 + 20)
    await expiries(2)
    expect(expired.map(([name]) => name)).to.deep.equal(['a', 'b'])
    expect(expired[0]![1]).to.be.at.least(t0 + 50)
    expect(expired[1]![1]).to.be.at.least(t0 + 70)
  })

  it('never expires an item removed before its deadline, from the head, the middle or the tail', async () => {
    const { queue, expired, expiries } = recorded(20)
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(item) as [Item, Item, Item, Item]
    const t0 = Date.now()
    for (const i of [a, b, c, d]) queue.add(i, t0)
    queue.remove(a)
    queue.remove(c)
    queue.remove(d)
    queue.remove(d)
    // All four had the same deadline: when b expires, the others would have gone with it had they been queued.
    await expiries(1)
    expect(expired.map(([name]) => name)).to.deep.equal(['b'])
    expect([a, b, c, d].map((i) => i.queued)).to.deep.equal([false, false, false, false])
  })

  it('keeps expiring items added after it went empty', async () => {
    const { queue, expired, expiries } = recorded(10)
    queue.add(item('a'))
    await expiries(1)
    queue.add(item('b'))
    await expiries(2)
    expect(expired.map(([name]) => name)).to.deep.equal(['a', 'b'])
  })
})
