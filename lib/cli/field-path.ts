/** A dotted path into a JSON document, `user.id`; each part is an object key (or an array index). */
export type FieldPath = readonly string[]

export function parseFieldPath(path: string): FieldPath | undefined {
  const parts = path.split('.')
  return parts.every((p) => p !== '') ? parts : undefined
}

/** The value at `path` in `document`, or undefined when some part is missing or not an object. */
export function valueAt(document: unknown, path: FieldPath): unknown {
  let current = document
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<string, unknown>)[part]
  }
  return current
}
