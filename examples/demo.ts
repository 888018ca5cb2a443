/*
 * The demo job (npm run demo): starts a local Apache Kafka broker (or uses KAFKA_BROKERS), ships 100,000 log
 * events through a Transform into Kafka with a KafkaWritable, checks the broker stored every one, then reads them
 * back with a KafkaReadable in a consumer group that commits only what its sink processed, and the same topic once
 * more through the command line in a shell pipeline (`kafka-pipe consume ... | grep -c`), and ends by itself.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Kafka, logLevel } from 'kafkajs'
import { KafkaReadable, KafkaWritable, ackingSink, type ConsumedMessage, type DeliveryReport, type Message } from 'kafka-pipe'
import { startKafka } from 'kafka-pipe/testing'

const EVENTS = 100_000

async function main(): Promise<void> {
  console.log('starting Kafka (the first run fetches the broker from Maven Central)...')
  const cluster = await startKafka()
  try {
    console.log(`Kafka is up at ${cluster.brokers.join(',')}`)
    const kafka = new Kafka({ clientId: 'demo', brokers: cluster.brokers, logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await admin.connect()
    const topic = `demo-logs-${Date.now()}`
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true })

    const services = ['api', 'billing', 'search', 'auth', 'mail', 'cart', 'web', 'jobs']
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < EVENTS; i++) {
          yield { service: services[i % services.length], level: i % 50 === 0 ? 'error' : 'info', seq: i, at: Date.now() }
        }
      })(),
    )
    // Key by service, so each service's lines stay in order on one partition.
    const toMessage = new Transform({
      objectMode: true,
      transform(event: { service: string }, _encoding, callback) {
        callback(null, { key: event.service, value: event } satisfies Message)
      },
    })
    const writer = new KafkaWritable({ kafka, topic })
    let delivered = 0
    writer.on('delivery', (report: DeliveryReport) => (delivered += report.count))

    const started = Date.now()
    await pipeline(source, toMessage, writer)
    const seconds = (Date.now() - started) / 1000
    console.log(`pipeline finished: ${delivered} events acknowledged in ${seconds.toFixed(2)} s (${Math.round(delivered / seconds)} events/s)`)

    const offsets = await admin.fetchTopicOffsets(topic)
    const stored = offsets.reduce((sum, p) => sum + Number(p.high), 0)
    console.log(`the broker holds ${stored} events in ${offsets.length} partitions: ${offsets.map((p) => `${p.partition}:${p.high}`).join(' ')}`)
    if (stored !== EVENTS) throw new Error(`expected ${EVENTS} stored events, found ${stored}`)

    // Read it all back: count errors per service; each event is acked (and so committed) once counted.
    const groupId = `demo-report-${Date.now()}`
    const reader = new KafkaReadable<{ service: string; level: string }, string>({
      kafka,
      groupId,
      topics: topic,
      fromBeginning: true,
      until: 'latest',
      keyDeserializer: 'string',
      valueDeserializer: 'json',
    })
    const errors = new Map<string, number>()
    let read = 0
    const readStarted = Date.now()
    await pipeline(
      reader,
      ackingSink((msg: ConsumedMessage<{ service: string; level: string }, string>) => {
        read++
        if (msg.value.level === 'error') errors.set(msg.key, (errors.get(msg.key) ?? 0) + 1)
      }),
    )
    const readSeconds = (Date.now() - readStarted) / 1000
    console.log(`read back ${read} events in ${readSeconds.toFixed(2)} s; errors per service: ${[...errors].map(([k, n]) => `${k}=${n}`).join(' ')}`)
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] })
    const committedTotal = (committed?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)
    console.log(`the group committed ${committedTotal} of ${stored} offsets`)
    if (read !== EVENTS || committedTotal !== EVENTS) throw new Error(`expected ${EVENTS} events read and committed`)

    // The command line in a shell pipeline: count the error events of the topic with grep.
    const cli = `${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(join(__dirname, '..', 'bin', 'kafka-pipe.ts'))}`
    const command = `consume --topic ${topic} --group demo-cli-${Date.now()} --until latest --value-only | grep -c '"level":"error"'`
    console.log(`$ kafka-pipe ${command}`)
    const shell = spawnSync('bash', ['-o', 'pipefail', '-c', `${cli} ${command}`], { env: { ...process.env, KAFKA_BROKERS: cluster.brokers.join(',') }, encoding: 'utf8' })
    const errorCount = [...errors.values()].reduce((sum, n) => sum + n, 0)
    console.log(shell.stdout.trim())
    if (shell.status !== 0 || Number(shell.stdout) !== errorCount) throw new Error(`the pipeline counted ${shell.stdout.trim()} errors (exit ${shell.status}), expected ${errorCount}: ${shell.stderr}`)
    await admin.deleteTopics({ topics: [topic] })
    await admin.disconnect()
    console.log('demo ok')
  } finally {
    await cluster.stop()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
