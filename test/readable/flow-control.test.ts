import { expect } from 'chai'
import { FlowControl } from '../../lib/readable/flow-control'

describe('FlowControl', () => {
  it('lets messages in while the buffer is under highWaterMark and the byte budget', () => {
    const flow = new FlowControl(3, 1000)
    expect(flow.canPush(0)).to.equal(true)
    flow.pushed(100, 0, 1)
    flow.pushed(100, 1, 2)
    expect(flow.canPush(2)).to.equal(true)
    flow.pushed(100, 2, 3)
    expect(flow.canPush(3)).to.equal(false)
    expect(flow.bufferedBytes(3)).to.equal(300)
  })

  it('counts the bytes of the messages still buffered: the last readableLength pushed', () => {
    const flow = new FlowControl(100, 250)
    flow.pushed(100, 0, 1)
    flow.pushed(200, 1, 2)
    expect(flow.canPush(2)).to.equal(false)
    // the reader took the first message: 200 bytes left
    expect(flow.bufferedBytes(1)).to.equal(200)
    expect(flow.canPush(1)).to.equal(true)
    flow.pushed(10, 1, 2)
    expect(flow.bufferedBytes(2)).to.equal(210)
    expect(flow.bufferedBytes(0)).to.equal(0)
  })

  it("does not count a message Node handed straight to a 'data' listener", () => {
    const flow = new FlowControl(10, 100)
    flow.pushed(500, 0, 0)
    expect(flow.bufferedBytes(0)).to.equal(0)
    expect(flow.canPush(0)).to.equal(true)
  })

  it('always lets one message into an empty buffer, however large', () => {
    const flow = new FlowControl(10, 100)
    expect(flow.canPush(0)).to.equal(true)
    flow.pushed(5000, 0, 1)
    expect(flow.canPush(1)).to.equal(false)
  })

  it('keeps an exact count over many pushes and reads', () => {
    const flow = new FlowControl(1_000_000, Number.MAX_SAFE_INTEGER)
    let length = 0
    const buffered: number[] = []
    for (let i = 0; i < 10_000; i++) {
      flow.pushed(i, length, length + 1)
      buffered.push(i)
      length++
      if (i % 3 === 0) {
        buffered.splice(0, 2)
        length = buffered.length
      }
    }
    expect(flow.bufferedBytes(length)).to.equal(buffered.reduce((a, b) => a + b, 0))
  })

  it('wakes waiters on release, and lets them time out otherwise', async () => {
    const flow = new FlowControl(1, 1)
    const woken = flow.wait(60_000)
    flow.release()
    expect(await woken).to.equal(true)
    expect(await flow.wait(1)).to.equal(false)
    flow.release() // a timed-out waiter is gone: nothing to wake
  })
})
