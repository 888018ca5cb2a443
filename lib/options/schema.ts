/**
 * One schema per stream: every option it takes, each with its check. An option the schema does not know is an
 * error (a misspelled `batchSzie` silently falling back to the default is the bug this prevents), and so is a
 * value its check refuses. `undefined` counts as not given, so `{ linger: config.linger }` keeps the default.
 */
import { InvalidOptionError, UnknownOptionError } from '../errors'
import type { Field } from './fields'

export type Schema = Readonly<Record<string, Field<unknown>>>

/** The options a user gave, each checked and converted by its field. */
export type Checked<S extends Schema> = { -readonly [K in keyof S]?: ReturnType<S[K]> }

/** Checks `options` against `schema`; `owner` names the stream or function in errors ("KafkaWritable"). */
export function checkOptions<S extends Schema>(owner: string, schema: S, options: unknown): Checked<S> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError('options', options, `an object of ${owner} options`)
  }
  const checked: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(options)) {
    const field = Object.hasOwn(schema, name) ? schema[name] : undefined
    if (field === undefined) throw new UnknownOptionError(owner, name, nearest(name, Object.keys(schema)))
    if (value !== undefined) checked[name] = field(value, name)
  }
  return checked as Checked<S>
}

/** The known name a typo most likely meant: the same but for case, or at most two edits away. */
export function nearest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase()
  const sameButCase = known.find((k) => k.toLowerCase() === lower)
  if (sameButCase !== undefined) return sameButCase
  let best: string | undefined
  let bestDistance = 3
  for (const candidate of known) {
    const d = editDistance(lower, candidate.toLowerCase())
    if (d < bestDistance) [best, bestDistance] = [candidate, d]
  }
  return best
}

/** Levenshtein distance, with a swap of two neighbours counting as one edit ("batchSzie"). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1)
      rows[i]![j] = d
    }
  }
  return rows[a.length]![b.length]!
}
