import { logLevel, type logCreator, type LogEntry } from 'kafkajs'

/*
 * kafkajs logs every error answer of the broker at ERROR ("[Connection] Response Metadata(key: 3, version: 6)",
 * "This server does not host this topic-partition") and then throws it to the caller. Every such caller is ours or
 * kafkajs' consumer: the error is retried (a leader that moved) or reaches the user as a typed error (a missing
 * topic is a TopicError that says what to do). The log line says the same thing earlier and worse, so it is shown
 * at DEBUG level only, where the whole request/response trace is.
 */
function isResponseError(entry: LogEntry): boolean {
  return entry.level === logLevel.ERROR && entry.namespace === 'Connection' && entry.log.message.startsWith('Response ')
}

/** kafkajs' own console format: one JSON line per entry. */
const consoleLogger: logCreator = () => ({ namespace, level, label, log }) => {
  const line = JSON.stringify({ level: label, ...log, message: `${namespace ? `[${namespace}] ` : ''}${log.message}` })
  if (level === logLevel.ERROR) console.error(line)
  else if (level === logLevel.WARN) console.warn(line)
  else console.log(line)
}

/** The user's logCreator (or kafkajs' console format), without the error answers kafka-pipe reports itself. */
export function withoutHandledResponseErrors(logger: logCreator = consoleLogger): logCreator {
  return (level) => {
    const log = logger(level)
    if (level >= logLevel.DEBUG) return log
    return (entry: LogEntry) => {
      if (!isResponseError(entry)) log(entry)
    }
  }
}
