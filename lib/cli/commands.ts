import type { FlagSchema } from './args'
import { consume } from './consume'
import { copy } from './copy'
import { copyFlags } from './copy-options'
import { consumeFlags } from './consume-options'
import type { ExitCodeValue } from './exit-codes'
import type { CliIO } from './io'
import { produce } from './produce'
import { produceFlags } from './produce-options'
import { topicsCreate, topicsDescribe, topicsList } from './topics'
import { topicsCreateFlags, topicsDescribeFlags, topicsListFlags } from './topics-options'

export interface Command {
  name: string
  summary: string
  usage: string
  flags: FlagSchema
  examples: string[]
  run(argv: string[], io: CliIO): Promise<ExitCodeValue>
}

export const COMMANDS: readonly Command[] = [
  {
    name: 'produce',
    summary: 'write records from stdin or files to a topic; exit 0 once the broker stored all of them',
    usage: 'kafka-pipe produce --topic <topic> [flags] [file ...]',
    flags: produceFlags,
    examples: [
      'kafka-pipe produce --topic orders --key customer.id < orders.ndjson',
      'kafka-pipe produce --topic orders --format json --compression lz4 orders.json',
      'tail -F app.log | kafka-pipe produce --topic logs --format lines --header host=$(hostname)',
    ],
    run: produce,
  },
  {
    name: 'consume',
    summary: 'write the messages of a topic to stdout as NDJSON; in a group, commit only what was written',
    usage: 'kafka-pipe consume --topic <topic> [--group <group> | --partition <n> --offset <where>] [flags]',
    flags: consumeFlags,
    examples: [
      'kafka-pipe consume --topic orders --until latest > orders.ndjson',
      'kafka-pipe consume --topic orders --partition 2 --offset 2024-05-01T00:00:00Z --max 10',
      'kafka-pipe consume --topic orders --group audit | jq .value',
    ],
    run: consume,
  },
  {
    name: 'copy',
    summary: 'copy a topic into another as a consumer group, committing a source message only once its copies are stored',
    usage: 'kafka-pipe copy --from-topic <topic> --to-topic <topic> --group <group> [flags]',
    flags: copyFlags,
    examples: [
      'kafka-pipe copy --from-topic orders --to-topic orders-backup --group backup --until latest',
      'kafka-pipe copy --from-topic orders --to-topic orders-eu --group eu --map ./only-eu.js',
      'kafka-pipe copy --from-topic orders --to-topic orders-copy --group copy --transactional-id orders-copy --until latest',
    ],
    run: copy,
  },
  {
    name: 'topics list',
    summary: 'print the names of the topics of the cluster, one per line',
    usage: 'kafka-pipe topics list [flags]',
    flags: topicsListFlags,
    examples: ['kafka-pipe topics list | grep ^orders'],
    run: topicsList,
  },
  {
    name: 'topics create',
    summary: 'create a topic and wait until its partitions have leaders',
    usage: 'kafka-pipe topics create --topic <topic> [--partitions <n>] [--replication-factor <n>] [--config <name=value>]...',
    flags: topicsCreateFlags,
    examples: ['kafka-pipe topics create --topic orders --partitions 6 --replication-factor 3 --config retention.ms=604800000'],
    run: topicsCreate,
  },
  {
    name: 'topics describe',
    summary: 'print one NDJSON line per partition: leader, replicas, in-sync replicas, earliest and latest offsets',
    usage: 'kafka-pipe topics describe --topic <topic> [flags]',
    flags: topicsDescribeFlags,
    examples: ['kafka-pipe topics describe --topic orders | jq -s "map(.latest - .earliest) | add"'],
    run: topicsDescribe,
  },
]

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name)
}

/** The command that `argv` starts with (one word, or two for `topics <action>`), and the arguments after its name. */
export function commandOf(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  const [first, second, ...others] = argv
  const two = second === undefined ? undefined : findCommand(`${first} ${second}`)
  if (two !== undefined) return { command: two, rest: others }
  const one = first === undefined ? undefined : findCommand(first)
  return one === undefined ? undefined : { command: one, rest: argv.slice(1) }
}
