/** What a DeadlineQueue keeps: its deadline and its links (kept on the item, so queueing allocates nothing). */
export interface Due {
  deadlineAt: number
  prevDue: Due | undefined
  nextDue: Due | undefined
  queued: boolean
}

/**
 * Items that expire a fixed `timeout` after they were added, with ONE timer for all of them. Every item gets the
 * same timeout, so the order of adding is the order of expiring: the items form a list, oldest first, and the
 * timer waits for the oldest. Adding and removing are a few pointer moves (no timer per item, which costs more
 * than the rest of a batch's bookkeeping); the timer is unreferenced, since whatever an item waits for (a
 * request, a retry) keeps the process alive by itself.
 */
export class DeadlineQueue<T extends Due> {
  readonly #timeout: number
  readonly #expire: (item: T) => void
  #head: Due | undefined
  #tail: Due | undefined
  #timer: NodeJS.Timeout | undefined

  /** `expire` is called (once, after it left the queue) for each item still queued at its deadline. */
  constructor(timeout: number, expire: (item: T) => void) {
    this.#timeout = timeout
    this.#expire = expire
  }

  add(item: T, now = Date.now()): void {
    item.deadlineAt = now + this.#timeout
    item.prevDue = this.#tail
    item.nextDue = undefined
    item.queued = true
    if (this.#tail) this.#tail.nextDue = item
    else this.#head = item
    this.#tail = item
    if (this.#timer === undefined) this.#arm(this.#timeout)
  }

  remove(item: T): void {
    if (!item.queued) return
    item.queued = false
    if (item.prevDue) item.prevDue.nextDue = item.nextDue
    else this.#head = item.nextDue
    if (item.nextDue) item.nextDue.prevDue = item.prevDue
    else this.#tail = item.prevDue
    item.prevDue = item.nextDue = undefined
  }

  #arm(delay: number): void {
    this.#timer = setTimeout(() => this.#fire(), delay)
    this.#timer.unref()
  }

  #fire(): void {
    this.#timer = undefined
    const now = Date.now()
    while (this.#head && this.#head.deadlineAt <= now) {
      const item = this.#head as T
      this.remove(item)
      this.#expire(item)
    }
    if (this.#head) this.#arm(this.#head.deadlineAt - now)
  }
}
