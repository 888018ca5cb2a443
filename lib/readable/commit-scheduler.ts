/**
 * Coalesces offset commits: acks only wake the scheduler, which commits what the tracker holds at most once per
 * `commitInterval`, with never more than one commit in flight. Acks that arrive during a commit go into the next.
 */
import { InvalidOptionError, KafkaPipeError } from '../errors'
import type { OffsetTracker, TopicPartitionOffset } from './offset-tracker'
import { INT32_MAX } from '../options/fields'

/** The timer functions the scheduler uses; tests pass fakes so that nothing sleeps. */
export interface SchedulerTimers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface CommitSchedulerOptions {
  /** Where committable offsets come from and where accepted ones are recorded. */
  tracker: Pick<OffsetTracker, 'committable' | 'hasCommittable' | 'markCommitted'>
  /** Commits offsets (Kafka's convention: the next offset to read). Resolves once the broker accepted them. */
  commit: (offsets: TopicPartitionOffset[]) => Promise<void>
  /**
   * Milliseconds from the first uncommitted ack to its commit; acks in between share the commit. 0 commits after
   * each synchronous run of acks (one microtask later). At most 2147483647 (what a Node timer can wait).
   */
  commitInterval: number
  /**
   * Told about a commit that failed outside `flush()`. The offsets stay committable: with a `commitInterval` the
   * next try comes one interval later, with 0 at the next ack or `flush()`. The owner decides whether to give up.
   * It must not throw (it runs in a promise callback; a throw would be an unhandled rejection).
   */
  onError: (error: unknown, offsets: TopicPartitionOffset[]) => void
  /** Default: Node's global `setTimeout` / `clearTimeout`. */
  timers?: SchedulerTimers
}

const nodeTimers: SchedulerTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

/** What one commit attempt came to: undefined when the broker accepted it. */
type Outcome = { error: unknown } | undefined

/**
 * Wire it to the tracker through `onAdvance`:
 * `const tracker = new OffsetTracker({ onAdvance: () => scheduler.schedule() })`.
 */
export class CommitScheduler {
  readonly #tracker: CommitSchedulerOptions['tracker']
  readonly #commit: CommitSchedulerOptions['commit']
  readonly #interval: number
  readonly #onError: CommitSchedulerOptions['onError']
  readonly #timers: SchedulerTimers
  /** Boxed because a timer handle may be any value, even undefined. */
  #timer: { handle: unknown } | undefined
  #microtaskQueued = false
  #inFlight: Promise<Outcome> | undefined
  /** Flushes under way; while there are any, only they start commits, so a steady stream of acks cannot starve them. */
  #flushes = 0
  #closed = false

  constructor(options: CommitSchedulerOptions) {
    const interval = options.commitInterval
    if (typeof interval !== 'number' || !(interval >= 0 && interval <= INT32_MAX)) {
      throw new InvalidOptionError('commitInterval', interval, `a number of milliseconds from 0 to ${INT32_MAX}`)
    }
    this.#tracker = options.tracker
    this.#commit = options.commit
    this.#interval = interval
    this.#onError = options.onError
    this.#timers = options.timers ?? nodeTimers
  }

  /** Something may have become committable: arrange a commit. Cheap enough to call on every ack. */
  schedule(): void {
    // A commit in flight looks at the tracker again when it settles.
    if (this.#closed || this.#inFlight !== undefined) return
    if (this.#interval === 0) {
      if (this.#microtaskQueued) return
      this.#microtaskQueued = true
      queueMicrotask(() => {
        this.#microtaskQueued = false
        this.#tick()
      })
    } else if (this.#timer === undefined) {
      const handle = this.#timers.setTimeout(() => {
        this.#timer = undefined
        this.#tick()
      }, this.#interval)
      this.#timer = { handle }
    }
  }

  /**
   * Commits everything committable now and resolves when the broker accepted it, after waiting for a commit in
   * flight. Rejects with the commit's error (not passed to `onError`); the offsets then stay committable.
   * After `close()` it resolves when nothing is left to commit and otherwise rejects with ERR_KAFKA_PIPE_CLOSED.
   */
  async flush(): Promise<void> {
    this.#cancelTimer()
    this.#flushes++
    try {
      while (this.#inFlight !== undefined) await this.#inFlight
      if (this.#closed) {
        if (!this.#tracker.hasCommittable()) return
        throw new KafkaPipeError(
          'ERR_KAFKA_PIPE_CLOSED',
          'cannot commit offsets after the commit scheduler was closed; flush before closing',
        )
      }
      const offsets = this.#tracker.committable()
      if (offsets.length === 0) return
      const outcome = await this.#start(offsets)
      if (outcome !== undefined) throw outcome.error
    } finally {
      this.#flushes--
      // acks that came during the flush were held back for it; hand them to the regular schedule
      if (this.#flushes === 0 && this.#tracker.hasCommittable()) this.schedule()
    }
  }

  /** Stops scheduling and clears the timer. A commit already in flight still settles (and reports a failure). */
  close(): void {
    this.#closed = true
    this.#cancelTimer()
  }

  #tick(): void {
    if (this.#closed || this.#inFlight !== undefined || this.#flushes > 0) return
    const offsets = this.#tracker.committable()
    if (offsets.length === 0) return
    void this.#start(offsets).then((outcome) => {
      if (outcome !== undefined) this.#onError(outcome.error, offsets)
    })
  }

  #start(offsets: TopicPartitionOffset[]): Promise<Outcome> {
    const inFlight = this.#attempt(offsets).then((outcome) => {
      this.#inFlight = undefined
      // After a failure, only a timer retries by itself: with commitInterval 0 an immediate retry would spin.
      if ((outcome === undefined || this.#interval > 0) && this.#tracker.hasCommittable()) this.schedule()
      return outcome
    })
    this.#inFlight = inFlight
    return inFlight
  }

  async #attempt(offsets: TopicPartitionOffset[]): Promise<Outcome> {
    try {
      await this.#commit(offsets)
    } catch (error) {
      return { error }
    }
    this.#tracker.markCommitted(offsets)
    return undefined
  }

  #cancelTimer(): void {
    if (this.#timer === undefined) return
    this.#timers.clearTimeout(this.#timer.handle)
    this.#timer = undefined
  }
}
