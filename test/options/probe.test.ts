/*
 * Every option of both streams, probed with the values users get wrong: 0, negative, NaN, huge, the wrong type.
 * Each must be refused with an error naming that option, unless this table says why the value is meaningful
 * (and then an integration test uses it: test/integration/{writable,readable}/extreme-options.test.ts).
 */
import { expect } from 'chai'
import { readableOptionsSchema } from '../../lib/readable/options'
import { writableOptionsSchema } from '../../lib/writable/options'

const PROBES: ReadonlyArray<readonly [string, unknown]> = [
  ['0', 0],
  ['-1', -1],
  ['NaN', NaN],
  ['huge', 1e300],
  ['true', true],
  ['{}', {}],
  ["'x'", 'x'],
]

/** option → the probes it accepts, and why that value makes sense. */
const ACCEPTED: Record<string, Record<string, string>> = {
  clientId: { "'x'": 'any name' },
  ssl: { true: 'TLS with the system CAs', '{}': "Node's tls.connect options" },
  logLevel: { '0': 'logLevel.NOTHING' },
  topic: { "'x'": 'a topic name' },
  groupId: { "'x'": 'a group name' },
  topics: { "'x'": 'one topic name' },
  linger: { '0': 'send at once' },
  metadataMaxAge: { '0': 'refresh in the background on every lookup' },
  commitInterval: { '0': 'commit every ack at once' },
  closeTimeout: { '0': 'do not wait for acks on close' },
  partition: { '0': 'the first partition' },
  offset: { '0': 'the first offset' },
  compression: { '0': 'CompressionTypes.None' },
  idempotent: { true: 'a flag' },
  allowAutoTopicCreation: { true: 'a flag' },
  async: { true: 'a flag' },
  fromBeginning: { true: 'a flag' },
  ackOnRead: { true: 'a flag' },
  transactionalId: { "'x'": 'a transactional id' },
  transactionRetries: { '0': 'fail at the first aborted transaction' },
}

for (const [stream, schema] of [
  ['KafkaWritable', writableOptionsSchema],
  ['KafkaReadable', readableOptionsSchema],
] as const) {
  describe(`${stream} options, probed with 0, negative, NaN, huge and wrong types`, () => {
    for (const [name, field] of Object.entries(schema)) {
      it(`"${name}" refuses every probe but the meaningful ones, naming itself`, () => {
        const accepted: string[] = []
        for (const [label, value] of PROBES) {
          try {
            ;(field as (value: unknown, name: string) => unknown)(value, name)
            accepted.push(label)
          } catch (err) {
            // An option of parts names the part that is wrong ("sasl.mechanism").
            expect(err).to.include({ code: 'ERR_KAFKA_PIPE_OPTION' })
            expect((err as { option: string }).option).to.match(new RegExp(`^${name}(\\.|$)`))
            expect((err as Error).message).to.match(new RegExp(`^option "${name}(\\.[a-zA-Z]+)?" must be .+, not `))
          }
        }
        expect(accepted).to.deep.equal(Object.keys(ACCEPTED[name] ?? {}))
      })
    }
  })
}
