import { access } from 'node:fs/promises'
import { compressionNames as COMPRESSION_NAMES, type CompressionName } from '../codecs/compression'
import { choice, commonFlags, parseFlags, required, wholeNumber, type FlagSchema } from './args'
import { BALANCER_NAMES, type BalancerName } from './balancer-names'
import { deliveryTimeoutFlags, deliveryTimeoutFrom } from './delivery-timeout'
import { brokerFlags, brokersFrom } from './brokers'
import { securityFlags, securityFrom, type Security } from './security'
import { UsageError } from './exit-codes'
import { parseFieldPath, type FieldPath } from './field-path'
import { INPUT_FORMATS, type InputFormat } from './input'
import { INT32_MAX } from '../options/fields'

export const produceFlags = {
  topic: { type: 'string', value: '<topic>', description: 'the topic to write to (required)' },
  ...brokerFlags,
  ...securityFlags,
  format: { type: 'string', value: '<ndjson|json|lines>', description: 'input format (default ndjson): JSON Lines, a JSON array or concatenated JSON values, raw lines' },
  key: { type: 'string', value: '<field.path>', description: "the record key: this field of each document (strings as they are, other values as JSON)" },
  timestamp: { type: 'string', value: '<field.path>', description: 'the record timestamp: this field of each document (epoch ms or ISO 8601)' },
  header: { type: 'string', multiple: true, value: '<name=value>', description: 'a header on every record (repeatable)' },
  balancer: { type: 'string', value: `<${BALANCER_NAMES.join('|')}>`, description: 'partition choice (default murmur2, as the Java client)' },
  compression: { type: 'string', value: `<${COMPRESSION_NAMES.join('|')}>`, description: 'batch compression (default none)' },
  acks: { type: 'string', value: '<all|leader|none>', description: 'acknowledgement the broker gives (default all)' },
  'batch-size': { type: 'string', value: '<n>', description: 'records per partition batch (default 1000)' },
  ...deliveryTimeoutFlags,
  'on-error': {
    type: 'string',
    value: '<stop|skip|dlq=TOPIC>',
    description: 'a line that is not JSON: stop with exit 65 (default), skip it, or store its bytes in the dead-letter topic TOPIC and go on',
  },
  quiet: { type: 'boolean', description: 'no summary, and no progress line (shown only when stderr is a terminal), on stderr' },
  ...commonFlags,
} as const satisfies FlagSchema

export interface ProduceOptions {
  topic: string
  brokers: string[]
  security: Security
  files: string[]
  format: InputFormat
  key: FieldPath | undefined
  timestamp: FieldPath | undefined
  headers: Record<string, string>
  balancer: BalancerName
  compression: CompressionName
  acks: 'all' | 'leader' | 'none'
  batchSize: number | undefined
  /** The writer's deliveryTimeout, when given. */
  writer: { deliveryTimeout?: number }
  /** What a line that is not JSON does: stop the run, get skipped, or go to a dead-letter topic. */
  onError: OnError
  quiet: boolean
  debug: boolean
}

export type OnError = 'stop' | 'skip' | { deadLetterTopic: string }

const COMMAND = 'produce'

/** The produce command's options from its arguments; every mistake is a UsageError naming the flag. */
export async function produceOptions(argv: string[], env: NodeJS.ProcessEnv): Promise<ProduceOptions> {
  const { flags, positionals } = parseFlags(COMMAND, produceFlags, argv, true)
  const format = choice(COMMAND, 'format', flags.format, INPUT_FORMATS, 'ndjson')
  if (format === 'lines' && (flags.key !== undefined || flags.timestamp !== undefined)) {
    throw new UsageError(`${COMMAND}: --key and --timestamp read fields of JSON documents; --format lines has none`)
  }
  const onError = onErrorOf(flags['on-error'])
  if (onError !== 'stop' && format !== 'ndjson') {
    throw new UsageError(`${COMMAND}: --on-error ${flags['on-error']} needs --format ndjson (a JSON stream cannot resume after a parse error)`)
  }
  await checkFiles(positionals)
  return {
    topic: required(COMMAND, 'topic', flags.topic),
    brokers: brokersFrom(COMMAND, flags.brokers, env),
    security: securityFrom(COMMAND, flags, env),
    files: positionals,
    format,
    key: fieldPath('key', flags.key),
    timestamp: fieldPath('timestamp', flags.timestamp),
    headers: headers(flags.header ?? []),
    balancer: choice(COMMAND, 'balancer', flags.balancer, BALANCER_NAMES, 'murmur2'),
    compression: choice(COMMAND, 'compression', flags.compression, COMPRESSION_NAMES, 'none'),
    acks: choice(COMMAND, 'acks', flags.acks, ['all', 'leader', 'none'] as const, 'all'),
    batchSize: wholeNumber(COMMAND, 'batch-size', flags['batch-size'], 1, INT32_MAX),
    writer: deliveryTimeoutFrom(COMMAND, flags['delivery-timeout']),
    onError,
    quiet: flags.quiet === true,
    debug: flags.debug === true,
  }
}

function onErrorOf(value: string | undefined): OnError {
  if (value?.startsWith('dlq=')) {
    const topic = value.slice('dlq='.length)
    if (topic === '') throw new UsageError(`${COMMAND}: --on-error dlq= needs the dead-letter topic, e.g. --on-error dlq=orders-bad`)
    return { deadLetterTopic: topic }
  }
  if (value === undefined || value === 'stop' || value === 'skip') return value ?? 'stop'
  throw new UsageError(`${COMMAND}: --on-error must be stop, skip or dlq=TOPIC, not ${JSON.stringify(value)}`)
}

function fieldPath(name: string, value: string | undefined): FieldPath | undefined {
  if (value === undefined) return undefined
  const path = parseFieldPath(value)
  if (path === undefined) throw new UsageError(`${COMMAND}: --${name} must be a field path like id or user.id, not ${JSON.stringify(value)}`)
  return path
}

function headers(pairs: string[]): Record<string, string> {
  const result: Record<string, string> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new UsageError(`${COMMAND}: --header must be name=value, not ${JSON.stringify(pair)}`)
    result[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  return result
}

async function checkFiles(files: string[]): Promise<void> {
  for (const file of files) {
    if (file === '-') continue
    await access(file).catch(() => {
      throw new UsageError(`${COMMAND}: cannot read input file ${JSON.stringify(file)}`)
    })
  }
}
