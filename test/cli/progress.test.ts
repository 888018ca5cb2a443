import { Writable } from 'node:stream'
import { expect } from 'chai'
import { formatProgress, ProgressLine, showsProgress, startProgress } from '../../lib/cli/progress'

/** A stderr that keeps what was written, a terminal or not. */
function stderr(isTTY: boolean | undefined): Writable & { isTTY?: boolean; text: string } {
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out.text += chunk.toString()
      callback()
    },
  }) as Writable & { isTTY?: boolean; text: string }
  out.text = ''
  if (isTTY !== undefined) out.isTTY = isTTY
  return out
}

describe('progress line', () => {
  it('shows records, elapsed seconds and the rate with thousands separators, and the lag when there is one', () => {
    expect(formatProgress({ verb: 'stored', records: 1_234_567, seconds: 12.9, rate: 98_765.4 })).to.equal('kafka-pipe: stored 1,234,567 records in 12 s, 98,765/s')
    expect(formatProgress({ verb: 'written', records: 10, seconds: 1, rate: 10, lag: 4_321 })).to.equal('kafka-pipe: written 10 records in 1 s, 10/s, lag 4,321')
    expect(formatProgress({ verb: 'written', records: 10, seconds: 1, rate: 10, lag: 0 })).to.match(/, lag 0$/)
  })

  it('is shown only on a terminal, and never with --quiet', () => {
    expect(showsProgress({ isTTY: true }, false)).to.equal(true)
    expect(showsProgress({ isTTY: true }, true)).to.equal(false)
    expect(showsProgress({ isTTY: false }, false)).to.equal(false)
    expect(showsProgress({}, false)).to.equal(false) // a pipe or a file has no isTTY
  })

  it('rewrites one line in place with the rate since the last tick, and erases it when stopped', () => {
    const out = stderr(true)
    let records = 0
    // A whole number of milliseconds: performance.now() + 1000 - performance.now() can be 999.9999…, shown as "0 s".
    const start = 5_000
    const line = new ProgressLine(out, 'stored', { records: () => records, lag: () => 7 }, 60_000, start)
    records = 500
    line.tick(start + 1000)
    records = 2500
    line.tick(start + 2000)
    line.stop()
    expect(out.text).to.equal(
      '\r\x1b[Kkafka-pipe: stored 500 records in 1 s, 500/s, lag 7' + '\r\x1b[Kkafka-pipe: stored 2,500 records in 2 s, 2,000/s, lag 7' + '\r\x1b[K',
    )
  })

  it('writes a note on a line of its own, over the progress line', () => {
    const out = stderr(true)
    const line = new ProgressLine(out, 'stored', { records: () => 3 }, 60_000)
    line.note('before any progress')
    line.tick()
    line.note('kafka-pipe: skipped line 2')
    line.stop()
    expect(out.text).to.match(/^before any progress\n\r\x1b\[Kkafka-pipe: stored 3 records in 0 s, [\d,]+\/s\r\x1b\[Kkafka-pipe: skipped line 2\n$/)
  })

  it('writes nothing to a stderr that is not a terminal', () => {
    const out = stderr(undefined)
    startProgress(out, false, 'stored', { records: () => 1 }).stop()
    expect(out.text).to.equal('')
  })

  it('writes nothing when stopped before its first tick', () => {
    const out = stderr(true)
    startProgress(out, false, 'stored', { records: () => 1 }).stop()
    expect(out.text).to.equal('')
  })
})
