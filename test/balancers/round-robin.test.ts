import { expect } from 'chai'
import { InvalidOptionError } from '../../lib/errors'
import { RoundRobin } from '../../lib/balancers/round-robin'
import { kafkaGo, message } from './fixtures'

describe('RoundRobin', () => {
  // kafka-go's ChunkSize 0 means its default, 1
  for (const { chunkSize, returns } of kafkaGo.roundRobin.runs) {
    it(`gives kafka-go's RoundRobin{ChunkSize: ${chunkSize}} sequence, through partition list changes`, () => {
      const balancer = new RoundRobin(chunkSize === 0 ? undefined : { chunkSize })
      const got: number[] = []
      for (const { partitions, calls } of kafkaGo.roundRobin.steps) {
        for (let i = 0; i < calls; i++) {
          const partition = balancer.balance(message(null), partitions)
          expect(partitions).to.include(partition)
          got.push(partition)
        }
      }
      expect(got).to.deep.equal(returns)
    })
  }

  it('sends chunkSize messages in a row to each partition id of the list, keyed or not', () => {
    const balancer = new RoundRobin({ chunkSize: 3 })
    const got = Array.from({ length: 10 }, (_, i) => balancer.balance(message(i % 2 ? `k${i}` : null), [3, 5, 9]))
    expect(got).to.deep.equal([3, 3, 3, 5, 5, 5, 9, 9, 9, 3])
  })

  it('keeps returning elements of the list when it grows and shrinks', () => {
    const balancer = new RoundRobin()
    expect([1, 2].map(() => balancer.balance(message(null), [10, 20]))).to.deep.equal([10, 20])
    expect([1, 2, 3].map(() => balancer.balance(message(null), [10, 20, 30, 40]))).to.deep.equal([30, 40, 10])
    expect([1, 2].map(() => balancer.balance(message(null), [7]))).to.deep.equal([7, 7])
  })

  it('rejects a chunkSize that is not a positive integer', () => {
    for (const chunkSize of [0, -1, 1.5, NaN, Infinity, '2', null]) {
      expect(() => new RoundRobin({ chunkSize: chunkSize as number }), String(chunkSize))
        .to.throw(InvalidOptionError, 'option "chunkSize" must be a positive integer')
        .with.property('option', 'chunkSize')
    }
    expect(() => new RoundRobin(5 as never)).to.throw(InvalidOptionError, 'RoundRobin options')
  })
})
