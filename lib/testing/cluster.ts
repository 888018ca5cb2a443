import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Kafka, logLevel } from '../kafka/kafkajs'
import { TestingError } from '../errors'
import { BrokerNode } from './broker-node'
import type { ClusterSecurity } from './cluster-security'
import { checkJava, javaCommand, kafkaJars } from './jars'
import { brokersFromEnvironment, resolveStartKafkaOptions, type StartKafkaOptions } from './options'
import { freePorts } from './ports'
import { scramFormatArguments } from './security-properties'
import { secure } from './security-setup'
import { LOG4J2_PROPERTIES, serverProperties, type ClusterSettings, type NodeLayout } from './server-properties'
import { Watchdog } from './watchdog'

const run = promisify(execFile)

/** A running Kafka cluster: ours (started here) or an existing one named by KAFKA_BROKERS. */
export interface KafkaCluster {
  /** Bootstrap addresses, `host:port`. */
  readonly brokers: string[]
  /** True when the cluster came from KAFKA_BROKERS: it is not ours to stop, and its nodes cannot be controlled. */
  readonly external: boolean
  /** The nodes this process runs (empty for an external cluster). */
  readonly nodes: readonly BrokerNode[]
  /** The folder holding every node's data, configuration and log (undefined for an external cluster). */
  readonly dataDir: string | undefined
  /**
   * With the option `security`: client settings for the TLS and SASL listeners, the users, and allow() for ACLs.
   * Undefined otherwise, and for an external cluster.
   */
  readonly security: ClusterSecurity | undefined
  /** Ends every JVM and removes the data. Safe to call more than once. */
  stop(): Promise<void>
  /** The node with this `node.id` (1-based), for fault tests: `stop()`, `kill()`, `start()`, `restart()`. */
  node(nodeId: number): BrokerNode
  /** Resolves once `count` brokers are registered and answer metadata requests. */
  waitForBrokers(count: number, timeoutMs?: number): Promise<void>
}

/**
 * Starts a real Apache Kafka cluster in KRaft mode on loopback (fetching its jars with Maven the first time)
 * and resolves once it answers metadata requests. With KAFKA_BROKERS set, resolves with that cluster instead.
 */
export async function startKafka(options: StartKafkaOptions = {}): Promise<KafkaCluster> {
  const o = resolveStartKafkaOptions(options)
  const fromEnvironment = o.useEnvironment ? brokersFromEnvironment() : undefined
  if (fromEnvironment && o.security) {
    throw new TestingError(
      'startKafka({ security }) makes its own listeners, certificates and users, which KAFKA_BROKERS cannot describe: ' +
        'pass useEnvironment: false to start a secured broker even where KAFKA_BROKERS is set',
    )
  }
  if (fromEnvironment) return externalCluster(fromEnvironment)

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
    node(nodeId) {
      const node = nodes.find((n) => n.nodeId === nodeId)
      if (!node) throw new TestingError(`there is no node ${nodeId}; node ids are 1 to ${nodes.length}`)
      return node
    },
    waitForBrokers: (count, timeoutMs = o.startTimeout) => waitForBrokers(cluster, count, timeoutMs),
  }

  try {
    for (const node of nodes) node.start()
    await waitForBrokers(cluster, nodes.length, o.startTimeout)
  } catch (err) {
    const logs = await Promise.all(nodes.map(async (n) => `--- ${n.logFile}\n${await n.logTail()}`))
    await cluster.stop()
    throw new TestingError(`${err instanceof Error ? err.message : String(err)}\n${logs.join('\n')}`, err)
  }
  return cluster
}

function externalCluster(brokers: string[]): KafkaCluster {
  const cluster: KafkaCluster = {
    brokers,
    external: true,
    nodes: [],
    dataDir: undefined,
    security: undefined,
    stop: async () => {},
    node() {
      throw new TestingError('the cluster comes from KAFKA_BROKERS: its nodes cannot be stopped or restarted from here')
    },
    waitForBrokers: (count, timeoutMs = 60_000) => waitForBrokers(cluster, count, timeoutMs),
  }
  return cluster
}

/** Kafka's cluster ids are 16 random bytes in URL-safe base64; one starting with '-' would read as a flag. */
function newClusterId(): string {
  let id: string
  do id = randomBytes(16).toString('base64url')
  while (id.startsWith('-'))
  return id
}

async function formatStorage(libs: string, configFile: string, clusterId: string, extra: readonly string[]): Promise<void> {
  try {
    await run(javaCommand(), ['-cp', join(libs, '*'), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', configFile, ...extra])
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string }
    throw new TestingError(`formatting the KRaft storage failed: ${(e.stderr ?? '') + (e.stdout ?? '')}`.trim(), err)
  }
}

async function waitForBrokers(cluster: KafkaCluster, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  const nodeExit = Promise.race(
    cluster.nodes.filter((n) => n.running).map(async (n) => {
      const code = await n.exited()
      return `broker ${n.nodeId} exited with code ${code} while starting`
    }),
  )
  let exitMessage: string | undefined
  void nodeExit.then((message) => (exitMessage = message))
  while (Date.now() < deadline) {
    if (exitMessage) throw new TestingError(exitMessage)
    const admin = new Kafka({
      clientId: 'kafka-pipe-testing',
      brokers: cluster.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      retry: { retries: 0 },
    }).admin()
    try {
      await admin.connect()
      const { brokers } = await admin.describeCluster()
      if (brokers.length >= count) return
      lastError = new Error(`${brokers.length} of ${count} brokers registered`)
    } catch (err) {
      lastError = err
    } finally {
      await admin.disconnect().catch(() => {})
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new TestingError(
    `the cluster did not answer metadata requests with ${count} broker(s) within ${timeoutMs} ms` +
      (lastError instanceof Error ? ` (last error: ${lastError.message})` : ''),
    lastError,
  )
}
