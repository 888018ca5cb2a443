/** Inputs and stored byte vectors shared by the codec tests. The vectors live in test/fixtures/codecs/. */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const FIXTURES = join(__dirname, '..', 'fixtures', 'codecs')

/**
 * The input behind the java-*.hex fixtures, byte for byte the same as fixtureInput() in
 * KafkaCodecFixtures.java: 64 KiB of text, then 4 KiB of xorshift32 noise.
 */
export function fixtureInput(): Buffer {
  let text = ''
  for (let i = 0; text.length < 65536; i++) text += `${i} kafka-pipe codec fixture: the quick brown fox jumps over the lazy dog\n`
  return Buffer.concat([Buffer.from(text.slice(0, 65536), 'ascii'), xorshiftBytes(4096, 0x2545f491)])
}

/** Deterministic noise (xorshift32), so that a failing case can be run again. */
export function xorshiftBytes(size: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(size)
  let x = seed | 0
  for (let i = 0; i < size; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

export interface HexFixture {
  bytes: Buffer
  /** The first comment line: which program wrote the bytes, and how. */
  source: string
  plainLength: number
  plainSha256: string
}

/** Reads a fixture written as `# source`, `# plaintext: N bytes, sha256 H`, then hex lines. */
export function readFixture(name: string): HexFixture {
  const lines = readFileSync(join(FIXTURES, name), 'utf8').split('\n')
  const comments = lines.filter((line) => line.startsWith('#'))
  const plain = /plaintext: (\d+) bytes, sha256 ([0-9a-f]{64})/.exec(comments.join('\n'))
  if (plain === null) throw new Error(`${name}: no plaintext line`)
  return {
    bytes: Buffer.from(lines.filter((line) => !line.startsWith('#')).join('').trim(), 'hex'),
    source: (comments[0] ?? '').slice(2),
    plainLength: Number(plain[1]),
    plainSha256: plain[2] as string,
  }
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** The inputs every codec must round-trip. */
export function roundTripInputs(): Array<[string, Buffer]> {
  const text = Buffer.from('kafka-pipe '.repeat(100_000).slice(0, 1 << 20))
  return [
    ['empty', Buffer.alloc(0)],
    ['one byte', Buffer.from([0x82])],
    ['small', Buffer.from('hello, kafka')],
    ['1 MiB random', xorshiftBytes(1 << 20, 0x9e3779b9)],
    ['1 MiB highly compressible', text],
    ['1 MiB of zeros', Buffer.alloc(1 << 20)],
    ['the fixture input', fixtureInput()],
  ]
}
