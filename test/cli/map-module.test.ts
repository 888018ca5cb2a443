import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { UsageError } from '../../lib/cli/exit-codes'
import { loadMap, mapInput } from '../../lib/cli/map-module'

describe('--map modules', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kafka-pipe-map-unit-'))
  })
  after(() => rm(dir, { recursive: true }))

  async function moduleFile(name: string, source: string): Promise<string> {
    const file = join(dir, name)
    await writeFile(file, source)
    return file
  }

  it('loads module.exports of CommonJS, exports.default, and the default export of an ES module', async () => {
    const cjs = await loadMap(await moduleFile('a.cjs', 'module.exports = (m) => ({ value: m.value + 1 })'))
    const compiled = await loadMap(await moduleFile('b.cjs', 'exports.default = (m) => ({ value: m.value + 2 })'))
    const esm = await loadMap(await moduleFile('c.mjs', 'export default (m) => ({ value: m.value + 3 })'))
    const input = { topic: 't', partition: 0, offset: '0', timestamp: new Date(0), key: null, value: 1, headers: {} }
    expect([cjs(input), compiled(input), esm(input)]).to.deep.equal([{ value: 2 }, { value: 3 }, { value: 4 }])
  })

  it('rejects a module that exports no function, or does not load, as a usage error', async () => {
    const notFunction = await moduleFile('d.cjs', 'module.exports = { map: 1 }')
    await loadMap(notFunction).then(
      () => expect.fail('loaded'),
      (err: Error) => {
        expect(err).to.be.instanceOf(UsageError)
        expect(err.message).to.match(/must export a function/)
      },
    )
    await loadMap(join(dir, 'missing.js')).then(
      () => expect.fail('loaded'),
      (err: Error) => expect(err.message).to.match(/^copy: --map ".*missing\.js" did not load: /),
    )
  })

  it('hands the function the message as consume shows it: text key, JSON or text value, string headers', () => {
    const message = {
      topic: 't',
      partition: 1,
      offset: '7',
      key: Buffer.from('k'),
      value: Buffer.from('{"n":1}'),
      headers: { a: Buffer.from('x'), b: ['1', '2'] },
      timestamp: new Date(5),
      ack: () => {},
    }
    expect(mapInput(message)).to.deep.equal({ topic: 't', partition: 1, offset: '7', timestamp: new Date(5), key: 'k', value: { n: 1 }, headers: { a: 'x', b: '2' } })
    expect(mapInput({ ...message, key: null, value: Buffer.from('plain') })).to.deep.include({ key: null, value: 'plain' })
  })
})
