import { expect } from 'chai'
import { InvalidOptionError, UnknownOptionError } from '../../lib/errors'
import { integer, milliseconds } from '../../lib/options/fields'
import { checkOptions, nearest } from '../../lib/options/schema'

const schema = { batchSize: integer(1), linger: milliseconds(0), groupId: (v: unknown) => String(v) }

describe('options schema', () => {
  it('returns the given options, checked and converted, leaving out undefined ones', () => {
    expect(checkOptions('S', schema, { batchSize: 3, linger: undefined })).to.deep.equal({ batchSize: 3 })
  })

  it('rejects an option it does not know, suggesting the one a typo meant', () => {
    expect(() => checkOptions('KafkaWritable', schema, { batchSzie: 3 }))
      .to.throw(UnknownOptionError, /KafkaWritable has no option "batchSzie"; did you mean "batchSize"\?/)
      .with.property('code', 'ERR_KAFKA_PIPE_OPTION')
    expect(() => checkOptions('KafkaReadable', schema, { groupID: 'g' })).to.throw(UnknownOptionError, /did you mean "groupId"/)
    expect(() => checkOptions('S', schema, { compression: 'gzip' })).to.throw(UnknownOptionError, /no option "compression"(?!;)/)
  })

  it('rejects options that are not an object', () => {
    for (const options of [null, 'brokers', 3, ['a']]) {
      expect(() => checkOptions('S', schema, options)).to.throw(InvalidOptionError, /option "options" must be an object of S options/)
    }
  })

  it('finds the nearest name within two edits, or none', () => {
    expect(nearest('linegr', ['linger', 'batchSize'])).to.equal('linger')
    expect(nearest('BATCHSIZE', ['linger', 'batchSize'])).to.equal('batchSize')
    expect(nearest('somethingElse', ['linger', 'batchSize'])).to.equal(undefined)
  })
})
