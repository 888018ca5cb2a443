import { expect } from 'chai'
import { DeadlineQueue } from '../../lib/writable/deadline-queue'
import { PendingBatch } from '../../lib/writable/pending-batch'

const batch = { topic: 't', partition: 0, records: [] }

describe('writable/pending-batch', () => {
  it('is expired by its deadline queue when no answer came in time', async () => {
    const expired = await new Promise<PendingBatch>((resolve) => {
      const deadlines = new DeadlineQueue<PendingBatch>(20, resolve)
      new PendingBatch(batch, 't/0', deadlines, () => {}, () => {})
    })
    expect(expired.settled).to.equal(false)
  })

  it('settles once: the first answer wins, later ones and its deadline do nothing', async () => {
    const answers: unknown[] = []
    let expired = false
    const deadlines = new DeadlineQueue<PendingBatch>(20, () => (expired = true))
    const p = new PendingBatch(batch, 't/0', deadlines, (o) => answers.push(o), (e: Error) => answers.push(e))
    p.resolve('5')
    p.reject(new Error('late'))
    p.resolve('6')
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(answers).to.deep.equal(['5'])
    expect(p.settled).to.equal(true)
    expect(expired).to.equal(false)
  })

  it('drops a scheduled retry when it is settled meanwhile', async () => {
    let retried = false
    const p = new PendingBatch(batch, 't/0', new DeadlineQueue<PendingBatch>(1000, () => {}), () => {}, () => {})
    p.retryAfter(10, () => (retried = true))
    p.reject(new Error('gave up'))
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(retried).to.equal(false)
  })
})
