import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { TestingError } from '../errors'

const run = promisify(execFile)

/** Subject of the client certificate: the mutual-TLS principal is `User:CN=kafka-pipe-client`. */
export const CLIENT_CERTIFICATE_SUBJECT = 'CN=kafka-pipe-client'

/** Files and PEM text of a throwaway certificate authority, the brokers' certificate and a client certificate. */
export interface Certificates {
  /** PEM of the CA that signed both certificates: a client's `ssl.ca`, the brokers' trust store. */
  ca: string
  caFile: string
  /** The brokers' key store: their unencrypted PKCS#8 key and certificate (for 127.0.0.1 and localhost) in one PEM file. */
  brokerKeyStoreFile: string
  /** PEM of the client certificate and its key, for `ssl: { ca, cert, key }`. */
  clientCertificate: string
  clientKey: string
}

/** Days the certificates are valid: a test run is shorter, and nothing outlives the cluster's data folder. */
const DAYS = '2'
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

/**
 * Makes a new CA and the certificates it signs in `dir` with openssl (EC P-256 keys: milliseconds per key,
 * where RSA or one keytool JVM per step would cost seconds).
 */
export async function createCertificates(dir: string): Promise<Certificates> {
  const file = (name: string) => join(dir, name)
  await openssl(['req', '-x509', ...EC_KEY, '-days', DAYS, '-subj', '/CN=kafka-pipe test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'])
  const signed = (name: string, subject: string, extensions: string[]) =>
    openssl(['req', '-x509', ...EC_KEY, '-days', DAYS, '-subj', subject, '-CA', file('ca.pem'), '-CAkey', file('ca.key'),
      '-keyout', file(`${name}.key`), '-out', file(`${name}.pem`), '-addext', 'basicConstraints=CA:FALSE',
      ...extensions.flatMap((e) => ['-addext', e])])
  await Promise.all([
    signed('broker', '/CN=localhost', ['subjectAltName=IP:127.0.0.1,DNS:localhost', 'extendedKeyUsage=serverAuth,clientAuth']),
    signed('client', `/${CLIENT_CERTIFICATE_SUBJECT}`, ['extendedKeyUsage=clientAuth']),
  ])
  const [ca, brokerKey, brokerCertificate, clientCertificate, clientKey] = await Promise.all(
    ['ca.pem', 'broker.key', 'broker.pem', 'client.pem', 'client.key'].map((f) => readFile(file(f), 'utf8')),
  )
  await writeFile(file('broker-keystore.pem'), brokerKey! + brokerCertificate!)
  return {
    ca: ca!,
    caFile: file('ca.pem'),
    brokerKeyStoreFile: file('broker-keystore.pem'),
    clientCertificate: clientCertificate!,
    clientKey: clientKey!,
  }
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args)
  } catch (err) {
    const e = err as { code?: unknown; stderr?: string }
    throw new TestingError(
      e.code === 'ENOENT'
        ? 'startKafka({ security }) makes its certificates with openssl, which is not installed (Debian: apt-get install openssl)'
        : `openssl ${args[0]} failed making the test certificates: ${e.stderr ?? String(err)}`,
      err,
    )
  }
}
