import { expect } from 'chai'
import { endIndex, Progress } from '../../lib/readable/progress'

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

  it('finds where `until` stops a batch: the first message at or past the end, or the whole batch', () => {
    const batch = ['7', '8', '10', '13', '14'].map((offset) => ({ offset }))
    expect(endIndex(batch, undefined)).to.equal(5)
    expect(endIndex(batch, 15n)).to.equal(5)
    expect(endIndex(batch, 14n)).to.equal(4)
    expect(endIndex(batch, 11n), 'a gap: 13 is the first past 11').to.equal(3)
    expect(endIndex(batch, 8n)).to.equal(1)
    expect(endIndex(batch, 0n)).to.equal(0)
    expect(endIndex([], 3n)).to.equal(0)
    const huge = [2n ** 62n, 2n ** 62n + 1n].map((o) => ({ offset: o.toString() }))
    expect(endIndex(huge, 2n ** 62n + 1n)).to.equal(1)
  })
})
