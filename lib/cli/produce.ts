import { once } from 'node:events'
import { KafkaWritable } from '../writable'
import type { Message } from '../message'
import { BALANCERS } from './balancer-names'
import { clientOptions } from './brokers'
import { BadInputError, ExitCode, type ExitCodeValue } from './exit-codes'
import { openInput } from './input'
import { inputSources } from './input-source'
import type { CliIO } from './io'
import { produceOptions } from './produce-options'
import { toMessage, type InputItem, type RecordShape } from './record'
import { formatProduceSummary } from './summary'

/**
 * `kafka-pipe produce`: input records into a KafkaWritable, waiting for acknowledgements (acks all by default), so
 * exit 0 means the broker stored every record. Bad input, a signal, or the writer failing stop the reading; what was
 * written before is still flushed, and the summary says how many records the broker acknowledged.
 */
export async function produce(argv: string[], io: CliIO): Promise<ExitCodeValue> {
  const o = await produceOptions(argv, io.env)
  const started = performance.now()
  const writer = new KafkaWritable({
    ...clientOptions(o.brokers, o.debug),
    topic: o.topic,
    balancer: BALANCERS[o.balancer](),
    compression: o.compression,
    requiredAcks: o.acks,
    ...(o.batchSize === undefined ? {} : { batchSize: o.batchSize }),
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
  const onBadLine = o.skipBadLines
    ? (error: BadInputError) => {
        skipped++
        if (!o.quiet) io.stderr.write(`kafka-pipe: skipped ${error.message}\n`)
      }
    : undefined
  const input = openInput(inputSources(o.files, io.stdin), o.format, onBadLine)
  const shape: RecordShape = { key: o.key, timestamp: o.timestamp, headers: o.headers }
  // A signal, or the writer closing after a failure, stops the reading: closing the input ends a pending read.
  const stop = new AbortController()
  const interrupt = (): void => {
    stop.abort()
    input.close()
  }
  void io.signals.stopped.then(interrupt)
  void closed.then(interrupt)
  let inputError: unknown
  try {
    await writeAll(input.items, writer, shape, onBadLine, stop.signal)
  } catch (err) {
    if (!stop.signal.aborted) inputError = err // else the read failed because it was cut short
  }
  input.close()
  if (!writer.destroyed) writer.end()
  await closed

  if (!o.quiet) {
    const seconds = (performance.now() - started) / 1000
    io.stderr.write(formatProduceSummary({ topic: o.topic, records: stored, bytes: writer.stats().bytes, partitions: partitions.size, seconds, skipped }) + '\n')
  }
  if (failure !== undefined) throw failure
  if (inputError !== undefined) throw inputError
  return io.signals.code ?? ExitCode.ok
}

/** Writes every item's message, holding on backpressure, until the input ends or `stop` aborts. */
async function writeAll(
  items: AsyncIterable<InputItem>,
  writer: KafkaWritable,
  shape: RecordShape,
  onBadInput: ((error: BadInputError) => void) | undefined,
  stop: AbortSignal,
): Promise<void> {
  for await (const item of items) {
    if (stop.aborted) return
    let message: Message
    try {
      message = toMessage(item, shape)
    } catch (err) {
      if (!(err instanceof BadInputError) || onBadInput === undefined) throw err
      onBadInput(err)
      continue
    }
    if (!writer.write(message)) await once(writer, 'drain', { signal: stop }).catch(() => {})
  }
}
