import { X509Certificate, createPrivateKey } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { createCertificates, type Certificates } from '../../lib/testing/certificates'

describe('testing/certificates', () => {
  let dir: string
  let certificates: Certificates
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kafka-pipe-certificates-'))
    certificates = await createCertificates(dir)
  })
  after(() => rm(dir, { recursive: true, force: true }))

  it('makes a CA that signed the broker certificate, which names 127.0.0.1 and localhost', async () => {
    const ca = new X509Certificate(certificates.ca)
    expect(ca.ca).to.equal(true)
    const store = await readFile(certificates.brokerKeyStoreFile, 'utf8')
    expect(store).to.match(/^-----BEGIN PRIVATE KEY-----/)
    const broker = new X509Certificate(store.slice(store.indexOf('-----BEGIN CERTIFICATE-----')))
    expect(broker.verify(ca.publicKey)).to.equal(true)
    expect(broker.checkIP('127.0.0.1')).to.equal('127.0.0.1')
    expect(broker.checkHost('localhost')).to.equal('localhost')
  })

  it('makes a client certificate for kafka-pipe-client signed by the same CA, with its key', () => {
    const client = new X509Certificate(certificates.clientCertificate)
    expect(client.subject).to.equal('CN=kafka-pipe-client')
    expect(client.verify(new X509Certificate(certificates.ca).publicKey)).to.equal(true)
    expect(client.checkPrivateKey(createPrivateKey(certificates.clientKey))).to.equal(true)
  })

  it('makes a new CA every time, so one cluster never trusts another', async () => {
    const other = await createCertificates(await mkdtemp(join(dir, 'other-')))
    expect(other.ca).not.to.equal(certificates.ca)
  })
})
