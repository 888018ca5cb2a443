import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect } from 'chai'
import { TestingError } from '../../../lib/errors'
import { startKafka, type KafkaCluster } from '../../../lib/testing'
import type { ContainerNode } from '../../../lib/testing/container-node'
import { createTopics, kafkaFor, uniqueName } from '../cluster'
import { engineOptions, testEngines } from '../engines'

const run = promisify(execFile)

/** Whether Docker knows a container or network with this id (`kind`: container or network). */
async function exists(kind: 'container' | 'network', id: string): Promise<boolean> {
  try {
    await run('docker', [kind, 'inspect', id])
    return true
  } catch {
    return false
  }
}

/** The id of the cluster's network a container is attached to (testcontainers attaches the default bridge too). */
async function networkOf(containerId: string): Promise<string> {
  const { stdout } = await run('docker', ['inspect', '--format', '{{json .NetworkSettings.Networks}}', containerId])
  const networks = JSON.parse(stdout) as Record<string, { NetworkID: string }>
  const [ours] = Object.entries(networks).filter(([name]) => name !== 'bridge')
  if (!ours) throw new Error(`container ${containerId} is on no network but the default bridge: ${stdout}`)
  return ours[1].NetworkID
}

/** Resolves once `check` holds, checking on a short interval; fails after `timeoutMs`. */
async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

// Only where the container engine is under test (npm run test:container): `npm test` needs no Docker.
if (testEngines().includes('container')) {
  describe('the container engine (integration)', function () {
    this.timeout(180_000)
    let cluster: KafkaCluster

    before(async () => {
      cluster = await startKafka({ ...(await engineOptions('container')), useEnvironment: false })
    })

    after(async () => cluster?.stop())

    it('a node killed and started again keeps its data', async () => {
      const topic = uniqueName('kept')
      await createTopics(cluster, [{ topic }])
      const producer = kafkaFor(cluster).producer()
      await producer.connect()
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}` })) })
      await producer.disconnect()

      await cluster.node(1).kill()
      expect(cluster.node(1).running).to.equal(false)
      await cluster.node(1).start()
      await cluster.waitForBrokers(1)
      const admin = kafkaFor(cluster).admin()
      await admin.connect()
      try {
        const offsets = await admin.fetchTopicOffsets(topic)
        expect(offsets.map((p) => p.high)).to.deep.equal(['10'])
      } finally {
        await admin.disconnect()
      }
    })

    it('stop() removes the containers and the network', async () => {
      const id = (cluster.node(1) as ContainerNode).containerId!
      const network = await networkOf(id)
      expect(await exists('network', network)).to.equal(true)
      await cluster.stop()
      expect(await exists('container', id)).to.equal(false)
      expect(await exists('network', network)).to.equal(false)
    })

    it('a node that exits while starting fails startKafka() with its exit code and its log', async () => {
      const err = await startKafka({
        ...(await engineOptions('container')),
        useEnvironment: false,
        serverProperties: { 'process.roles': 'teapot' },
      }).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err).to.be.instanceOf(TestingError).with.property('code', 'ERR_KAFKA_PIPE_TESTING')
      expect((err as Error).message).to.match(/broker 1 exited with code [1-9]\d* while starting/)
      expect((err as Error).message).to.contain('teapot')
    })

    it('leaves no container and no network behind when the process that started the cluster is killed', async () => {
      const { image } = await engineOptions('container')
      const script = `
        const { startKafka } = require(${JSON.stringify(join(__dirname, '../../../lib/testing'))})
        startKafka({ engine: 'container', image: ${JSON.stringify(image)}, useEnvironment: false }).then((c) => {
          process.stdout.write(JSON.stringify({ id: c.nodes[0].containerId }) + '\\n')
          setInterval(() => {}, 1000)
        }, (e) => { console.error(e); process.exit(1) })
      `
      const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
      const [line] = (await once(child.stdout!, 'data')) as [Buffer]
      const { id } = JSON.parse(line.toString()) as { id: string }
      const network = await networkOf(id)

      child.kill('SIGKILL')
      await once(child, 'exit')
      await eventually(async () => !(await exists('container', id)), 30_000, `container ${id} is removed`)
      await eventually(async () => !(await exists('network', network)), 30_000, `network ${network} is removed`)
    })
  })
}
