import type { Topics } from '../topics'

/** What every scenario gets from run.ts. */
export interface Context {
  topics: Topics
  /** Messages per run (the latency scenario goes by time instead). */
  count: number
  rounds: number
  /** A run that takes longer than this is killed and fails the bench. */
  timeoutMs: number
}

export const PARTITIONS = 6
