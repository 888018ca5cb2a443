import { expect } from 'chai'
import { AckWaiter } from '../../lib/readable/ack-waiter'

describe('AckWaiter', () => {
  it('resolves at once when nothing is pending', async () => {
    await new AckWaiter().wait(() => 0, 60_000)
  })

  it('resolves on the ack that leaves nothing pending', async () => {
    const waiter = new AckWaiter()
    let pending = 2
    let resolved = false
    const waiting = waiter.wait(() => pending, 60_000).then(() => (resolved = true))
    pending = 1
    waiter.acked()
    await Promise.resolve()
    expect(resolved).to.equal(false)
    pending = 0
    waiter.acked()
    await waiting
    expect(resolved).to.equal(true)
  })

  it('gives up after the timeout', async () => {
    await new AckWaiter().wait(() => 1, 1)
  })
})
