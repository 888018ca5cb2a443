/*
 * The two implementations behind zstd and the CRC32 balancer's hash, side by side on this Node:
 *
 *   npx tsx benchmarks/node-paths.ts
 *
 * zstd: node:zlib (Node 22.15+) against @bokuweb/zstd-wasm on record batches of 16 KiB and 1 MiB; crc32: zlib.crc32
 * (Node 20.15/22.2+) against the table in lib/balancers/crc32.ts on keys of 8 to 256 bytes. Inputs are made
 * before the timed loops; each figure is the median of 5 rounds.
 */
import { randomBytes } from 'node:crypto'
import { cpus } from 'node:os'
import * as zlib from 'node:zlib'
import { tableCrc32 } from '../lib/balancers/crc32'
import { ZSTD_LEVEL, type ZstdImplementation } from '../lib/codecs/zstd'
import { hasZlibZstd, nodeZstd } from '../lib/codecs/zstd-node'
import { wasmZstd } from '../lib/codecs/zstd-wasm'
import { zstdFrames } from '../lib/codecs/zstd-frames'

const ROUNDS = 5
/** Every hash added up, printed at the end so the timed loops have an effect the JIT must keep. */
let sink = 0

/** JSON records with the repetition real batches have: the same keys, varying values. */
function batch(bytes: number): Buffer {
  const lines: string[] = []
  for (let i = 0, size = 0; size < bytes; i++) {
    const line = JSON.stringify({ id: i, user: `user-${i % 997}`, event: ['click', 'view', 'buy'][i % 3], at: 1_700_000_000_000 + i * 37, token: randomBytes(6).toString('hex') })
    lines.push(line)
    size += line.length + 1
  }
  return Buffer.from(lines.join('\n')).subarray(0, bytes)
}

async function median(run: () => Promise<number>): Promise<number> {
  const times: number[] = []
  for (let r = 0; r < ROUNDS; r++) times.push(await run())
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!
}

/** MB/s of input through `op`, run back to back `count` times (awaited one by one, as a partition's batches are). */
async function throughput(bytes: number, count: number, op: () => Promise<unknown>): Promise<number> {
  await op()
  return median(async () => {
    const start = process.hrtime.bigint()
    for (let i = 0; i < count; i++) await op()
    return (bytes * count) / 1e6 / (Number(process.hrtime.bigint() - start) / 1e9)
  })
}

async function zstdTable(): Promise<string[]> {
  const impls: ZstdImplementation[] = [wasmZstd(ZSTD_LEVEL), ...(hasZlibZstd(zlib) ? [nodeZstd(zlib, ZSTD_LEVEL)] : [])]
  const rows = ['| zstd level 3 | batch | compress MB/s | decompress MB/s | ratio |', '|---|---:|---:|---:|---:|']
  for (const [size, count] of [[16 * 1024, 2000], [1024 * 1024, 40]] as const) {
    const input = batch(size)
    for (const impl of impls) {
      const compressed = await impl.compress(input)
      const [frame] = zstdFrames(compressed)
      const c = await throughput(size, count, () => impl.compress(input))
      const d = await throughput(size, count, () => impl.decompressFrame(compressed, frame!.maxSize))
      rows.push(`| ${impl.name} | ${size / 1024} KiB | ${c.toFixed(0)} | ${d.toFixed(0)} | ${(size / compressed.length).toFixed(1)} |`)
    }
  }
  return rows
}

async function crcTable(): Promise<string[]> {
  const rows = ['| crc32 | key | million hashes/s |', '|---|---:|---:|']
  const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32
  for (const size of [8, 36, 64, 96, 128, 256]) {
    const keys = Array.from({ length: 1000 }, () => randomBytes(size))
    const paths: Array<[string, (data: Uint8Array) => number]> = [['table', tableCrc32], ...(zlibCrc32 ? [['zlib.crc32', zlibCrc32] as [string, (data: Uint8Array) => number]] : [])]
    for (const [name, fn] of paths) {
      const rate = await median(async () => {
        const start = process.hrtime.bigint()
        for (let r = 0; r < 1000; r++) for (const key of keys) sink = (sink + fn(key)) | 0
        return (1000 * keys.length) / 1e6 / (Number(process.hrtime.bigint() - start) / 1e9)
      })
      rows.push(`| ${name} | ${size} B | ${rate.toFixed(1)} |`)
    }
  }
  return rows
}

async function main(): Promise<void> {
  console.log(`Node ${process.version}, zstd ${process.versions.zstd ?? 'not in node:zlib'}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}`)
  console.log([...(await zstdTable()), '', ...(await crcTable()), '', `(checksum ${sink >>> 0})`].join('\n'))
}

void main()
