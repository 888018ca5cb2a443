import { expect } from 'chai'
import { Progress } from '../../lib/readable/progress'

describe('Progress', () => {
  const assignment = [
    { topic: 'a', partitions: [0, 1] },
    { topic: 'b', partitions: [0] },
  ]

  it('computes lag from the latest high watermarks and read positions', () => {
    const p = new Progress()
    expect(p.lag(assignment)).to.equal(0)
    p.start('a', 0, 10n)
    p.high('a', 0, 25n)
    p.start('a', 1, 0n)
    p.high('a', 1, 3n)
    p.high('b', 0, 7n) // position unknown: not counted
    expect(p.lag(assignment)).to.equal(18)
    p.advance('a', 0, 25n)
    expect(p.lag(assignment)).to.equal(3)
  })

  it('never moves a position back on advance, but start may (a reassignment resumes at the commit)', () => {
    const p = new Progress()
    p.advance('a', 0, 5n)
    p.advance('a', 0, 3n)
    expect(p.next('a', 0)).to.equal(5n)
    p.start('a', 0, 2n)
    expect(p.next('a', 0)).to.equal(2n)
  })

  it('knows when a partition, and all assigned partitions, reached their ends', () => {
    const p = new Progress()
    p.setEnd('a', 0, 10n)
    p.setEnd('a', 1, 0n)
    p.setEnd('b', 0, 4n)
    expect(p.allReachedEnd(assignment)).to.equal(false) // no positions yet
    p.start('a', 1, 0n)
    expect(p.reachedEnd('a', 1)).to.equal(true) // an empty partition is done at once
    p.start('a', 0, 3n)
    p.start('b', 0, 4n)
    expect(p.allReachedEnd(assignment)).to.equal(false)
    expect(p.end('a', 0)).to.equal(10n)
    p.advance('a', 0, 10n)
    expect(p.allReachedEnd(assignment)).to.equal(true)
    expect(p.end('c', 0)).to.equal(undefined) // no end: read forever
  })
})
