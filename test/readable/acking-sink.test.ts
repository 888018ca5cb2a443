import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { ackingSink } from '../../lib/readable/acking-sink'

describe('ackingSink', () => {
  const messages = (log: string[], count: number) =>
    Array.from({ length: count }, (_, i) => ({ n: i, ack: () => log.push(`ack ${i}`) }))

  it('acks each message once its work finished, in order', async () => {
    const log: string[] = []
    await pipeline(
      Readable.from(messages(log, 3)),
      ackingSink(async (m: { n: number; ack(): void }) => {
        await new Promise((resolve) => setImmediate(resolve))
        log.push(`done ${m.n}`)
      }),
    )
    expect(log).to.deep.equal(['done 0', 'ack 0', 'done 1', 'ack 1', 'done 2', 'ack 2'])
  })

  it('fails the pipeline and leaves the message unacked when the work fails', async () => {
    const log: string[] = []
    const failure = new Error('disk full')
    const error = await pipeline(
      Readable.from(messages(log, 3)),
      ackingSink((m: { n: number; ack(): void }) => {
        if (m.n === 1) throw failure
      }),
    ).then(
      () => undefined,
      (err: unknown) => err,
    )
    expect(error).to.equal(failure)
    expect(log).to.deep.equal(['ack 0'])
  })
})
