/**
 * The delivered, not yet committable offsets of one partition assignment, oldest first: a ring of doubles (offsets
 * relative to the assignment's first one, so exact up to 2^53 records apart) and done flags, which grows and shrinks
 * by halves. Nine bytes per outstanding message and no allocation per message: in-order acks, the common case,
 * remove their entry at once, so the ring stays as small as what the sink holds unacked.
 */
export class OutstandingQueue {
  static readonly MIN_CAPACITY = 16
  #offsets = new Float64Array(OutstandingQueue.MIN_CAPACITY)
  #done = new Uint8Array(OutstandingQueue.MIN_CAPACITY)
  #head = 0
  #length = 0
  /** Sequence number of the entry at #head; entries are numbered 0, 1, 2, ... in delivery order. */
  #headSeq = 0

  /** Entries not removed yet (done or not). */
  get length(): number {
    return this.#length
  }

  /** Appends a relative offset (>= 0) and returns its sequence number. */
  push(offset: number): number {
    if (this.#length === this.#offsets.length) this.#resize(this.#offsets.length * 2)
    const index = (this.#head + this.#length) & (this.#offsets.length - 1)
    this.#offsets[index] = offset
    this.#done[index] = 0
    this.#length++
    return this.#headSeq + this.#length - 1
  }

  /** Whether `seq` was pushed and is not done yet. */
  pending(seq: number): boolean {
    const distance = seq - this.#headSeq
    if (!(distance >= 0 && distance < this.#length)) return false
    return this.#done[(this.#head + distance) & (this.#offsets.length - 1)] === 0
  }

  /**
   * Marks a pending entry done and removes the done prefix; returns the last removed offset, or -1 when the entry
   * is not at the head (nothing removed).
   */
  markDone(seq: number): number {
    const mask = this.#offsets.length - 1
    this.#done[(this.#head + seq - this.#headSeq) & mask] = 1
    if (seq !== this.#headSeq) return -1
    let last = -1
    while (this.#length > 0 && this.#done[this.#head] === 1) {
      last = this.#offsets[this.#head]!
      this.#head = (this.#head + 1) & mask
      this.#length--
      this.#headSeq++
    }
    // Halving at a quarter full keeps memory proportional to what is outstanding, at amortized O(1) per entry.
    const capacity = this.#offsets.length
    if (capacity > OutstandingQueue.MIN_CAPACITY && this.#length <= capacity / 4) this.#resize(capacity / 2)
    return last
  }

  #resize(capacity: number): void {
    const offsets = new Float64Array(capacity)
    const done = new Uint8Array(capacity)
    const mask = this.#offsets.length - 1
    for (let i = 0; i < this.#length; i++) {
      offsets[i] = this.#offsets[(this.#head + i) & mask]!
      done[i] = this.#done[(this.#head + i) & mask]!
    }
    this.#offsets = offsets
    this.#done = done
    this.#head = 0
  }
}
