import { expect } from 'chai'
import { OptionConflictError } from '../../lib/errors'
import { resolveReadableOptions, type KafkaReadableOptions } from '../../lib/readable/options'
import { PartitionSource } from '../../lib/readable/partition-source'
import { Progress } from '../../lib/readable/progress'
import { FakeConsumer, fakeKafka } from './fake-kafka'
import { sourceContext } from './source-context'

function source(options: KafkaReadableOptions, consumer = new FakeConsumer({})): { source: PartitionSource; progress: Progress } {
  const o = resolveReadableOptions(options)
  if (o.mode.kind !== 'partition') throw new Error('a partition reader was meant')
  const progress = new Progress()
  const context = sourceContext(fakeKafka(consumer), o, progress)
  return { source: new PartitionSource(context, o.mode), progress }
}

describe('PartitionSource', () => {
  it("starts at the partition's low watermark for 'earliest' and its high one for 'latest', before joining", async () => {
    const earliest = source({ topic: 't', partition: 1 })
    await earliest.source.connect()
    expect(earliest.progress.next('t', 1)).to.equal(0n)
    const latest = source({ topic: 't', partition: 1, offset: 'latest', until: 'latest' })
    await latest.source.connect()
    expect(latest.progress.next('t', 1)).to.equal(1000n)
    expect(latest.progress.end('t', 1)).to.equal(1000n)
  })

  it('seeks to where it is after every join, so that the throwaway group never decides the position', async () => {
    const consumer = new FakeConsumer({})
    const { source: partition, progress } = source({ topic: 't', offset: 42 }, consumer)
    await partition.connect()
    await partition.joined([{ topic: 't', partitions: [0] }])
    progress.advance('t', 0, 50n)
    await partition.joined([{ topic: 't', partitions: [0] }])
    expect(consumer.calls.filter((c) => c.startsWith('seek'))).to.deep.equal(['seek t 0 42', 'seek t 0 50'])
    expect(partition.offset()).to.equal('50')
  })

  it('tracks no acks and refuses commit(): a partition reader commits nothing', async () => {
    const { source: partition } = source({ topic: 't' })
    expect(partition.batchAcks()).to.equal(undefined)
    expect(partition.pendingAcks()).to.equal(0)
    const error = await partition.commit().then(
      () => undefined,
      (err: unknown) => err,
    )
    expect(error).to.be.instanceOf(OptionConflictError)
  })
})
