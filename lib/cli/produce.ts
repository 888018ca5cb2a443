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
  const stop = io.signals.stopped.then(() => 'stopped' as const)
  let inputError: unknown
  try {
    await writeAll(input.items, writer, shape, onBadLine, Promise.race([stop, closed]))
  } catch (err) {
    inputError = err
  }
  input.close()
  if (!writer.destroyed) writer.end()
  await closed

  if (!o.quiet) {
    const seconds = (performance.now() - started) / 1000
    io.stderr.write(formatProduceSummary({ topic: o.topic, records: stored, bytes: writer.stats().bytes, partitions: partitions.size, seconds, skipped }) + '\n')
  }
  if (failure !== undefined) throw failure
  if (inputError !== undefined && io.signals.code === undefined) throw inputError
  return io.signals.code ?? ExitCode.ok
}

/**
 * Writes every item's message, holding on backpressure, until the input ends or `interrupted` settles (a signal,
 * or the writer closing after a failure). A pending read is abandoned then, not awaited: stdin may never send more.
 */
async function writeAll(
  items: AsyncGenerator<InputItem>,
  writer: KafkaWritable,
  shape: RecordShape,
  onBadInput: ((error: BadInputError) => void) | undefined,
  interrupted: Promise<unknown>,
): Promise<void> {
  let stop = false
  void interrupted.then(() => (stop = true))
  for (;;) {
    const pending = items.next()
    pending.catch(() => {}) // abandoned when interrupted; its error is not ours to report then
    const next = await Promise.race([pending, interrupted.then(() => undefined)])
    if (next === undefined || next.done || stop) return
    let message: Message
    try {
      message = toMessage(next.value, shape)
    } catch (err) {
      if (!(err instanceof BadInputError) || onBadInput === undefined) throw err
      onBadInput(err)
      continue
    }
    if (!writer.write(message)) {
      await Promise.race([new Promise((resolve) => writer.once('drain', resolve)), interrupted])
    }
  }
}
