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
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
])

/**
 * TLS alerts with which a broker refuses the client's certificate (or its absence) on a listener with
 * ssl.client.auth=required. Node's error code carries OpenSSL's name of the alert, whose protocol prefix depends on
 * the OpenSSL release: ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE on Node 20, ERR_SSL_SSL/TLS_ALERT_BAD_CERTIFICATE on 22
 * and 24 (OpenSSL 3.5); so the alert is matched without it.
 */
const CLIENT_CERTIFICATE_ALERTS = new Set(['BAD_CERTIFICATE', 'CERTIFICATE_UNKNOWN', 'CERTIFICATE_REQUIRED', 'UNKNOWN_CA', 'HANDSHAKE_FAILURE'])

/** The alert a Node TLS error code names ("BAD_CERTIFICATE" of "ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE"), if it names one. */
function tlsAlert(code: string): string | undefined {
  return /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13|SSL\/TLS)_ALERT_([A-Z_]+)$/.exec(code)?.[1]
}

/** Broker answers to the SASL handshake: the client's sasl settings, not the moment, are wrong. */
const SASL_HINTS: Readonly<Record<number, string>> = {
  33: "the broker does not enable this SASL mechanism: choose one of its sasl.enabled.mechanisms in sasl.mechanism ('plain', 'scram-sha-256' or 'scram-sha-512')",
  34: 'this listener does not speak SASL: sasl may be misconfigured (leave sasl out for a PLAINTEXT or SSL listener, or use the SASL port)',
  58: 'check the sasl username, password and mechanism against the broker',
}

/** Node's message when the peer hangs up in the middle of the TLS handshake (code ECONNRESET). */
const HUNG_UP_IN_HANDSHAKE = 'before secure TLS connection was established'

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
    const sasl = SASL_HINTS[e.code]
    if (sasl) return new AuthenticationError(doing, error, sasl)
    const known = kafkaErrorCode(e.code)
    return new BrokerError(doing, e.code, e.type, e.retriable ?? known.retriable, null, known.hint, error)
  }
  if (typeof e.code === 'string' && CERTIFICATE_CODES.has(e.code)) {
    return new AuthenticationError(doing, error, "the broker's TLS certificate is not trusted: pass ssl: { ca } with the CA that signed it")
  }
  if (typeof e.code === 'string' && CLIENT_CERTIFICATE_ALERTS.has(tlsAlert(e.code) ?? '')) {
    return new AuthenticationError(
      doing,
      error,
      'the broker refused the TLS client certificate (or its absence): its listener requires one (ssl.client.auth=required): ' +
        'pass ssl: { ca, cert, key } with a certificate signed by a CA the broker trusts',
    )
  }
  if (e.name === 'KafkaJSSASLAuthenticationError') {
    return new AuthenticationError(doing, error, SASL_HINTS[58]!)
  }
  if (e.name === 'KafkaJSGroupCoordinatorNotFound') {
    // kafkajs asks every broker, drops each one's answer, and retried those that could pass already.
    return new NetworkError(
      doing,
      error,
      false,
      "no broker named the group's coordinator: a user without READ on the group is refused this way " +
        '(GROUP_AUTHORIZATION_FAILED, which kafkajs does not pass on): grant READ on the group (kafka-acls --group), or use a group it may join',
    )
  }
  if ((typeof e.code === 'string' && e.code.startsWith('ERR_SSL_')) || (typeof e.message === 'string' && e.message.includes(HUNG_UP_IN_HANDSHAKE))) {
    return new NetworkError(
      doing,
      error,
      false,
      'the TLS handshake failed: ssl may be misconfigured: this looks like a plaintext listener (PLAINTEXT or SASL_PLAINTEXT); ' +
        "leave ssl out, or use the broker's TLS port",
    )
  }
  return new NetworkError(doing, error, e.retriable !== false)
}
