import { expect } from 'chai'
import { TransactionError } from '../lib/errors'
import { readerClosed, readerOpened, rewindReaders, whenWriterReady, writerGone, writerReady, type RewindableReader } from '../lib/transaction-rendezvous'

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

  it('has every open reader of a transactionalId read again, and says false when there is none or one cannot', () => {
    const asked: string[] = []
    const reader = (name: string, can: boolean): RewindableReader => ({ rewind: () => (asked.push(name), can) })
    const aborted = Promise.resolve()
    expect(rewindReaders('rv-rewind', aborted)).to.equal(false)
    const a = reader('a', true)
    const b = reader('b', true)
    readerOpened('rv-rewind', a)
    readerOpened('rv-rewind', b)
    readerOpened('rv-other', reader('other', true))
    expect(rewindReaders('rv-rewind', aborted)).to.equal(true)
    expect(asked).to.deep.equal(['a', 'b'])
    readerClosed('rv-rewind', b)
    const ended = reader('ended', false)
    readerOpened('rv-rewind', ended)
    expect(rewindReaders('rv-rewind', aborted)).to.equal(false)
    readerClosed('rv-rewind', a)
    readerClosed('rv-rewind', ended)
    expect(rewindReaders('rv-rewind', aborted)).to.equal(false)
    expect(asked).to.deep.equal(['a', 'b', 'a', 'ended'])
  })
})
