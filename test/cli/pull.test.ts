import { Readable } from 'node:stream'
import { expect } from 'chai'
import { pull } from '../../lib/cli/pull'

describe('pull', () => {
  it('yields every item until the stream ends', async () => {
    const seen: number[] = []
    for await (const n of pull<number>(Readable.from([1, 2, 3]), new AbortController().signal)) seen.push(n)
    expect(seen).to.deep.equal([1, 2, 3])
  })

  it('stops waiting on an abort without destroying the stream', async () => {
    const stream = new Readable({ objectMode: true, read() {} })
    stream.push('first')
    const stop = new AbortController()
    const seen: string[] = []
    const done = (async () => {
      for await (const item of pull<string>(stream, stop.signal)) {
        seen.push(item)
        stop.abort()
      }
    })()
    await done
    expect(seen).to.deep.equal(['first'])
    expect(stream.destroyed).to.equal(false)
    expect(stream.listenerCount('readable') + stream.listenerCount('end') + stream.listenerCount('close')).to.equal(0)
  })

  it('ends when the stream is destroyed while it waits', async () => {
    const stream = new Readable({ objectMode: true, read() {} })
    const done = (async () => {
      for await (const item of pull(stream, new AbortController().signal)) void item
    })()
    stream.destroy()
    await done
  })
})
