/**
 * The exit codes of `kafka-pipe`, after sysexits.h and the shells' 128 + signal convention, and the error that carries
 * one from wherever a command decides to stop up to main().
 */
export const ExitCode = {
  /** Every record was stored / every message written. */
  ok: 0,
  /** The broker, the network or the stream failed. */
  failure: 1,
  /** Bad command line: unknown flag, missing or bad value. */
  usage: 2,
  /** Bad input data (EX_DATAERR): a line or document that does not parse, a key or timestamp that cannot be used. */
  badInput: 65,
  /** Stopped by SIGINT (Ctrl-C) after flushing and committing. */
  sigint: 130,
  /** Stopped by SIGTERM after flushing and committing. */
  sigterm: 143,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/** An error whose one-line message is shown to the user and whose exit code ends the process. */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue

  constructor(exitCode: ExitCodeValue, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CliError'
    this.exitCode = exitCode
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(ExitCode.usage, message)
    this.name = 'UsageError'
  }
}

/** Input that cannot become a record; `where` says which line or document. */
export class BadInputError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ExitCode.badInput, message, options)
    this.name = 'BadInputError'
  }
}

/** The exit code for an error that reached main(): a CliError's own, else 1. */
export function exitCodeOf(error: unknown): ExitCodeValue {
  return error instanceof CliError ? error.exitCode : ExitCode.failure
}

/** The first line of an error's message: what the user sees without `--debug`. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n', 1)[0]!
}
