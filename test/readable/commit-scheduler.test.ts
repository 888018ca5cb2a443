import { expect } from 'chai'
import { CommitScheduler } from '../../lib/readable/commit-scheduler'
import { OffsetTracker, type Ack, type TopicPartitionOffset } from '../../lib/readable/offset-tracker'
import { InvalidOptionError, KafkaPipeError } from '../../lib/errors'
import { FakeTimers, deferred, settle, type Deferred } from './fake-timers'

const T = 'events'

/** A tracker wired to a scheduler whose commits the test settles by hand. */
function setup(commitInterval: number) {
  const timers = new FakeTimers()
  const calls: Array<{ offsets: TopicPartitionOffset[]; result: Deferred }> = []
  const errors: Array<{ error: unknown; offsets: TopicPartitionOffset[] }> = []
  const tracker = new OffsetTracker({ onAdvance: () => scheduler.schedule() })
  const scheduler: CommitScheduler = new CommitScheduler({
    tracker,
    commitInterval,
    timers,
    commit: (offsets) => {
      const result = deferred()
      calls.push({ offsets, result })
      return result.promise
    },
    onError: (error, offsets) => errors.push({ error, offsets }),
  })
  let next = 0
  const deliver = (count: number, partition = 0): Ack[] =>
    Array.from({ length: count }, () => tracker.track(T, partition, String(next++), 1))
  return { timers, calls, errors, tracker, scheduler, deliver }
}

const at = (offset: string, partition = 0) => [{ topic: T, partition, offset }]

describe('CommitScheduler', () => {
  it('coalesces the acks of one interval into one commit', async () => {
    const { timers, calls, deliver, tracker } = setup(1000)
    const acks = deliver(3)
    acks[0]!()
    acks[1]!()
    expect(timers.pending).to.equal(1)
    timers.advance(999)
    acks[2]!()
    expect(calls).to.have.length(0)
    timers.advance(1)
    expect(calls.map((c) => c.offsets)).to.deep.equal([at('3')])
    calls[0]!.result.resolve()
    await settle()
    expect(tracker.committed(T, 0)).to.equal('3')
    expect(timers.pending, 'nothing left to commit, no timer').to.equal(0)
  })

  it('with commitInterval 0, commits once after a synchronous run of acks', async () => {
    const { timers, calls, deliver } = setup(0)
    deliver(5).forEach((ack) => ack())
    expect(calls).to.have.length(0)
    await Promise.resolve()
    expect(calls.map((c) => c.offsets)).to.deep.equal([at('5')])
    expect(timers.pending).to.equal(0)
  })

  it('keeps one commit in flight and merges what arrives meanwhile into the next', async () => {
    const { calls, deliver, tracker } = setup(0)
    const acks = deliver(3, 0)
    const other = deliver(1, 1)
    acks[0]!()
    await settle()
    expect(calls).to.have.length(1)
    acks[1]!()
    other[0]!()
    acks[2]!()
    await settle()
    expect(calls, 'still one in flight').to.have.length(1)
    calls[0]!.result.resolve()
    await settle()
    expect(calls).to.have.length(2)
    expect(calls[1]!.offsets).to.have.deep.members([...at('3', 0), ...at('4', 1)])
    calls[1]!.result.resolve()
    await settle()
    expect(tracker.hasCommittable()).to.equal(false)
    expect(calls).to.have.length(2)
  })

  it('reports a failed commit, keeps its offsets and retries one interval later', async () => {
    const { timers, calls, errors, deliver, tracker } = setup(500)
    deliver(2).forEach((ack) => ack())
    timers.advance(500)
    const failure = new Error('coordinator not available')
    calls[0]!.result.reject(failure)
    await settle()
    expect(errors).to.deep.equal([{ error: failure, offsets: at('2') }])
    expect(tracker.committable()).to.deep.equal(at('2'))
    expect(timers.pending, 'a retry is scheduled').to.equal(1)
    timers.advance(500)
    expect(calls.map((c) => c.offsets)).to.deep.equal([at('2'), at('2')])
    calls[1]!.result.resolve()
    await settle()
    expect(tracker.committed(T, 0)).to.equal('2')
  })

  it('with commitInterval 0, retries a failed commit at the next ack, not in a loop', async () => {
    const { calls, errors, deliver } = setup(0)
    const acks = deliver(2)
    acks[0]!()
    await settle()
    calls[0]!.result.reject(new Error('boom'))
    await settle()
    await settle()
    expect(calls).to.have.length(1)
    expect(errors).to.have.length(1)
    acks[1]!()
    await settle()
    expect(calls.map((c) => c.offsets)).to.deep.equal([at('1'), at('2')])
  })

  it('reports a commit function that throws synchronously, and does not spin on it', async () => {
    const errors: unknown[] = []
    const failure = new Error('not connected')
    let calls = 0
    const tracker = new OffsetTracker({ onAdvance: () => scheduler.schedule() })
    const scheduler: CommitScheduler = new CommitScheduler({
      tracker,
      commitInterval: 0,
      commit: () => {
        // a scheduler that retried at once would loop on microtasks forever; stop after 100 so the test fails instead
        if (++calls > 100) return new Promise<void>(() => {})
        throw failure
      },
      onError: (error) => errors.push(error),
    })
    tracker.track(T, 0, '0', 1)()
    await settle()
    expect(calls).to.equal(1)
    expect(errors).to.deep.equal([failure])
    expect(tracker.committable()).to.deep.equal(at('1'))
  })

  it('does not start a second commit when flush races a queued one', async () => {
    const { calls, deliver, scheduler } = setup(0)
    deliver(1)[0]!() // queues a commit for the microtask
    const flushed = scheduler.flush() // starts its own commit right away
    await settle()
    expect(calls).to.have.length(1)
    calls[0]!.result.resolve()
    await flushed
  })

  describe('flush', () => {
    it('commits at once, without waiting for the interval, and clears the timer', async () => {
      const { timers, calls, deliver, scheduler, tracker } = setup(60_000)
      deliver(4).forEach((ack) => ack())
      expect(timers.pending).to.equal(1)
      const flushed = scheduler.flush()
      expect(timers.pending).to.equal(0)
      await settle()
      expect(calls.map((c) => c.offsets)).to.deep.equal([at('4')])
      let done = false
      void flushed.then(() => (done = true))
      await settle()
      expect(done, 'flush waits for the broker').to.equal(false)
      calls[0]!.result.resolve()
      await flushed
      expect(tracker.committed(T, 0)).to.equal('4')
    })

    it('waits for the commit in flight, then commits what came after it', async () => {
      const { calls, deliver, scheduler, tracker } = setup(0)
      const acks = deliver(2)
      acks[0]!()
      await settle()
      acks[1]!()
      const flushed = scheduler.flush()
      await settle()
      expect(calls).to.have.length(1)
      calls[0]!.result.resolve()
      await settle()
      expect(calls.map((c) => c.offsets)).to.deep.equal([at('1'), at('2')])
      calls[1]!.result.resolve()
      await flushed
      expect(tracker.committed(T, 0)).to.equal('2')
    })

    it('retries what a failed commit in flight left, and rejects with its own failure', async () => {
      const { calls, errors, deliver, scheduler, tracker } = setup(0)
      deliver(1)[0]!()
      await settle()
      const flushed = scheduler.flush()
      calls[0]!.result.reject(new Error('first'))
      await settle()
      expect(errors, 'the background failure goes to onError').to.have.length(1)
      expect(calls).to.have.length(2)
      const second = new Error('second')
      calls[1]!.result.reject(second)
      let rejected: unknown
      await flushed.catch((error: unknown) => (rejected = error))
      expect(rejected).to.equal(second)
      expect(errors, "flush's own failure is not reported twice").to.have.length(1)
      expect(tracker.committable()).to.deep.equal(at('1'))
    })

    it('finishes while acks keep arriving: it waits for one commit in flight, then makes its own', async () => {
      const { calls, deliver, scheduler } = setup(0)
      const acks = deliver(10)
      acks[0]!()
      await settle()
      let done = false
      const flushed = scheduler.flush().then(() => (done = true))
      acks[1]!()
      calls[0]!.result.resolve()
      await settle()
      expect(calls.map((c) => c.offsets)).to.deep.equal([at('1'), at('2')])
      acks[2]!()
      calls[1]!.result.resolve()
      await settle()
      expect(done).to.equal(true)
      await flushed
      // what arrived during the flush is committed on the regular schedule
      expect(calls.map((c) => c.offsets)).to.deep.equal([at('1'), at('2'), at('3')])
    })

    it('resolves at once when nothing is committable', async () => {
      const { calls, scheduler } = setup(100)
      await scheduler.flush()
      expect(calls).to.have.length(0)
    })
  })

  describe('close', () => {
    it('clears the timer and stops scheduling', async () => {
      const { timers, calls, deliver, scheduler } = setup(1000)
      const acks = deliver(2)
      acks[0]!()
      expect(timers.pending).to.equal(1)
      scheduler.close()
      expect(timers.pending).to.equal(0)
      acks[1]!()
      expect(timers.pending).to.equal(0)
      timers.advance(10_000)
      await settle()
      expect(calls).to.have.length(0)
    })

    it('drops a commit queued for the microtask', async () => {
      const { calls, deliver, scheduler } = setup(0)
      deliver(1)[0]!()
      scheduler.close()
      await settle()
      expect(calls).to.have.length(0)
    })

    it('lets a flush after close resolve when nothing is left, and reject when offsets would be lost', async () => {
      const { calls, deliver, scheduler } = setup(1000)
      const acks = deliver(1)
      await scheduler.flush()
      acks[0]!()
      const flushed = scheduler.flush()
      await settle()
      calls[0]!.result.resolve()
      await flushed
      scheduler.close()
      await scheduler.flush()

      const late = setup(1000)
      late.deliver(1)[0]!()
      late.scheduler.close()
      let rejected: unknown
      await late.scheduler.flush().catch((error: unknown) => (rejected = error))
      expect(rejected).to.be.instanceOf(KafkaPipeError).with.property('code', 'ERR_KAFKA_PIPE_CLOSED')
      expect(late.calls).to.have.length(0)
    })

    it('still records and reports the commit that was in flight', async () => {
      const { calls, errors, deliver, scheduler, tracker } = setup(0)
      const acks = deliver(2)
      acks[0]!()
      await settle()
      scheduler.close()
      acks[1]!()
      calls[0]!.result.resolve()
      await settle()
      expect(tracker.committed(T, 0)).to.equal('1')
      expect(calls, 'no new commit after close').to.have.length(1)
      expect(errors).to.have.length(0)
    })

    it('leaves no real timer behind', async () => {
      const tracker = new OffsetTracker({ onAdvance: () => scheduler.schedule() })
      const scheduler: CommitScheduler = new CommitScheduler({
        tracker,
        commitInterval: 2 ** 31 - 1,
        commit: async () => {},
        onError: () => {},
      })
      const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
      tracker.track(T, 0, '0', 1)()
      expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).to.equal(before + 1)
      scheduler.close()
      expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).to.equal(before)
    })
  })

  it('rejects a bad commitInterval, naming the option', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '100' as unknown as number]) {
      expect(
        () =>
          new CommitScheduler({ tracker: new OffsetTracker(), commitInterval: bad, commit: async () => {}, onError: () => {} }),
        String(bad),
      ).to.throw(InvalidOptionError, /option "commitInterval" must be a number of milliseconds from 0 to 2147483647/)
    }
  })
})
