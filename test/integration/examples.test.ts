import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect } from 'chai'
import { useSharedCluster } from './cluster'

const run = promisify(execFile)
const root = join(__dirname, '..', '..')

/** The README's quick start is a whole program a user pastes into a file: it must run, not only type-check. */
describe('examples/quick-start.ts', () => {
  const suite = useSharedCluster()

  const quickStart = async (topic: string): Promise<string[]> => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(root, 'examples', 'quick-start.ts'), topic], {
      cwd: root,
      env: { ...process.env, KAFKA_BROKERS: suite.cluster.brokers.join(',') },
      timeout: 60_000,
    })
    return stdout.trim().split('\n').sort()
  }

  it('runs as the README says (npx tsx quick-start.ts): writes three orders and prints them back, keyed by customer; run again, prints only the new three', async () => {
    const topic = await suite.topic({ partitions: 3, prefix: 'quick-start' })
    const lines = await quickStart(topic)
    expect(lines).to.have.length(3)
    expect(lines.map((l) => l.split(' (')[0])).to.deep.equal(['alice o-1 12.5', 'alice o-3 30', 'bob o-2 7'])
    // one customer's orders on one partition, in the order written
    const alice = lines.filter((l) => l.startsWith('alice')).map((l) => /partition (\d+), offset (\d+)/.exec(l)!.slice(1).map(Number))
    expect(alice[0]![0]).to.equal(alice[1]![0])
    expect(alice[0]![1]).to.be.lessThan(alice[1]![1]!)
    // the group committed what it printed: a second run prints the three orders it wrote, at higher offsets
    const again = await quickStart(topic)
    expect(again.map((l) => l.split(' (')[0])).to.deep.equal(['alice o-1 12.5', 'alice o-3 30', 'bob o-2 7'])
    expect(again.filter((l) => lines.includes(l))).to.deep.equal([])
  })
})
