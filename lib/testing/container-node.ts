import type { ContainerRuntimeClient, GenericContainer, StartedTestContainer } from 'testcontainers'
import { TestingError } from '../errors'
import type { KafkaNode } from './kafka-node'

/** The Docker client's handle on one container (dockerode's, as testcontainers hands it out). */
type Container = ReturnType<ContainerRuntimeClient['container']['getById']>

/** How a node's container is created the first time, and how it is reached afterwards. */
export interface ContainerHandle {
  /** The container as configured; its first start() creates and starts it. */
  readonly definition: GenericContainer
  /** The Docker container with this id, for starting, stopping and killing it again. */
  byId(id: string): Container
}

/**
 * One container of the cluster: a combined KRaft broker and controller. stop(), kill() and start() act on the same
 * container, so a node keeps its data (inside the container) and rejoins; cluster stop() removes it.
 */
export class ContainerNode implements KafkaNode {
  readonly nodeId: number
  readonly port: number
  readonly #handle: ContainerHandle
  #started: StartedTestContainer | undefined
  #running = false
  #exited: Promise<number | null> = Promise.resolve(null)

  constructor(nodeId: number, port: number, handle: ContainerHandle) {
    this.nodeId = nodeId
    this.port = port
    this.#handle = handle
  }

  get address(): string {
    return `127.0.0.1:${this.port}`
  }

  get running(): boolean {
    return this.#running
  }

  /** The Docker container's id, once it was created. */
  get containerId(): string | undefined {
    return this.#started?.getId()
  }

  async start(): Promise<void> {
    if (this.#running) throw new TestingError(`broker ${this.nodeId} is already running`)
    if (this.#started) await this.#container().start()
    else this.#started = await this.#handle.definition.start()
    this.#running = true
    const exited = this.#container()
      .wait()
      .then(
        (result: { StatusCode?: number }) => result.StatusCode ?? null,
        () => null,
      )
    this.#exited = exited
    void exited.then(() => {
      if (this.#exited === exited) this.#running = false
    })
  }

  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.#running) return
    await this.#container().stop({ t: Math.ceil(timeoutMs / 1000) }).catch(ignoreNotRunning)
    await this.#exited
  }

  async kill(): Promise<void> {
    if (!this.#running) return
    await this.#container().kill({ signal: 'SIGKILL' }).catch(ignoreNotRunning)
    await this.#exited
  }

  async restart(): Promise<void> {
    await this.stop()
    await this.start()
  }

  exited(): Promise<number | null> {
    return this.#exited
  }

  /** Removes the container and its volumes (the node's data). */
  async remove(): Promise<void> {
    if (!this.#started) return
    await this.#container().remove({ force: true, v: true }).catch(ignoreNotRunning)
    this.#running = false
  }

  async logTail(lines = 40): Promise<string> {
    if (!this.#started) return '(the container was not created)'
    try {
      const raw = (await this.#container().logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer
      return demultiplex(raw).trimEnd()
    } catch (err) {
      return `(no log: ${(err as Error).message})`
    }
  }

  #container(): Container {
    const id = this.#started?.getId()
    if (id === undefined) throw new TestingError(`broker ${this.nodeId}'s container was not created yet`)
    return this.#handle.byId(id)
  }
}

/** Docker sends the logs of a container without a TTY as frames: 1 byte stream, 3 zero bytes, 4 bytes length, data. */
function demultiplex(raw: Buffer): string {
  const parts: Buffer[] = []
  let at = 0
  while (at + 8 <= raw.length) {
    const size = raw.readUInt32BE(at + 4)
    parts.push(raw.subarray(at + 8, at + 8 + size))
    at += 8 + size
  }
  return Buffer.concat(parts).toString('utf8')
}

/** Stopping, killing or removing a container that is already stopped or gone is not an error here. */
function ignoreNotRunning(err: unknown): void {
  const status = (err as { statusCode?: number }).statusCode
  if (status === 304 || status === 404 || status === 409) return
  throw err
}
