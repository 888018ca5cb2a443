import { expect } from 'chai'
import { ReferenceHash } from '../../lib/balancers/reference-hash'
import { asString, behaviour, counts, expectVectors, kafkaGo, keys, message, range, sarama } from './fixtures'

describe('ReferenceHash', () => {
  it('puts every key where sarama NewReferenceHashPartitioner does', () => {
    const balancer = new ReferenceHash()
    for (const n of counts) {
      const partitions = range(n)
      const got = keys.map((key) => balancer.balance(message(key), partitions))
      expectVectors(got, sarama.referenceHash[n], `sarama, ${n} partitions`)
      keys.forEach((key, i) => {
        const text = asString(key)
        if (text !== undefined) expect(balancer.balance(message(text), partitions)).to.equal(got[i])
      })
    }
  })

  it('matches kafka-go ReferenceHash, returning the partition at the position kafka-go returns', () => {
    const balancer = new ReferenceHash()
    kafkaGo.lists.forEach((list, l) => {
      const want = kafkaGo.keyed.ReferenceHash[l]!.map((position) => list[position]!)
      expectVectors(keys.map((key) => balancer.balance(message(key), list)), want, `kafka-go, list #${l}`)
    })
  })

  it('hashes the empty key and sends keyless messages to a random partition, like sarama and kafka-go', () => {
    const balancer = new ReferenceHash()
    for (const n of counts) expect(balancer.balance(message(''), range(n))).to.equal(sarama.referenceHash[n][0])
    const seven = range(7)
    expect(behaviour(() => balancer.balance(message(Buffer.alloc(0)), seven))).to.equal(sarama.emptyKey.referenceHash)
    expect(sarama.emptyKey.referenceHash).to.equal(kafkaGo.emptyKey.ReferenceHash)
    for (const none of [null, undefined]) {
      expect(behaviour(() => balancer.balance(message(none), seven))).to.equal(sarama.noKey.referenceHash)
    }
    expect(kafkaGo.noKey.ReferenceHash).to.equal('spread (random)')
  })

  it('returns an element of the list for partition ids that are not 0..n-1', () => {
    const balancer = new ReferenceHash()
    for (let i = 0; i < 50; i++) expect([3, 5, 9]).to.include(balancer.balance(message(null), [3, 5, 9]))
    expect(keys.map((key) => balancer.balance(message(key), [10, 20]))).to.satisfy((got: number[]) =>
      got.every((p, i) => p === [10, 20][sarama.referenceHash['2'][i]!]),
    )
  })
})
