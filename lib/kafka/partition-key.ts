/** One string per topic-partition, for maps keyed by both (a topic name cannot contain NUL). */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}\0${partition}`
}
