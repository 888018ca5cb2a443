/**
 * Retrying with backoff under a deadline: the one retry loop of the writer. kafkajs' own retrier is switched off
 * for the writer's client (client-options.ts), so a broker that is down costs one connection attempt per round
 * here, never kafkajs' retries times ours.
 */
import { KafkaPipeError, TimeoutError } from '../errors'
import { INT32_MAX } from '../options/fields'
import { fromKafkajs } from './kafkajs-error'

export interface RetryPolicy {
  /** First backoff, ms; doubles per attempt up to `maxBackoff`. */
  backoff: number
  maxBackoff: number
  /** Attempts before giving up (Infinity: the deadline alone decides). */
  maxAttempts: number
  /** The time from the first attempt to success or final failure, ms. */
  timeout: number
  /** The option that set `timeout`, named in the error when it passes. */
  timeoutOption: string
  /** The option's value, when `timeout` is what is left of it (default `timeout`). */
  limit?: number
}

/** The wait before attempt `attempt + 1`: `backoff` doubling per attempt, up to `maxBackoff`, with ±20% jitter. */
export function backoffDelay(policy: Pick<RetryPolicy, 'backoff' | 'maxBackoff'>, attempt: number, random = Math.random()): number {
  // Jitter may take a maximal maxBackoff past what Node's timers take (they would fire at once): clamp it.
  return Math.min(INT32_MAX, Math.min(policy.maxBackoff, policy.backoff * 2 ** (attempt - 1)) * (0.8 + random * 0.4))
}

/**
 * Runs `attempt` until it resolves. Retriable failures are tried again after a backoff while attempts and time
 * are left; the result is the typed error (fromKafkajs) of the last failure, or a TimeoutError once `timeout`
 * passed. An attempt still running at the deadline is abandoned (its outcome ignored), so this never outlasts
 * the deadline.
 */
export function retryUntil<T>(policy: RetryPolicy, doing: string, attempt: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let attempts = 0
    let last: KafkaPipeError | undefined
    let retryTimer: NodeJS.Timeout | undefined
    let done = false
    const finish = (error: Error | undefined, value?: T): void => {
      if (done) return
      done = true
      clearTimeout(deadlineTimer)
      clearTimeout(retryTimer)
      if (error) reject(error)
      else resolve(value as T)
    }
    const deadlineTimer = setTimeout(
      () => finish(new TimeoutError(doing, policy.timeoutOption, policy.limit ?? policy.timeout, attempts, last)),
      policy.timeout,
    )
    const run = (): void => {
      attempts++
      attempt().then(
        (value) => finish(undefined, value),
        (err: unknown) => {
          if (done) return
          last = fromKafkajs(err, doing)
          if (!last.retriable || attempts >= policy.maxAttempts) return finish(last)
          retryTimer = setTimeout(run, backoffDelay(policy, attempts))
        },
      )
    }
    run()
  })
}
