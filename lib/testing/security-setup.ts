import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createCertificates } from './certificates'
import { clusterSecurity, type ClusterSecurity } from './cluster-security'
import { ADMIN_USER, type ResolvedSecurityOptions } from './security-options'
import type { SecurePorts, SecuritySettings } from './security-properties'
import type { NodeLayout } from './server-properties'

/** A throwaway CA and certificates under the cluster's data folder, the SASL users (with a new admin), and what clients need. */
export async function secure(
  o: ResolvedSecurityOptions,
  dataDir: string,
  layouts: readonly NodeLayout[],
): Promise<{ settings: SecuritySettings; security: ClusterSecurity }> {
  const tlsDir = join(dataDir, 'tls')
  await mkdir(tlsDir)
  const certificates = await createCertificates(tlsDir)
  const users = { ...o.users, [ADMIN_USER]: randomBytes(12).toString('hex') }
  const settings: SecuritySettings = {
    users,
    // The controller listener is plaintext, so brokers reach their controllers as ANONYMOUS: it must pass every ACL.
    superUsers: o.acls ? [`User:${ADMIN_USER}`, 'User:ANONYMOUS'] : [],
    acls: o.acls,
    keyStoreFile: certificates.brokerKeyStoreFile,
    trustStoreFile: certificates.caFile,
  }
  const addresses = (kind: keyof SecurePorts) => layouts.map((l) => `127.0.0.1:${l.secure![kind]}`)
  const listeners = { ssl: addresses('ssl'), saslPlaintext: addresses('saslPlaintext'), saslSsl: addresses('saslSsl'), mutualTls: addresses('mutualTls') }
  return { settings, security: clusterSecurity({ certificates, users, acls: o.acls, listeners }) }
}
