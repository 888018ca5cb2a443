/** What `produce` reports on stderr when it is done. */
export interface ProduceSummary {
  topic: string
  /** Records the broker acknowledged. */
  records: number
  /** Record bytes as encoded, before compression. */
  bytes: number
  partitions: number
  seconds: number
  /** Input lines skipped with `--on-error skip`. */
  skipped: number
  /** With `--on-error dlq=TOPIC`: the dead letters the broker stored there. */
  deadLetters?: { topic: string; stored: number } | undefined
}

export function formatProduceSummary(s: ProduceSummary): string {
  const rate = s.seconds > 0 ? Math.round(s.records / s.seconds) : s.records
  const skipped = s.skipped > 0 ? `, skipped ${s.skipped} bad lines` : ''
  const dead = s.deadLetters === undefined ? '' : `, ${s.deadLetters.stored} bad lines in ${s.deadLetters.topic}`
  return (
    `kafka-pipe: stored ${s.records} records (${formatBytes(s.bytes)}) in ${s.partitions} partitions of ${s.topic}` +
    ` in ${s.seconds.toFixed(2)} s (${rate} records/s)${skipped}${dead}`
  )
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

/** What `copy` reports on stderr when it is done. */
export interface CopySummary {
  from: string
  to: string
  /** Source messages read. */
  read: number
  /** Copies the broker acknowledged; with `--transactional-id`, those of committed transactions only. */
  stored: number
  seconds: number
  /** With `--transactional-id`: the transactions committed. */
  transactions?: number | undefined
}

export function formatCopySummary(s: CopySummary): string {
  const rate = s.seconds > 0 ? Math.round(s.read / s.seconds) : s.read
  const committed = s.transactions === undefined ? '' : ` (committed in ${s.transactions} transactions)`
  return `kafka-pipe: read ${s.read} messages of ${s.from}, stored ${s.stored} records in ${s.to}${committed} in ${s.seconds.toFixed(2)} s (${rate} messages/s)`
}
