import { expect } from 'chai'
import { logLevel, type LogEntry, type logCreator } from 'kafkajs'
import { withoutHandledResponseErrors } from '../../lib/kafka/logger'

function entry(namespace: string, level: logLevel, message: string): LogEntry {
  return { namespace, level, label: logLevel[level], log: { timestamp: '', logger: 'kafkajs', message } }
}

describe('kafka/logger', () => {
  function logged(configured: logLevel, entries: LogEntry[]): string[] {
    const seen: string[] = []
    const recorder: logCreator = () => (e) => seen.push(`${e.namespace}:${e.log.message}`)
    const log = withoutHandledResponseErrors(recorder)(configured)
    for (const e of entries) log(e)
    return seen
  }

  const responseError = entry('Connection', logLevel.ERROR, 'Response Metadata(key: 3, version: 6)')
  const otherError = entry('Consumer', logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded')

  it("drops kafkajs' ERROR lines for broker error answers, which kafka-pipe retries or reports as typed errors", () => {
    expect(logged(logLevel.WARN, [responseError, otherError])).to.deep.equal(['Consumer:Crash: KafkaJSNumberOfRetriesExceeded'])
  })

  it('keeps them at DEBUG level, with the rest of the request trace', () => {
    expect(logged(logLevel.DEBUG, [responseError])).to.have.length(1)
  })
})
