import { ExitCode, type ExitCodeValue } from './exit-codes'

/** SIGINT / SIGTERM as a promise a command can race its waits against. */
export interface StopSignals {
  /** Resolves with 130 (SIGINT) or 143 (SIGTERM) on the first signal; never rejects. */
  readonly stopped: Promise<ExitCodeValue>
  /** The exit code of the signal received, if one was. */
  readonly code: ExitCodeValue | undefined
  dispose(): void
}

const CODES = { SIGINT: ExitCode.sigint, SIGTERM: ExitCode.sigterm } as const

/**
 * Listens for SIGINT and SIGTERM. The first one asks the command to stop (stop reading, flush, commit); a second one
 * exits at once with its code, for a user who does not want to wait for the flush.
 */
export function listenForStopSignals(proc: NodeJS.Process = process): StopSignals {
  let code: ExitCodeValue | undefined
  let resolve!: (code: ExitCodeValue) => void
  const stopped = new Promise<ExitCodeValue>((r) => (resolve = r))
  const handlers = (Object.keys(CODES) as Array<keyof typeof CODES>).map((signal) => {
    const handler = (): void => {
      if (code !== undefined) proc.exit(CODES[signal])
      code = CODES[signal]
      resolve(code)
    }
    proc.on(signal, handler)
    return () => proc.off(signal, handler)
  })
  return {
    stopped,
    get code() {
      return code
    },
    dispose: () => handlers.forEach((off) => off()),
  }
}
