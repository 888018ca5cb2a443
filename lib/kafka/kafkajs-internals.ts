/**
 * Every use of kafkajs internals lives in this file. kafkajs keeps connections, TLS, SASL, metadata and
 * groups for us; the bytes of produce requests are ours, so we need its Cluster (made by the client's private
 * factory) and, on each Broker, the connection pool that sends a request and hands back the response body.
 * kafkajs is pinned (2.2.4); `checkKafkajsInternals()` fails loudly, naming what is missing, if a different
 * install lacks any of it (test/kafka/kafkajs-internals.test.ts runs it).
 */
import type { Kafka } from 'kafkajs'
import { closedBeforeAnswering } from './connect-error'
import { fromKafkajs } from './kafkajs-error'

export interface PartitionLeader {
  partitionId: number
  /** Node id of the leader, or -1 when the partition has none right now. */
  leader: number
}

/** The part of kafkajs' internal Cluster we use. */
interface InternalCluster {
  connect(): Promise<void>
  disconnect(): Promise<void>
  addTargetTopic(topic: string): Promise<void>
  refreshMetadata(): Promise<void>
  findTopicPartitionMetadata(topic: string): Array<{ partitionId: number; leader?: number | null }>
  findBroker(query: { nodeId: number | string }): Promise<InternalBroker>
  getNodeIds(): Array<number | string>
  findGroupCoordinator(query: { groupId: string; coordinatorType: number }): Promise<InternalBroker>
  brokerPool: InternalBrokerPool
}

/** The part of kafkajs' BrokerPool that connect() uses for one attempt without kafkajs' retries. */
interface InternalBrokerPool {
  createSeedBroker(): Promise<void>
  seedBroker?: { connect(): Promise<void>; disconnect(): Promise<void>; versions: unknown }
  versions: unknown
}

interface InternalBroker {
  versions: Record<number, { minVersion: number; maxVersion: number }> | null
  connectionPool: { send(protocol: { request: unknown; response: unknown; requestTimeout?: number }): Promise<unknown> }
  initProducerId(request: { transactionalId?: string; transactionTimeout: number }): Promise<{ producerId: string; producerEpoch: number }>
  addPartitionsToTxn(request: TxnIds & { topics: Array<{ topic: string; partitions: number[] }> }): Promise<unknown>
  addOffsetsToTxn(request: TxnIds & { groupId: string }): Promise<unknown>
  txnOffsetCommit(request: TxnIds & { groupId: string; topics: TxnOffsetTopic[] }): Promise<unknown>
  endTxn(request: TxnIds & { transactionResult: boolean }): Promise<unknown>
}

/** How kafkajs' transactional requests name the producer (its int64 encoder takes a decimal string). */
interface TxnIds {
  transactionalId: string
  producerId: string
  producerEpoch: number
}

/** The offsets of one topic a TxnOffsetCommit carries (Kafka's convention: the next offset to read). */
export interface TxnOffsetTopic {
  topic: string
  partitions: Array<{ partition: number; offset: string }>
}

/** The producer a transactional request speaks for. */
export interface TransactionalProducer {
  transactionalId: string
  producerId: bigint
  producerEpoch: number
}

/** FindCoordinator's key types (kafkajs' COORDINATOR_TYPES). */
export const CoordinatorType = { GROUP: 0, TRANSACTION: 1 } as const

const FACTORY = 'private:Kafka:createCluster'

function clusterFactory(kafka: Kafka): ((options: object) => unknown) | undefined {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === FACTORY)
  const factory = symbol && (kafka as unknown as Record<symbol, unknown>)[symbol]
  return typeof factory === 'function' ? (factory as (options: object) => unknown) : undefined
}

/**
 * What kafka-pipe needs of kafkajs' internals that this install lacks (empty when all is there). Checks the
 * Cluster factory, the Cluster's and the Broker's methods (on their prototypes, so nothing connects).
 */
export function missingKafkajsInternals(kafka: Kafka): string[] {
  const missing: string[] = []
  const factory = clusterFactory(kafka)
  if (!factory) return [`Kafka[Symbol(${FACTORY})]`]
  const cluster = factory({ allowAutoTopicCreation: false }) as Record<string, unknown>
  for (const name of ['connect', 'disconnect', 'addTargetTopic', 'refreshMetadata', 'findTopicPartitionMetadata', 'findBroker', 'getNodeIds', 'findGroupCoordinator']) {
    if (typeof cluster[name] !== 'function') missing.push(`Cluster.${name}()`)
  }
  const pool = cluster.brokerPool as Record<string, unknown> | undefined
  if (typeof pool?.createSeedBroker !== 'function') missing.push('Cluster.brokerPool.createSeedBroker()')
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Broker = require('kafkajs/src/broker') as { prototype: Record<string, unknown> }
  for (const name of ['initProducerId', 'addPartitionsToTxn', 'addOffsetsToTxn', 'txnOffsetCommit', 'endTxn', 'connect', 'isConnected', 'disconnect']) {
    if (typeof Broker.prototype[name] !== 'function') missing.push(`Broker.${name}()`)
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Connection = require('kafkajs/src/network/connection') as { prototype: Record<string, unknown> }
  if (typeof Connection.prototype.send !== 'function') missing.push('Connection.send()')
  return missing
}

export function checkKafkajsInternals(kafka: Kafka): void {
  const missing = missingKafkajsInternals(kafka)
  if (missing.length > 0) {
    throw new Error(`this kafkajs install lacks ${missing.join(', ')}, which kafka-pipe uses; kafka-pipe needs kafkajs 2.2.x (npm install kafkajs@2.2.4)`)
  }
}

/** A request we encoded ourselves, sent on kafkajs' connection (which adds the request header). */
export interface RawRequest {
  apiKey: number
  apiVersion: number
  apiName: string
  body: Buffer
  /** false for a produce with acks 0: the broker sends nothing back. */
  expectResponse: boolean
  requestTimeout?: number
}

/** One broker, as far as we talk to it directly. */
export class BrokerLink {
  readonly #broker: InternalBroker
  readonly nodeId: number

  constructor(nodeId: number, broker: InternalBroker) {
    this.nodeId = nodeId
    this.#broker = broker
  }

  /** The highest version of `apiKey` in [min, max] the broker serves, or undefined if none. */
  version(apiKey: number, min: number, max: number): number | undefined {
    const served = this.#broker.versions?.[apiKey]
    if (!served) return undefined
    const version = Math.min(max, served.maxVersion)
    return version >= Math.max(min, served.minVersion) ? version : undefined
  }

  /** Sends the request; resolves with the response body (after the correlation id), or null when none is expected. */
  async send(raw: RawRequest): Promise<Buffer | null> {
    const body = raw.body
    const request = {
      apiKey: raw.apiKey,
      apiVersion: raw.apiVersion,
      apiName: raw.apiName,
      // kafkajs' request writer copies `buffer` of what encode() returns after checking that `buf` is a Buffer.
      encode: async () => ({ buf: body, buffer: body }),
      expectResponse: () => raw.expectResponse,
    }
    const response = { decode: async (payload: Buffer) => payload, parse: async (payload: Buffer) => payload }
    const result = await this.#broker.connectionPool.send({ request, response, ...(raw.requestTimeout ? { requestTimeout: raw.requestTimeout } : {}) })
    return raw.expectResponse ? (result as Buffer) : null
  }

  async initProducerId(transactionTimeout: number, transactionalId?: string): Promise<{ producerId: bigint; producerEpoch: number }> {
    const result = await this.#broker.initProducerId({ transactionTimeout, ...(transactionalId ? { transactionalId } : {}) })
    return { producerId: BigInt(result.producerId), producerEpoch: result.producerEpoch }
  }

  // Transactions (KIP-98): small control requests, encoded by kafkajs (versions 0-1; TxnOffsetCommit before KIP-447,
  // so without the group's generation). Each throws kafkajs' error for the first partition the broker refused.

  async addPartitionsToTxn(producer: TransactionalProducer, topics: Array<{ topic: string; partitions: number[] }>): Promise<void> {
    await this.#broker.addPartitionsToTxn({ ...txnIds(producer), topics })
  }

  async addOffsetsToTxn(producer: TransactionalProducer, groupId: string): Promise<void> {
    await this.#broker.addOffsetsToTxn({ ...txnIds(producer), groupId })
  }

  async txnOffsetCommit(producer: TransactionalProducer, groupId: string, topics: TxnOffsetTopic[]): Promise<void> {
    await this.#broker.txnOffsetCommit({ ...txnIds(producer), groupId, topics })
  }

  async endTxn(producer: TransactionalProducer, commit: boolean): Promise<void> {
    await this.#broker.endTxn({ ...txnIds(producer), transactionResult: commit })
  }
}

function txnIds(producer: TransactionalProducer): TxnIds {
  return { transactionalId: producer.transactionalId, producerId: producer.producerId.toString(), producerEpoch: producer.producerEpoch }
}

/** kafkajs' Cluster: metadata (creating topics only where allowed) and connected brokers by node id. */
export class ClusterLink {
  readonly #cluster: InternalCluster
  #connected: Promise<void> | undefined
  #nextBroker = 0

  constructor(kafka: Kafka, options: { allowAutoTopicCreation: boolean; metadataMaxAge: number }) {
    const factory = clusterFactory(kafka)
    if (!factory) checkKafkajsInternals(kafka)
    this.#cluster = factory!({ allowAutoTopicCreation: options.allowAutoTopicCreation, metadataMaxAge: options.metadataMaxAge }) as InternalCluster
  }

  connect(): Promise<void> {
    this.#connected ??= this.#firstAttempt()
      .then(() => this.#cluster.connect())
      .catch((err: unknown) => {
        this.#connected = undefined
        throw err
      })
    return this.#connected
  }

  /**
   * One attempt at a seed broker before kafkajs' retries (about 10 s of them with its defaults), so that what
   * retrying cannot fix (an untrusted certificate, a refused client certificate, a TLS handshake with a plaintext
   * port, a refused login, a TLS port closing on a plaintext client before answering ApiVersions) fails at once.
   * Anything else (a refused or timed-out connection) is left to kafkajs' retries; a success is kept, as kafkajs
   * keeps it.
   */
  async #firstAttempt(): Promise<void> {
    const pool = this.#cluster.brokerPool
    try {
      await pool.createSeedBroker()
      await pool.seedBroker!.connect()
      pool.versions = pool.seedBroker!.versions
    } catch (err) {
      if (!fromKafkajs(err, 'connecting').retriable || closedBeforeAnswering(err)) throw err
    }
  }

  async disconnect(): Promise<void> {
    if (this.#connected) await this.#cluster.disconnect().catch(() => {})
    this.#connected = undefined
  }

  /**
   * For a client whose connecting kafkajs does on its own (a consumer): the first attempt alone, on a
   * throwaway cluster, so that a wrong certificate, password or port fails at once rather than after kafkajs'
   * retries. A refused or timed-out connection passes: kafkajs' retries are for those.
   */
  static async firstAttempt(kafka: Kafka): Promise<void> {
    // A stand-in for kafkajs (the reader's unit tests) has no cluster factory: nothing to try. A real kafkajs
    // without one fails checkKafkajsInternals where the writer connects, and in its own test.
    if (!clusterFactory(kafka)) return
    const link = new ClusterLink(kafka, { allowAutoTopicCreation: false, metadataMaxAge: 0 })
    try {
      await link.#firstAttempt()
    } finally {
      await link.#cluster.brokerPool.seedBroker?.disconnect().catch(() => {})
    }
  }

  /** Asks the brokers for the metadata of every topic added so far, plus `topic` if given. */
  async refresh(topic?: string): Promise<void> {
    await this.connect()
    if (topic !== undefined) await this.#cluster.addTargetTopic(topic)
    await this.#cluster.refreshMetadata()
  }

  /** The partitions of `topic` with their leaders, from the last metadata; empty if the topic is unknown. */
  partitions(topic: string): PartitionLeader[] {
    let found: Array<{ partitionId: number; leader?: number | null }>
    try {
      found = this.#cluster.findTopicPartitionMetadata(topic)
    } catch {
      return []
    }
    return found.map((p) => ({ partitionId: p.partitionId, leader: typeof p.leader === 'number' ? p.leader : -1 }))
  }

  /** The broker with this node id, connected. */
  async broker(nodeId: number): Promise<BrokerLink> {
    await this.connect()
    return new BrokerLink(nodeId, await this.#cluster.findBroker({ nodeId }))
  }

  /** The coordinator of a group (CoordinatorType.GROUP) or of a transactional id (TRANSACTION), connected. */
  async coordinator(key: string, type: number): Promise<BrokerLink> {
    await this.connect()
    const broker = await this.#cluster.findGroupCoordinator({ groupId: key, coordinatorType: type })
    const nodeId = (broker as unknown as { nodeId?: number }).nodeId ?? -1
    return new BrokerLink(nodeId, broker)
  }

  /**
   * A broker of the cluster, connected (for requests that any broker answers, like a non-transactional
   * InitProducerId). Each call takes the next one, so a caller that retries does not keep asking one that is down.
   */
  async anyBroker(): Promise<BrokerLink> {
    await this.connect()
    if (this.#cluster.getNodeIds().length === 0) await this.#cluster.refreshMetadata()
    const ids = this.#cluster.getNodeIds()
    const nodeId = Number(ids[this.#nextBroker++ % ids.length])
    return this.broker(nodeId)
  }
}
