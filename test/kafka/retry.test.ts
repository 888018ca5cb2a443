import { expect } from 'chai'
import { BrokerError, NetworkError, TimeoutError } from '../../lib/errors'
import { backoffDelay, retryUntil, type RetryPolicy } from '../../lib/kafka/retry'

const policy: RetryPolicy = { backoff: 5, maxBackoff: 20, maxAttempts: Infinity, timeout: 300, timeoutOption: 'deliveryTimeout' }

/** kafkajs' shape of a refused connection (KafkaJSConnectionError is retriable). */
function refused(): Error {
  return Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9'), { name: 'KafkaJSConnectionError', retriable: true })
}

describe('kafka/retry', () => {
  describe('backoffDelay', () => {
    it('doubles per attempt from backoff up to maxBackoff, with at most 20% jitter either way', () => {
      const p = { backoff: 100, maxBackoff: 1000 }
      expect([1, 2, 3, 4, 5, 9].map((a) => backoffDelay(p, a, 0.5))).to.deep.equal([100, 200, 400, 800, 1000, 1000])
      expect(backoffDelay(p, 1, 0)).to.equal(80)
      expect(backoffDelay(p, 1, 1)).to.be.closeTo(120, 1e-9)
    })

    it("never asks for more than Node's timers take, even with maxBackoff at its maximum and jitter upwards", () => {
      expect(backoffDelay({ backoff: 2 ** 31 - 1, maxBackoff: 2 ** 31 - 1 }, 3, 1)).to.equal(2 ** 31 - 1)
    })
  })

  describe('retryUntil', () => {
    it('tries again after retriable failures until the work succeeds, without a limit on attempts', async () => {
      let calls = 0
      const value = await retryUntil(policy, 'connecting', async () => {
        if (++calls < 8) throw refused()
        return 'done'
      })
      expect(value).to.equal('done')
      expect(calls).to.equal(8)
    })

    it('gives up at once on an error retrying cannot fix, as a typed error', async () => {
      let calls = 0
      const bad = Object.assign(new Error('This server does not host this topic-partition'), { type: 'TOPIC_AUTHORIZATION_FAILED', code: 29, retriable: false })
      const err = await retryUntil(policy, 'fetching metadata', async () => {
        calls++
        throw bad
      }).catch((e: unknown) => e)
      expect(calls).to.equal(1)
      expect(err).to.be.instanceOf(BrokerError)
      expect((err as BrokerError).retriable).to.equal(false)
    })

    it('stops after maxAttempts when it is a number, with the last error', async () => {
      let calls = 0
      const err = await retryUntil({ ...policy, maxAttempts: 3 }, 'connecting', async () => {
        calls++
        throw refused()
      }).catch((e: unknown) => e)
      expect(calls).to.equal(3)
      expect(err).to.be.instanceOf(NetworkError)
    })

    it('fails with a retriable TimeoutError carrying the last error when the time is up, not before', async () => {
      const startedAt = Date.now()
      const err = (await retryUntil(policy, 'connecting to the cluster', async () => {
        throw refused()
      }).catch((e: unknown) => e)) as TimeoutError
      const elapsed = Date.now() - startedAt
      expect(err).to.be.instanceOf(TimeoutError)
      expect(err.retriable).to.equal(true)
      expect(err.option).to.equal('deliveryTimeout')
      expect(err.attempts).to.be.greaterThan(5)
      expect(err.cause).to.be.instanceOf(NetworkError)
      expect(err.message).to.contain('connecting to the cluster did not succeed within deliveryTimeout (300 ms').and.contain('ECONNREFUSED')
      expect(elapsed).to.be.within(290, 1000) // the deadline, and room for a loaded machine
    })

    it('abandons an attempt that never settles when the time is up, and ignores its late outcome', async () => {
      let finishLate!: () => void
      const startedAt = Date.now()
      const err = (await retryUntil({ ...policy, timeout: 100 }, 'asking a silent broker', () => new Promise<void>((resolve) => (finishLate = resolve))).catch(
        (e: unknown) => e,
      )) as TimeoutError
      expect(err).to.be.instanceOf(TimeoutError)
      expect(err.message).to.contain('no answer yet')
      expect(Date.now() - startedAt).to.be.within(95, 700) // the deadline, and room for a loaded machine
      finishLate()
    })

    it('names the configured limit when it runs on what is left of it', async () => {
      const err = (await retryUntil({ ...policy, timeout: 20, limit: 120_000 }, 'getting a producer id', () => new Promise<void>(() => {})).catch(
        (e: unknown) => e,
      )) as TimeoutError
      expect(err.message).to.contain('within deliveryTimeout (120000 ms')
    })
  })
})
