import { expect } from 'chai'
import type { ClusterLink, PartitionLeader } from '../../lib/kafka/kafkajs-internals'
import { TimeoutError } from '../../lib/errors'
import type { RetryPolicy } from '../../lib/kafka/retry'
import { TopicMetadata } from '../../lib/kafka/topic-metadata'

/** A ClusterLink stand-in: the partitions it "fetches", and how often it was asked. */
function fakeLink(topics: Record<string, PartitionLeader[]>): ClusterLink & { refreshes: number } {
  const link = {
    refreshes: 0,
    async refresh() {
      link.refreshes++
    },
    partitions: (topic: string) => topics[topic] ?? [],
  }
  return link as unknown as ClusterLink & { refreshes: number }
}

describe('kafka/topic-metadata', () => {
  const t = [
    { partitionId: 1, leader: 2 },
    { partitionId: 0, leader: 1 },
  ]

  it('knows nothing of a topic before load(), then its sorted partitions and their leaders', async () => {
    const metadata = new TopicMetadata(fakeLink({ t }), { allowAutoTopicCreation: false, maxAge: 60_000 })
    expect(metadata.cached('t')).to.equal(undefined)
    await metadata.load(['t'])
    expect(metadata.cached('t')).to.deep.equal([0, 1])
    expect(metadata.leader('t', 1)).to.equal(2)
    expect(metadata.leader('t', 7)).to.equal(undefined)
  })

  it('serves partitions older than maxAge while it refreshes them in the background (maxAge 0 included)', async () => {
    const link = fakeLink({ t })
    const metadata = new TopicMetadata(link, { allowAutoTopicCreation: false, maxAge: 0 })
    await metadata.load(['t'])
    const before = link.refreshes
    expect(metadata.cached('t', Date.now() + 1)).to.deep.equal([0, 1])
    expect(link.refreshes).to.equal(before + 1)
  })

  it('fails load() of a topic the cluster does not have with a TopicError naming allowAutoTopicCreation', async () => {
    const metadata = new TopicMetadata(fakeLink({}), { allowAutoTopicCreation: false, maxAge: 60_000 })
    const err = await metadata.load(['nope']).then(() => undefined, (e: Error & { code: string }) => e)
    expect(err?.code).to.equal('ERR_KAFKA_PIPE_TOPIC')
    expect(err?.message).to.contain('"nope"').and.contain('allowAutoTopicCreation')
  })

  describe('with a retry policy (the writer: kafkajs retries nothing itself)', () => {
    const retry: RetryPolicy = { backoff: 5, maxBackoff: 10, maxAttempts: Infinity, timeout: 200, timeoutOption: 'deliveryTimeout' }
    const refused = () => Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSConnectionError', retriable: true })

    it('asks again while the broker it asks is down, until it answers', async () => {
      const link = fakeLink({ t })
      const answer = link.refresh
      let failures = 3
      link.refresh = async () => {
        if (failures-- > 0) throw refused()
        return answer()
      }
      const metadata = new TopicMetadata(link, { allowAutoTopicCreation: false, maxAge: 60_000, retry })
      await metadata.load(['t'])
      expect(metadata.cached('t')).to.deep.equal([0, 1])
    })

    it('fails load() with a TimeoutError once the policy\'s time is up', async () => {
      const link = fakeLink({ t })
      link.refresh = async () => {
        throw refused()
      }
      const metadata = new TopicMetadata(link, { allowAutoTopicCreation: false, maxAge: 60_000, retry })
      const err = await metadata.load(['t']).then(() => undefined, (e: unknown) => e)
      expect(err).to.be.instanceOf(TimeoutError)
      expect((err as Error).message).to.contain('fetching the metadata of topic "t"')
    })

    it('still says at once that a topic does not exist, also when kafkajs\' retrier wrapped the answer', async () => {
      const link = fakeLink({})
      const unknown = Object.assign(new Error('This server does not host this topic-partition'), { type: 'UNKNOWN_TOPIC_OR_PARTITION', retriable: true })
      link.refresh = async () => {
        throw Object.assign(new Error(unknown.message), { name: 'KafkaJSNumberOfRetriesExceeded', retriable: false, originalError: unknown })
      }
      const metadata = new TopicMetadata(link, { allowAutoTopicCreation: false, maxAge: 60_000, retry })
      const err = await metadata.load(['nope']).then(() => undefined, (e: Error & { code: string }) => e)
      expect(err?.code).to.equal('ERR_KAFKA_PIPE_TOPIC')
    })
  })
})
