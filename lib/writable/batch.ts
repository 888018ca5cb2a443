import type { OutgoingRecord } from './record'

/** A write waiting for its messages: the callback runs once all of them are stored. */
export interface Ticket {
  remaining: number
  done: (err?: Error | null) => void
}

/** Messages for one partition that leave in one produce request. */
export class Batch {
  readonly topic: string
  readonly partition: number
  readonly records: OutgoingRecord[] = []
  readonly tickets: Ticket[] = []
  readonly createdAt = Date.now()
  bytes = 0

  constructor(topic: string, partition: number) {
    this.topic = topic
    this.partition = partition
  }

  add(record: OutgoingRecord, ticket: Ticket): void {
    this.records.push(record)
    this.tickets.push(ticket)
    this.bytes += record.bytes
  }

  get size(): number {
    return this.records.length
  }
}

/** The batches of one partition: the one filling up, the full ones waiting, and whether one is on the wire. */
export class PartitionQueue {
  open: Batch | undefined
  readonly ready: Batch[] = []
  inFlight = false
  /** A flush came while a request was on the wire: the open batch leaves as soon as that request returns. */
  flushPending = false

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** Adds the record, closing the open batch first if the record would take it past a limit. */
  add(record: OutgoingRecord, ticket: Ticket, batchSize: number, batchBytes: number): void {
    if (this.open && (this.open.size >= batchSize || this.open.bytes + record.bytes > batchBytes)) this.close()
    this.open ??= new Batch(this.topic, this.partition)
    this.open.add(record, ticket)
    if (this.open.size >= batchSize) this.close()
  }

  /** The open batch is done filling: it joins the batches ready to send. */
  close(): void {
    if (this.open) this.ready.push(this.open)
    this.open = undefined
  }

  get empty(): boolean {
    return !this.open && this.ready.length === 0 && !this.inFlight
  }
}
