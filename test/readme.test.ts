import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'chai'

/*
 * The README's TypeScript snippets are cut from files in examples/, which the type check (npm run typecheck)
 * compiles: a snippet that is not found in an example would be unchecked, so it fails here.
 */
describe('README', () => {
  const root = join(__dirname, '..')
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const examples = readdirSync(join(root, 'examples'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(root, 'examples', f), 'utf8'))
  const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!)

  it('has TypeScript snippets', () => {
    expect(snippets.length).to.be.greaterThan(0)
  })

  snippets.forEach((snippet, i) => {
    it(`snippet ${i + 1} is part of a type-checked example`, () => {
      expect(examples.some((source) => source.includes(snippet)), snippet).to.equal(true)
    })
  })

  it('names the scripts that package.json has', () => {
    const scripts = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: object }).scripts)
    for (const [, script] of readme.matchAll(/npm run ([\w:-]+)/g)) expect(scripts).to.include(script)
  })
})
