import { expect } from 'chai'
import { addSequence, ProducerSession } from '../../lib/writable/producer-session'

describe('writable/producer-session', () => {
  it("numbers each partition's batches from 0, a batch taking as many sequences as it has records", async () => {
    const session = new ProducerSession(async () => ({ producerId: 7n, producerEpoch: 0 }))
    await session.ensure()
    expect(session.take('a', 3)).to.equal(0)
    expect(session.take('a', 2)).to.equal(3)
    expect(session.take('b', 1)).to.equal(0)
    expect(session.take('a', 1)).to.equal(5)
  })

  it('wraps sequences from 2^31 - 1 to 0, as the broker does', () => {
    expect(addSequence(0x7fffffff - 2, 2)).to.equal(0x7fffffff)
    expect(addSequence(0x7fffffff - 2, 3)).to.equal(0)
    expect(addSequence(0x7fffffff, 5)).to.equal(4)
  })

  it('asks the broker once for ids however many batches wait for them', async () => {
    let calls = 0
    const session = new ProducerSession(async () => ({ producerId: BigInt(++calls), producerEpoch: 0 }))
    const ids = await Promise.all([session.ensure(), session.ensure(), session.ensure()])
    expect(calls).to.equal(1)
    expect(ids.map((i) => i.producerId)).to.deep.equal([1n, 1n, 1n])
  })

  it('gets a new id after a reset of the current one, restarting every sequence at 0; a reset of an old id does nothing', async () => {
    let calls = 0
    const session = new ProducerSession(async () => ({ producerId: BigInt(++calls), producerEpoch: 0 }))
    await session.ensure()
    session.take('a', 10)
    session.reset(99n)
    expect((await session.ensure()).producerId).to.equal(1n)
    session.reset(1n)
    expect((await session.ensure()).producerId).to.equal(2n)
    expect(session.take('a', 1)).to.equal(0)
  })

  it('takes back the sequence of the last batch only, so a failed batch leaves no gap', async () => {
    const session = new ProducerSession(async () => ({ producerId: 1n, producerEpoch: 0 }))
    await session.ensure()
    const first = session.take('a', 4)
    const second = session.take('a', 4)
    session.giveBack('a', first, 4)
    expect(session.take('a', 1), 'an older batch cannot give back').to.equal(8)
    session.giveBack('a', 8, 1)
    expect(session.take('a', 2)).to.equal(8)
    expect(second).to.equal(4)
  })

  it('lets a failed InitProducerId be asked again', async () => {
    let calls = 0
    const session = new ProducerSession(async () => {
      if (++calls === 1) throw new Error('COORDINATOR_LOAD_IN_PROGRESS')
      return { producerId: 3n, producerEpoch: 1 }
    })
    await session.ensure().then(
      () => expect.fail('the first call fails'),
      (err: Error) => expect(err.message).to.equal('COORDINATOR_LOAD_IN_PROGRESS'),
    )
    expect(await session.ensure()).to.deep.equal({ producerId: 3n, producerEpoch: 1 })
  })
})
