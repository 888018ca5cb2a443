import { expect } from 'chai'
import type { Kafka } from 'kafkajs'
import { kafkaClient, NO_KAFKAJS_RETRIES } from '../../lib/kafka/client-options'

/** The retry settings kafkajs keeps for its Cluster (a private symbol of kafkajs 2.2). */
function clusterRetry(kafka: Kafka): unknown {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:clusterRetry')
  return symbol && (kafka as unknown as Record<symbol, unknown>)[symbol]
}

describe('kafka/client-options', () => {
  it("switches kafkajs' own retrier off when the caller retries by itself (the writer), and leaves it alone otherwise", () => {
    expect(clusterRetry(kafkaClient({ brokers: ['x:1'] }, NO_KAFKAJS_RETRIES))).to.deep.equal({ retries: 0 })
    expect(clusterRetry(kafkaClient({ brokers: ['x:1'] }))).to.equal(undefined)
  })
})
