import { once } from 'node:events'
import { createServer, type Server, type Socket } from 'node:net'
import { expect } from 'chai'
import { logLevel } from 'kafkajs'
import { ConnectionError, KafkaPipeError, TopicError } from '../../../lib/errors'
import { KafkaReadable, type KafkaReadableOptions } from '../../../lib/readable'
import { clientOf, uniqueName, useSharedCluster } from '../cluster'

/** The error the reader is destroyed with, and how long it took from construction. */
async function failure(options: KafkaReadableOptions): Promise<{ error: Error; ms: number }> {
  const started = Date.now()
  const reader = new KafkaReadable(options)
  reader.resume()
  const [error] = (await once(reader, 'error')) as [Error]
  const ms = Date.now() - started
  if (!reader.closed) await once(reader, 'close')
  return { error, ms }
}

/** A TCP port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

const FAST = { connectionTimeout: 500, requestTimeout: 1000, logLevel: logLevel.NOTHING }
/**
 * connectionTimeout + requestTimeout (1.5 s) with room for a loaded CI machine, and still half of what kafkajs'
 * retrying would take with these settings (about 12 s: five retries from 300 ms doubling, each with its connect).
 */
const BOUND = 6000

describe('KafkaReadable typed errors (integration)', function () {
  this.timeout(60_000)

  describe('on the cluster', () => {
    const suite = useSharedCluster()

    it('fails a partition reader of a missing topic with a TopicError within connectionTimeout, not after kafkajs retries', async () => {
      const topic = uniqueName('missing')
      const { error, ms } = await failure({ ...clientOf(suite.cluster), topic })
      expect(error).to.be.instanceOf(TopicError)
      expect((error as TopicError).code).to.equal('ERR_KAFKA_PIPE_TOPIC')
      expect((error as TopicError).topic).to.equal(topic)
      expect(ms).to.be.below(BOUND)
    })

    it('fails a partition reader of a partition the topic lacks with a TopicError naming the option', async () => {
      const topic = await suite.topic({ partitions: 2, prefix: 'readable-two' })
      const { error } = await failure({ ...clientOf(suite.cluster), topic, partition: 5 })
      expect(error).to.be.instanceOf(TopicError)
      expect(error.message).to.contain('no partition 5').and.contain('"partition"')
    })
  })

  describe('without a broker', () => {
    let silent: Server | undefined
    const sockets: Socket[] = []
    after(async () => {
      for (const socket of sockets) socket.destroy()
      if (silent) await new Promise((resolve) => silent!.close(resolve))
    })

    for (const mode of ['group', 'partition'] as const) {
      const modeOptions = mode === 'group' ? { groupId: uniqueName('group'), topics: 't' } : { topic: 't' }

      it(`fails a ${mode} reader with a retriable ConnectionError within connectionTimeout + requestTimeout when nothing listens`, async () => {
        const { error, ms } = await failure({ brokers: [`127.0.0.1:${await closedPort()}`], ...FAST, ...modeOptions })
        expect(error).to.be.instanceOf(ConnectionError)
        expect((error as KafkaPipeError).code).to.equal('ERR_KAFKA_PIPE_CONNECTION')
        expect((error as KafkaPipeError).retriable).to.equal(true)
        expect(ms).to.be.below(BOUND)
      })

      it(`fails a ${mode} reader with a ConnectionError within connectionTimeout + requestTimeout when the broker never answers`, async () => {
        silent ??= createServer((socket) => void sockets.push(socket)).listen(0, '127.0.0.1')
        if (!silent.listening) await once(silent, 'listening')
        const { port } = silent.address() as { port: number }
        const { error, ms } = await failure({ brokers: [`127.0.0.1:${port}`], ...FAST, ...modeOptions })
        expect(error).to.be.instanceOf(ConnectionError)
        expect(error.message).to.contain(`127.0.0.1:${port}`)
        expect(ms).to.be.below(BOUND)
      })
    }
  })
})
