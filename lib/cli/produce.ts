import { once } from 'node:events'
import { KafkaWritable } from '../writable'
import type { Message } from '../message'
import { BALANCERS } from './balancer-names'
import { clientOptions } from './brokers'
import { BadInputError, ExitCode, type ExitCodeValue } from './exit-codes'
import { DeadLetters } from './dead-letter'
import { openInput } from './input'
import type { BadLineHandler } from './input-lines'
import { inputSources } from './input-source'
import type { CliIO } from './io'
import { produceOptions } from './produce-options'
import { toMessage, type InputItem, type RecordShape } from './record'
import { startProgress } from './progress'
import { formatProduceSummary } from './summary'

/**
 * `kafka-pipe produce`: input records into a KafkaWritable, waiting for acknowledgements (acks all by default), so
 * exit 0 means the broker stored every record. Bad input, a signal, or the writer failing stop the reading; what was
 * written before is still flushed, and the summary says how many records the broker acknowledged.
 */
export async function produce(argv: string[], io: CliIO): Promise<ExitCodeValue> {
  const o = await produceOptions(argv, io.env)
  const started = performance.now()
  const client = clientOptions(o.brokers, o.security, o.debug)
  const writer = new KafkaWritable({
    ...client,
    topic: o.topic,
    balancer: BALANCERS[o.balancer](),
    compression: o.compression,
    requiredAcks: o.acks,
    ...(o.batchSize === undefined ? {} : { batchSize: o.batchSize }),
    ...o.writer,
  })
  let stored = 0
  const partitions = new Set<number>()
  writer.on('delivery', ({ partition, count }) => {
    stored += count
    partitions.add(partition)
  })
  let failure: Error | undefined
  writer.on('error', (err: Error) => (failure ??= err))
  const closed = new Promise<'closed'>((resolve) => writer.once('close', () => resolve('closed')))

  let skipped = 0
  const progress = startProgress(io.stderr, o.quiet, 'stored', { records: () => stored })
  const stop = new AbortController()
  const deadLetters = typeof o.onError === 'object' ? new DeadLetters(client, o.onError.deadLetterTopic) : undefined
  const onBadLine: BadLineHandler | undefined =
    o.onError === 'skip'
      ? (error) => {
          skipped++
          if (!o.quiet) progress.note(`kafka-pipe: skipped ${error.message}`)
        }
      : deadLetters === undefined
        ? undefined
        : (_error, bad) => deadLetters.write(bad, stop.signal)
  const input = openInput(inputSources(o.files, io.stdin), o.format, onBadLine, { key: o.key, timestamp: o.timestamp })
  const shape: RecordShape = { key: o.key, timestamp: o.timestamp, headers: o.headers }
  // A signal, or a writer closing after a failure, stops the reading: closing the input ends a pending read.
  const interrupt = (): void => {
    stop.abort()
    input.close()
  }
  void io.signals.stopped.then(interrupt)
  void closed.then(interrupt)
  void deadLetters?.closed.then(interrupt)
  let inputError: unknown
  try {
    await writeAll(input.items, writer, shape, onBadLine, stop.signal)
  } catch (err) {
    if (!stop.signal.aborted) inputError = err // else the read failed because it was cut short
  }
  input.close()
  if (!writer.destroyed) writer.end()
  await Promise.all([closed, deadLetters?.end()])
  progress.stop()

  if (!o.quiet) {
    const seconds = (performance.now() - started) / 1000
    const dead = deadLetters === undefined ? undefined : { topic: deadLetters.topic, stored: deadLetters.stored }
    io.stderr.write(formatProduceSummary({ topic: o.topic, records: stored, bytes: writer.stats().bytes, partitions: partitions.size, seconds, skipped, deadLetters: dead }) + '\n')
  }
  if (failure !== undefined) throw failure
  if (deadLetters?.failure !== undefined) throw deadLetters.failure
  if (inputError !== undefined) throw inputError
  return io.signals.code ?? ExitCode.ok
}

/** Writes every item's message, holding on backpressure, until the input ends or `stop` aborts. */
async function writeAll(
  batches: AsyncIterable<InputItem[]>,
  writer: KafkaWritable,
  shape: RecordShape,
  onBadInput: BadLineHandler | undefined,
  stop: AbortSignal,
): Promise<void> {
  for await (const batch of batches) {
    for (const item of batch) {
      if (stop.aborted) return
      let message: Message
      try {
        message = toMessage(item, shape)
      } catch (err) {
        if (!(err instanceof BadInputError) || onBadInput === undefined) throw err
        // A JSON line whose --key or --timestamp cannot be used: its own text is what the input held.
        const bytes = Buffer.isBuffer(item.value) ? Buffer.from(item.value) : Buffer.from(String(item.value))
        await onBadInput(err, { bytes, where: item.where, problem: err.message.slice(item.where.length + 2) })
        continue
      }
      if (!writer.write(message)) await once(writer, 'drain', { signal: stop }).catch(() => {})
    }
  }
}
