import type { Writable } from 'node:stream'

/** One moment of a long run, as the progress line shows it. */
export interface ProgressSnapshot {
  /** "stored", "written", "copied": what the count counts. */
  verb: string
  records: number
  seconds: number
  /** Records per second over the last interval. */
  rate: number
  /** Messages still to read (consume, copy), when the reader knows it. */
  lag?: number | undefined
}

/** `kafka-pipe: stored 1,234,567 records in 12 s, 98,765/s, lag 4,321` (no newline: the line is rewritten in place). */
export function formatProgress(p: ProgressSnapshot): string {
  const lag = p.lag === undefined ? '' : `, lag ${count(p.lag)}`
  return `kafka-pipe: ${p.verb} ${count(p.records)} records in ${Math.floor(p.seconds)} s, ${count(Math.round(p.rate))}/s${lag}`
}

function count(n: number): string {
  return n.toLocaleString('en-US')
}

/**
 * Whether to show a progress line: only to a person watching a terminal. A stderr that is a file or a pipe (a log,
 * CI) would fill with carriage-return lines, and `--quiet` silences it.
 */
export function showsProgress(stderr: { isTTY?: boolean }, quiet: boolean): boolean {
  return !quiet && stderr.isTTY === true
}

/** What a command tells its progress line: how many records so far, and the lag when it has one. */
export interface ProgressSource {
  records(): number
  lag?(): number
}

/** Control sequences: back to the start of the line, and erase from the cursor to its end. */
const REWRITE = '\r\x1b[K'

/**
 * A line on stderr, rewritten every `intervalMs` while a command runs, erased by `stop()` so the summary that
 * follows starts on a clean line. Its timer does not keep the process alive.
 */
export class ProgressLine {
  readonly #timer: NodeJS.Timeout
  readonly #started: number
  #last: { at: number; records: number }
  #shown = false

  /** `startedAt`: when the command started, on performance.now()'s clock (default: now; tests pass their own). */
  constructor(
    readonly stderr: Writable,
    readonly verb: string,
    readonly source: ProgressSource,
    intervalMs = 1000,
    startedAt = performance.now(),
  ) {
    this.#started = startedAt
    this.#last = { at: startedAt, records: 0 }
    this.#timer = setInterval(() => this.tick(), intervalMs).unref()
  }

  /** Rewrites the line (the timer calls it; exposed so tests need not wait for one). */
  tick(now = performance.now()): void {
    const records = this.source.records()
    const elapsed = (now - this.#last.at) / 1000
    const rate = elapsed > 0 ? (records - this.#last.records) / elapsed : 0
    this.#last = { at: now, records }
    const snapshot: ProgressSnapshot = { verb: this.verb, records, seconds: (now - this.#started) / 1000, rate, lag: this.source.lag?.() }
    this.stderr.write(REWRITE + formatProgress(snapshot))
    this.#shown = true
  }

  /** Writes a line of its own (a note) over the progress line, which the next tick draws again below it. */
  note(line: string): void {
    this.stderr.write(this.#shown ? `${REWRITE}${line}\n` : `${line}\n`)
    this.#shown = false
  }

  stop(): void {
    clearInterval(this.#timer)
    if (this.#shown) this.stderr.write(REWRITE)
  }
}

export interface Progress {
  /** Writes `line` and a newline to stderr, not in the middle of the progress line. */
  note(line: string): void
  stop(): void
}

/** A ProgressLine when stderr is a terminal and not `--quiet`, else one that only writes notes. */
export function startProgress(stderr: Writable & { isTTY?: boolean }, quiet: boolean, verb: string, source: ProgressSource): Progress {
  if (showsProgress(stderr, quiet)) return new ProgressLine(stderr, verb, source)
  return { note: (line) => stderr.write(`${line}\n`), stop() {} }
}
