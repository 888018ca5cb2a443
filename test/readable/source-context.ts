import type { Kafka } from 'kafkajs'
import { connectionTarget } from '../../lib/readable/connect'
import type { ResolvedReadableOptions } from '../../lib/readable/options'
import type { Progress } from '../../lib/readable/progress'
import type { SourceContext } from '../../lib/readable/reader-source'

/** What a source gets from its stream, with callbacks that do nothing and a fail() that throws, for unit tests. */
export function sourceContext(kafka: Kafka, options: ResolvedReadableOptions, progress: Progress): SourceContext {
  return {
    kafka,
    options,
    connection: connectionTarget({}),
    progress,
    onAck: () => {},
    onCommit: () => {},
    onCommitError: () => {},
    fail: (error) => {
      throw error
    },
    generation: () => 1,
  }
}
