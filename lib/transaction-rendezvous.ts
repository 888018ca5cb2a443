/**
 * Where a transactional KafkaReadable and its KafkaWritable meet in one process.
 *
 * A reader waits for its writer before reading. It must not fetch
 * its group's committed offsets before the writer got its producer epoch (InitProducerId): that call returns only
 * once the previous instance's last transaction is complete (committed or aborted), and with it the offsets that
 * transaction committed. Read earlier, a reader could start from offsets a committing transaction is about to
 * move, and copy those messages twice. (Kafka 2.5+ solves this on the wire with KIP-447's stable offset fetch,
 * which kafkajs does not send.)
 *
 * A writer that aborted a transaction has the readers read again: each one drops what it read since (the writer
 * drops it too, by its generation) and, once the abort is complete, goes back to the group's committed offsets.
 */
import { TransactionError } from './errors'

const ready = new Map<string, number>()
const waiters = new Map<string, Array<() => void>>()

/** A writer with this transactionalId got its producer epoch. */
export function writerReady(transactionalId: string): void {
  ready.set(transactionalId, (ready.get(transactionalId) ?? 0) + 1)
  for (const wake of waiters.get(transactionalId)?.splice(0) ?? []) wake()
}

/** A writer that was ready closed. */
export function writerGone(transactionalId: string): void {
  const count = (ready.get(transactionalId) ?? 1) - 1
  if (count > 0) ready.set(transactionalId, count)
  else ready.delete(transactionalId)
}

/** Resolves once a writer with this transactionalId is ready; rejects with a TransactionError after `timeout` ms. */
export function whenWriterReady(transactionalId: string, timeout: number): Promise<void> {
  if (ready.has(transactionalId)) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const list = waiters.get(transactionalId) ?? []
    waiters.set(transactionalId, list)
    const wake = (): void => {
      clearTimeout(timer)
      resolve()
    }
    const timer = setTimeout(() => {
      list.splice(list.indexOf(wake) >>> 0, 1)
      reject(
        new TransactionError(
          `no KafkaWritable with transactionalId "${transactionalId}" got ready in this process within ${timeout} ms, so the ` +
            'KafkaReadable with that transactionalId did not start reading: pipe it into new KafkaWritable({ transactionalId: ' +
            `"${transactionalId}", ... }), or drop "transactionalId" from the reader for an at-least-once pipeline`,
        ),
      )
    }, timeout)
    // A reader destroyed while it waits (its writer failed to connect) must not keep the process alive.
    timer.unref()
    list.push(wake)
  })
}

/** A transactional reader, as a writer that aborted a transaction sees it. */
export interface RewindableReader {
  /**
   * Everything read so far is stale; once `aborted` resolves (the transaction is complete and the committed offsets
   * final), reads every assigned partition again from its committed offset. False when this reader cannot (it ended).
   */
  rewind(aborted: Promise<void>): boolean
}

const readers = new Map<string, Set<RewindableReader>>()

/** A transactional reader started (its writer may ask it to read again). */
export function readerOpened(transactionalId: string, reader: RewindableReader): void {
  let set = readers.get(transactionalId)
  if (!set) readers.set(transactionalId, (set = new Set()))
  set.add(reader)
}

export function readerClosed(transactionalId: string, reader: RewindableReader): void {
  const set = readers.get(transactionalId)
  set?.delete(reader)
  if (set?.size === 0) readers.delete(transactionalId)
}

/** Asks every reader of this transactionalId to read again (see RewindableReader); false if there is none or one cannot. */
export function rewindReaders(transactionalId: string, aborted: Promise<void>): boolean {
  const set = readers.get(transactionalId)
  let all = set !== undefined && set.size > 0
  for (const reader of set ?? []) if (!reader.rewind(aborted)) all = false
  return all
}
