import { expect } from 'chai'
import { TransactionError } from '../lib/errors'
import { whenWriterReady, writerGone, writerReady } from '../lib/transaction-rendezvous'

describe('transaction-rendezvous', () => {
  it('a reader waits until a writer with its transactionalId is ready', async () => {
    const waiting = whenWriterReady('rv-1', 10_000)
    let woken = false
    void waiting.then(() => (woken = true))
    await Promise.resolve()
    expect(woken).to.equal(false)
    writerReady('rv-1')
    await waiting
    // ready already: at once
    await whenWriterReady('rv-1', 10_000)
    writerGone('rv-1')
  })

  it('gives up with a TransactionError naming the writer to create', async () => {
    const error = await whenWriterReady('rv-none', 1).then(() => undefined, (e: Error) => e)
    expect(error).to.be.instanceOf(TransactionError)
    expect(error!.message).to.match(/no KafkaWritable with transactionalId "rv-none" got ready in this process within 1 ms/)
  })
})
