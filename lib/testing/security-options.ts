import { InvalidOptionError } from '../errors'

/**
 * `startKafka({ security })`: besides its plaintext listener, every broker gets listeners for SSL, SASL_PLAINTEXT,
 * SASL_SSL (SASL mechanisms PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512) and mutual TLS, with a CA and certificates
 * made for this cluster only. `security: true` takes every default.
 */
export interface SecurityOptions {
  /**
   * SASL users, name to password. Each may log in with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512. A super user
   * `admin` with a random password is always added. Names and passwords: letters, digits, '.', '_' and '-'.
   * Default {@link defaultSecurityOptions}.users: alice and bob.
   */
  users?: Record<string, string>
  /**
   * Authorize every request with ACLs (KRaft's StandardAuthorizer): a SASL user or the mutual-TLS client may then
   * do only what `cluster.security.allow()` granted. `admin`, and whoever connects without a name (the plaintext
   * listener, TLS without a client certificate: `User:ANONYMOUS`), are super users, so tests and tools that use
   * `cluster.brokers` keep working. Default false: everyone may do everything.
   */
  acls?: boolean
}

export const defaultSecurityOptions = {
  users: { alice: 'alice-secret', bob: 'bob-secret' } as Record<string, string>,
  acls: false,
} satisfies Required<SecurityOptions>

export type ResolvedSecurityOptions = Required<SecurityOptions>

/** The super user's name: always there, it grants ACLs. */
export const ADMIN_USER = 'admin'

const NAME = /^[A-Za-z0-9._-]+$/

/** Validates `security` (undefined and false: no security) and fills in the defaults. */
export function resolveSecurityOptions(security: unknown): ResolvedSecurityOptions | undefined {
  if (security === undefined || security === false) return undefined
  if (security === true) return { ...defaultSecurityOptions }
  if (typeof security !== 'object' || security === null || Array.isArray(security)) {
    throw new InvalidOptionError('security', security, 'true, false or an object { users?, acls? }')
  }
  for (const key of Object.keys(security)) {
    if (!(key in defaultSecurityOptions)) {
      throw new InvalidOptionError(`security.${key}`, (security as Record<string, unknown>)[key], `left out: security takes ${Object.keys(defaultSecurityOptions).join(', ')}`)
    }
  }
  const o = { ...defaultSecurityOptions, ...(security as SecurityOptions) }
  if (typeof o.users !== 'object' || o.users === null || Array.isArray(o.users)) {
    throw new InvalidOptionError('security.users', o.users, 'an object of user names to passwords')
  }
  for (const [name, password] of Object.entries(o.users)) {
    if (!NAME.test(name) || name === ADMIN_USER) {
      throw new InvalidOptionError('security.users', name, `user names of letters, digits, '.', '_' and '-' other than "${ADMIN_USER}"`)
    }
    if (typeof password !== 'string' || !NAME.test(password)) {
      throw new InvalidOptionError(`security.users.${name}`, password, "a password of letters, digits, '.', '_' and '-'")
    }
  }
  if (typeof o.acls !== 'boolean') throw new InvalidOptionError('security.acls', o.acls, 'true or false')
  return { users: { ...o.users }, acls: o.acls }
}
