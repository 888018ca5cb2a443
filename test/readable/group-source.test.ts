import { expect } from 'chai'
import { BrokerError, CommitError, OptionConflictError, TransactionError } from '../../lib/errors'
import { GroupSource } from '../../lib/readable/group-source'
import { resolveReadableOptions } from '../../lib/readable/options'
import { Progress } from '../../lib/readable/progress'
import { FakeConsumer, fakeKafka } from './fake-kafka'
import { sourceContext } from './source-context'
import { sourcePositionOf } from '../../lib/source-position'

type FetchOffsets = (request: { topics: string[] }) => Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>

function source(fetchOffsets: FetchOffsets, consumer = new FakeConsumer({})): { source: GroupSource; progress: Progress } {
  const o = resolveReadableOptions({ groupId: 'g', topics: 't', fromBeginning: true, commitInterval: 60_000 })
  if (o.mode.kind !== 'group') throw new Error('a group reader was meant')
  const progress = new Progress()
  const context = sourceContext(fakeKafka(consumer, { fetchOffsets }), o, progress)
  return { source: new GroupSource(context, o.mode), progress }
}

/** What kafkajs throws while a coordinator moves (retriable), or for a group the client may not use (not retriable). */
function kafkajsError(type: string, code: number, retriable: boolean): Error {
  return Object.assign(new Error(type), { name: 'KafkaJSProtocolError', type, code, retriable })
}

const ASSIGNMENT = [{ topic: 't', partitions: [0, 1] }]

describe('GroupSource', () => {
  it("resumes each assigned partition at the group's committed offset, or per fromBeginning where none is", async () => {
    const { source: group, progress } = source(async ({ topics }) =>
      topics.map((topic) => ({ topic, partitions: [{ partition: 0, offset: '7' }, { partition: 1, offset: '-1' }] })),
    )
    await group.joined(ASSIGNMENT, 1)
    expect(progress.next('t', 0)).to.equal(7n)
    expect(progress.next('t', 1)).to.equal(0n)
  })

  it('looks the committed offsets up again after a retriable failure (a coordinator moving), instead of failing the stream', async () => {
    let calls = 0
    const { source: group, progress } = source(async ({ topics }) => {
      if (++calls < 3) throw kafkajsError('NOT_COORDINATOR', 16, true)
      return topics.map((topic) => ({ topic, partitions: [{ partition: 0, offset: '3' }] }))
    })
    await group.joined(ASSIGNMENT, 1)
    expect(calls).to.equal(3)
    expect(progress.next('t', 0)).to.equal(3n)
  })

  it('gives a lookup up once a newer join superseded it', async () => {
    let calls = 0
    const { source: group, progress } = source(async () => {
      calls++
      throw kafkajsError('NOT_COORDINATOR', 16, true)
    })
    const first = group.joined(ASSIGNMENT, 1)
    while (calls === 0) await new Promise((resolve) => setImmediate(resolve))
    const newer = group.joined([], 2) // no partitions: nothing to look up
    await newer
    await first
    expect(progress.next('t', 0)).to.equal(undefined)
  })

  it('fails with a typed BrokerError when the group may not be read (GROUP_AUTHORIZATION_FAILED)', async () => {
    const { source: group } = source(async () => {
      throw kafkajsError('GROUP_AUTHORIZATION_FAILED', 30, false)
    })
    const error = await group.joined(ASSIGNMENT, 1).then(
      () => undefined,
      (err: unknown) => err,
    )
    expect(error).to.be.instanceOf(BrokerError)
    expect(error).to.include({ code: 'ERR_KAFKA_PIPE_BROKER', kafkaError: 'GROUP_AUTHORIZATION_FAILED', retriable: false })
  })

  it('has no single offset: offset() is a clear error', () => {
    const { source: group } = source(async () => [])
    expect(() => group.offset()).to.throw(OptionConflictError, /partition reader/)
  })

  describe('final commit', () => {
    /** A joined group source with messages 0..2 of t[0] read and acked, whose commits fail with `error`. */
    async function ackedThenFailing(error: Error): Promise<GroupSource> {
      const consumer = new FakeConsumer({})
      const { source: group } = source(async ({ topics }) => topics.map((topic) => ({ topic, partitions: [{ partition: 0, offset: '0' }] })), consumer)
      await group.joined(ASSIGNMENT, 1)
      const acks = group.batchAcks('t', 0, 1, [{ offset: '0' }, { offset: '1' }, { offset: '2' }] as never)
      for (const i of [0, 1, 2]) acks.ackAt(i)()
      consumer.commitError = error
      return group
    }

    const exhausted = () =>
      Object.assign(new Error('This is not the correct coordinator for this group'), {
        name: 'KafkaJSNumberOfRetriesExceeded',
        retriable: false,
        cause: kafkajsError('NOT_COORDINATOR_FOR_GROUP', 16, true),
      })

    it('stops cleanly when destroyed while the coordinator moves: the acked offsets are read again, as at-least-once allows', async () => {
      const group = await ackedThenFailing(exhausted())
      expect(await group.finalCommit(null, false)).to.equal(null)
    })

    it('reports a CommitError when a batch job ended (until) and its last commit failed, retriable or not', async () => {
      const ended = await ackedThenFailing(exhausted())
      expect(await ended.finalCommit(null, true)).to.be.instanceOf(CommitError).and.include({ retriable: false })
      const refused = await ackedThenFailing(kafkajsError('GROUP_AUTHORIZATION_FAILED', 30, false))
      expect(await refused.finalCommit(null, false)).to.be.instanceOf(CommitError)
    })
  })

  it("with transactionalId: acks nothing itself; each message carries its position, the generation it was read under and the stream's", async () => {
    const o = resolveReadableOptions({ groupId: 'g', topics: 't', fromBeginning: true, transactionalId: 'tx' })
    if (o.mode.kind !== 'group') throw new Error('a group reader was meant')
    let generation = 1
    const context = { ...sourceContext(fakeKafka(new FakeConsumer({}), { fetchOffsets: async () => [] }), o, new Progress()), generation: () => generation }
    const group = new GroupSource(context, o.mode)
    await group.joined(ASSIGNMENT, 1)
    const ack = group.batchAcks('t', 0, 1, [{ offset: '5' } as never]).ackAt(0)
    const position = sourcePositionOf(ack)!
    expect(position).to.include({ transactionalId: 'tx', groupId: 'g', topic: 't', partition: 0, offset: '5', generation: 1 })
    expect(() => ack()).to.throw(TransactionError)
    expect(group.pendingAcks()).to.equal(0)
    // A rejoin or a rewind of the stream.
    generation = 2
    expect(position.currentGeneration()).to.equal(2)
  })
})
