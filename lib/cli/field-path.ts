/** A dotted path into a JSON document, `user.id`; each part is an object key (or an array index). */
export type FieldPath = readonly string[]

export function parseFieldPath(path: string): FieldPath | undefined {
  const parts = path.split('.')
  return parts.every((p) => p !== '') ? parts : undefined
}

/** The array index a path part names ("0", "12"; not "01" or "-1"), or -1. */
export function indexOf(part: string): number {
  return /^(0|[1-9]\d{0,8})$/.test(part) ? Number(part) : -1
}

/**
 * The value at `path` in `document`, or undefined when some part is missing or not an object. Only the document's
 * own data counts: an object's own keys and an array's indexes (not `__proto__`, `constructor` or `length`).
 */
export function valueAt(document: unknown, path: FieldPath): unknown {
  let current = document
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined
    if (Array.isArray(current)) {
      const index = indexOf(part)
      current = index >= 0 ? current[index] : undefined
    } else {
      current = Object.hasOwn(current, part) ? (current as Record<string, unknown>)[part] : undefined
    }
  }
  return current
}
