import { ConnectionError, NetworkError, type KafkaPipeError } from '../errors'
import { fromKafkajs } from './kafkajs-error'

/** What the client was configured with, which decides what a connection closed without an answer points at. */
export interface ConnectSettings {
  ssl: boolean
  sasl: boolean
}

/**
 * The typed error for a stream that could not connect to the cluster when it started (after kafkajs' own
 * retries): an AuthenticationError or BrokerError where the broker said why; a non-retriable ConnectionError
 * where the symptom points at the ssl/sasl settings; else a retriable ConnectionError.
 */
export function connectError(error: unknown, where: string, settings: ConnectSettings): KafkaPipeError {
  const typed = fromKafkajs(error, `connecting to Kafka at ${where}`)
  // Typed by what the broker or the TLS layer said, or known not to get better by retrying (a TLS handshake failed).
  if (!(typed instanceof NetworkError) || !typed.retriable) return typed
  if (closedBeforeAnswering(error)) return new ConnectionError(where, error, closedHint(settings))
  return new ConnectionError(where, error)
}

/**
 * A broker that accepted the connection, then closed it without answering: what a TLS listener does to a
 * plaintext client (and a SASL listener to a request before login).
 */
export function closedBeforeAnswering(error: unknown): boolean {
  type Shape = { name?: string; message?: string; originalError?: unknown; cause?: unknown }
  for (let e = error as Shape | undefined, depth = 0; e && depth < 10; depth++) {
    if (e.name === 'KafkaJSConnectionClosedError' || /^(Closed connection|Connection closed by the server)$/.test(e.message ?? '')) return true
    e = (e.originalError ?? e.cause) as Shape | undefined
  }
  return false
}

function closedHint(settings: ConnectSettings): string {
  if (!settings.ssl) {
    return 'the broker closed the connection without answering: ssl may be misconfigured: a TLS listener (SSL, SASL_SSL) closes ' +
      'plaintext clients; pass ssl (e.g. ssl: { ca }) or use the plaintext port'
  }
  if (!settings.sasl) {
    return 'the broker closed the connection without answering: sasl may be missing: a SASL listener (SASL_SSL, SASL_PLAINTEXT) ' +
      'closes clients that do not authenticate; pass sasl: { mechanism, username, password }'
  }
  return 'the broker closed the connection without answering: check that the ssl and sasl settings match this listener'
}
