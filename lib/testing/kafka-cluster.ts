import { randomBytes } from 'node:crypto'
import { TestingError } from '../errors'
import type { ClusterSecurity } from './cluster-security'
import type { KafkaNode } from './kafka-node'

/** A running Kafka cluster: ours (started here, by either engine) or an existing one named by KAFKA_BROKERS. */
export interface KafkaCluster {
  /** Bootstrap addresses, `host:port`. */
  readonly brokers: string[]
  /** True when the cluster came from KAFKA_BROKERS: it is not ours to stop, and its nodes cannot be controlled. */
  readonly external: boolean
  /** The nodes this process runs (empty for an external cluster). */
  readonly nodes: readonly KafkaNode[]
  /**
   * The folder holding every node's data, configuration and log (undefined for an external cluster, and with the
   * container engine, whose nodes keep them inside their containers).
   */
  readonly dataDir: string | undefined
  /**
   * With the option `security`: client settings for the TLS and SASL listeners, the users, and allow() for ACLs.
   * Undefined otherwise, and for an external cluster.
   */
  readonly security: ClusterSecurity | undefined
  /** Ends every node and removes the data (and, with the container engine, the containers and network). Safe to call more than once. */
  stop(): Promise<void>
  /** The node with this `node.id` (1-based), for fault tests: `stop()`, `kill()`, `start()`, `restart()`. */
  node(nodeId: number): KafkaNode
  /** Resolves once `count` brokers are registered and answer metadata requests. */
  waitForBrokers(count: number, timeoutMs?: number): Promise<void>
}

/** Kafka's cluster ids are 16 random bytes in URL-safe base64; one starting with '-' would read as a flag. */
export function newClusterId(): string {
  let id: string
  do id = randomBytes(16).toString('base64url')
  while (id.startsWith('-'))
  return id
}

/** The node of `nodes` with this id, for `KafkaCluster.node()`; a TestingError naming the ids there are otherwise. */
export function nodeById<N extends KafkaNode>(nodes: readonly N[], nodeId: number): N {
  const node = nodes.find((n) => n.nodeId === nodeId)
  if (!node) throw new TestingError(`there is no node ${nodeId}; node ids are 1 to ${nodes.length}`)
  return node
}
