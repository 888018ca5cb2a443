/**
 * Retrying an offsets lookup of a group join through a broker restart or a coordinator move. kafkajs retries each
 * request a few times (about 10 s); a rolling restart can take longer than that, and the group rejoins meanwhile.
 */
import { KafkaPipeError } from '../errors'
import { fromKafkajs } from '../kafka/kafkajs-error'

const FIRST_BACKOFF = 200
const MAX_BACKOFF = 2000

/**
 * `work()`, again after a retriable failure for as long as `wanted()` (the join it serves is still the latest);
 * undefined once it is not. A failure that is not retriable rejects, typed, naming what was being `done`.
 */
export async function retryingWhile<T>(wanted: () => boolean, doing: string, work: () => Promise<T>): Promise<T | undefined> {
  for (let backoff = FIRST_BACKOFF; wanted(); backoff = Math.min(backoff * 2, MAX_BACKOFF)) {
    try {
      return await work()
    } catch (err) {
      const typed = fromKafkajs(err, doing)
      if (!typed.retriable || !fromClient(err)) throw typed
    }
    await new Promise((resolve) => setTimeout(resolve, backoff))
  }
  return undefined
}

function fromClient(error: unknown): boolean {
  if (error instanceof KafkaPipeError) return true
  const name = (error as { name?: unknown } | null)?.name
  return typeof name === 'string' && name.startsWith('KafkaJS')
}
