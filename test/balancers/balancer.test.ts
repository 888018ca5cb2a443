import { expect } from 'chai'
import { InvalidOptionError, SerializationError, TopicError } from '../../lib/errors'
import {
  type Balancer,
  type Message,
  CRC32Balancer,
  Hash,
  LeastBytes,
  Murmur2Balancer,
  ReferenceHash,
  RoundRobin,
  toBalancer,
} from '../../lib/balancers'

const all = (): Record<string, Balancer> => ({
  Murmur2Balancer: new Murmur2Balancer(),
  'Murmur2Balancer consistent': new Murmur2Balancer({ consistent: true }),
  CRC32Balancer: new CRC32Balancer(),
  'CRC32Balancer consistent': new CRC32Balancer({ consistent: true }),
  Hash: new Hash(),
  ReferenceHash: new ReferenceHash(),
  RoundRobin: new RoundRobin({ chunkSize: 2 }),
  LeastBytes: new LeastBytes(),
})

describe('toBalancer', () => {
  it('accepts a plain function and calls it with the message and the partitions', () => {
    const calls: [Message, readonly number[]][] = []
    const balancer = toBalancer((msg, partitions) => {
      calls.push([msg, partitions])
      return partitions[partitions.length - 1]!
    })
    const msg = { key: 'k', value: 'v' }
    expect(balancer.balance(msg, [4, 8])).to.equal(8)
    expect(calls).to.deep.equal([[msg, [4, 8]]])
  })

  it('returns a Balancer as it is, built-in or not', () => {
    const custom = { balance: () => 0 }
    expect(toBalancer(custom)).to.equal(custom)
    for (const balancer of Object.values(all())) expect(toBalancer(balancer)).to.equal(balancer)
  })

  it('rejects anything else, saying what would work', () => {
    for (const bad of [undefined, null, 42, 'murmur2', {}, { balance: 1 }, []]) {
      expect(() => toBalancer(bad as never))
        .to.throw(InvalidOptionError, 'must be a Balancer (an object with balance(msg, partitions)) or a function')
        .with.property('option', 'balancer')
    }
  })
})

describe('every balancer', () => {
  for (const [name, balancer] of Object.entries(all())) {
    it(`${name} returns elements of any partition list, for any kind of key`, () => {
      const lists = [[0], [3, 5, 9], [12, 7, 30, 2, 18], Array.from({ length: 64 }, (_, i) => 1000 + i * 3)]
      const keys = [null, undefined, '', Buffer.alloc(0), 'a', 'ключ', Buffer.from([0xff, 0x80]), new Uint8Array([1])]
      for (const list of lists) {
        for (const key of keys) {
          const partition = balancer.balance({ key: key as Buffer, value: 'v' }, list)
          expect(list, `${String(key)} in [${list.join(', ')}]`).to.include(partition)
        }
      }
    })

    it(`${name} throws a TopicError rather than return undefined when there are no partitions`, () => {
      expect(() => balancer.balance({ topic: 'events', key: 'k', value: null }, []))
        .to.throw(TopicError, 'no partitions to choose from for topic "events"')
        .with.property('topic', 'events')
    })
  }

  it('the key hashers reject a key that is neither bytes, a string nor absent', () => {
    const keyed = [new Murmur2Balancer(), new CRC32Balancer(), new Hash(), new ReferenceHash()]
    for (const balancer of keyed) {
      expect(() => balancer.balance({ key: 42 as never, value: null }, [0, 1]))
        .to.throw(SerializationError, 'a message key must be a Buffer, a string, null or undefined, not 42')
    }
  })
})
