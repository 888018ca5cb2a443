import { randomBytes } from 'node:crypto'
import * as zlib from 'node:zlib'
import { expect } from 'chai'
import { InvalidOptionError } from '../../lib/errors'
import { CRC32Balancer, NATIVE_CRC32_FROM, chooseCrc32, crc32, tableCrc32, zlibCrc32 } from '../../lib/balancers/crc32'
import { asString, behaviour, counts, expectVectors, kafkaGo, keys, librdkafka, message, range } from './fixtures'

describe('CRC32Balancer', () => {
  it('hashes every key like Go hash/crc32 (the CRC kafka-go and librdkafka use), on every path this Node has', () => {
    const native = zlibCrc32(zlib)
    const paths: Array<[string, (data: Uint8Array) => number]> = [['crc32', crc32], ['table', tableCrc32], ...(native ? [['zlib.crc32', native] as [string, typeof native]] : [])]
    for (const [name, fn] of paths) {
      expectVectors(keys.map((key) => fn(key)), kafkaGo.crc32, `${name}: crc32.ChecksumIEEE`)
      expect(fn(Buffer.from('123456789')), name).to.equal(0xcbf43926) // the CRC-32 check value
    }
  })

  it('gives the same CRC on every path for keys of every length, either side of the switch to zlib.crc32', () => {
    const native = zlibCrc32(zlib)
    for (let length = 0; length <= 2 * NATIVE_CRC32_FROM; length++) {
      const key = randomBytes(length)
      const expected = tableCrc32(key)
      expect(crc32(key), `crc32, ${length} bytes`).to.equal(expected)
      if (native) expect(native(key), `zlib.crc32, ${length} bytes`).to.equal(expected)
    }
  })

  describe('chooses zlib.crc32 by what node:zlib has', () => {
    it(`finds zlib.crc32 on Node 20.15, 22.2 and later (this is ${process.version})`, () => {
      const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
      const expected = major >= 23 || (major === 22 && minor >= 2) || (major === 20 && minor >= 15)
      if (major === 21) return // not a line we test on
      expect(zlibCrc32(zlib)).to.equal(expected ? (zlib as { crc32?: unknown }).crc32 : undefined)
    })

    it(`hashes keys of ${NATIVE_CRC32_FROM} bytes and more with zlib.crc32, shorter ones with the table`, () => {
      const calls: number[] = []
      const mixed = chooseCrc32({ crc32: (data: Uint8Array) => (calls.push(data.length), 7) })
      expect(mixed(Buffer.alloc(NATIVE_CRC32_FROM - 1))).to.equal(tableCrc32(Buffer.alloc(NATIVE_CRC32_FROM - 1)))
      expect(mixed(Buffer.alloc(NATIVE_CRC32_FROM))).to.equal(7)
      expect(calls).to.deep.equal([NATIVE_CRC32_FROM])
    })

    it('falls back to the table where node:zlib has no crc32', () => {
      expect(chooseCrc32({})).to.equal(tableCrc32)
      expect(chooseCrc32({ crc32: 'not a function' })).to.equal(tableCrc32)
    })
  })

  it('puts every non-empty key where librdkafka consistent and consistent_random do', () => {
    for (const consistent of [false, true]) {
      const balancer = new CRC32Balancer({ consistent })
      for (const n of counts) {
        const partitions = range(n)
        // keys[0] is the empty key, which only consistent: true hashes
        const got = keys.slice(1).map((key) => balancer.balance(message(key), partitions))
        expectVectors([0, ...got], [0, ...librdkafka.consistent[n].slice(1)], `librdkafka, ${n} partitions`)
        keys.forEach((key, i) => {
          const text = asString(key)
          if (i > 0 && text !== undefined) expect(balancer.balance(message(text), partitions)).to.equal(got[i - 1])
        })
      }
    }
  })

  it('matches kafka-go CRC32Balancer{Consistent: true} on any partition list, returning list elements', () => {
    const balancer = new CRC32Balancer({ consistent: true })
    const seven = keys.map((key) => balancer.balance(message(key), range(7)))
    expectVectors(seven, librdkafka.consistent['7'], 'librdkafka consistent, 7 partitions')
    kafkaGo.lists.forEach((list, l) => {
      const got = keys.map((key) => balancer.balance(message(key), list))
      expectVectors(got, kafkaGo.keyed.CRC32BalancerConsistent[l]!, `kafka-go, list #${l}`)
    })
  })

  it('sends no key and the empty key to a random partition by default, like consistent_random', () => {
    const balancer = new CRC32Balancer()
    const seven = range(7)
    for (const key of [null, undefined, '', Buffer.alloc(0)]) {
      const seen = behaviour(() => balancer.balance(message(key), seven))
      expect(seen, `key ${String(key)}`).to.equal('spread (random)')
    }
    const reference = librdkafka.producer.consistent_random!
    expect([reference.nullKey, reference.emptyKey, kafkaGo.noKey.CRC32Balancer, kafkaGo.emptyKey.CRC32Balancer])
      .to.deep.equal(Array(4).fill('spread (random)'))
  })

  it('with consistent: true hashes no key and the empty key (CRC 0: the first partition), like consistent', () => {
    const balancer = new CRC32Balancer({ consistent: true })
    for (const n of counts) {
      for (const key of [null, undefined, '', Buffer.alloc(0)]) {
        expect(balancer.balance(message(key), range(n))).to.equal(librdkafka.nullKeyFunction.consistent[n])
      }
      expect(librdkafka.consistent[n][0]).to.equal(0)
    }
    expect(balancer.balance(message(null), [8, 2, 5])).to.equal(8)
    const seven = range(7)
    const reference = librdkafka.producer.consistent!
    expect(behaviour(() => balancer.balance(message(null), seven))).to.equal(reference.nullKey)
    expect(behaviour(() => balancer.balance(message(''), seven))).to.equal(reference.emptyKey)
    expect(reference.nullKey).to.equal(kafkaGo.noKey.CRC32BalancerConsistent)
  })

  it('returns an element of the list for partition ids that are not 0..n-1', () => {
    const balancer = new CRC32Balancer()
    const partitions = [3, 5, 9]
    expectVectors(
      keys.slice(1).map((key) => balancer.balance(message(key), partitions)),
      librdkafka.consistent['3'].slice(1).map((index) => partitions[index]!),
      'librdkafka (3 partitions) mapped onto [3, 5, 9]',
    )
    for (let i = 0; i < 50; i++) expect(partitions).to.include(balancer.balance(message(''), partitions))
  })

  it('rejects bad options', () => {
    expect(() => new CRC32Balancer({ consistent: 1 as never }))
      .to.throw(InvalidOptionError, 'option "consistent" must be true or false, not 1')
      .with.property('code', 'ERR_KAFKA_PIPE_OPTION')
    expect(() => new CRC32Balancer(null as never)).to.throw(InvalidOptionError, 'CRC32Balancer options')
  })
})
