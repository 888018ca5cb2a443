import { readFileSync } from 'node:fs'
import { choice, type Flags } from './args'
import { UsageError } from './exit-codes'

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const
export type SaslMechanism = (typeof SASL_MECHANISMS)[number]

/** The environment variable the SASL password comes from unless --sasl-password-env names another. */
export const DEFAULT_PASSWORD_ENV = 'KAFKA_SASL_PASSWORD'

/** TLS and SASL flags, the same for every command. */
export const securityFlags = {
  tls: { type: 'boolean', description: "connect over TLS, trusting the system's CAs (implied by --ca, --cert)" },
  ca: { type: 'string', value: '<file>', description: "PEM file of the CA that signed the brokers' certificates (TLS)" },
  cert: { type: 'string', value: '<file>', description: 'PEM file of a client certificate, for mutual TLS (with --cert-key)' },
  // Not --key: produce's --key is the record key.
  'cert-key': { type: 'string', value: '<file>', description: "PEM file of the client certificate's private key (with --cert)" },
  'sasl-mechanism': { type: 'string', value: `<${SASL_MECHANISMS.join('|')}>`, description: 'authenticate with SASL (default: no SASL)' },
  'sasl-username': { type: 'string', value: '<name>', description: 'the SASL user (required with --sasl-mechanism)' },
  'sasl-password-env': {
    type: 'string',
    value: '<NAME>',
    description:
      `the environment variable holding the SASL password (default ${DEFAULT_PASSWORD_ENV}); there is no --sasl-password ` +
      'because a command line is visible to every user of the machine (ps, /proc) and stays in shell history',
  },
} as const

type SecurityFlags = Flags<typeof securityFlags>

/** TLS and SASL settings as the streams (kafkajs) take them; both undefined for a plaintext listener. */
export interface Security {
  ssl?: true | { ca?: string; cert?: string; key?: string }
  sasl?: SaslSettings
}

/** One object per mechanism, so that it fits kafkajs' SASLOptions union. */
type SaslSettings = { [M in SaslMechanism]: { mechanism: M; username: string; password: string } }[SaslMechanism]

/**
 * The TLS and SASL settings from the flags. Files are read here, so an unreadable one is a usage error naming its
 * flag; the password comes from the environment only, and a missing one is a usage error naming the variable.
 */
export function securityFrom(command: string, flags: SecurityFlags, env: NodeJS.ProcessEnv): Security {
  const security: Security = {}
  if ((flags.cert === undefined) !== (flags['cert-key'] === undefined)) {
    throw new UsageError(`${command}: mutual TLS needs both --cert and --cert-key`)
  }
  if (flags.ca !== undefined || flags.cert !== undefined) {
    security.ssl = {
      ...(flags.ca === undefined ? {} : { ca: pemFile(command, 'ca', flags.ca) }),
      ...(flags.cert === undefined ? {} : { cert: pemFile(command, 'cert', flags.cert), key: pemFile(command, 'cert-key', flags['cert-key']!) }),
    }
  } else if (flags.tls === true) {
    security.ssl = true
  }
  const mechanism = flags['sasl-mechanism']
  if (mechanism === undefined) {
    if (flags['sasl-username'] !== undefined || flags['sasl-password-env'] !== undefined) {
      throw new UsageError(`${command}: --sasl-username and --sasl-password-env need --sasl-mechanism ${SASL_MECHANISMS.join('|')}`)
    }
    return security
  }
  const username = flags['sasl-username']
  if (username === undefined || username === '') throw new UsageError(`${command}: --sasl-mechanism needs --sasl-username`)
  const variable = flags['sasl-password-env'] ?? DEFAULT_PASSWORD_ENV
  const password = env[variable]
  if (password === undefined || password === '') {
    throw new UsageError(`${command}: no SASL password: set the environment variable ${variable}${flags['sasl-password-env'] === undefined ? ' (or name another with --sasl-password-env)' : ''}`)
  }
  security.sasl = { mechanism: choice(command, 'sasl-mechanism', mechanism, SASL_MECHANISMS, 'plain'), username, password } as SaslSettings
  return security
}

function pemFile(command: string, flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    throw new UsageError(`${command}: cannot read --${flag} file ${JSON.stringify(file)} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`)
  }
}
