import { expect } from 'chai'
import { dropKafkajsTimerWarning } from '../../lib/cli/quiet-warnings'

describe('cli/quiet-warnings', () => {
  it("drops the TimeoutNegativeWarning of kafkajs' request queue and passes every other warning on", () => {
    const original = process.emitWarning
    const seen: string[] = []
    process.emitWarning = ((warning: string | Error, type?: string) => {
      seen.push(typeof warning === 'string' ? `${type}: ${warning}` : warning.name)
    }) as typeof process.emitWarning
    try {
      dropKafkajsTimerWarning()
      process.emitWarning('-1795331435694 is a negative number.\nTimeout duration was set to 1.', 'TimeoutNegativeWarning')
      process.emitWarning('-5 is a negative number.', { type: 'TimeoutNegativeWarning' })
      process.emitWarning('something else', 'DeprecationWarning')
      expect(seen).to.deep.equal(['DeprecationWarning: something else'])
    } finally {
      process.emitWarning = original
    }
  })
})
