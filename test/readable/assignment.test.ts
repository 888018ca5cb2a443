import { expect } from 'chai'
import { Assignments } from '../../lib/readable/assignment'

describe('Assignments', () => {
  it('reports the partitions a new assignment took away', () => {
    const a = new Assignments()
    expect(a.replace({ t: [0, 1, 2], u: [0] })).to.deep.equal([])
    expect(a.replace({ t: [1], v: [3] })).to.deep.equal([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 2 },
      { topic: 'u', partition: 0 },
    ])
    expect(a.all()).to.deep.equal([
      { topic: 't', partitions: [1] },
      { topic: 'v', partitions: [3] },
    ])
  })

  it('keeps finished partitions out of pause and resume, also across rebalances', () => {
    const a = new Assignments()
    a.replace({ t: [0, 1] })
    a.finish('t', 0)
    expect(a.unfinished()).to.deep.equal([{ topic: 't', partitions: [1] }])
    a.finish('t', 1)
    expect(a.unfinished()).to.deep.equal([])
    a.replace({ t: [0, 1, 2] })
    expect(a.unfinished()).to.deep.equal([{ topic: 't', partitions: [2] }])
  })

  it('hands out copies', () => {
    const a = new Assignments()
    a.replace({ t: [0] })
    a.all()[0]!.partitions.push(9)
    expect(a.all()).to.deep.equal([{ topic: 't', partitions: [0] }])
  })
})
