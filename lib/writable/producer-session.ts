/**
 * The idempotent producer's identity and sequence numbers (KIP-98): a producer id and epoch from the broker
 * (InitProducerId), and per partition the sequence number of the next record. A batch carries the sequence of
 * its first record; the broker keeps the last five per producer and partition, so a batch sent twice (a retry
 * after a lost answer) is stored once, and a gap is refused (OUT_OF_ORDER_SEQUENCE_NUMBER). The writer keeps at
 * most one request in flight per partition, so the sequences of a partition are taken and given back in order.
 */

export interface ProducerIds {
  producerId: bigint
  producerEpoch: number
}

/** Sequences wrap from 2^31 - 1 to 0, as the broker expects (DefaultRecordBatch.incrementSequence). */
const MAX_SEQUENCE = 0x7fffffff

export function addSequence(base: number, delta: number): number {
  return base > MAX_SEQUENCE - delta ? delta - (MAX_SEQUENCE - base) - 1 : base + delta
}

export class ProducerSession {
  readonly #init: () => Promise<ProducerIds>
  #ids: ProducerIds | undefined
  #pending: Promise<ProducerIds> | undefined
  readonly #next = new Map<string, number>()

  /** @param init asks a broker for a new producer id and epoch. */
  constructor(init: () => Promise<ProducerIds>) {
    this.#init = init
  }

  /** The current ids, or undefined before the first ensure(). */
  get ids(): ProducerIds | undefined {
    return this.#ids
  }

  /** The producer's ids, asking the broker once if there are none yet (concurrent callers share the request). */
  ensure(): Promise<ProducerIds> {
    if (this.#ids) return Promise.resolve(this.#ids)
    this.#pending ??= this.#init().then(
      (ids) => {
        this.#ids = ids
        this.#next.clear()
        this.#pending = undefined
        return ids
      },
      (err: unknown) => {
        this.#pending = undefined
        throw err
      },
    )
    return this.#pending
  }

  /**
   * Drops the producer id `stale` (the broker forgot it, or saw our sequences out of order): the next ensure()
   * gets a new one and every partition starts again at sequence 0. A no-op if the id was already replaced, so
   * several batches failing at once cause one reset.
   */
  reset(stale: bigint): void {
    if (this.#ids?.producerId === stale) this.#ids = undefined
  }

  /** The base sequence for a batch of `count` records to `partition` (a topic-partition key); advances it. */
  take(partition: string, count: number): number {
    const base = this.#next.get(partition) ?? 0
    this.#next.set(partition, addSequence(base, count))
    return base
  }

  /**
   * A batch the broker certainly did not store gives its sequence back, so the partition's next batch does not
   * leave a gap. Only the last sequence taken can be given back (one request in flight per partition).
   */
  giveBack(partition: string, base: number, count: number): void {
    if (this.#next.get(partition) === addSequence(base, count)) this.#next.set(partition, base)
  }
}
