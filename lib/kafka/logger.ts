import { logLevel, type logCreator, type LogEntry } from 'kafkajs'

/*
 * kafkajs warns on every idempotent producer with a finite retry count that limiting retries "may invalidate EoS
 * guarantees". A KafkaWritable destroys itself after its last attempt, so no later send can reuse a broken sequence:
 * the warning does not apply and would only teach users to ignore warnings.
 */
const NOT_APPLICABLE = 'Limiting retries for the idempotent producer'

/** kafkajs' own console format: one JSON line per entry. */
const consoleLogger: logCreator = () => ({ namespace, level, label, log }) => {
  const line = JSON.stringify({ level: label, ...log, message: `${namespace ? `[${namespace}] ` : ''}${log.message}` })
  if (level === logLevel.ERROR) console.error(line)
  else if (level === logLevel.WARN) console.warn(line)
  else console.log(line)
}

/** The user's logCreator (or kafkajs' console format), without the warnings that do not apply to kafka-pipe. */
export function withoutInapplicableWarnings(logger: logCreator = consoleLogger): logCreator {
  return (level) => {
    const log = logger(level)
    return (entry: LogEntry) => {
      if (!entry.log.message.startsWith(NOT_APPLICABLE)) log(entry)
    }
  }
}
