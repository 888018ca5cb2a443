import type { SchedulerTimers } from '../../lib/readable/commit-scheduler'

/** Timers that fire only when the test advances the clock, so scheduler tests never sleep. */
export class FakeTimers implements SchedulerTimers {
  #now = 0
  #nextId = 1
  readonly #pending = new Map<number, { at: number; callback: () => void }>()

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++
    this.#pending.set(id, { at: this.#now + ms, callback })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number)
  }

  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.#pending.size
  }

  /** Moves the clock forward and fires, in order, every timer that became due. */
  advance(ms: number): void {
    const until = this.#now + ms
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined
      for (const entry of this.#pending) {
        if (entry[1].at <= until && (next === undefined || entry[1].at < next[1].at)) next = entry
      }
      if (next === undefined) break
      this.#pending.delete(next[0])
      this.#now = next[1].at
      next[1].callback()
    }
    this.#now = until
  }
}

/** A promise with its settle functions, to hold a fake commit in flight. */
export interface Deferred {
  promise: Promise<void>
  resolve(): void
  reject(error: unknown): void
}

export function deferred(): Deferred {
  let resolve!: () => void
  let reject!: (error: unknown) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Lets every queued microtask and promise continuation run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
