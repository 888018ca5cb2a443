import type { Command } from './commands'
import { COMMANDS } from './commands'

const EXIT_CODES = 'exit codes: 0 ok, 1 failure, 2 usage, 65 bad input, 130 SIGINT, 143 SIGTERM'

/** `kafka-pipe --help`: the commands. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return [
    'usage: kafka-pipe <command> [flags]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'kafka-pipe <command> --help shows its flags; kafka-pipe --version its version.',
    'Brokers come from --brokers host:port,... or KAFKA_BROKERS.',
    EXIT_CODES,
    '',
  ].join('\n')
}

/** `kafka-pipe <command> --help`: usage, every flag of its schema, examples. */
export function commandHelp(command: Command): string {
  const rows = Object.entries(command.flags).map(([name, spec]) => [`--${name}${spec.value ? ` ${spec.value}` : ''}`, spec.description] as const)
  const width = Math.min(40, Math.max(...rows.map(([flag]) => flag.length)))
  return [
    `usage: ${command.usage}`,
    '',
    command.summary,
    '',
    'flags:',
    ...rows.map(([flag, description]) => (flag.length > width ? `  ${flag}\n  ${''.padEnd(width)}  ${description}` : `  ${flag.padEnd(width)}  ${description}`)),
    '',
    'examples:',
    ...command.examples.map((e) => `  ${e}`),
    '',
    EXIT_CODES,
    '',
  ].join('\n')
}
