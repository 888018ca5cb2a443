import { expect } from 'chai'
import { Kafka } from 'kafkajs'
import { checkKafkajsInternals, missingKafkajsInternals } from '../../lib/kafka/kafkajs-internals'

describe('kafka/kafkajs-internals', () => {
  it('finds in the installed kafkajs every internal that kafka-pipe uses', () => {
    const kafka = new Kafka({ brokers: ['127.0.0.1:1'] })
    expect(missingKafkajsInternals(kafka)).to.deep.equal([])
    expect(() => checkKafkajsInternals(kafka)).not.to.throw()
  })

  it('names what is missing and the kafkajs version to install when a client lacks its cluster factory', () => {
    const impostor = Object.create(Kafka.prototype) as Kafka
    expect(missingKafkajsInternals(impostor)).to.deep.equal(['Kafka[Symbol(private:Kafka:createCluster)]'])
    expect(() => checkKafkajsInternals(impostor)).to.throw(/lacks Kafka\[Symbol\(private:Kafka:createCluster\)\].*kafkajs@2\.2\.4/)
  })
})
