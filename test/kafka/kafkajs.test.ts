import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { expect } from 'chai'

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : []
  })
}

describe('kafka/kafkajs', () => {
  it('is the one door to kafkajs: no file outside lib/kafka imports or requires it', () => {
    const lib = join(__dirname, '..', '..', 'lib')
    const outside = sources(lib)
      .filter((file) => !relative(lib, file).startsWith(`kafka${sep}`))
      .filter((file) => /from 'kafkajs(\/[^']*)?'|require\('kafkajs/.test(readFileSync(file, 'utf8')))
    expect(outside.map((file) => relative(lib, file))).to.deep.equal([])
  })
})
