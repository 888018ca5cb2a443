import { commonFlags, parseFlags, required, wholeNumber, type FlagSchema } from './args'
import { brokerFlags, brokersFrom } from './brokers'
import { securityFlags, securityFrom, type Security } from './security'
import { UsageError } from './exit-codes'
import { INT32_MAX } from '../options/fields'

export const topicsListFlags = { ...brokerFlags, ...securityFlags, ...commonFlags } as const satisfies FlagSchema

export const topicsCreateFlags = {
  topic: { type: 'string', value: '<topic>', description: 'the topic to create (required)' },
  ...brokerFlags,
  ...securityFlags,
  partitions: { type: 'string', value: '<n>', description: "partitions (default: the broker's num.partitions)" },
  'replication-factor': { type: 'string', value: '<n>', description: "copies of each partition (default: the broker's default.replication.factor)" },
  config: { type: 'string', multiple: true, value: '<name=value>', description: 'a topic config, e.g. retention.ms=86400000 (repeatable)' },
  ...commonFlags,
} as const satisfies FlagSchema

export const topicsDescribeFlags = {
  topic: { type: 'string', value: '<topic>', description: 'the topic to describe (required)' },
  group: { type: 'string', value: '<group>', description: "add this consumer group's committed offset and lag per partition" },
  ...brokerFlags,
  ...securityFlags,
  ...commonFlags,
} as const satisfies FlagSchema

export interface TopicsListOptions {
  brokers: string[]
  security: Security
  debug: boolean
}

export interface TopicsCreateOptions extends TopicsListOptions {
  topic: string
  partitions: number | undefined
  replicationFactor: number | undefined
  configEntries: Array<{ name: string; value: string }>
}

export interface TopicsDescribeOptions extends TopicsListOptions {
  topic: string
  group: string | undefined
}

export function topicsListOptions(argv: string[], env: NodeJS.ProcessEnv): TopicsListOptions {
  const { flags } = parseFlags('topics list', topicsListFlags, argv)
  return { brokers: brokersFrom('topics list', flags.brokers, env), security: securityFrom('topics list', flags, env), debug: flags.debug === true }
}

export function topicsCreateOptions(argv: string[], env: NodeJS.ProcessEnv): TopicsCreateOptions {
  const command = 'topics create'
  const { flags } = parseFlags(command, topicsCreateFlags, argv)
  return {
    topic: required(command, 'topic', flags.topic),
    brokers: brokersFrom(command, flags.brokers, env),
    security: securityFrom(command, flags, env),
    partitions: wholeNumber(command, 'partitions', flags.partitions, 1, INT32_MAX),
    replicationFactor: wholeNumber(command, 'replication-factor', flags['replication-factor'], 1, 32_767),
    configEntries: (flags.config ?? []).map((pair) => {
      const eq = pair.indexOf('=')
      if (eq <= 0) throw new UsageError(`${command}: --config must be name=value, not ${JSON.stringify(pair)}`)
      return { name: pair.slice(0, eq), value: pair.slice(eq + 1) }
    }),
    debug: flags.debug === true,
  }
}

export function topicsDescribeOptions(argv: string[], env: NodeJS.ProcessEnv): TopicsDescribeOptions {
  const command = 'topics describe'
  const { flags } = parseFlags(command, topicsDescribeFlags, argv)
  if (flags.group === '') throw new UsageError(`${command}: --group needs a group name`)
  return { topic: required(command, 'topic', flags.topic), group: flags.group, brokers: brokersFrom(command, flags.brokers, env), security: securityFrom(command, flags, env), debug: flags.debug === true }
}
