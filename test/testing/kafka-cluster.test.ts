import { expect } from 'chai'
import { TestingError } from '../../lib/errors'
import { newClusterId, nodeById } from '../../lib/testing/kafka-cluster'
import type { KafkaNode } from '../../lib/testing/kafka-node'

describe('testing/kafka-cluster', () => {
  it('finds a node by its id, and names the ids there are for one that is not', () => {
    const nodes = [1, 2, 3].map((nodeId) => ({ nodeId }) as KafkaNode)
    expect(nodeById(nodes, 2)).to.equal(nodes[1])
    expect(() => nodeById(nodes, 4)).to.throw(TestingError, 'there is no node 4; node ids are 1 to 3')
  })

  it('makes cluster ids of 16 bytes in URL-safe base64 that never start with a dash', () => {
    for (let i = 0; i < 200; i++) {
      const id = newClusterId()
      expect(id).to.match(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/)
    }
  })
})
