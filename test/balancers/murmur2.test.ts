import { expect } from 'chai'
import { Partitioners } from 'kafkajs'
import { InvalidOptionError } from '../../lib/errors'
import { Murmur2Balancer, murmur2 } from '../../lib/balancers/murmur2'
import { asString, behaviour, counts, expectVectors, java, kafkaGo, keys, librdkafka, message, range } from './fixtures'

describe('Murmur2Balancer', () => {
  it("hashes every key like the Java client's Utils.murmur2", () => {
    expectVectors(keys.map((key) => murmur2(key)), java.murmur2, 'Java Utils.murmur2')
    // the crafted keys hit the values where signedness goes wrong
    expect(java.murmur2).to.include.members([-0x80000000, 0x7fffffff, -1, 0])
  })

  for (const consistent of [false, true]) {
    it(`puts every key where the Java client and librdkafka do (consistent: ${consistent})`, () => {
      const balancer = new Murmur2Balancer({ consistent })
      for (const n of counts) {
        const partitions = range(n)
        const got = keys.map((key) => balancer.balance(message(key), partitions))
        expectVectors(got, java.partition[n], `Java, ${n} partitions`)
        expectVectors(got, librdkafka.murmur2[n], `librdkafka murmur2, ${n} partitions`)
        keys.forEach((key, i) => {
          const text = asString(key)
          if (text !== undefined) expect(balancer.balance(message(text), partitions)).to.equal(got[i])
        })
      }
    })
  }

  it('matches kafka-go on partition lists that are not 0..n-1, returning list elements', () => {
    const balancer = new Murmur2Balancer({ consistent: true })
    kafkaGo.lists.forEach((list, l) => {
      const got = keys.map((key) => balancer.balance(message(key), list))
      expectVectors(got, kafkaGo.keyed.Murmur2BalancerConsistent[l]!, `kafka-go, list #${l}`)
    })
  })

  it('matches kafkajs v2 DefaultPartitioner', () => {
    const kafkajs = Partitioners.DefaultPartitioner()
    const balancer = new Murmur2Balancer()
    for (const n of ['1', '7', '12', '100']) {
      const partitionMetadata = range(n).map((partitionId) => ({
        partitionId,
        partitionErrorCode: 0,
        leader: 0,
        replicas: [0],
        isr: [0],
      }))
      const partitions = range(n)
      const theirs = keys.map((key) => kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } }))
      expectVectors(keys.map((key) => balancer.balance(message(key), partitions)), theirs, `kafkajs, ${n} partitions`)
    }
  })

  it('hashes an empty key and sends no key to a random partition, like murmur2_random and kafka-go', () => {
    const balancer = new Murmur2Balancer()
    const seven = range(7)
    const reference = librdkafka.producer.murmur2_random!
    for (const empty of [Buffer.alloc(0), '']) {
      expect(behaviour(() => balancer.balance(message(empty), seven))).to.equal(reference.emptyKey)
    }
    expect(kafkaGo.emptyKey.Murmur2Balancer).to.equal(reference.emptyKey)
    for (const none of [null, undefined]) {
      expect(behaviour(() => balancer.balance(message(none), seven))).to.equal('spread (random)')
    }
    expect(reference.nullKey).to.equal('spread (random)')
    expect(kafkaGo.noKey.Murmur2Balancer).to.equal('spread (random)')
  })

  it('with consistent: true hashes no key as the empty key, like librdkafka murmur2 and kafka-go', () => {
    const balancer = new Murmur2Balancer({ consistent: true })
    for (const n of counts) {
      for (const none of [null, undefined]) {
        expect(balancer.balance(message(none), range(n))).to.equal(librdkafka.nullKeyFunction.murmur2[n])
      }
      expect(librdkafka.nullKeyFunction.murmur2[n]).to.equal(java.partition[n][0]) // keys[0] is the empty key
    }
    const seven = range(7)
    expect(behaviour(() => balancer.balance(message(null), seven))).to.equal(librdkafka.producer.murmur2!.nullKey)
    expect(behaviour(() => balancer.balance(message(null), seven))).to.equal(kafkaGo.noKey.Murmur2BalancerConsistent)
  })

  it('returns an element of the list for partition ids that are not 0..n-1', () => {
    const balancer = new Murmur2Balancer()
    const partitions = [3, 5, 9]
    expectVectors(
      keys.map((key) => balancer.balance(message(key), partitions)),
      java.partition['3'].map((index) => partitions[index]!),
      'Java (3 partitions) mapped onto [3, 5, 9]',
    )
    for (let i = 0; i < 50; i++) expect(partitions).to.include(balancer.balance(message(null), partitions))
  })

  it('rejects bad options', () => {
    expect(() => new Murmur2Balancer({ consistent: 'yes' as never }))
      .to.throw(InvalidOptionError, 'option "consistent" must be true or false, not \'yes\'')
      .with.property('option', 'consistent')
    expect(() => new Murmur2Balancer(true as never)).to.throw(InvalidOptionError, 'Murmur2Balancer options')
    expect(new Murmur2Balancer({}).balance(message(null), [4])).to.equal(4)
  })
})
