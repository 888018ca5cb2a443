import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
  type AclEntry,
} from '../kafka/kafkajs'
import { InvalidOptionError, OptionConflictError, TestingError } from '../errors'
import { CLIENT_CERTIFICATE_SUBJECT, type Certificates } from './certificates'
import { ADMIN_USER } from './security-options'
import type { SecurePorts } from './security-properties'

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512'

/** TLS settings as kafkajs (Node's tls.connect) takes them. */
export interface TlsSettings {
  /** PEM of the CA that signed the brokers' certificates. */
  ca: string
  /** PEM of the client certificate (mutual TLS only). */
  cert?: string
  /** PEM of the client certificate's key (mutual TLS only). */
  key?: string
}

/** SASL settings as kafkajs takes them (a union per mechanism, so that they fit kafkajs' SASLOptions). */
export type SaslSettings = { [M in SaslMechanism]: { mechanism: M; username: string; password: string } }[SaslMechanism]

/** Connection settings a stream (or a kafkajs client) takes as they are: `new KafkaWritable({ ...settings, topic })`. */
export interface ClientSettings {
  brokers: string[]
  ssl?: TlsSettings
  sasl?: SaslSettings
}

/** What a test may be allowed to do with a resource: the names of kafkajs' AclOperationTypes. */
export type AclOperation = Exclude<keyof typeof AclOperationTypes, 'UNKNOWN' | 'ANY'>

/**
 * One resource to grant operations on: a topic or a consumer group by its exact name, or (`prefixed: true`) every
 * one whose name starts with it; or the cluster. Example: a partition reader's throwaway group is
 * `{ group: 'kafka-pipe-partition-reader-', prefixed: true }`.
 */
export type AclResource = (({ topic: string } | { group: string }) & { prefixed?: boolean }) | { cluster: true }

/** The secured side of a cluster started with `security`: client settings for each listener, users and ACLs. */
export interface ClusterSecurity {
  /** PEM of the throwaway CA that signed the brokers' certificates (valid for 127.0.0.1 and localhost). */
  readonly ca: string
  /** Every SASL user with its password, `admin` (the super user) included. */
  readonly users: Readonly<Record<string, string>>
  /** Whether ACLs are enforced (option `acls`). */
  readonly acls: boolean
  /** Bootstrap addresses of each kind of secured listener, one per node. */
  readonly listeners: Readonly<Record<keyof SecurePorts, string[]>>
  /** TLS without SASL: `{ brokers, ssl: { ca } }`. The client is `User:ANONYMOUS`. */
  readonly tls: ClientSettings
  /**
   * Mutual TLS: `{ brokers, ssl: { ca, cert, key } }` on a listener that requires a client certificate. The
   * client is {@link mutualTlsPrincipal}.
   */
  readonly mutualTls: ClientSettings
  /** The principal the mutual-TLS client certificate authenticates as, for allow(). */
  readonly mutualTlsPrincipal: string
  /**
   * SASL with `mechanism`: over TLS (SASL_SSL) unless `tls: false` (SASL_PLAINTEXT). `user` defaults to the first
   * user of the `users` option; `password` to that user's (give another to see a login fail).
   */
  sasl(mechanism: SaslMechanism, options?: { user?: string; password?: string; tls?: boolean }): ClientSettings
  /**
   * Grants `user` (a SASL user name, or a principal such as {@link mutualTlsPrincipal}) `operations` on `resource`,
   * and resolves once the brokers enforce it. Needs the option `acls: true`.
   */
  allow(user: string, resource: AclResource, operations: readonly AclOperation[]): Promise<void>
}

export interface ClusterSecurityParts {
  certificates: Certificates
  users: Readonly<Record<string, string>>
  acls: boolean
  listeners: Record<keyof SecurePorts, string[]>
}

export function clusterSecurity(parts: ClusterSecurityParts): ClusterSecurity {
  const { certificates, users, acls, listeners } = parts
  const ca = certificates.ca
  const firstUser = Object.keys(users).find((name) => name !== ADMIN_USER) ?? ADMIN_USER
  const sasl: ClusterSecurity['sasl'] = (mechanism, options = {}) => {
    if (!['plain', 'scram-sha-256', 'scram-sha-512'].includes(mechanism)) {
      throw new InvalidOptionError('mechanism', mechanism, "'plain', 'scram-sha-256' or 'scram-sha-512'")
    }
    const username = options.user ?? firstUser
    const password = options.password ?? users[username]
    if (password === undefined) {
      throw new OptionConflictError(`there is no SASL user "${username}": the users are ${Object.keys(users).join(', ')} (option security.users)`)
    }
    const tls = options.tls ?? true
    return {
      brokers: [...(tls ? listeners.saslSsl : listeners.saslPlaintext)],
      ...(tls ? { ssl: { ca } } : {}),
      // One object of the union whichever the mechanism: validated above.
      sasl: { mechanism, username, password } as SaslSettings,
    }
  }
  return {
    ca,
    users,
    acls,
    listeners,
    tls: { brokers: [...listeners.ssl], ssl: { ca } },
    mutualTls: { brokers: [...listeners.mutualTls], ssl: { ca, cert: certificates.clientCertificate, key: certificates.clientKey } },
    mutualTlsPrincipal: `User:${CLIENT_CERTIFICATE_SUBJECT}`,
    sasl,
    async allow(user, resource, operations) {
      if (!acls) throw new TestingError('allow() grants ACLs, which this cluster does not enforce: start it with security: { acls: true }')
      const principal = user.includes(':') ? user : `User:${user}`
      const [resourceType, resourceName] =
        'topic' in resource ? [AclResourceTypes.TOPIC, resource.topic]
        : 'group' in resource ? [AclResourceTypes.GROUP, resource.group]
        : [AclResourceTypes.CLUSTER, 'kafka-cluster']
      const acl: AclEntry[] = operations.map((operation) => {
        if (!(operation in AclOperationTypes)) throw new InvalidOptionError('operations', operation, 'names of AclOperationTypes, e.g. READ, WRITE, DESCRIBE')
        return {
          resourceType,
          resourceName,
          resourcePatternType: 'prefixed' in resource && resource.prefixed ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
          principal,
          host: '*',
          operation: AclOperationTypes[operation],
          permissionType: AclPermissionTypes.ALLOW,
        }
      })
      await asAdmin(sasl('scram-sha-512', { user: ADMIN_USER, tls: false }), async (admin) => {
        await admin.createAcls({ acl })
        await untilEnforced(admin, acl)
      })
    },
  }
}

type Admin = ReturnType<Kafka['admin']>

async function asAdmin(settings: ClientSettings, work: (admin: Admin) => Promise<void>): Promise<void> {
  const admin = new Kafka({ ...settings, clientId: 'kafka-pipe-testing', logLevel: logLevel.NOTHING }).admin()
  await admin.connect()
  try {
    await work(admin)
  } finally {
    await admin.disconnect()
  }
}

/**
 * The controller stores new ACLs; each broker's authorizer learns them from the metadata log a moment later. A
 * broker lists an ACL (DescribeAcls) from its own authorizer, so once it does, it enforces it.
 */
async function untilEnforced(admin: Admin, acl: readonly AclEntry[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (const entry of acl) {
    for (;;) {
      const { resources } = await admin.describeAcls({ ...entry, resourceName: entry.resourceName })
      if (resources.some((r) => r.acls.length > 0)) break
      if (Date.now() > deadline) throw new TestingError(`the brokers did not enforce the ACL ${JSON.stringify(entry)} within ${timeoutMs} ms`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
}
