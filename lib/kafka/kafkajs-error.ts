/**
 * Turns what kafkajs throws into our typed errors, keeping kafkajs' error as the `cause`. Every error a stream
 * emits passes through here (or was ours to begin with), so users switch on `code` and never on kafkajs' names.
 */
import { AuthenticationError, BrokerError, KafkaPipeError, NetworkError } from '../errors'
import { kafkaErrorCode } from '../protocol/error-codes'

interface KafkajsErrorShape {
  name?: string
  message?: string
  retriable?: boolean
  type?: string
  code?: unknown
  originalError?: unknown
  cause?: unknown
}

/** kafkajs' retrier wraps the last error it saw; that one says what went wrong. */
function innermost(error: unknown): unknown {
  let current = error
  for (let depth = 0; depth < 10; depth++) {
    const e = current as KafkajsErrorShape | null
    if (e === null || typeof e !== 'object') return current
    const inner = e.name === 'KafkaJSNumberOfRetriesExceeded' || e.name === 'KafkaJSNonRetriableError' ? (e.originalError ?? e.cause) : undefined
    if (inner === undefined || inner === current) return current
    current = inner
  }
  return current
}

/** Node's TLS verification failures: retrying cannot help until the user passes the right `ssl.ca`. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
])

/**
 * The typed error for `error`, which happened while `doing` (e.g. "joining group g", "fetching metadata of
 * topic t"). Our own errors pass through unchanged.
 */
export function fromKafkajs(error: unknown, doing: string): KafkaPipeError {
  if (error instanceof KafkaPipeError) return error
  const inner = innermost(error)
  if (inner instanceof KafkaPipeError) return inner
  const e = (typeof inner === 'object' && inner !== null ? inner : {}) as KafkajsErrorShape
  if (typeof e.type === 'string' && typeof e.code === 'number') {
    const known = kafkaErrorCode(e.code)
    return new BrokerError(doing, e.code, e.type, e.retriable ?? known.retriable, null, known.hint, error)
  }
  if (typeof e.code === 'string' && CERTIFICATE_CODES.has(e.code)) {
    return new AuthenticationError(doing, error, "the broker's TLS certificate is not trusted: pass ssl: { ca } with the CA that signed it")
  }
  if (e.name === 'KafkaJSSASLAuthenticationError') {
    return new AuthenticationError(doing, error, 'check the sasl username, password and mechanism against the broker')
  }
  return new NetworkError(doing, error, e.retriable !== false)
}
