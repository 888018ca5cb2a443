import { expect } from 'chai'
import { Hash, fnv1a32 } from '../../lib/balancers/hash'
import { asString, behaviour, counts, expectVectors, kafkaGo, keys, message, range, sarama } from './fixtures'

describe('Hash', () => {
  it('hashes every key like Go hash/fnv New32a (the FNV-1a sarama and kafka-go use)', () => {
    expectVectors(keys.map((key) => fnv1a32(key)), sarama.fnv1a, 'fnv.New32a')
    // the crafted keys hit the values where signedness goes wrong: int32 min must not overflow
    expect(sarama.fnv1a).to.include.members([0x80000000, 0x7fffffff, 0xffffffff, 0])
  })

  it('puts every key where sarama NewHashPartitioner does', () => {
    const balancer = new Hash()
    for (const n of counts) {
      const partitions = range(n)
      const got = keys.map((key) => balancer.balance(message(key), partitions))
      expectVectors(got, sarama.hash[n], `sarama, ${n} partitions`)
      keys.forEach((key, i) => {
        const text = asString(key)
        if (text !== undefined) expect(balancer.balance(message(text), partitions)).to.equal(got[i])
      })
    }
  })

  it('matches kafka-go Hash, returning the partition at the position kafka-go returns', () => {
    const balancer = new Hash()
    kafkaGo.lists.forEach((list, l) => {
      // kafka-go's Hash returns a position in the list; on 0..n-1 that is the partition itself
      const want = kafkaGo.keyed.Hash[l]!.map((position) => list[position]!)
      expectVectors(keys.map((key) => balancer.balance(message(key), list)), want, `kafka-go, list #${l}`)
    })
    expect(kafkaGo.keyed.Hash[2]).to.satisfy((positions: number[]) => positions.every((p) => p < 3))
  })

  it('hashes the empty key, and sends keyless messages round robin like kafka-go', () => {
    const balancer = new Hash()
    for (const n of counts) {
      expect(balancer.balance(message(''), range(n))).to.equal(sarama.hash[n][0])
      expect(balancer.balance(message(Buffer.alloc(0)), range(n))).to.equal(sarama.hash[n][0])
    }
    expect(behaviour(() => balancer.balance(message(''), range(7)))).to.equal(kafkaGo.emptyKey.Hash)
    expect(sarama.emptyKey.hash).to.equal(kafkaGo.emptyKey.Hash)

    const keyless = new Hash()
    const sequence = kafkaGo.hashNoKeySequence.map((_, i) => message(i % 2 ? null : undefined))
    expect(sequence.map((msg) => keyless.balance(msg, [3, 5, 9]))).to.deep.equal(kafkaGo.hashNoKeySequence)
    expect(sarama.noKey.hash).to.equal('spread (random)') // sarama differs here: random
  })
})
