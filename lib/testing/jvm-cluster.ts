import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { TestingError } from '../errors'
import { BrokerNode } from './broker-node'
import { checkJava, javaCommand, kafkaJars } from './jars'
import { newClusterId, nodeById, type KafkaCluster } from './kafka-cluster'
import type { ResolvedStartKafkaOptions } from './options'
import { freePorts } from './ports'
import { scramFormatArguments } from './security-properties'
import { secure } from './security-setup'
import { LOG4J2_PROPERTIES, serverProperties, type ClusterSettings, type NodeLayout } from './server-properties'
import { waitForBrokers } from './wait-for-brokers'
import { Watchdog } from './watchdog'

const run = promisify(execFile)

/**
 * The jvm engine: a KRaft cluster of local JVMs on loopback (fetching the jars with Maven the first time),
 * resolved once it answers metadata requests.
 */
export async function startJvmCluster(o: ResolvedStartKafkaOptions): Promise<KafkaCluster> {
  await checkJava()
  const libs = await kafkaJars(o.version, o.cacheDir)
  const dataDir = await mkdtemp(join(tmpdir(), 'kafka-pipe-'))
  const watchdog = new Watchdog(dataDir)
  // Per node: plaintext and controller ports, then (with security) SSL, SASL_PLAINTEXT, SASL_SSL and mutual TLS.
  const stride = o.security ? 6 : 2
  const ports = await freePorts(o.brokers * stride)
  const layouts: NodeLayout[] = Array.from({ length: o.brokers }, (_, i) => ({
    nodeId: i + 1,
    port: ports[stride * i]!,
    controllerPort: ports[stride * i + 1]!,
    dataDir: join(dataDir, `node-${i + 1}`, 'data'),
    ...(o.security
      ? { secure: { ssl: ports[stride * i + 2]!, saslPlaintext: ports[stride * i + 3]!, saslSsl: ports[stride * i + 4]!, mutualTls: ports[stride * i + 5]! } }
      : {}),
  }))
  const settings: ClusterSettings = { nodes: layouts, partitions: o.partitions, autoCreateTopics: o.autoCreateTopics, extra: o.serverProperties }
  const secured = o.security ? await secure(o.security, dataDir, layouts) : undefined
  if (secured) settings.security = secured.settings
  const formatArguments = secured ? scramFormatArguments(secured.settings.users) : []
  const log4jFile = join(dataDir, 'log4j2.properties')
  await writeFile(log4jFile, LOG4J2_PROPERTIES)

  const clusterId = newClusterId()
  const nodes = await Promise.all(
    layouts.map(async (layout) => {
      const home = join(dataDir, `node-${layout.nodeId}`)
      await mkdir(home, { recursive: true })
      const configFile = join(home, 'server.properties')
      await writeFile(configFile, serverProperties(layout, settings))
      await formatStorage(libs, configFile, clusterId, formatArguments)
      return new BrokerNode(layout, { libs, configFile, log4jFile, logFile: join(home, 'server.log'), jvmOptions: o.jvmOptions }, watchdog)
    }),
  )

  let stopped: Promise<void> | undefined
  const cluster: KafkaCluster = {
    brokers: nodes.map((n) => n.address),
    external: false,
    nodes,
    dataDir,
    security: secured?.security,
    stop() {
      stopped ??= (async () => {
        // The data is removed next, so a controlled shutdown would only cost time (seconds per node in a quorum).
        await Promise.all(nodes.map((n) => n.kill()))
        await rm(dataDir, { recursive: true, force: true })
        watchdog.release()
      })()
      return stopped
    },
    node: (nodeId) => nodeById(nodes, nodeId),
    waitForBrokers: (count, timeoutMs = o.startTimeout) => waitForBrokers(cluster, count, timeoutMs),
  }

  try {
    await Promise.all(nodes.map((node) => node.start()))
    await waitForBrokers(cluster, nodes.length, o.startTimeout)
  } catch (err) {
    const logs = await Promise.all(nodes.map(async (n) => `--- ${n.logFile}\n${await n.logTail()}`))
    await cluster.stop()
    throw new TestingError(`${err instanceof Error ? err.message : String(err)}\n${logs.join('\n')}`, err)
  }
  return cluster
}

async function formatStorage(libs: string, configFile: string, clusterId: string, extra: readonly string[]): Promise<void> {
  try {
    await run(javaCommand(), ['-cp', join(libs, '*'), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', configFile, ...extra])
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string }
    throw new TestingError(`formatting the KRaft storage failed: ${(e.stderr ?? '') + (e.stdout ?? '')}`.trim(), err)
  }
}

