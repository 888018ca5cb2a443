/*
 * The one harness: every run of every subject is a child process (a clean heap; its CPU and memory are its own),
 * started under GNU time, which reports the child's user+sys CPU seconds and peak RSS when it exits, the same way
 * for node, kcat and java. Rounds alternate the subjects' order; tables show the median of the rounds.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Report, RunSpec } from './subjects/child'

export const GNU_TIME = '/usr/bin/time'

/** What GNU time says about the child: wall seconds, user+sys CPU seconds, peak RSS (ru_maxrss from wait4()). */
export interface Usage {
  wallSeconds: number
  cpuSeconds: number
  peakRssBytes: number
}

export interface Run extends Report {
  subject: string
  usage: Usage
}

export interface Subject {
  name: string
  /** Runs at most this many messages, for a subject too slow for the full count (said in its name). */
  maxCount?: number
  /** Work before the run, outside the child (e.g. kcat's input file). */
  prepare?(spec: RunSpec): Promise<void>
  /** The child's command line. */
  argv(spec: RunSpec): string[]
  /** The run's report from the child's output (and its wall time, for tools that report no rate). */
  report(stdout: string, usage: Usage, spec: RunSpec): Report
  /** Removes what prepare() made. */
  cleanup?(): Promise<void>
}

/** A Node.js subject: benchmarks/subjects/<file>.ts in its own `node --import tsx`, printing one JSON report. */
export function nodeSubject(name: string, file: string, variant?: string, maxCount?: number): Subject {
  return {
    name,
    ...(maxCount ? { maxCount } : {}),
    argv: (spec) => [process.execPath, '--import', 'tsx', join(__dirname, 'subjects', `${file}.ts`), JSON.stringify({ ...spec, variant })],
    report(stdout) {
      const line = stdout.trim().split('\n').pop() ?? ''
      try {
        return JSON.parse(line) as Report
      } catch {
        throw new Error(`${name} printed no report; its output ended with: ${line.slice(0, 500)}`)
      }
    },
  }
}

/** Runs one subject once in a child under GNU time; fails with the child's stderr if it fails or overruns. */
export async function measure(subject: Subject, spec: RunSpec, timeoutMs: number): Promise<Run> {
  await subject.prepare?.(spec)
  const dir = await mkdtemp(join(tmpdir(), 'kafka-pipe-bench-'))
  const timeFile = join(dir, 'usage')
  const argv = subject.argv(spec)
  try {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      // Its own process group, so a timeout ends the subject and not only GNU time.
      const child = spawn(GNU_TIME, ['-f', '%e %U %S %M', '-o', timeFile, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      const out: Buffer[] = []
      const err: Buffer[] = []
      child.stdout.on('data', (b: Buffer) => out.push(b))
      child.stderr.on('data', (b: Buffer) => err.push(b))
      const timer = setTimeout(() => {
        err.push(Buffer.from(`\n(killed after ${timeoutMs} ms)`))
        process.kill(-child.pid!, 'SIGKILL')
      }, timeoutMs)
      child.on('error', (e) => {
        clearTimeout(timer)
        reject(new Error(`could not start ${GNU_TIME} (Debian: apt-get install -y time): ${e.message}`))
      })
      child.on('close', (c) => {
        clearTimeout(timer)
        resolve({ code: c, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() })
      })
    })
    if (code !== 0) throw new Error(`${subject.name} exited with ${code}:\n${argv.join(' ').slice(0, 300)}\n${stderr.slice(-3000)}`)
    const usage = parseUsage(await readFile(timeFile, 'utf8'))
    return { subject: subject.name, usage, ...subject.report(stdout, usage, spec) }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function parseUsage(text: string): Usage {
  const [wall, user, sys, maxKb] = (text.trim().split('\n').pop() ?? '').split(' ').map(Number)
  if (![wall, user, sys, maxKb].every((x) => Number.isFinite(x))) throw new Error(`unexpected GNU time output: ${text}`)
  return { wallSeconds: wall!, cpuSeconds: user! + sys!, peakRssBytes: maxKb! * 1024 }
}

/** Fails loudly unless exactly `expected` messages moved. */
export function expectExactly(subject: string, what: string, got: number, expected: number): void {
  if (got !== expected) throw new Error(`${subject}: ${what} ${got.toLocaleString('en-US')}, expected exactly ${expected.toLocaleString('en-US')}`)
}

/** `rounds` rounds of every subject, the order reversed every other round; the runs grouped by subject. */
export async function rounds(subjects: Subject[], count: number, once: (subject: Subject) => Promise<Run>): Promise<Run[][]> {
  const runs = subjects.map((): Run[] => [])
  for (let round = 0; round < count; round++) {
    const order = subjects.map((_, i) => i)
    if (round % 2 === 1) order.reverse()
    for (const i of order) {
      const run = await once(subjects[i]!)
      runs[i]!.push(run)
      console.error(`  round ${round + 1}: ${describe(run)}`)
    }
  }
  for (const s of subjects) await s.cleanup?.()
  return runs
}

function describe(run: Run): string {
  const latency = run.p50 === undefined ? '' : `, p50 ${run.p50.toFixed(2)} ms, p99 ${run.p99?.toFixed(2)} ms`
  return `${run.subject}: ${fmt(run.messages / run.seconds)} msg/s${latency}, CPU ${run.usage.cpuSeconds.toFixed(2)} s, RSS ${fmt(run.usage.peakRssBytes / 2 ** 20)} MiB`
}

/** A subject's medians over its rounds, each column on its own. */
export interface Row {
  subject: string
  messages: number
  rate: number
  cpuPerMillion: number
  cpuSeconds: number
  rssMiB: number
  p50: number
  p99: number
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function row(runs: Run[]): Row {
  const m = (f: (r: Run) => number) => median(runs.map(f))
  return {
    subject: runs[0]!.subject,
    messages: runs[0]!.messages,
    rate: m((r) => r.messages / r.seconds),
    cpuPerMillion: m((r) => (r.usage.cpuSeconds / r.messages) * 1e6),
    cpuSeconds: m((r) => r.usage.cpuSeconds),
    rssMiB: m((r) => r.usage.peakRssBytes / 2 ** 20),
    p50: m((r) => r.p50 ?? NaN),
    p99: m((r) => r.p99 ?? NaN),
  }
}

export function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a'
}

/** A markdown table. */
export function markdown(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n')
}

/** Throughput rows; "x kafka-pipe" is each rate over the first row's (the kafka-pipe subject). */
export function throughputTable(rows: Row[], valueBytes: number): string {
  const base = rows[0]!.rate
  return markdown(
    ['subject', 'msg/s', 'MB/s', 'CPU-s / 1M msg', 'peak RSS MiB', 'x kafka-pipe'],
    rows.map((r) => [r.subject, fmt(r.rate), fmt((r.rate * valueBytes) / 1e6, 1), fmt(r.cpuPerMillion, 2), fmt(r.rssMiB), fmt(r.rate / base, 2)]),
  )
}
