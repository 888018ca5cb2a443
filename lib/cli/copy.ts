import { once } from 'node:events'
import type { Message } from '../message'
import { KafkaReadable, type ConsumedMessage } from '../readable'
import { KafkaWritable } from '../writable'
import { BALANCERS } from './balancer-names'
import { clientOptions } from './brokers'
import { copyOptions } from './copy-options'
import { ExitCode, type ExitCodeValue } from './exit-codes'
import type { CliIO } from './io'
import { loadMap, mapInput, type MapFunction } from './map-module'
import { pull } from './pull'
import { startProgress } from './progress'
import { formatCopySummary } from './summary'

type Consumed = ConsumedMessage<Buffer | null, Buffer | null>

/**
 * `kafka-pipe copy`: a group KafkaReadable into a KafkaWritable. Each copy carries its source's `ack`, which the
 * writer calls once the broker stored it, so a source offset is committed only after its copies are stored. On a
 * signal or at `--until`, reading stops, the writer flushes, and the reader commits what was acked.
 *
 * With `--transactional-id` both get that transactionalId: the writer commits the source offsets inside its
 * transactions (the reader commits nothing), so its last commit, in `end()`, is the copy's last one too.
 */
export async function copy(argv: string[], io: CliIO): Promise<ExitCodeValue> {
  const o = copyOptions(argv, io.env)
  const map = o.map === undefined ? undefined : await loadMap(o.map)
  const started = performance.now()
  const client = clientOptions(o.brokers, o.security, o.debug)
  const transactional = o.transactionalId === undefined ? {} : { transactionalId: o.transactionalId }
  const reader = new KafkaReadable<Buffer | null, Buffer | null>({
    ...client,
    groupId: o.groupId,
    topics: [o.from],
    fromBeginning: o.fromBeginning,
    ...(o.until === undefined ? {} : { until: o.until }),
    ...transactional,
  })
  const writer = new KafkaWritable({
    ...client,
    topic: o.to,
    balancer: BALANCERS[o.balancer](),
    compression: o.compression,
    requiredAcks: o.acks,
    ...o.writer,
    ...transactional,
  })
  const readerClosed = new Promise<void>((resolve) => reader.once('close', () => resolve()))
  const writerClosed = new Promise<void>((resolve) => writer.once('close', () => resolve()))
  let failure: unknown
  let read = 0
  let stored = 0
  let transactions = 0
  reader.on('error', (err: Error) => (failure ??= err))
  writer.on('error', (err: Error) => (failure ??= err))
  // In a transaction a stored copy still counts for nothing until its transaction commits (an abort takes it back).
  if (o.transactionalId === undefined) {
    writer.on('delivery', ({ count }) => (stored += count))
  } else {
    writer.on('commit', ({ messages }) => {
      stored += messages
      transactions++
    })
  }
  const stopping = new AbortController()
  const stop = (): void => stopping.abort()
  void io.signals.stopped.then(stop)
  void writerClosed.then(stop)

  const progress = startProgress(io.stderr, o.quiet, 'copied', { records: () => stored, lag: () => reader.lag() })
  try {
    for await (const message of pull<Consumed>(reader, stopping.signal)) {
      read++
      const copies = map === undefined ? [verbatim(message)] : await mapped(map, message)
      const room = o.transactionalId === undefined ? writeAll(writer, copies, message.ack) : writeInTransaction(writer, copies, message.ack)
      if (!room) await once(writer, 'drain', { signal: stopping.signal }).catch(() => {})
    }
  } catch (err) {
    failure ??= err
  }
  // Store what was read, then let the reader commit what the writer acked.
  if (!writer.destroyed) writer.end()
  await writerClosed
  if (!reader.destroyed) reader.destroy()
  await readerClosed
  progress.stop()
  if (!o.quiet) {
    const seconds = (performance.now() - started) / 1000
    io.stderr.write(formatCopySummary({ from: o.from, to: o.to, read, stored, seconds, transactions: o.transactionalId === undefined ? undefined : transactions }) + '\n')
  }
  if (failure !== undefined) throw failure
  return io.signals.code ?? ExitCode.ok
}

function verbatim(message: Consumed): Message {
  const headers: Record<string, Buffer | string> = {}
  for (const [name, value] of Object.entries(message.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value[value.length - 1]! : value
  return { key: message.key, value: message.value, headers, timestamp: message.timestamp }
}

async function mapped(map: MapFunction, message: Consumed): Promise<Message[]> {
  const result = await map(mapInput(message))
  if (result === null || result === undefined) return []
  return Array.isArray(result) ? result : [result]
}

/**
 * Writes the copies of one source message; the source is acked when the last of them was stored (at once when there
 * are none). Returns false when the writer wants to wait.
 */
function writeAll(writer: KafkaWritable, copies: Message[], ack: () => void): boolean {
  if (copies.length === 0) {
    ack()
    return true
  }
  let pending = copies.length
  const stored = (): void => {
    if (--pending === 0) ack()
  }
  let room = true
  for (const copy of copies) room = writer.write({ ...copy, ack: stored })
  return room
}

/**
 * Writes the copies of one source message to a transactional writer, each with the source's own `ack` (the writer
 * reads the source position from it; calling it is an error). A dropped message needs nothing: the next message of
 * its partition commits past it. Corked, so that the copies reach the writer in one `_writev` (the writer keeps the
 * copies of one source message in one transaction in any case: they share its ack).
 */
function writeInTransaction(writer: KafkaWritable, copies: Message[], ack: () => void): boolean {
  if (copies.length === 0) return true
  writer.cork()
  let room = true
  for (const copy of copies) room = writer.write({ ...copy, ack })
  writer.uncork()
  return room
}
