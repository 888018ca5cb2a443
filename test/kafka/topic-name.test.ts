import { expect } from 'chai'
import { topicNameProblem } from '../../lib/kafka/topic-name'

describe('topic names', () => {
  it("takes what Kafka takes: 1-249 ASCII letters, digits, '.', '_' and '-'", () => {
    for (const name of ['orders', 'a.b_c-D9', 'x'.repeat(249), '...']) expect(topicNameProblem(name), name).to.equal(undefined)
  })

  it('says why a name is refused', () => {
    expect(topicNameProblem('.')).to.contain('reserved')
    expect(topicNameProblem('..')).to.contain('reserved')
    expect(topicNameProblem('x'.repeat(250))).to.contain('250 characters')
    for (const name of ['orders v2', 'ordrés', 'a/b', '']) expect(topicNameProblem(name), name).to.contain('may only hold')
  })
})
