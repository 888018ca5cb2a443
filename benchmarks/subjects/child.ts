/*
 * What every Node.js subject shares: the run it is asked for (JSON in argv[2]), its inputs (made before the clock
 * starts), the clocks, and the one JSON line it prints for the harness.
 */
import { performance } from 'node:perf_hooks'
import { Writable } from 'node:stream'

/** One run of one subject, as the harness asks for it. */
export interface RunSpec {
  mode: 'write' | 'read' | 'latency' | 'copy'
  brokers: string[]
  /** write/latency: message i goes to topics[i % topics.length]; read: topics[0]; copy: from topics[0] to topics[1]. */
  topics: string[]
  /** Partitions of each topic (for the tools that need to be told). */
  partitions: number
  /** Messages to move (latency: rate x seconds, plus the warm-up message). */
  count: number
  valueBytes: number
  /** write: every message names its topic and the writer has none (always so with more than one topic). */
  topicPerMessage: boolean
  /** A subject's variant, e.g. 'defaults' or 'tuned'. */
  variant?: string
  /** latency: messages per second, one per write. */
  rate?: number
}

/** What a subject prints: messages moved, seconds on its own clock, and for latency runs the percentiles in ms. */
export interface Report {
  messages: number
  seconds: number
  p50?: number
  p99?: number
}

export interface Input {
  topic: string
  key: string
  value: Buffer
}

/** Sends per call and calls in flight for the send()-based subjects. */
export const BATCH = 1000
export const IN_FLIGHT = 5

/** The messages of a write run: keys key-0..key-9999, values of `valueBytes` bytes, topics in turn. */
export function inputs(spec: RunSpec, count = spec.count): Input[] {
  const value = Buffer.alloc(spec.valueBytes, 'x')
  return Array.from({ length: count }, (_, i) => ({ topic: spec.topics[i % spec.topics.length]!, key: `key-${i % 10_000}`, value }))
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Seconds taken by `fn`. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await fn()
  return (performance.now() - start) / 1000
}

/** Runs `send` over every batch with at most `limit` calls in flight. */
export async function inFlight<T>(batches: T[], limit: number, send: (batch: T) => Promise<unknown>): Promise<void> {
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < batches.length) await send(batches[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, batches.length) }, lane))
}

/** Counts messages as they arrive; `reached` resolves once `expected` came. Timed from the first to that one. */
export class Arrivals {
  seen = 0
  #first = 0
  #reachedAt = 0
  #resolve!: () => void
  readonly reached = new Promise<void>((resolve) => (this.#resolve = resolve))

  constructor(readonly expected: number) {}

  add(n = 1): void {
    const now = performance.now()
    if (this.seen === 0) this.#first = now
    this.seen += n
    if (!this.#reachedAt && this.seen >= this.expected) {
      this.#reachedAt = now
      this.#resolve()
    }
  }

  get seconds(): number {
    return ((this.#reachedAt || performance.now()) - this.#first) / 1000
  }
}

/** A sink for pipeline(): counts each message into `arrivals` after `each` (e.g. its ack). */
export function countingSink<T>(arrivals: Arrivals, each: (chunk: T) => void = () => {}): Writable {
  return new Writable({
    objectMode: true,
    highWaterMark: 1000,
    writev(chunks: Array<{ chunk: T }>, callback) {
      for (const { chunk } of chunks) each(chunk)
      arrivals.add(chunks.length)
      callback()
    },
  })
}

/**
 * The latency run: `send` one message at a time at `rate` per second (each send() starts on its schedule, without
 * waiting for earlier ones), after one warm-up message that connects and fetches metadata and is not counted.
 */
export async function paced(spec: RunSpec, send: (message: Input) => Promise<unknown>): Promise<Report> {
  const rate = spec.rate ?? 1000
  const messages = inputs(spec)
  await send(messages[0]!)
  const total = messages.length - 1
  const latencies = new Float64Array(total)
  const start = performance.now()
  await new Promise<void>((resolve, reject) => {
    let sent = 0
    let acked = 0
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1)
      while (sent < due) {
        const i = sent++
        const t = performance.now()
        send(messages[i + 1]!).then(() => {
          latencies[i] = performance.now() - t
          if (++acked === total) resolve()
        }, reject)
      }
      if (sent < total) setTimeout(tick, 1)
    }
    tick()
  })
  const seconds = (performance.now() - start) / 1000
  latencies.sort()
  const at = (q: number): number => latencies[Math.min(total - 1, Math.floor(q * total))]!
  return { messages: messages.length, seconds, p50: at(0.5), p99: at(0.99) }
}

/** The child's entry point: runs the handler for the requested mode and prints its report as one JSON line. */
export function main(handlers: Partial<Record<RunSpec['mode'], (spec: RunSpec) => Promise<Report>>>): void {
  const spec = JSON.parse(process.argv[2] ?? '') as RunSpec
  const handler = handlers[spec.mode]
  if (!handler) throw new Error(`${process.argv[1]} has no ${spec.mode} mode`)
  handler(spec).then(
    (report) => {
      process.stdout.write(JSON.stringify(report) + '\n')
      // Clients that leave timers behind must not keep the child (and its CPU count) running.
      process.exit(0)
    },
    (err: unknown) => {
      console.error(err)
      process.exit(1)
    },
  )
}
