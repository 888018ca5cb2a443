import type { PropertyValue } from './server-properties'

/** The ports of one node's secured listeners. */
export interface SecurePorts {
  ssl: number
  saslPlaintext: number
  saslSsl: number
  /** SSL with `ssl.client.auth=required`: the client shows a certificate signed by the cluster's CA. */
  mutualTls: number
}

/** Kafka's names of the secured listeners (`MTLS` is ours: an SSL listener that requires client certificates). */
export const SECURE_LISTENERS = {
  ssl: { name: 'SSL', protocol: 'SSL' },
  saslPlaintext: { name: 'SASL_PLAINTEXT', protocol: 'SASL_PLAINTEXT' },
  saslSsl: { name: 'SASL_SSL', protocol: 'SASL_SSL' },
  mutualTls: { name: 'MTLS', protocol: 'SSL' },
} as const satisfies Record<keyof SecurePorts, { name: string; protocol: string }>

export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const

export interface SecuritySettings {
  /** Every SASL user with its password, the super user included. */
  users: Readonly<Record<string, string>>
  /** Principals that pass every ACL, e.g. `User:admin`; empty without ACLs. */
  superUsers: readonly string[]
  acls: boolean
  keyStoreFile: string
  trustStoreFile: string
}

/**
 * The listeners and the TLS, SASL and ACL settings that secure a node, as server.properties entries. The
 * listener lists include the plaintext and controller ones given, which stay as they are (brokers and
 * controllers talk plaintext to each other).
 */
export function securityProperties(
  host: string,
  ports: SecurePorts,
  plain: { listeners: string; advertised: string; protocolMap: string },
  s: SecuritySettings,
): Record<string, PropertyValue> {
  const kinds = Object.keys(SECURE_LISTENERS) as Array<keyof SecurePorts>
  const endpoints = kinds.map((k) => `${SECURE_LISTENERS[k].name}://${host}:${ports[k]}`).join(',')
  const protocols = kinds.map((k) => `${SECURE_LISTENERS[k].name}:${SECURE_LISTENERS[k].protocol}`).join(',')
  const plainUsers = Object.entries(s.users).map(([name, password]) => ` user_${name}="${password}"`).join('')
  const properties: Record<string, PropertyValue> = {
    listeners: `${plain.listeners},${endpoints}`,
    'advertised.listeners': `${plain.advertised},${endpoints}`,
    'listener.security.protocol.map': `${plain.protocolMap},${protocols}`,
    // PEM stores (Kafka 2.7+): openssl's files as they are, no keytool conversion.
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': s.keyStoreFile,
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': s.trustStoreFile,
    [`listener.name.${SECURE_LISTENERS.mutualTls.name.toLowerCase()}.ssl.client.auth`]: 'required',
    'sasl.enabled.mechanisms': SASL_MECHANISMS.join(','),
  }
  for (const listener of [SECURE_LISTENERS.saslPlaintext.name, SECURE_LISTENERS.saslSsl.name]) {
    const prefix = `listener.name.${listener.toLowerCase()}`
    // PLAIN checks passwords against this list; SCRAM against the credentials stored in the metadata log.
    properties[`${prefix}.plain.sasl.jaas.config`] = `org.apache.kafka.common.security.plain.PlainLoginModule required${plainUsers};`
    for (const scram of ['scram-sha-256', 'scram-sha-512']) {
      properties[`${prefix}.${scram}.sasl.jaas.config`] = 'org.apache.kafka.common.security.scram.ScramLoginModule required;'
    }
  }
  if (s.acls) {
    properties['authorizer.class.name'] = 'org.apache.kafka.metadata.authorizer.StandardAuthorizer'
    properties['super.users'] = s.superUsers.join(';')
  }
  return properties
}

/** The `kafka-storage format` arguments that store each user's SCRAM credentials in the new metadata log. */
export function scramFormatArguments(users: Readonly<Record<string, string>>): string[] {
  return Object.entries(users).flatMap(([name, password]) =>
    ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((mechanism) => ['--add-scram', `${mechanism}=[name=${name},password=${password}]`]),
  )
}
