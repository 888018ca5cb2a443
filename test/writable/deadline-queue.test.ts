import { expect } from 'chai'
import { DeadlineQueue, type Due } from '../../lib/writable/deadline-queue'

interface Item extends Due {
  name: string
}

function item(name: string): Item {
  return { name, deadlineAt: 0, prevDue: undefined, nextDue: undefined, queued: false }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('writable/deadline-queue', () => {
  it('expires each item its timeout after it was added, oldest first, with one timer', async () => {
    const expired: Array<[string, number]> = []
    const startedAt = Date.now()
    const queue = new DeadlineQueue<Item>(50, (i) => expired.push([i.name, Date.now() - startedAt]))
    queue.add(item('a'))
    await sleep(20)
    queue.add(item('b'))
    await sleep(90)
    expect(expired.map(([name]) => name)).to.deep.equal(['a', 'b'])
    expect(expired[0]![1]).to.be.within(48, 65)
    expect(expired[1]![1]).to.be.within(68, 95)
  })

  it('never expires an item removed before its deadline, from the head, the middle or the tail', async () => {
    const expired: string[] = []
    const queue = new DeadlineQueue<Item>(20, (i) => expired.push(i.name))
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(item) as [Item, Item, Item, Item]
    for (const i of [a, b, c, d]) queue.add(i)
    queue.remove(a)
    queue.remove(c)
    queue.remove(d)
    queue.remove(d)
    await sleep(40)
    expect(expired).to.deep.equal(['b'])
    expect([a, b, c, d].map((i) => i.queued)).to.deep.equal([false, false, false, false])
  })

  it('keeps expiring items added after it went empty', async () => {
    const expired: string[] = []
    const queue = new DeadlineQueue<Item>(10, (i) => expired.push(i.name))
    queue.add(item('a'))
    await sleep(25)
    queue.add(item('b'))
    await sleep(25)
    expect(expired).to.deep.equal(['a', 'b'])
  })
})
