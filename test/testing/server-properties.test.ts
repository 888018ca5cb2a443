import { expect } from 'chai'
import { serverProperties } from '../../lib/testing/server-properties'

function parse(text: string): Record<string, string> {
  return Object.fromEntries(text.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]))
}

describe('testing/server-properties', () => {
  const nodes = [1, 2, 3].map((nodeId) => ({ nodeId, port: 9000 + nodeId, controllerPort: 9100 + nodeId, dataDir: `/d/${nodeId}` }))

  it('makes every node a combined broker and controller of one static quorum on loopback', () => {
    const p = parse(serverProperties(nodes[1]!, { nodes, partitions: 4, autoCreateTopics: false, extra: {} }))
    expect(p).to.include({
      'process.roles': 'broker,controller',
      'node.id': '2',
      'controller.quorum.voters': '1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103',
      listeners: 'PLAINTEXT://127.0.0.1:9002,CONTROLLER://127.0.0.1:9102',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:9002',
      'log.dirs': '/d/2',
      'num.partitions': '4',
      'auto.create.topics.enable': 'false',
      'offsets.topic.replication.factor': '3',
    })
  })

  it('in containers: clients on the published 127.0.0.1 port, brokers and controllers by name on the container network', () => {
    const p = parse(serverProperties(nodes[1]!, { nodes, partitions: 1, autoCreateTopics: true, extra: {}, network: 'containers' }))
    expect(p).to.include({
      'controller.quorum.voters': '1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093',
      listeners: 'PLAINTEXT://0.0.0.0:9002,BROKER://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:9002,BROKER://kafka-2:9092',
      'inter.broker.listener.name': 'BROKER',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
    })
  })

  it('replicates internal topics once on a single node, and lets extra properties win', () => {
    const p = parse(serverProperties(nodes[0]!, { nodes: [nodes[0]!], partitions: 1, autoCreateTopics: true, extra: { 'num.partitions': 7, 'log.retention.ms': 1000 } }))
    expect(p).to.include({ 'offsets.topic.replication.factor': '1', 'num.partitions': '7', 'log.retention.ms': '1000' })
  })

  it('adds the secured listeners and their settings only to a node with secure ports and a cluster with security', () => {
    const security = { users: { alice: 'a' }, superUsers: [], acls: false, keyStoreFile: '/k', trustStoreFile: '/t' }
    const node = { ...nodes[0]!, secure: { ssl: 9201, saslPlaintext: 9202, saslSsl: 9203, mutualTls: 9204 } }
    const p = parse(serverProperties(node, { nodes: [node], partitions: 1, autoCreateTopics: true, extra: {}, security }))
    expect(p).to.include({
      listeners: 'PLAINTEXT://127.0.0.1:9001,CONTROLLER://127.0.0.1:9101,SSL://127.0.0.1:9201,SASL_PLAINTEXT://127.0.0.1:9202,SASL_SSL://127.0.0.1:9203,MTLS://127.0.0.1:9204',
      'inter.broker.listener.name': 'PLAINTEXT',
      'controller.listener.names': 'CONTROLLER',
    })
    const unsecured = parse(serverProperties(nodes[0]!, { nodes: [nodes[0]!], partitions: 1, autoCreateTopics: true, extra: {} }))
    expect(Object.keys(unsecured).filter((k) => k.startsWith('ssl.') || k.startsWith('sasl.') || k.startsWith('listener.name.'))).to.deep.equal([])
  })
})
