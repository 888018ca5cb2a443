import type { FlagSchema } from './args'
import { consume } from './consume'
import { copy } from './copy'
import { copyFlags } from './copy-options'
import { consumeFlags } from './consume-options'
import type { ExitCodeValue } from './exit-codes'
import type { CliIO } from './io'
import { produce } from './produce'
import { produceFlags } from './produce-options'

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
    ],
    run: copy,
  },
]

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name)
}
