import { expect } from 'chai'
import { OffsetTracker, type Ack, type TopicPartitionOffset } from '../../lib/readable/offset-tracker'

const T = 'events'

/** Tracks the given offsets of one partition under one generation and returns their acks, in order. */
function deliver(tracker: OffsetTracker, offsets: number[], partition = 0, generation = 1, topic = T): Ack[] {
  return offsets.map((offset) => tracker.track(topic, partition, String(offset), generation))
}

function sorted(list: TopicPartitionOffset[]): TopicPartitionOffset[] {
  return [...list].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
}

describe('OffsetTracker', () => {
  describe('contiguity', () => {
    it('commits nothing before the first ack', () => {
      const tracker = new OffsetTracker()
      deliver(tracker, [5, 6, 7])
      expect(tracker.committable()).to.deep.equal([])
      expect(tracker.hasCommittable()).to.equal(false)
      expect(tracker.position(T, 0)).to.equal(undefined)
      expect(tracker.outstanding(T, 0)).to.equal(3)
    })

    it('advances only over the contiguous acked prefix when acks arrive out of order', () => {
      const tracker = new OffsetTracker()
      const [a, b, c, d] = deliver(tracker, [10, 11, 12, 13])
      expect(c!()).to.equal(true)
      expect(b!()).to.equal(true)
      expect(tracker.committable()).to.deep.equal([])
      expect(tracker.outstanding(T, 0)).to.equal(2)

      a!()
      // 10, 11, 12 acked; 13 is not: the next offset to read is 13
      expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '13' }])
      expect(tracker.position(T, 0)).to.equal('13')

      d!()
      expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '14' }])
      expect(tracker.outstanding(T, 0)).to.equal(0)
      expect(tracker.pendingCount()).to.equal(0)
    })

    it('follows the delivered offsets across gaps (compaction, transaction markers)', () => {
      const tracker = new OffsetTracker()
      const [a, b, c] = deliver(tracker, [3, 17, 40])
      a!()
      expect(tracker.position(T, 0)).to.equal('4')
      c!()
      // 17 is still outstanding, whatever lies between 4 and 17 was never delivered
      expect(tracker.position(T, 0)).to.equal('4')
      b!()
      expect(tracker.position(T, 0)).to.equal('41')
    })

    it('counts a duplicate ack once', () => {
      const tracker = new OffsetTracker()
      const [a, b] = deliver(tracker, [0, 1])
      expect(b!()).to.equal(true)
      expect(b!()).to.equal(false)
      expect(b!()).to.equal(false)
      expect(tracker.outstanding(T, 0)).to.equal(1)
      expect(tracker.committable()).to.deep.equal([])
      a!()
      a!()
      expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '2' }])
      expect(tracker.pendingCount()).to.equal(0)
    })

    it('supports commit on read by acking at track time', () => {
      const tracker = new OffsetTracker()
      for (let offset = 0; offset < 100; offset++) tracker.track(T, 0, String(offset), 1)()
      expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '100' }])
      expect(tracker.pendingCount()).to.equal(0)
    })

    it('keeps the ring correct while it grows and shrinks with many messages outstanding', () => {
      const tracker = new OffsetTracker()
      const acks = deliver(tracker, Array.from({ length: 5000 }, (_, i) => i * 2))
      // ack everything but the first, newest first, so the ring fills up before anything can be removed
      for (let i = acks.length - 1; i >= 1; i--) acks[i]!()
      expect(tracker.position(T, 0)).to.equal(undefined)
      acks[0]!()
      expect(tracker.position(T, 0)).to.equal(String(4999 * 2 + 1))
      // and again after it shrank back
      const more = deliver(tracker, [20000, 20001, 20002])
      more[1]!()
      more[0]!()
      expect(tracker.position(T, 0)).to.equal('20002')
    })
  })

  describe('monotonicity', () => {
    it('offers only what advanced since the last markCommitted', () => {
      const tracker = new OffsetTracker()
      const [a, b] = deliver(tracker, [0, 1])
      a!()
      const first = tracker.committable()
      expect(first).to.deep.equal([{ topic: T, partition: 0, offset: '1' }])
      tracker.markCommitted(first)
      expect(tracker.committable()).to.deep.equal([])
      expect(tracker.committed(T, 0)).to.equal('1')
      b!()
      expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '2' }])
    })

    it('keeps offsets committable when the commit failed (markCommitted not called)', () => {
      const tracker = new OffsetTracker()
      deliver(tracker, [0])[0]!()
      const attempt = tracker.committable()
      expect(tracker.committable()).to.deep.equal(attempt)
    })

    it('keeps what advanced during a commit in flight', () => {
      const tracker = new OffsetTracker()
      const [a, b] = deliver(tracker, [0, 1])
      a!()
      const inFlight = tracker.committable()
      b!()
      tracker.markCommitted(inFlight)
      expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '2' }])
    })

    it('ignores a markCommitted lower than what was recorded', () => {
      const tracker = new OffsetTracker()
      deliver(tracker, [0, 1, 2, 3]).forEach((ack) => ack())
      tracker.markCommitted([{ topic: T, partition: 0, offset: '4' }])
      tracker.markCommitted([{ topic: T, partition: 0, offset: '2' }])
      expect(tracker.committed(T, 0)).to.equal('4')
      expect(tracker.committable()).to.deep.equal([])
    })

    it('never offers a position at or below the committed offset, even after a seek backwards', () => {
      const tracker = new OffsetTracker()
      deliver(tracker, [0, 1, 2, 3, 4]).forEach((ack) => ack())
      tracker.markCommitted(tracker.committable())
      tracker.seek(T, 0, '2')
      const [a, b, c] = deliver(tracker, [2, 3, 4, 5])
      a!()
      b!()
      c!()
      expect(tracker.position(T, 0)).to.equal('5')
      expect(tracker.committable()).to.deep.equal([])
    })
  })

  describe('generations and assignments', () => {
    it('drops acks that arrive after the partition was revoked', () => {
      const tracker = new OffsetTracker()
      const [a, b] = deliver(tracker, [0, 1])
      a!()
      tracker.revoke(T, 0)
      expect(tracker.committable(), 'the uncommitted position is dropped too').to.deep.equal([])
      expect(tracker.pendingCount()).to.equal(0)
      expect(b!()).to.equal(false)
      expect(tracker.committable()).to.deep.equal([])
      expect(tracker.position(T, 0)).to.equal(undefined)
    })

    it('drops acks of the old generation after the partition is assigned again', () => {
      const tracker = new OffsetTracker()
      const old = deliver(tracker, [0, 1, 2], 0, 1)
      tracker.revoke(T, 0)
      const fresh = deliver(tracker, [0, 1, 2], 0, 2)
      old.forEach((ack) => expect(ack()).to.equal(false))
      expect(tracker.committable()).to.deep.equal([])
      expect(tracker.outstanding(T, 0)).to.equal(3)
      fresh[0]!()
      expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '1' }])
    })

    it('treats a newer generation without a revoke as a new assignment', () => {
      const tracker = new OffsetTracker()
      const [old] = deliver(tracker, [7], 0, 3)
      const [fresh] = deliver(tracker, [5], 0, 4)
      expect(old!()).to.equal(false)
      expect(fresh!()).to.equal(true)
      expect(tracker.position(T, 0)).to.equal('6')
    })

    it('does not track deliveries of an older or revoked generation', () => {
      const tracker = new OffsetTracker()
      deliver(tracker, [10], 0, 5)
      const [older] = deliver(tracker, [11], 0, 4)
      expect(tracker.outstanding(T, 0)).to.equal(1)
      expect(older!()).to.equal(false)

      tracker.revoke(T, 0)
      const [late] = deliver(tracker, [12], 0, 5)
      expect(late!()).to.equal(false)
      expect(tracker.outstanding(T, 0)).to.equal(0)
      expect(tracker.committable()).to.deep.equal([])
    })

    it('revokes every partition at once', () => {
      const tracker = new OffsetTracker()
      const acks = [...deliver(tracker, [0], 0), ...deliver(tracker, [0], 1), ...deliver(tracker, [0], 0, 1, 'other')]
      tracker.revokeAll()
      acks.forEach((ack) => expect(ack()).to.equal(false))
      expect(tracker.pendingCount()).to.equal(0)
      expect(tracker.committable()).to.deep.equal([])
    })

    it('keeps the committed offset across assignments', () => {
      const tracker = new OffsetTracker()
      deliver(tracker, [0, 1], 0, 1).forEach((ack) => ack())
      tracker.markCommitted(tracker.committable())
      tracker.revoke(T, 0)
      deliver(tracker, [0], 0, 2)[0]!()
      expect(tracker.committed(T, 0)).to.equal('2')
      expect(tracker.committable(), 'position 1 is behind the committed 2').to.deep.equal([])
    })

    it('drops outstanding messages on seek but keeps owning the partition', () => {
      const tracker = new OffsetTracker()
      const [a] = deliver(tracker, [0, 1])
      tracker.seek(T, 0, '100')
      expect(tracker.outstanding(T, 0)).to.equal(0)
      expect(a!()).to.equal(false)
      const [b] = deliver(tracker, [103])
      b!()
      expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '104' }])
    })

    it('rejects a delivery below the seek position', () => {
      const tracker = new OffsetTracker()
      deliver(tracker, [10])
      tracker.seek(T, 0, '50')
      expect(() => tracker.track(T, 0, '49', 1)).to.throw(RangeError, /seek to 50/)
      tracker.track(T, 0, '50', 1)
      expect(tracker.outstanding(T, 0)).to.equal(1)
    })

    it('ignores a seek on a partition without a live assignment', () => {
      const tracker = new OffsetTracker()
      tracker.seek(T, 0, '50')
      deliver(tracker, [3])[0]!()
      expect(tracker.position(T, 0)).to.equal('4')
      tracker.revoke(T, 0)
      tracker.seek(T, 0, '50')
      deliver(tracker, [3], 0, 2)[0]!()
      expect(tracker.position(T, 0)).to.equal('4')
    })
  })

  describe('several partitions and topics', () => {
    it('tracks each partition on its own', () => {
      const tracker = new OffsetTracker()
      const p0 = deliver(tracker, [0, 1], 0)
      const p1 = deliver(tracker, [100, 101], 1)
      const other = deliver(tracker, [7], 0, 1, 'audit')
      p1[1]!()
      other[0]!()
      p0[0]!()
      expect(sorted(tracker.committable())).to.deep.equal([
        { topic: 'audit', partition: 0, offset: '8' },
        { topic: T, partition: 0, offset: '1' },
      ])
      expect(tracker.pendingCount()).to.equal(2)
      tracker.markCommitted([{ topic: 'audit', partition: 0, offset: '8' }])
      p1[0]!()
      expect(sorted(tracker.committable())).to.deep.equal([
        { topic: T, partition: 0, offset: '1' },
        { topic: T, partition: 1, offset: '102' },
      ])
      tracker.revoke(T, 1)
      expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: '1' }])
    })
  })

  describe('offsets', () => {
    it('handles int64 offsets beyond 2^53 exactly', () => {
      const tracker = new OffsetTracker()
      const base = 2n ** 53n + 1n // 9007199254740993: not representable as a double
      const acks = [base, base + 1n, base + 3n].map((o) => tracker.track('big', 0, o.toString(), 1))
      acks[1]!()
      acks[0]!()
      expect(tracker.committable()).to.deep.equal([{ topic: 'big', partition: 0, offset: '9007199254740995' }])
      acks[2]!()
      expect(tracker.position('big', 0)).to.equal('9007199254740997')
      tracker.track('max', 0, '9223372036854775806', 1)()
      expect(tracker.position('max', 0)).to.equal('9223372036854775807')
    })

    it('rejects offsets that are not int64 decimal strings', () => {
      const tracker = new OffsetTracker()
      for (const bad of ['', '-1', '1.5', '0x10', ' 1', '9223372036854775808', '12345678901234567890']) {
        expect(() => tracker.track(T, 0, bad, 1), bad).to.throw(RangeError, /non-negative int64/)
      }
      expect(() => tracker.track(T, 0, 1 as unknown as string, 1)).to.throw(RangeError)
    })

    it('rejects offsets that do not increase within an assignment', () => {
      const tracker = new OffsetTracker()
      tracker.track(T, 0, '5', 1)
      expect(() => tracker.track(T, 0, '5', 1)).to.throw(RangeError, /must increase/)
      expect(() => tracker.track(T, 0, '4', 1)).to.throw(RangeError, /must increase/)
      expect(tracker.outstanding(T, 0)).to.equal(1)
    })

    it('rejects a bad partition or generation', () => {
      const tracker = new OffsetTracker()
      expect(() => tracker.track(T, -1, '0', 1)).to.throw(RangeError, /partition/)
      expect(() => tracker.track(T, 0.5, '0', 1)).to.throw(RangeError, /partition/)
      expect(() => tracker.track(T, 0, '0', Number.NaN)).to.throw(RangeError, /generation/)
    })
  })

  describe('onAdvance', () => {
    it('is called when an ack moves a position past the committed offset', () => {
      let calls = 0
      const tracker = new OffsetTracker({ onAdvance: () => calls++ })
      const [a, b, c] = deliver(tracker, [0, 1, 2])
      b!()
      expect(calls).to.equal(0)
      a!()
      expect(calls).to.equal(1)
      c!()
      expect(calls).to.equal(2)
    })
  })

  it('tracks and acks 1,000,000 messages in order', () => {
    const tracker = new OffsetTracker()
    const count = 1_000_000
    for (let i = 0; i < count; i++) tracker.track(T, 0, String(i), 1)()
    expect(tracker.committable()).to.deep.equal([{ topic: T, partition: 0, offset: String(count) }])
    expect(tracker.pendingCount()).to.equal(0)
  })

  it('tracks 1,000,000 messages, then acks them in order', () => {
    const tracker = new OffsetTracker()
    const count = 1_000_000
    const acks: Ack[] = new Array(count)
    for (let i = 0; i < count; i++) acks[i] = tracker.track(T, i % 4, String(i), 1)
    expect(tracker.pendingCount()).to.equal(count)
    for (let i = 0; i < count; i++) acks[i]!()
    expect(sorted(tracker.committable()).map((c) => c.offset)).to.deep.equal(['999997', '999998', '999999', '1000000'])
    expect(tracker.pendingCount()).to.equal(0)
  })
})

/** mulberry32: a small seeded PRNG, so a failing run can be replayed from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The rules written as plainly as possible: whole lists, scanned from the start on every question. */
class ModelPartition {
  generation: number | undefined
  revoked = false
  epoch = 0
  owned = false
  delivered: Array<{ offset: bigint; acked: boolean }> = []
  floor: bigint | undefined
  committed: bigint | undefined

  position(): bigint | undefined {
    let k = 0
    while (k < this.delivered.length && this.delivered[k]!.acked) k++
    return k === 0 ? undefined : this.delivered[k - 1]!.offset + 1n
  }

  unacked(): number {
    return this.owned ? this.delivered.filter((d) => !d.acked).length : 0
  }

  /** The lowest offset the current epoch accepts next. */
  lowest(): bigint {
    const last = this.delivered[this.delivered.length - 1]?.offset
    return last !== undefined ? last + 1n : (this.floor ?? 0n)
  }

  newEpoch(floor?: bigint): void {
    this.epoch++
    this.owned = true
    this.delivered = []
    this.floor = floor
  }
}

describe('OffsetTracker against a reference model', () => {
  const keys = [
    { topic: 'a', partition: 0, start: 0n },
    { topic: 'a', partition: 1, start: 1000n },
    { topic: 'b', partition: 0, start: 2n ** 60n }, // beyond 2^53: exact only as bigint
  ]

  for (let seed = 1; seed <= 25; seed++) {
    it(`agrees with the model (seed ${seed})`, () => {
      const random = prng(seed)
      const pick = <V>(list: readonly V[]): V => list[Math.floor(random() * list.length)]!
      const tracker = new OffsetTracker()
      const model = keys.map(() => new ModelPartition())
      // where the simulated fetcher reads next, and whether it reads the partition at all
      const next = keys.map((k) => k.start)
      const reading = keys.map(() => true)
      const handles: Array<{ ack: Ack; key: number; epoch: number; index: number; done: boolean }> = []
      let generation = 1

      const check = (step: number, op: string) => {
        const where = `seed ${seed}, step ${step} (${op})`
        const expected = keys.flatMap((k, i) => {
          const m = model[i]!
          const position = m.owned ? m.position() : undefined
          return position !== undefined && (m.committed === undefined || position > m.committed)
            ? [{ topic: k.topic, partition: k.partition, offset: position.toString() }]
            : []
        })
        expect(sorted(tracker.committable()), where).to.deep.equal(sorted(expected))
        expect(tracker.hasCommittable(), where).to.equal(expected.length > 0)
        keys.forEach((k, i) => {
          const m = model[i]!
          expect(tracker.position(k.topic, k.partition), where).to.equal(m.owned ? m.position()?.toString() : undefined)
          expect(tracker.outstanding(k.topic, k.partition), where).to.equal(m.unacked())
          expect(tracker.committed(k.topic, k.partition), where).to.equal(m.committed?.toString())
        })
        expect(tracker.pendingCount(), where).to.equal(model.reduce((sum, m) => sum + m.unacked(), 0))
      }

      const deliver = (i: number, gen: number) => {
        const k = keys[i]!
        const m = model[i]!
        const skipped = BigInt(Math.floor(random() * 3)) // 0 .. 2 offsets skipped, as compaction would
        let offset: bigint
        if (gen === generation) {
          offset = next[i]! + skipped
          next[i] = offset + 1n
        } else {
          // a late message of the previous fetch session continues that session's offsets
          offset = (m.owned ? m.lowest() : next[i]!) + skipped
        }
        const ack = tracker.track(k.topic, k.partition, offset.toString(), gen)
        const stale = m.generation !== undefined && (gen < m.generation || (gen === m.generation && m.revoked))
        if (stale) {
          handles.push({ ack, key: i, epoch: -1, index: -1, done: false })
          return
        }
        if (m.generation !== undefined && gen > m.generation) m.owned = false
        m.generation = gen
        m.revoked = false
        if (!m.owned) m.newEpoch()
        m.delivered.push({ offset, acked: false })
        handles.push({ ack, key: i, epoch: m.epoch, index: m.delivered.length - 1, done: false })
      }

      for (let step = 0; step < 1500; step++) {
        const roll = random()
        let op: string
        if (roll < 0.4) {
          op = 'track'
          const i = Math.floor(random() * keys.length)
          if (reading[i]) deliver(i, generation)
        } else if (roll < 0.75) {
          op = 'ack'
          // mostly recent handles, sometimes any: old generations, duplicates
          const pool = random() < 0.8 ? handles.slice(-40) : handles
          if (pool.length > 0) {
            const h = pick(pool)
            const m = model[h.key]!
            const counts = !h.done && m.owned && h.epoch === m.epoch
            if (counts) m.delivered[h.index]!.acked = true
            h.done = true
            expect(h.ack(), `seed ${seed}, step ${step}: ack result`).to.equal(counts)
          }
        } else if (roll < 0.87) {
          op = 'commit'
          const offered = tracker.committable()
          const outcome = random()
          if (outcome < 0.6) {
            tracker.markCommitted(offered)
          } else if (outcome < 0.8 && offered.length > 0) {
            // then a late answer for an older commit: lower offsets, which must be ignored
            tracker.markCommitted(offered)
            tracker.markCommitted(offered.map((o) => ({ ...o, offset: (BigInt(o.offset) - 1n).toString() })))
          } // else: the commit failed, nothing is recorded
          if (outcome < 0.8) {
            for (const o of offered) {
              const m = model[keys.findIndex((k) => k.topic === o.topic && k.partition === o.partition)]!
              const value = BigInt(o.offset)
              if (m.committed === undefined || value > m.committed) m.committed = value
            }
          }
        } else if (roll < 0.91) {
          op = 'revoke'
          const i = Math.floor(random() * keys.length)
          tracker.revoke(keys[i]!.topic, keys[i]!.partition)
          const m = model[i]!
          m.owned = false
          m.revoked = true
          reading[i] = false
        } else if (roll < 0.95) {
          op = 'rebalance'
          if (random() < 0.5) {
            tracker.revokeAll()
            model.forEach((m) => {
              m.owned = false
              m.revoked = true
            })
          }
          generation++
          keys.forEach((k, i) => {
            reading[i] = random() < 0.8
            // the new assignment starts from the committed offset: old messages come again
            next[i] = model[i]!.committed ?? k.start
          })
        } else if (roll < 0.97) {
          op = 'late delivery from the previous generation'
          const i = Math.floor(random() * keys.length)
          if (generation > 1) deliver(i, generation - 1)
        } else {
          op = 'seek'
          const i = Math.floor(random() * keys.length)
          const k = keys[i]!
          const m = model[i]!
          const target = k.start + BigInt(Math.floor(random() * Number(next[i]! - k.start + 5n)))
          tracker.seek(k.topic, k.partition, target.toString())
          if (m.owned) {
            m.newEpoch(target)
            next[i] = target
          }
        }
        check(step, op)
      }
    })
  }
})
