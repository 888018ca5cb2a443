/*
 * The built `kafka-pipe` binary, for tests that run it as users do: compiled once per run with the package's build
 * (tsc -p tsconfig.build.json into dist/, where node_modules resolves), then spawned with node.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { useSharedCluster, type SuiteCluster } from '../cluster'

const ROOT = join(__dirname, '..', '..', '..')
export const BIN = join(ROOT, 'dist', 'bin', 'kafka-pipe.js')

let built: Promise<void> | undefined

/** Builds the package once per test run (a before hook's work: it takes seconds). */
export function buildCli(): Promise<void> {
  built ??= promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
    cwd: ROOT,
  }).then(() => undefined)
  return built
}

/** For a describe block: the shared cluster and the built binary (built in a before hook, once per process). */
export function useBuiltCli(): { suite: SuiteCluster; brokers: () => string[] } {
  const suite = useSharedCluster()
  before(async function () {
    this.timeout(180_000)
    await buildCli()
  })
  return { suite, brokers: () => suite.cluster.brokers }
}

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface RunningCli {
  child: ChildProcess
  /** Settles when the process exited and its output streams closed. */
  result: Promise<CliResult>
}

export interface CliOptions {
  brokers: string[]
  input?: string | Buffer
  /** More environment variables (e.g. KAFKA_SASL_PASSWORD). */
  env?: NodeJS.ProcessEnv
}

/** Spawns `kafka-pipe args...` with KAFKA_BROKERS set; stdin stays open for the test unless `input` is given. */
export function startCli(args: string[], options: CliOptions): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, KAFKA_BROKERS: options.brokers.join(','), ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk))
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk))
  child.stdin!.on('error', () => {}) // the child may stop reading (bad input, a signal) before it took everything
  if (options.input !== undefined) child.stdin!.end(options.input)
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() }),
    )
  })
  return { child, result }
}

/** Runs `kafka-pipe args...` to its end, with `input` (default none) on stdin. */
export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, { ...options, input: options.input ?? '' }).result
}

/** Runs a shell pipeline (bash, pipefail) in which `$KAFKA_PIPE` is the built binary. */
export function runShell(script: string, options: { brokers: string[] }): Promise<CliResult> {
  const child = spawn('bash', ['-o', 'pipefail', '-c', script], {
    env: { ...process.env, KAFKA_BROKERS: options.brokers.join(','), KAFKA_PIPE: `${process.execPath} ${BIN}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() }))
  })
}

/** The NDJSON lines of a command's stdout, parsed. */
export function ndjson<T = unknown>(stdout: string): T[] {
  return stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as T)
}
