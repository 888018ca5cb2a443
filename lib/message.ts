/** A message to produce: what a KafkaWritable takes (or what `toMessage` makes of a chunk). */
export interface Message {
  /** The topic, when the writer has none of its own (exactly one of the two names it). */
  topic?: string
  /** An explicit partition; the balancer is not asked. */
  partition?: number
  /** The key: a string is its UTF-8 bytes. `null`/`undefined` means no key; an empty key is still a key. */
  key?: Buffer | string | null
  /** The value: Buffer and string as they are, null a tombstone, anything else through the value serializer. */
  value: unknown
  headers?: Record<string, Buffer | string>
  /** Create time; default: when the writer takes the message. */
  timestamp?: Date | number
  /**
   * Called once the broker stored this message. A KafkaReadable's messages carry one: pass it on to the
   * derived message and the source offset is committed only after the derived message is stored. A writer with
   * `transactionalId` never calls it: it commits the source offset it carries inside its transaction.
   */
  ack?: () => void
}
