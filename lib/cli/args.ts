import { parseArgs } from 'node:util'
import { UsageError } from './exit-codes'

/** One flag of a command: how it is parsed and how `--help` shows it. */
export interface FlagSpec {
  type: 'string' | 'boolean'
  /** Repeatable (`--header a=1 --header b=2`): the value is an array. */
  multiple?: boolean
  /** Shown in `--help` after the flag, e.g. `<name=value>`. */
  value?: string
  description: string
}

/** Every flag one command takes; anything else is a usage error. */
export type FlagSchema = Record<string, FlagSpec>

/** The flags every command takes. */
export const commonFlags = {
  help: { type: 'boolean', description: 'show this help' },
  debug: { type: 'boolean', description: 'show stack traces and the Kafka client log on stderr' },
} as const satisfies FlagSchema

type ValueOf<S extends FlagSpec> = S['type'] extends 'boolean'
  ? boolean | undefined
  : S['multiple'] extends true
    ? string[] | undefined
    : string | undefined

export type Flags<S extends FlagSchema> = { [K in keyof S]: ValueOf<S[K]> }

export interface ParsedArgs<S extends FlagSchema> {
  flags: Flags<S>
  positionals: string[]
}

/**
 * Parses `argv` (after the command name) against `schema`: unknown flags, a string flag without a value, a value given
 * to a boolean flag, or positionals where none are taken are usage errors naming the flag.
 */
export function parseFlags<S extends FlagSchema>(command: string, schema: S, argv: string[], allowPositionals = false): ParsedArgs<S> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {}
  for (const [name, spec] of Object.entries(schema)) options[name] = spec.multiple ? { type: spec.type, multiple: true } : { type: spec.type }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals })
    return { flags: values as Flags<S>, positionals }
  } catch (err) {
    throw new UsageError(`${command}: ${describeParseError(err)} (see kafka-pipe ${command} --help)`)
  }
}

/** node:util's parseArgs messages are long and suggest `--` tricks; say just what went wrong. */
function describeParseError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const code = (err as { code?: string }).code
  const flag = /'(-[^' ]*)/.exec(message)?.[1]
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag ${flag ?? message}`
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? message}`
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return message.includes('does not take') ? `${flag ?? 'a flag'} takes no value` : `${flag ?? 'a flag'} needs a value`
  }
  return message.split('\n', 1)[0]!
}

/** A string flag that must be given. */
export function required(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`${command}: --${name} is required (see kafka-pipe ${command} --help)`)
  return value
}

/** A string flag that must be one of `choices`. */
export function choice<C extends string>(command: string, name: string, value: string | undefined, choices: readonly C[], fallback: C): C {
  if (value === undefined) return fallback
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`${command}: --${name} must be one of ${choices.join(', ')}, not ${JSON.stringify(value)}`)
  }
  return value as C
}

/** A whole number flag within [min, max]. */
export function wholeNumber(command: string, name: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined
  const n = /^\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${command}: --${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`)
  }
  return n
}
