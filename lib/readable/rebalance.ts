/** Errors that mean this member's group generation is over: a rebalance started, or the member was dropped. */
const REBALANCE_TYPES = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'NOT_COORDINATOR_FOR_GROUP', 'FENCED_INSTANCE_ID'])

/** True for kafkajs errors (also wrapped by its retrier) that a rejoin answers. */
export function isRebalanceError(error: unknown): boolean {
  for (let e = error as { type?: unknown; originalError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.type === 'string' && REBALANCE_TYPES.has(e.type)) return true
    e = (e.originalError ?? e.cause) as typeof e
  }
  return false
}
