/**
 * Connecting a reader, bounded. kafkajs retries a failed connection with backoff, and a broker that accepts the
 * connection and never answers holds each request for `requestTimeout`: left alone, a reader could take minutes to
 * fail. This gives the whole connect one deadline and turns what failed into a typed error.
 */
import { defaultClientOptions, type ClientOptions } from '../kafka/client-options'
import { connectError, type ConnectSettings } from '../kafka/connect-error'
import { INT32_MAX } from '../options/fields'

/** Where a reader connects and how long it may take. */
export interface ConnectionTarget {
  /** The brokers, for error messages. */
  where: string
  /** The connect deadline, ms: one connection attempt plus one request (the first, ApiVersions) may take this long. */
  bound: number
  /** Whether ssl and sasl are set: a connection the broker closes before answering points at them. */
  settings: ConnectSettings
}

export function connectionTarget(options: ClientOptions): ConnectionTarget {
  const where = options.brokers === undefined ? "the given kafka client's brokers" : String(options.brokers)
  // A given kafkajs client keeps its own timeouts, which we cannot read: its default ones are assumed.
  const connectionTimeout = (options.kafka === undefined && options.connectionTimeout) || defaultClientOptions.connectionTimeout
  const requestTimeout = (options.kafka === undefined && options.requestTimeout) || defaultClientOptions.requestTimeout
  const settings = { ssl: options.ssl !== undefined && options.ssl !== false, sasl: options.sasl !== undefined }
  // Clamped to what a Node timer can wait: a longer delay fires after 1 ms (TimeoutOverflowWarning), on every Node.
  return { where, bound: Math.min(connectionTimeout + requestTimeout, INT32_MAX), settings }
}

/**
 * Runs `connect` (the kafkajs clients' connect calls and the lookups a reader makes before it reads); a
 * ConnectionError when it fails for a network reason or does not finish within `target.bound` (one that says
 * which of ssl/sasl to check when the broker closed the connection unanswered); our own errors (a TopicError)
 * as they are, the typed broker or authentication error otherwise. On a timeout the connect
 * goes on in the background: the caller disconnects, which ends it.
 */
export async function connectWithin(target: ConnectionTarget, connect: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${target.bound} ms (connectionTimeout + requestTimeout)`)), target.bound)
  })
  const connecting = connect()
  connecting.catch(() => {}) // the deadline may win; a later failure is then nobody's business
  try {
    await Promise.race([connecting, deadline])
  } catch (err) {
    throw connectError(err, target.where, target.settings)
  } finally {
    clearTimeout(timer)
  }
}
