/** Counters since the previous stats() call, and gauges of now (kafka-go's WriterStats, in the same spirit). */
export interface WriterStats {
  /** Produce requests sent (one per leader broker, carrying the batches ready for its partitions at that moment). */
  writes: number
  messages: number
  /** Record bytes as encoded, before compression. */
  bytes: number
  /** Partition batches sent, and how many of them failed for good. */
  batches: number
  errors: number
  /**
   * Messages of aborted transactions that were dropped instead of sent (transactionalId): the reader reads them
   * again from the last committed offsets.
   */
  discarded: number
  batchSize: Summary
  batchBytes: Summary
  /** Milliseconds from a batch's first message to its acknowledgement. */
  batchTime: Summary
  /** Milliseconds from sending a batch to its acknowledgement, retries included. */
  writeTime: Summary
  /** Messages queued or on the wire, not yet acknowledged (a gauge). */
  pending: number
  /** Bytes queued or on the wire (a gauge). */
  pendingBytes: number
}

export interface Summary {
  count: number
  min: number
  max: number
  avg: number
}

class Collector {
  count = 0
  sum = 0
  min = Infinity
  max = -Infinity

  observe(value: number): void {
    this.count++
    this.sum += value
    if (value < this.min) this.min = value
    if (value > this.max) this.max = value
  }

  summary(): Summary {
    return this.count === 0
      ? { count: 0, min: 0, max: 0, avg: 0 }
      : { count: this.count, min: this.min, max: this.max, avg: this.sum / this.count }
  }
}

export class StatsRecorder {
  #requestsSeen = 0
  #messages = 0
  #bytes = 0
  #batches = 0
  #errors = 0
  #discarded = 0
  #batchSize = new Collector()
  #batchBytes = new Collector()
  #batchTime = new Collector()
  #writeTime = new Collector()

  batch(size: number, bytes: number, ageMs: number, sendMs: number, failed: boolean): void {
    this.#batches++
    this.#writeTime.observe(sendMs)
    this.#batchSize.observe(size)
    this.#batchBytes.observe(bytes)
    this.#batchTime.observe(ageMs)
    if (failed) this.#errors++
    else {
      this.#messages += size
      this.#bytes += bytes
    }
  }

  discard(size: number): void {
    this.#discarded += size
  }

  /** Returns the counters and starts new ones. `requests` is the client's running count of produce requests. */
  take(requests: number, pending: number, pendingBytes: number): WriterStats {
    const stats: WriterStats = {
      writes: requests - this.#requestsSeen,
      messages: this.#messages,
      bytes: this.#bytes,
      batches: this.#batches,
      errors: this.#errors,
      discarded: this.#discarded,
      batchSize: this.#batchSize.summary(),
      batchBytes: this.#batchBytes.summary(),
      batchTime: this.#batchTime.summary(),
      writeTime: this.#writeTime.summary(),
      pending,
      pendingBytes,
    }
    this.#requestsSeen = requests
    this.#messages = this.#bytes = this.#batches = this.#errors = this.#discarded = 0
    this.#batchSize = new Collector()
    this.#batchBytes = new Collector()
    this.#batchTime = new Collector()
    this.#writeTime = new Collector()
    return stats
  }
}
