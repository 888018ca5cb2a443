/**
 * The end of a pipeline whose work is one call per message: each message is acked once its call finished, so
 * that a KafkaReadable commits exactly what the sink completed.
 */
import { Writable } from 'node:stream'

/**
 * A Writable that calls `work(message)` for each message, one at a time in order, and acks the message once the
 * call returned (or its promise resolved). A throw or rejection destroys the Writable with that error, the message
 * unacked, so that `pipeline()` fails and the offset is not committed.
 */
export function ackingSink<T extends { ack(): void }>(work: (message: T) => unknown, options: { highWaterMark?: number } = {}): Writable {
  return new Writable({
    objectMode: true,
    highWaterMark: options.highWaterMark ?? 16,
    write(message: T, _encoding, callback) {
      new Promise((resolve) => resolve(work(message))).then(() => {
        message.ack()
        callback()
      }, callback)
    },
  })
}
