import { expect } from 'chai'
import { EndHold } from '../../lib/readable/end-hold'

describe('EndHold', () => {
  it('holds, heartbeating, until released, and then returns at once', async () => {
    const hold = new EndHold()
    let heartbeats = 0
    let returned = false
    const holding = hold.hold(async () => void heartbeats++, 1).then(() => (returned = true))
    while (heartbeats < 3) await new Promise((resolve) => setTimeout(resolve, 1))
    expect(returned).to.equal(false)
    const before = heartbeats
    hold.release()
    await holding
    expect(heartbeats, 'no heartbeat after the release').to.equal(before)
  })

  it('does not hold once released', async () => {
    const hold = new EndHold()
    hold.release()
    await hold.hold(() => Promise.reject(new Error('no heartbeat expected')), 60_000)
  })

  it('passes on a failed heartbeat (a rebalance), so that kafkajs rejoins', async () => {
    const rebalance = new Error('The group is rebalancing')
    const error = await new EndHold().hold(() => Promise.reject(rebalance), 1).catch((err: unknown) => err)
    expect(error).to.equal(rebalance)
  })
})
