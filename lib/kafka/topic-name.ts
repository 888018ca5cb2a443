/**
 * Kafka's rule for topic names (org.apache.kafka.common.internals.Topic): 1 to 249 characters of ASCII letters,
 * digits, '.', '_' and '-', and not "." or "..". Checked before a name reaches the broker, which would answer
 * INVALID_TOPIC_EXCEPTION without saying which rule the name broke.
 */
const LEGAL = /^[a-zA-Z0-9._-]{1,249}$/

/** Why `name` cannot be a topic name, or undefined if it can. */
export function topicNameProblem(name: string): string | undefined {
  if (name === '.' || name === '..') return `"${name}" is reserved`
  if (name.length > 249) return `it has ${name.length} characters, more than the 249 allowed`
  if (!LEGAL.test(name)) return "it may only hold ASCII letters, digits, '.', '_' and '-'"
  return undefined
}
