import type { ContainerRuntimeClient, StartedNetwork, WaitStrategy } from 'testcontainers'
import { TestingError } from '../errors'
import { ContainerNode } from './container-node'
import { CLUSTER_LABEL, ContainerWatchdog } from './container-watchdog'
import { newClusterId, nodeById, type KafkaCluster } from './kafka-cluster'
import type { ResolvedStartKafkaOptions } from './options'
import { freePorts } from './ports'
import { CONTAINER_CONTROLLER_PORT, containerHost, serverProperties, type ClusterSettings, type NodeLayout } from './server-properties'
import { loadTestcontainers, type Testcontainers } from './testcontainers'
import { waitForBrokers } from './wait-for-brokers'

/** Inside each container: the node's configuration, and its data (kept across stop() and start() of the node). */
const HOME = '/tmp/kafka-pipe'

/*
 * The image contract: a shell, and Apache Kafka under /opt/kafka with bin/kafka-storage.sh and
 * bin/kafka-server-start.sh that honour KAFKA_HEAP_OPTS (as apache/kafka does). The engine replaces the image's
 * entrypoint with this script: write the server.properties it was given, format the storage on the first start
 * only (a restarted node keeps its data), then become the broker.
 */
const NODE_SCRIPT = `set -e
mkdir -p ${HOME}
printf '%s' "$KAFKA_PIPE_SERVER_PROPERTIES" > ${HOME}/server.properties
if [ ! -f ${HOME}/data/meta.properties ]; then
  /opt/kafka/bin/kafka-storage.sh format -t "$KAFKA_PIPE_CLUSTER_ID" -c ${HOME}/server.properties
fi
exec /opt/kafka/bin/kafka-server-start.sh ${HOME}/server.properties
`

/** Readiness is waitForBrokers()' job: the nodes of a quorum must all start before any of them serves. */
const NO_WAIT: WaitStrategy = {
  waitUntilReady: async () => {},
  withStartupTimeout() {
    return this
  },
  isStartupTimeoutSet: () => false,
  getStartupTimeout: () => 0,
}

/**
 * The container engine: one container of `o.image` per node on a new container network, started through
 * testcontainers, each node's client port published on the same host port so that 127.0.0.1:port works from here.
 */
export async function startContainerCluster(o: ResolvedStartKafkaOptions): Promise<KafkaCluster> {
  const tc = loadTestcontainers()
  const image = o.image ?? `apache/kafka:${o.version}`
  const client = await runtimeClient(tc)
  const clusterId = newClusterId()
  const ports = await freePorts(o.brokers)
  const network = await new tc.Network().start()
  let watchdog: ContainerWatchdog
  try {
    watchdog = new ContainerWatchdog(clusterId, network.getId())
  } catch (err) {
    // Nothing would remove the network otherwise.
    await removeNetwork(network)
    throw new TestingError(`could not start the container engine's watchdog: ${(err as Error).message}`, err)
  }
  const layouts: NodeLayout[] = ports.map((port, i) => ({
    nodeId: i + 1,
    port,
    controllerPort: CONTAINER_CONTROLLER_PORT,
    dataDir: `${HOME}/data`,
  }))
  const settings: ClusterSettings = {
    nodes: layouts,
    partitions: o.partitions,
    autoCreateTopics: o.autoCreateTopics,
    extra: o.serverProperties,
    network: 'containers',
  }
  const nodes = layouts.map(
    (layout) =>
      new ContainerNode(layout.nodeId, layout.port, {
        definition: new tc.GenericContainer(image)
          .withNetwork(network)
          .withNetworkAliases(containerHost(layout.nodeId))
          .withExposedPorts({ container: layout.port, host: layout.port })
          .withEnvironment({
            KAFKA_PIPE_SERVER_PROPERTIES: serverProperties(layout, settings),
            KAFKA_PIPE_CLUSTER_ID: clusterId,
            KAFKA_HEAP_OPTS: o.jvmOptions.join(' '),
            LOG_DIR: `${HOME}/logs`,
          })
          .withEntrypoint(['/bin/sh', '-c', NODE_SCRIPT])
          .withCommand(['kafka-pipe-node'])
          .withLabels({ [CLUSTER_LABEL]: clusterId })
          .withWaitStrategy(NO_WAIT),
        byId: (id) => client.container.getById(id),
      }),
  )

  let stopped: Promise<void> | undefined
  const cluster: KafkaCluster = {
    brokers: nodes.map((n) => n.address),
    external: false,
    nodes,
    dataDir: undefined,
    security: undefined,
    stop() {
      stopped ??= (async () => {
        await Promise.all(nodes.map((n) => n.remove()))
        await removeLabelled(client, clusterId)
        await removeNetwork(network)
        watchdog.release()
      })()
      return stopped
    },
    node: (nodeId) => nodeById(nodes, nodeId),
    waitForBrokers: (count, timeoutMs = o.startTimeout) => waitForBrokers(cluster, count, timeoutMs),
  }

  try {
    await Promise.all(nodes.map((node) => startNode(node, image)))
    await waitForBrokers(cluster, nodes.length, o.startTimeout)
  } catch (err) {
    const logs = await Promise.all(nodes.map(async (n) => `--- container of broker ${n.nodeId} (${image})\n${await n.logTail()}`))
    await cluster.stop()
    throw new TestingError(`${err instanceof Error ? err.message : String(err)}\n${logs.join('\n')}`, err)
  }
  return cluster
}

async function runtimeClient(tc: Testcontainers): Promise<ContainerRuntimeClient> {
  try {
    return await tc.getContainerRuntimeClient()
  } catch (err) {
    throw new TestingError(
      `startKafka({ engine: 'container' }) found no Docker engine (${(err as Error).message}): start one (dockerd), ` +
        "or point DOCKER_HOST at one; or use engine: 'jvm', which needs Java only",
      err,
    )
  }
}

async function startNode(node: ContainerNode, image: string): Promise<void> {
  try {
    await node.start()
  } catch (err) {
    throw new TestingError(
      `could not start broker ${node.nodeId} from the image "${image}" (${(err as Error).message}); an image that is not ` +
        'on this machine is pulled, so without a registry build one (README, "Container engine") and pass it as `image` or KAFKA_PIPE_IMAGE',
      err,
    )
  }
}

/** Removes any container of the cluster left over, such as one created by a start() that then failed. */
async function removeLabelled(client: ContainerRuntimeClient, clusterId: string): Promise<void> {
  const docker = client.container.dockerode
  const found = await docker.listContainers({ all: true, filters: { label: [`${CLUSTER_LABEL}=${clusterId}`] } })
  await Promise.all(found.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })))
}

async function removeNetwork(network: StartedNetwork): Promise<void> {
  try {
    await network.stop()
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err
  }
}
