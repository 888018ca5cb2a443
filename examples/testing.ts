import { startKafka } from 'kafka-pipe/testing'

// In a mocha root hook: a real broker for the whole run, without Docker.
export const mochaHooks = {
  async beforeAll(this: { cluster?: Awaited<ReturnType<typeof startKafka>> }) {
    this.cluster = await startKafka({ brokers: 1, partitions: 3 }) // or KAFKA_BROKERS=host:port
  },
  async afterAll(this: { cluster?: Awaited<ReturnType<typeof startKafka>> }) {
    await this.cluster?.stop()
  },
}
