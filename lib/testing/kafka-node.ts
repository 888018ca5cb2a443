/** One node of a cluster startKafka() runs, whichever the engine: a combined KRaft broker and controller. */
export interface KafkaNode {
  /** The node's `node.id`, 1-based. */
  readonly nodeId: number
  /** The port clients connect to on 127.0.0.1. */
  readonly port: number
  /** `127.0.0.1:port`, the address clients connect to. */
  readonly address: string
  /** True from start() until the node stops, is killed or exits. */
  readonly running: boolean
  /** Starts the node (again), keeping its data; resolves once it runs. `waitForBrokers()` says when it serves. */
  start(): Promise<void>
  /** A controlled shutdown (SIGTERM); SIGKILL if it has not exited after `timeoutMs` (default 30000). */
  stop(timeoutMs?: number): Promise<void>
  /** Ends the node at once, like a machine losing power; its data stays for start(). */
  kill(): Promise<void>
  /** stop(), then start(). */
  restart(): Promise<void>
  /** Resolves with the exit code when the node exits (at once if it is not running). */
  exited(): Promise<number | null>
  /** The last lines of this node's log, for error messages. */
  logTail(lines?: number): Promise<string>
}
