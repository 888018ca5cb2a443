import { expect } from 'chai'
import { LeastBytes } from '../../lib/balancers/least-bytes'
import { kafkaGo } from './fixtures'

const sized = (key: number, value: number) => ({ key: Buffer.alloc(key), value: Buffer.alloc(value) })

describe('LeastBytes', () => {
  kafkaGo.leastBytes.forEach(({ partitions, messages, returns }) => {
    it(`gives kafka-go's LeastBytes sequence on partitions [${partitions.join(', ')}]`, () => {
      const balancer = new LeastBytes()
      expect(messages.map((m) => balancer.balance(sized(m.key, m.value), partitions))).to.deep.equal(returns)
    })
  })

  it('breaks ties to the lowest partition id, whatever the order of the list', () => {
    const balancer = new LeastBytes()
    const list = [9, 3, 5]
    expect([1, 2, 3, 4].map(() => balancer.balance(sized(0, 10), list))).to.deep.equal([3, 5, 9, 3])
    expect(balancer.balance(sized(0, 0), list)).to.equal(5)
  })

  it('counts key and value bytes: Buffers by length, strings as UTF-8, anything else as 0', () => {
    const balancer = new LeastBytes()
    const list = [0, 1]
    balancer.balance({ key: 'é', value: '€' }, list) // 2 + 3 bytes to 0
    balancer.balance({ key: null, value: Buffer.alloc(4) }, list) // 4 bytes to 1
    expect(balancer.balance({ value: { large: 'object'.repeat(100) } }, list)).to.equal(1) // 4 < 5, counts 0
    expect(balancer.balance({ value: new Uint8Array(2) }, list)).to.equal(1) // 4 < 5, now 6
    expect(balancer.balance({ value: null }, list)).to.equal(0) // 5 < 6
  })

  it('keeps the counts of remaining partitions, starts new ones at 0 and forgets removed ones', () => {
    const balancer = new LeastBytes()
    for (let i = 0; i < 4; i++) balancer.balance(sized(0, 100), [0, 1]) // 200 bytes each
    // the topic grew: the new partitions are emptiest and take the next messages
    const grown = [0, 1, 2, 3]
    expect([1, 2, 3, 4].map(() => balancer.balance(sized(0, 100), grown))).to.deep.equal([2, 3, 2, 3])
    expect(balancer.balance(sized(0, 1), grown)).to.equal(0) // all at 200: the lowest id
    // partition 0 is gone; when it comes back it starts from 0 again
    expect(balancer.balance(sized(0, 100), [1, 2, 3])).to.equal(1)
    expect(balancer.balance(sized(0, 1), [3, 1, 0, 2])).to.equal(0)
  })

  it('notices a list of the same length with other ids', () => {
    const balancer = new LeastBytes()
    expect(balancer.balance(sized(0, 5), [0, 1])).to.equal(0)
    expect(balancer.balance(sized(0, 5), [4, 6])).to.equal(4)
    expect(balancer.balance(sized(0, 5), [4, 6])).to.equal(6)
  })
})
