import { KafkaPipeError } from '../errors'
import { DEFAULT_PASSWORD_ENV } from './security'

const SASL_FLAGS = `--sasl-mechanism, --sasl-username and the password in $${DEFAULT_PASSWORD_ENV} (or the variable --sasl-password-env names)`
const TLS_FLAGS = "--tls, --ca <the CA of the brokers' certificates>, --cert and --cert-key"

/**
 * The library's errors name its options (`sasl`, `ssl: { ca }`); on the command line the fix is a flag. For an error
 * that points at the TLS or SASL settings, the flags that set them, to append to its one line.
 */
export function flagHint(error: unknown): string | undefined {
  // Retriable connection errors (a refused connection) are about the moment, not the settings.
  if (!(error instanceof KafkaPipeError) || error.retriable) return undefined
  if (error.code !== 'ERR_KAFKA_PIPE_AUTHENTICATION' && error.code !== 'ERR_KAFKA_PIPE_CONNECTION') return undefined
  const sasl = /\bsasl\b/i.test(error.message)
  const ssl = /\bssl\b|\bTLS\b/.test(error.message)
  if (sasl && ssl) return `on the command line: ${TLS_FLAGS}; ${SASL_FLAGS}`
  if (sasl) return `on the command line: ${SASL_FLAGS}`
  if (ssl) return `on the command line: ${TLS_FLAGS}`
  return undefined
}
