import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { TestingError } from '../errors'
import { javaCommand } from './jars'
import type { KafkaNode } from './kafka-node'
import type { NodeLayout } from './server-properties'
import type { Watchdog } from './watchdog'

export interface NodeFiles {
  libs: string
  configFile: string
  log4jFile: string
  logFile: string
  jvmOptions: readonly string[]
}

/** One JVM of the cluster: a combined KRaft broker and controller that can be stopped, killed and restarted. */
export class BrokerNode implements KafkaNode {
  readonly nodeId: number
  readonly port: number
  readonly controllerPort: number
  readonly dataDir: string
  readonly logFile: string
  readonly #files: NodeFiles
  readonly #watchdog: Watchdog
  #process: ChildProcess | undefined
  #exited: Promise<number | null> = Promise.resolve(null)

  constructor(layout: NodeLayout, files: NodeFiles, watchdog: Watchdog) {
    this.nodeId = layout.nodeId
    this.port = layout.port
    this.controllerPort = layout.controllerPort
    this.dataDir = layout.dataDir
    this.logFile = files.logFile
    this.#files = files
    this.#watchdog = watchdog
  }

  /** `127.0.0.1:port`, the address clients connect to. */
  get address(): string {
    return `127.0.0.1:${this.port}`
  }

  get running(): boolean {
    return this.#process !== undefined
  }

  get pid(): number | undefined {
    return this.#process?.pid
  }

  /** Resolves with the exit code when the JVM exits (at once if it is not running). */
  exited(): Promise<number | null> {
    return this.#exited
  }

  async start(): Promise<void> {
    if (this.#process) throw new TestingError(`broker ${this.nodeId} is already running`)
    const log = openSync(this.logFile, 'a')
    const files = this.#files
    const child = spawn(
      javaCommand(),
      [...files.jvmOptions, `-Dlog4j2.configurationFile=${files.log4jFile}`, '-cp', join(files.libs, '*'), 'kafka.Kafka', files.configFile],
      { stdio: ['ignore', log, log], detached: true },
    )
    closeSync(log)
    this.#process = child
    // Unreferenced: a test run that forgets stop() still exits, and the watchdog then ends this JVM.
    child.unref()
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        if (this.#process === child) this.#process = undefined
        if (child.pid !== undefined) this.#watchdog.forget(child.pid)
        resolve(code)
      })
      child.once('error', () => resolve(null))
    })
    if (child.pid !== undefined) this.#watchdog.watch(child.pid)
  }

  /** A controlled shutdown (SIGTERM); SIGKILL if it has not exited after `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<void> {
    const child = this.#process
    if (!child) return
    child.ref()
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    try {
      await this.#exited
    } finally {
      clearTimeout(timer)
    }
  }

  /** Ends the JVM at once, like a machine losing power; its data stays for restart(). */
  async kill(): Promise<void> {
    const child = this.#process
    if (!child) return
    child.ref()
    child.kill('SIGKILL')
    await this.#exited
  }

  async restart(): Promise<void> {
    await this.stop()
    await this.start()
  }

  /** The last lines of this node's log, for error messages. */
  async logTail(lines = 40): Promise<string> {
    try {
      return (await readFile(this.logFile, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n')
    } catch {
      return '(no log written)'
    }
  }
}
