/**
 * The CLI benchmark's baseline: KafkaWritable in pipeline() fed the benchmark's documents already parsed (made and
 * parsed before the clock starts), each sent as its line's text keyed by its `id`, as `produce --key id` sends it;
 * variant 'no-key': without the key, as `produce` without --key sends it.
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { logLevel } from 'kafkajs'
import { KafkaWritable } from '../../lib'
import { ndjsonLine } from '../ndjson'
import { main, timed } from './child'

main({
  async write(spec) {
    const messages = Array.from({ length: spec.count }, (_, i) => {
      const line = ndjsonLine(i)
      const document = JSON.parse(line) as { id: string }
      return spec.variant === 'no-key' ? { value: line } : { key: document.id, value: line }
    })
    const writer = new KafkaWritable({ brokers: spec.brokers, logLevel: logLevel.NOTHING, topic: spec.topics[0]! })
    const seconds = await timed(() => pipeline(Readable.from(messages), writer))
    return { messages: messages.length, seconds }
  },
})
