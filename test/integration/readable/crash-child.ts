/*
 * The process the crash test kills: reads a group through a slow sink that records each message it finished
 * (synchronously, so a SIGKILL cannot lose a record) and only then acks it. Reports progress over IPC.
 * Configured by the environment: BROKERS, TOPIC, GROUP, RECORD.
 */
import { appendFileSync } from 'node:fs'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setImmediate as tick } from 'node:timers/promises'
import { logLevel } from 'kafkajs'
import { KafkaReadable, type ConsumedMessage } from '../../../lib/readable'

const { BROKERS, TOPIC, GROUP, RECORD } = process.env as Record<string, string>
let finished = 0

const reader = new KafkaReadable({
  brokers: BROKERS.split(','),
  logLevel: logLevel.NOTHING,
  groupId: GROUP,
  topics: TOPIC,
  fromBeginning: true,
  commitInterval: 20,
  sessionTimeout: 6000,
  heartbeatInterval: 1000,
  highWaterMark: 100,
})
const sink = new Writable({
  objectMode: true,
  highWaterMark: 10,
  write(m: ConsumedMessage, _encoding, callback) {
    tick().then(() => {
      appendFileSync(RECORD, `${m.partition} ${m.offset}\n`)
      m.ack()
      if (++finished % 500 === 0) process.send!({ finished })
      callback()
    }, callback)
  },
})
void pipeline(reader, sink)
