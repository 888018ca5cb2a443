import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { KafkaReadable } from '../readable'
import { clientOptions } from './brokers'
import { consumeOptions } from './consume-options'
import { ExitCode, type ExitCodeValue } from './exit-codes'
import type { CliIO } from './io'
import { messageLine, valueLine } from './output'
import { startProgress } from './progress'

/**
 * `kafka-pipe consume`: a KafkaReadable written to stdout as NDJSON. In a group, a message is acked (and so becomes
 * committable) only in the callback of its line's write, once stdout took it: what is committed was written. A
 * closed stdout (EPIPE: `| head`) or a signal ends the reader, which commits what was acked.
 */
export async function consume(argv: string[], io: CliIO): Promise<ExitCodeValue> {
  const o = consumeOptions(argv, io.env)
  const mode = o.mode
  const reader = new KafkaReadable<Buffer | null, Buffer | null>({
    ...clientOptions(o.brokers, o.security, o.debug),
    ...(mode.kind === 'group'
      ? { groupId: mode.groupId, topics: [o.topic], fromBeginning: mode.fromBeginning }
      : { topic: o.topic, partition: mode.partition, offset: mode.offset }),
    ...(o.until === undefined ? {} : { until: o.until }),
  })
  const closed = new Promise<void>((resolve) => reader.once('close', () => resolve()))
  let failure: unknown
  reader.on('error', (err: Error) => (failure ??= err))
  // A signal or a closed stdout: the reader is destroyed, which commits what was acked (written) so far.
  const stopping = new AbortController()
  const stop = (): void => {
    stopping.abort()
    reader.destroy()
  }
  const out = io.stdout
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') failure ??= err
    stop()
  })
  void io.signals.stopped.then(stop)

  const format = o.valueOnly ? valueLine : messageLine
  const line = (message: Parameters<typeof format>[0]): string => format(message, o.encoding)
  let count = 0
  const progress = startProgress(io.stderr, o.quiet, 'written', { records: () => count, lag: () => reader.lag() })
  try {
    for await (const message of reader.iterator({ destroyOnReturn: false }) as AsyncIterable<Parameters<typeof line>[0]>) {
      if (stopping.signal.aborted) break
      const room = out.write(line(message) + '\n', (err) => {
        if (!err) message.ack()
      })
      count++
      if (o.max !== undefined && count >= o.max) break
      if (!room) await once(out, 'drain', { signal: stopping.signal }).catch(() => {})
    }
  } catch (err) {
    if (!stopping.signal.aborted) failure ??= err // else the reader was destroyed on purpose
  }
  if (!stopping.signal.aborted) await flushed(out)
  if (!reader.destroyed) reader.destroy()
  await closed
  progress.stop()
  if (failure !== undefined) throw failure
  return io.signals.code ?? ExitCode.ok
}

/** Resolves once every line written so far left Node's buffer (their callbacks, and so their acks, ran). */
function flushed(out: Writable): Promise<void> {
  return new Promise((resolve) => out.write('', () => resolve()))
}
