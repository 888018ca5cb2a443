import type { Readable, Writable } from 'node:stream'
import type { StopSignals } from './signals'

/** What a command talks to: the process's streams and environment, and the stop signals. */
export interface CliIO {
  stdin: Readable
  stdout: Writable
  stderr: Writable
  env: NodeJS.ProcessEnv
  signals: StopSignals
}
