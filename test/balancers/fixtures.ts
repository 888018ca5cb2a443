/**
 * Loads the known-answer vectors of test/fixtures/balancers/, made by running the reference clients
 * themselves (see test/fixtures/balancers/README.md to regenerate them).
 */
import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Message } from '../../lib/balancers'

const dir = join(__dirname, '..', 'fixtures', 'balancers')

function load<T>(name: string): T {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as T
}

/** Every key of keys.txt, in order; keys[0] is the empty key. */
export const keys: readonly Buffer[] = readFileSync(join(dir, 'keys.txt'), 'utf8')
  .split('\n')
  .slice(0, -1)
  .map((hex) => Buffer.from(hex, 'hex'))

/** The partition counts every table covers, as the tables' property names. */
export const counts = ['1', '2', '3', '6', '7', '12', '100', '1000'] as const

type Table = Record<(typeof counts)[number], number[]>
/** "all to P" (every message to partition P) or "spread (random)". */
type Behaviour = string

export const java = load<{ source: string; murmur2: number[]; partition: Table }>('java.json')

export const librdkafka = load<{
  source: string
  consistent: Table
  murmur2: Table
  nullKeyFunction: { consistent: Record<string, number>; murmur2: Record<string, number> }
  producer: { partitions: number } & Record<string, { nullKey: Behaviour; emptyKey: Behaviour }>
}>('librdkafka.json')

export const sarama = load<{
  source: string
  fnv1a: number[]
  hash: Table
  referenceHash: Table
  noKey: Record<string, Behaviour>
  emptyKey: Record<string, Behaviour>
}>('sarama.json')

export const kafkaGo = load<{
  source: string
  crc32: number[]
  lists: number[][]
  keyed: Record<'Hash' | 'ReferenceHash' | 'CRC32BalancerConsistent' | 'Murmur2BalancerConsistent', number[][]>
  noKey: Record<string, Behaviour>
  emptyKey: Record<string, Behaviour>
  hashNoKeySequence: number[]
  roundRobin: {
    steps: { partitions: number[]; calls: number }[]
    runs: { chunkSize: number; returns: number[] }[]
  }
  leastBytes: { partitions: number[]; messages: { key: number; value: number }[]; returns: number[] }[]
}>('kafka-go.json')

/** [0, 1, ..., n-1]. */
export function range(n: number | string): number[] {
  return Array.from({ length: Number(n) }, (_, i) => i)
}

/** The key as a string when its bytes are valid UTF-8 that round-trips, so string keys get tested too. */
export function asString(key: Buffer): string | undefined {
  const text = key.toString('utf8')
  return Buffer.from(text, 'utf8').equals(key) ? text : undefined
}

export function message(key: Buffer | string | null | undefined): Message {
  return { key, value: null }
}

/** What a balancer does with `calls` messages: the same as a reference's "all to P" / "spread (random)". */
export function behaviour(pick: () => number, calls = 200): Behaviour {
  const first = pick()
  for (let i = 1; i < calls; i++) if (pick() !== first) return 'spread (random)'
  return `all to ${first}`
}

/** Compares per-key answers with a reference's, naming the first key that differs. */
export function expectVectors(got: readonly number[], want: readonly number[], label: string): void {
  expect(got.length, label).to.equal(want.length)
  const i = got.findIndex((answer, j) => answer !== want[j])
  if (i >= 0) {
    expect.fail(`${label}: key #${i} (hex "${keys[i]!.toString('hex')}") gave ${got[i]}, the reference ${want[i]}`)
  }
}
