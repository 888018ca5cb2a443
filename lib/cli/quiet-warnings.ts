/**
 * kafkajs 2.2.4 arms a timer with a negative delay after answers when no request is pending
 * (RequestQueue.scheduleCheckPendingRequests: throttledUntil - Date.now()). Node has always run such a timer after
 * 1 ms; Node 24 also prints a TimeoutNegativeWarning on stderr, once per process. A command's stderr is its
 * interface (one line per error, a summary), so the command line drops that one warning and keeps every other.
 * The library leaves process-wide warnings alone: that is the application's call.
 */
export function dropKafkajsTimerWarning(): void {
  const emitWarning = process.emitWarning.bind(process) as (warning: string | Error, ...rest: unknown[]) => void
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const options = rest[0]
    const type = typeof options === 'string' ? options : (options as { type?: unknown } | undefined)?.type
    const name = typeof warning === 'string' ? type : warning.name
    if (name === 'TimeoutNegativeWarning') return
    emitWarning(warning, ...rest)
  }) as typeof process.emitWarning
}
