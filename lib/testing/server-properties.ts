import { securityProperties, type SecurePorts, type SecuritySettings } from './security-properties'

export type PropertyValue = string | number | boolean

export interface NodeLayout {
  nodeId: number
  port: number
  controllerPort: number
  dataDir: string
  /** Ports of the SSL, SASL and mutual-TLS listeners; only with `security`. */
  secure?: SecurePorts
}

export interface ClusterSettings {
  nodes: readonly NodeLayout[]
  partitions: number
  autoCreateTopics: boolean
  extra: Readonly<Record<string, PropertyValue>>
  /** TLS, SASL and ACL settings; undefined: the plaintext listener only. */
  security?: SecuritySettings
  /**
   * Where the nodes run. 'loopback' (default): JVMs on this machine. 'containers': one container per node, named
   * {@link containerHost} on a container network; clients still reach each node at 127.0.0.1:port (published).
   */
  network?: 'loopback' | 'containers'
}

/** The container port of the listener brokers and controllers use among themselves on the container network. */
export const CONTAINER_BROKER_PORT = 9092
/** The container port of the controller listener on the container network. */
export const CONTAINER_CONTROLLER_PORT = 9093

/** A node's name on the container network. */
export function containerHost(nodeId: number): string {
  return `kafka-${nodeId}`
}

/** The server.properties of one combined broker+controller node of a KRaft cluster on loopback. */
export function serverProperties(node: NodeLayout, cluster: ClusterSettings): string {
  const size = cluster.nodes.length
  const replication = Math.min(size, 3)
  const inContainers = cluster.network === 'containers'
  const plain = inContainers ? containerListeners(node) : plainListeners(node)
  const voters = inContainers
    ? cluster.nodes.map((n) => `${n.nodeId}@${containerHost(n.nodeId)}:${CONTAINER_CONTROLLER_PORT}`)
    : cluster.nodes.map((n) => `${n.nodeId}@127.0.0.1:${n.controllerPort}`)
  const properties: Record<string, PropertyValue> = {
    'process.roles': 'broker,controller',
    'node.id': node.nodeId,
    'controller.quorum.voters': voters.join(','),
    listeners: plain.listeners,
    'advertised.listeners': plain.advertised,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': inContainers ? 'BROKER' : 'PLAINTEXT',
    'listener.security.protocol.map': plain.protocolMap,
    'log.dirs': node.dataDir,
    'num.partitions': cluster.partitions,
    'auto.create.topics.enable': cluster.autoCreateTopics,
    'default.replication.factor': 1,
    'offsets.topic.replication.factor': replication,
    // A handful of partitions instead of 50 keeps the first consumer group on a fresh cluster fast.
    'offsets.topic.num.partitions': 5,
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': replication,
    'share.coordinator.state.topic.min.isr': 1,
    // Tests join groups all the time; Kafka's 3 s wait for more members would dominate their run time.
    'group.initial.rebalance.delay.ms': 0,
    'delete.topic.enable': true,
    ...(cluster.security && node.secure ? securityProperties('127.0.0.1', node.secure, plain, cluster.security) : {}),
    ...cluster.extra,
  }
  return Object.entries(properties)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join('\n')
    .concat('\n')
}

/** The plaintext listener clients use and the controller listener; brokers and controllers talk over these. */
function plainListeners(node: NodeLayout): { listeners: string; advertised: string; protocolMap: string } {
  return {
    listeners: `PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    advertised: `PLAINTEXT://127.0.0.1:${node.port}`,
    protocolMap: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
  }
}

/**
 * In a container: clients on the host reach PLAINTEXT on the published port (the same number inside and outside, so
 * the advertised 127.0.0.1:port works from the host); the nodes reach each other by name on the container network.
 */
function containerListeners(node: NodeLayout): { listeners: string; advertised: string; protocolMap: string } {
  return {
    listeners: `PLAINTEXT://0.0.0.0:${node.port},BROKER://0.0.0.0:${CONTAINER_BROKER_PORT},CONTROLLER://0.0.0.0:${CONTAINER_CONTROLLER_PORT}`,
    advertised: `PLAINTEXT://127.0.0.1:${node.port},BROKER://${containerHost(node.nodeId)}:${CONTAINER_BROKER_PORT}`,
    protocolMap: 'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
  }
}

/** Log4j 2 configuration: everything at INFO to stdout, which the node sends to its log file. */
export const LOG4J2_PROPERTIES = `status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.controller.name = org.apache.kafka.controller
logger.controller.level = INFO
logger.state.name = state.change.logger
logger.state.level = WARN
`
