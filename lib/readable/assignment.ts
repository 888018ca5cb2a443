/** The partitions a reader owns, as kafkajs' GROUP_JOIN reports them, and which of them `until` finished. */
import type { IMemberAssignment } from '../kafka/kafkajs'
import type { Assignment } from './progress'
import { partitionKey } from '../kafka/partition-key'

export class Assignments {
  #current: Assignment[] = []
  /** Partitions whose `until` end was reached: they stay paused, also if they come back after a rebalance. */
  readonly #finished = new Set<string>()

  /** Takes a new assignment and returns the partitions that were owned before and are not any more. */
  replace(memberAssignment: IMemberAssignment): Array<{ topic: string; partition: number }> {
    const next = Object.entries(memberAssignment).map(([topic, partitions]) => ({ topic, partitions: [...partitions] }))
    const kept = new Set(next.flatMap(({ topic, partitions }) => partitions.map((p) => partitionKey(topic, p))))
    const lost = this.#current.flatMap(({ topic, partitions }) =>
      partitions.filter((p) => !kept.has(partitionKey(topic, p))).map((partition) => ({ topic, partition })),
    )
    this.#current = next
    return lost
  }

  /** Every owned partition (a copy). */
  all(): Assignment[] {
    return this.#current.map(({ topic, partitions }) => ({ topic, partitions: [...partitions] }))
  }

  finish(topic: string, partition: number): void {
    this.#finished.add(partitionKey(topic, partition))
  }

  /** The partition must be read again (a transactional reader rewound): true if `until` had finished it. */
  unfinish(topic: string, partition: number): boolean {
    return this.#finished.delete(partitionKey(topic, partition))
  }

  /** Owned partitions that `until` did not finish: what pausing and resuming apply to. */
  unfinished(): Assignment[] {
    return this.#current
      .map(({ topic, partitions }) => ({ topic, partitions: partitions.filter((p) => !this.#finished.has(partitionKey(topic, p))) }))
      .filter((a) => a.partitions.length > 0)
  }
}
