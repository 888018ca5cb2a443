/**
 * The checks an option's value goes through: each takes the value a user gave (never undefined: a missing option
 * gets its default instead) and returns it as the stream uses it, or throws an InvalidOptionError that names the
 * option, shows the value and says what would work. Both streams' schemas (and startKafka's) are built from these.
 */
import { InvalidOptionError } from '../errors'
import { topicNameProblem } from '../kafka/topic-name'

export type Field<T> = (value: unknown, name: string) => T

/** The longest delay Node's timers take (a larger one fires at once), and Kafka's int32 limit for times and sizes. */
export const INT32_MAX = 2 ** 31 - 1

/** An integer from `min` to `max` (both included). */
export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): Field<number> {
  return (value, name) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidOptionError(name, value, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`)
    }
    return value
  }
}

/** A whole number of milliseconds from `min` up to what Node's timers and Kafka's int32 fields take. */
export function milliseconds(min: number): Field<number> {
  return (value, name) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > INT32_MAX) {
      throw new InvalidOptionError(name, value, `a whole number of milliseconds from ${min} to ${INT32_MAX}`)
    }
    return value
  }
}

export const flag: Field<boolean> = (value, name) => {
  if (typeof value !== 'boolean') throw new InvalidOptionError(name, value, 'true or false')
  return value
}

export function nonEmptyString(expected = 'a non-empty string'): Field<string> {
  return (value, name) => {
    if (typeof value !== 'string' || value === '') throw new InvalidOptionError(name, value, expected)
    return value
  }
}

/** A name Kafka takes for a topic; `expected` is what the error asks for. */
export function topicName(expected: string): Field<string> {
  return (value, name) => {
    if (typeof value !== 'string' || value === '') throw new InvalidOptionError(name, value, expected)
    const problem = topicNameProblem(value)
    if (problem !== undefined) throw new InvalidOptionError(name, value, `${expected}: ${problem}`)
    return value
  }
}

/** One of a fixed set of strings. */
export function oneOf<T extends string>(values: readonly T[]): Field<T> {
  return (value, name) => {
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      throw new InvalidOptionError(name, value, `one of ${values.map((v) => `'${v}'`).join(', ')}`)
    }
    return value as T
  }
}

/** A function; `shape` describes its signature in the error, e.g. "(chunk) => Message". */
export function func<F extends (...args: never[]) => unknown>(shape: string): Field<F> {
  return (value, name) => {
    if (typeof value !== 'function') throw new InvalidOptionError(name, value, `a function ${shape}`)
    return value as F
  }
}

export const abortSignal: Field<AbortSignal> = (value, name) => {
  if (!(value instanceof AbortSignal)) throw new InvalidOptionError(name, value, 'an AbortSignal')
  return value
}

/** A check that lives elsewhere (a codec's or balancer's own resolver), given the option's name. */
export function via<T>(resolve: (value: unknown, name: string) => T): Field<T> {
  return resolve
}
