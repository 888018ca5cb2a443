import { logLevel, type logCreator } from '../kafka/kafkajs'
import type { ClientOptions } from '../kafka/client-options'
import { UsageError } from './exit-codes'
import type { Security } from './security'

export const brokerFlags = {
  brokers: { type: 'string', value: '<host:port,...>', description: 'bootstrap brokers (default: $KAFKA_BROKERS)' },
} as const

/** The bootstrap brokers from `--brokers`, else `KAFKA_BROKERS`, each checked to be `host:port`. */
export function brokersFrom(command: string, flag: string | undefined, env: NodeJS.ProcessEnv): string[] {
  const list = flag ?? env.KAFKA_BROKERS
  if (list === undefined || list.trim() === '') {
    throw new UsageError(`${command}: no brokers: give --brokers host:port[,host:port...] or set KAFKA_BROKERS`)
  }
  const brokers = list.split(',').map((b) => b.trim())
  for (const broker of brokers) {
    const port = /^[^:\s/]+:(\d{1,5})$/.exec(broker)?.[1]
    if (port === undefined || Number(port) < 1 || Number(port) > 65535) {
      throw new UsageError(`${command}: bad broker address ${JSON.stringify(broker)}: expected host:port, e.g. localhost:9092`)
    }
  }
  return brokers
}

/** Client options for the command: kafkajs stays silent unless `--debug`, when its log goes to stderr. */
export function clientOptions(brokers: string[], security: Security, debug: boolean): ClientOptions {
  return { brokers, ...security, clientId: 'kafka-pipe-cli', logLevel: debug ? logLevel.INFO : logLevel.NOTHING, logger: stderrLogger }
}

const stderrLogger: logCreator = () => ({ namespace, label, log }) => {
  process.stderr.write(`kafka-pipe: [${label}] ${namespace} ${log.message} ${JSON.stringify({ ...log, message: undefined, timestamp: undefined, logger: undefined })}\n`)
}
