import { commandOf, COMMANDS } from './commands'
import { flagHint } from './error-hints'
import { ExitCode, exitCodeOf, oneLine, UsageError } from './exit-codes'
import { commandHelp, mainHelp } from './help'
import type { CliIO } from './io'
import { listenForStopSignals } from './signals'
import { packageVersion } from './version'

/**
 * Runs `kafka-pipe <command> ...` and returns its exit code. Errors end as one line on stderr (`--debug` adds the
 * stack), never as an uncaught exception.
 */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv
  const debug = argv.includes('--debug')
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const command = name === 'help' ? commandOf(rest)?.command : undefined
      if (name === undefined) {
        io.stderr.write(mainHelp())
        return ExitCode.usage
      }
      io.stdout.write(command ? commandHelp(command) : mainHelp())
      return ExitCode.ok
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(`${packageVersion()}\n`)
      return ExitCode.ok
    }
    const found = commandOf(argv)
    if (found === undefined) {
      const given = name === 'topics' && rest[0] !== undefined && !rest[0].startsWith('-') ? `topics ${rest[0]}` : name
      throw new UsageError(`unknown command ${JSON.stringify(given)}: expected one of ${COMMANDS.map((c) => c.name).join(', ')} (see kafka-pipe --help)`)
    }
    const { command, rest: args } = found
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(commandHelp(command))
      return ExitCode.ok
    }
    return await command.run(args, io)
  } catch (err) {
    const hint = flagHint(err)
    io.stderr.write(`kafka-pipe: ${oneLine(err)}${hint === undefined ? '' : `; ${hint}`}\n`)
    if (debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`)
    return exitCodeOf(err)
  }
}

/** The process entry point: main() with the real process, then exit once stdout and stderr took everything. */
export async function run(): Promise<void> {
  const signals = listenForStopSignals()
  const code = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, signals })
  signals.dispose()
  // kafkajs may leave a timer or socket behind; the work is done, so leave once the output is out.
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise((resolve) => (s.writableEnded || s.destroyed ? resolve(undefined) : s.write('', resolve)))))
  process.exit(code)
}
